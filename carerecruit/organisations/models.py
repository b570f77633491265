"""Organisations (regional body, councils, independent care providers) and their staff."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from carerecruit.reference.models import Region


class Organisation(models.Model):
    """A body that takes part in the region's recruitment.

    Councils carry their ONS GSS code (``E06…``/``E08…``/``E10…``); they and the regional
    body are reference data loaded by migration. Independent providers are added by admins.
    """

    class Kind(models.TextChoices):
        REGIONAL_BODY = "regional", "Regional body"
        COUNCIL = "council", "Council"
        PROVIDER = "provider", "Independent care provider"

    class CouncilType(models.TextChoices):
        METROPOLITAN = "metropolitan", "Metropolitan district"
        UNITARY = "unitary", "Unitary authority"
        COUNTY = "county", "County council (two-tier)"
        LONDON = "london", "London borough"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    gss_code = models.CharField("ONS GSS code", max_length=9, blank=True)
    council_type = models.CharField(max_length=12, choices=CouncilType.choices, blank=True)
    old_la_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # Area centroid in WGS84 degrees, for maps and distance origins.
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    # True for the invented organisations the demo creates; shown as simulated.
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="organisation_unique_gss_code"
            ),
            models.CheckConstraint(
                condition=~Q(kind="council") | ~Q(gss_code=""),
                name="organisation_council_has_gss_code",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_council(self) -> bool:
        return self.kind == self.Kind.COUNCIL

    @property
    def is_regional_body(self) -> bool:
        return self.kind == self.Kind.REGIONAL_BODY


class CouncilDistrict(models.Model):
    """A district inside a two-tier county: ONSPD ``oslaua`` gives these codes, and the
    adult social services council is the county (domain.md 1.3)."""

    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="districts",
        limit_choices_to={"kind": "council"},
    )
    gss_code = models.CharField("ONS GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"


class User(AbstractUser):
    """A member of staff. Candidates never have accounts.

    Every staff user belongs to exactly one organisation and holds one role; what they may
    see is decided by :mod:`carerecruit.organisations.access` from those two fields.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        CAMPAIGN_MANAGER = "campaign_manager", "Campaign manager"
        RECRUITER = "recruiter", "Recruiter"
        VIEWER = "viewer", "Viewer (read only)"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True,
        help_text="Empty only for platform superusers created from the command line.",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    email = models.EmailField("email address", blank=True)

    class Meta:
        constraints = [
            # Password reset finds users by e-mail, so one account per address.
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_unique_email"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class PersonalDataAccess(models.Model):
    """One line of the audit log of access to candidates' personal data: who, what, when.

    Written by :func:`carerecruit.organisations.audit.log_access` from every view, export,
    search and API response that shows personal data. The log holds no personal data
    itself: the subject is the candidate's opaque ``code`` (a UUID), and ``detail`` must
    never contain names, e-mails, phones or postcodes. Erasing a candidate blanks
    ``candidate_code`` on their lines, so the log can no longer be tied to them.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        SEARCH = "search", "Searched"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"
        MERGE = "merge", "Merged"
        ERASE = "erase", "Erased"
        SUBJECT_ACCESS = "subject_access", "Subject access export"

    occurred_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Empty for the candidate acting on their own data, or a deleted user.",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    # What was looked at, e.g. "application", "talent-bank search", "applications.csv".
    resource = models.CharField(max_length=60)
    candidate_code = models.UUIDField(null=True, blank=True)
    # How many candidates a search or export returned (1 for a detail page).
    subject_count = models.PositiveIntegerField(default=1)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            # Subject access and erasure: every line about one candidate.
            models.Index(fields=["candidate_code"], name="pda_candidate_code"),
            # Audit review: one organisation's access over time.
            models.Index(fields=["organisation", "occurred_at"], name="pda_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.resource}"
