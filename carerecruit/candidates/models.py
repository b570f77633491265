"""Candidates (one per person) and their applications to campaigns."""

import uuid

from django.db import models
from django.utils import timezone


class HoursWanted(models.TextChoices):
    FULL_TIME = "full_time", "Full time (30 hours a week or more)"
    PART_TIME = "part_time", "Part time (under 30 hours a week)"
    FLEXIBLE = "flexible", "Flexible or bank shifts"


class RightToWork(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure"


class Candidate(models.Model):
    """One person, however many times they apply.

    Identity (:mod:`carerecruit.candidates.identity`): ``email_normalised`` (the address
    lower-cased, so ``Ann.Lee@Example.org`` and ``ann.lee@example.org`` are one person;
    the database holds it to one candidate), or ``phone_e164`` (E.164, e.g.
    ``+447700900123``) together with ``name_folded``. A phone number alone is not a
    person, so several candidates may share one (a family landline, a mistyped digit);
    the talent bank's duplicate check flags such pairs for an admin. ``full_name`` is
    kept exactly as typed; ``name_folded`` (lower case, accents and apostrophes removed)
    is for search and for the phone match.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    email = models.EmailField(max_length=254, help_text="As typed, for display and mail.")
    email_normalised = models.CharField(max_length=254, editable=False)
    phone_e164 = models.CharField("mobile phone (E.164)", max_length=16)
    postcode = models.CharField(max_length=8, help_text="Normalised UK postcode, e.g. B1 1AA.")
    # Separate, unticked, withdrawable opt-in (UK GDPR Art. 6(1)(a)); see the privacy notice.
    talent_bank_consent = models.BooleanField(default=False)
    talent_bank_consent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    last_active_at = models.DateTimeField(default=timezone.now)
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email_normalised"], name="candidate_unique_email"),
        ]
        indexes = [
            # The form's and imports' phone match (phone_e164 = %s AND name_folded = %s)
            # and the duplicate check's shared phones; not unique: see identity.py.
            models.Index(fields=["phone_e164"], name="candidate_phone"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Application(models.Model):
    """A candidate's application to one campaign, with its answers and its attribution.

    The database allows one application per candidate per campaign, so a double-clicked
    submit or a second try makes no second row. Attribution (tracked link, channel, UTM
    values, referrer host, click id) is copied from the visit that led to it.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="applications"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # Answers, as given on this application.
    # The name exactly as typed on this form. Candidate.full_name keeps the first name
    # the person gave; a later application with another spelling (or a new surname) is
    # kept here rather than silently dropped or silently overwriting the first.
    full_name_given = models.CharField("name as given", max_length=200, blank=True)
    job_roles = models.ManyToManyField("reference.JobRole", related_name="applications")
    years_experience = models.PositiveSmallIntegerField()
    current_role = models.CharField("current or last role", max_length=200, blank=True)
    swe_registration = models.CharField(
        "Social Work England registration number", max_length=12, blank=True,
        help_text="Normalised, e.g. SW104233.",
    )
    earliest_start = models.DateField()
    # Empty when the question was not asked: lists imported from older forms.
    hours_wanted = models.CharField(max_length=12, choices=HoursWanted.choices, blank=True)
    council_areas = models.ManyToManyField(
        "organisations.Organisation", related_name="preferred_by_applications", blank=True,
        limit_choices_to={"kind": "council"},
    )
    right_to_work = models.CharField(max_length=10, choices=RightToWork.choices)
    # Attribution.
    link = models.ForeignKey(
        "campaigns.TrackedLink", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="applications",
    )
    channel = models.CharField(max_length=20, default="direct")
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    utm_content = models.CharField(max_length=255, blank=True)
    utm_term = models.CharField(max_length=255, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    click_id = models.CharField(max_length=32, blank=True)
    is_simulated = models.BooleanField(default=False)
    # Set when the candidate withdraws through self-service; NULL = not withdrawn. The
    # councils' pipelines record their own "withdrawn" stage as well.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When we last e-mailed the candidate that the form was sent again with their e-mail
    # (or name and phone) for this campaign (the page itself does not say, so a stranger learns
    # nothing); NULL = never. Kept to send at most one such e-mail a day per application.
    repeat_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The upload this application came from; NULL for the public form.
    import_batch = models.ForeignKey(
        "candidates.ApplicationImport", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="applications",
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "campaign"], name="application_one_per_candidate_campaign"
            ),
        ]
        indexes = [
            # Staff lists: a campaign's newest applications.
            models.Index(fields=["campaign", "-submitted_at"], name="application_campaign_time"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.campaign}"


class ConsentSource(models.TextChoices):
    APPLICATION = "application", "Application form"
    IMPORT = "import", "Imported list"
    SELF_SERVICE = "self_service", "Self-service page"


class ConsentChange(models.Model):
    """One change of a candidate's talent-bank consent: given or withdrawn, when, where.

    The history behind ``Candidate.talent_bank_consent`` (UK GDPR Art. 7(1): be able to
    show consent was given). Rows are written by self-service and imports; a consent
    given on the public application form shows in the history from
    ``Candidate.talent_bank_consent_at`` (see ``candidates.subject_access``).
    Deleted with the candidate.
    """

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="consent_changes"
    )
    given = models.BooleanField()
    changed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=ConsentSource.choices)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{'given' if self.given else 'withdrawn'} {self.changed_at:%Y-%m-%d %H:%M}"


class ApplicationImport(models.Model):
    """An uploaded list of expressions of interest, from preview to import.

    ``content`` holds the uploaded bytes only while the upload waits for confirmation
    (status ``pending``); importing empties it, and pending uploads older than a day
    are deleted, so raw files with personal data do not linger. The counts describe
    what the import made.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        IMPORTED = "imported", "Imported"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="application_imports"
    )
    uploaded_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    content = models.BinaryField(blank=True, default=b"")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    candidates_created = models.PositiveIntegerField(default=0)
    applications_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class SelfServiceLinkRequest(models.Model):
    """One request for a self-service link, kept for an hour to rate-limit requests per
    address (``candidates.selfservice.MAX_LINKS_PER_WINDOW``).

    ``address_hash`` is a keyed hash (HMAC-SHA256 with the site's secret key) of the
    normalised e-mail address, so this table holds no address; rows for known and unknown
    addresses look alike. Rows older than the window are deleted on each request.
    """

    address_hash = models.CharField(max_length=64)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Rate limit: requests for one address in the last hour.
            models.Index(fields=["address_hash", "requested_at"], name="sslinkreq_address_time"),
            # Purge: rows older than the window.
            models.Index(fields=["requested_at"], name="sslinkreq_time"),
        ]

    def __str__(self) -> str:
        return f"link request {self.requested_at:%Y-%m-%d %H:%M}"
