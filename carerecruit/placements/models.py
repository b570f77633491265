"""Routing, the pipeline, pre-employment checks, placements and retention.

An application is *routed* to one or more organisations (the councils the candidate
chose, else the council whose area holds their postcode); each route is that
organisation's own copy of the pipeline, with its stage, owner, history, notes,
messages, checks and, at the end, a placement with retention checkpoints.

Everything here hangs off ``candidates.Application`` with ``on_delete=CASCADE``, so
erasing a candidate removes their routes, history, notes, messages, checks, placements
and checkpoints. Funnel events (tracking.Event) hold no personal data and are kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carerecruit.placements.pipeline import DEFAULT_TARGET_WORKING_DAYS, Stage
from carerecruit.reference.models import ContractType

# ---------------------------------------------------------------------------------------
# Geography


class PostcodeLocation(models.Model):
    """One live postcode from the ONS Postcode Directory (ONSPD), loaded by
    ``carerecruit import-onspd``.

    ``pcds`` is ONSPD's canonical form (``"WS13 6QG"``), ``compact`` the same without the
    space (``"WS136QG"``), the lookup key. ``latitude``/``longitude`` are WGS84 degrees,
    NULL where ONSPD has no grid reference (its placeholder 99.999999, 0.000000).
    ``cassr_gss`` is the ONS GSS code of the council with adult social services
    responsibilities: ONSPD ``oscty`` when it is a real county (E10…), else ``oslaua``
    (domain.md 1.3 and 5.3).
    """

    pcds = models.CharField("postcode", max_length=8)
    compact = models.CharField(max_length=7, unique=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    cassr_gss = models.CharField("adult social services council (GSS)", max_length=9)
    oslaua = models.CharField("local authority district (GSS)", max_length=9)
    osward = models.CharField("ward (GSS)", max_length=9, blank=True)
    lsoa21 = models.CharField("2021 LSOA", max_length=9, blank=True)
    icb = models.CharField("integrated care board", max_length=9, blank=True)
    rgn = models.CharField("region (GSS)", max_length=9, blank=True)

    class Meta:
        ordering = ["compact"]
        indexes = [
            # Distance searches pre-filter by a latitude/longitude bounding box.
            models.Index(fields=["latitude", "longitude"], name="postcode_lat_long"),
            # Coverage reports: postcodes per council.
            models.Index(fields=["cassr_gss"], name="postcode_cassr"),
        ]

    def __str__(self) -> str:
        return self.pcds


# ---------------------------------------------------------------------------------------
# Routing and the pipeline


class ApplicationRoute(models.Model):
    """One organisation's copy of an application's pipeline.

    ``code`` (UUID) is the public identifier in staff URLs. ``stage_entered_at`` (UTC) is
    when the current stage began; days in stage and the stuck list count from it.
    ``reason`` says why the application came here.
    """

    class Reason(models.TextChoices):
        CHOSEN = "chosen", "The candidate chose this council's area"
        POSTCODE = "postcode", "The candidate's postcode is in this council's area (ONSPD)"
        DISTRICT = "district", "The candidate's postcode district is mostly in this council's area"
        MANUAL = "manual", "Routed by staff"
        VACANCY = "vacancy", "Applied to this organisation's vacancy"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "candidates.Application", on_delete=models.CASCADE, related_name="routes"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="application_routes"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NEW)
    stage_entered_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="owned_routes",
    )
    routed_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-routed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="route_one_per_application_org"
            ),
        ]
        indexes = [
            # The staff list and the stuck list: one organisation's routes by stage, oldest
            # stage first.
            models.Index(fields=["organisation", "stage", "stage_entered_at"], name="route_org_stage_time"),
            # "My applications": routes owned by one recruiter.
            models.Index(fields=["owner", "stage"], name="route_owner_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.organisation} ({self.get_stage_display()})"


class StageChange(models.Model):
    """One move in a route's history: who, when, from which stage to which, and why.

    ``from_stage`` is empty for the route's creation (routing). Rows are only inserted.
    """

    route = models.ForeignKey(ApplicationRoute, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Empty for automatic changes (routing on submission) or a deleted user.",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            models.Index(fields=["route", "changed_at"], name="stagechange_route_time"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


class Note(models.Model):
    """A recruiter's note on a route (``is_system`` for notes the product writes, such
    as a change of owner)."""

    route = models.ForeignKey(ApplicationRoute, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_system = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class OrganisationPipelineSettings(models.Model):
    """An organisation's targets for time in each open stage, in working days (Monday to
    Friday). A route longer than its target appears on the stuck list. Organisations
    without a row use ``pipeline.DEFAULT_TARGET_WORKING_DAYS``."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pipeline_settings"
    )
    target_new = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.NEW])
    target_contacted = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.CONTACTED])
    target_screening = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.SCREENING])
    target_interview = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.INTERVIEW])
    target_offer = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.OFFER])
    target_checks = models.PositiveSmallIntegerField(default=DEFAULT_TARGET_WORKING_DAYS[Stage.CHECKS])

    class Meta:
        verbose_name = "pipeline settings"
        verbose_name_plural = "pipeline settings"

    def __str__(self) -> str:
        return f"Pipeline targets: {self.organisation}"

    def targets(self) -> dict[str, int]:
        """``{stage: working days}`` for every open stage."""
        return {stage: getattr(self, f"target_{stage}") for stage in DEFAULT_TARGET_WORKING_DAYS}


class FunnelOutcome(models.Model):
    """That a funnel outcome (shortlisted, placed, retained_6m) has been recorded for an
    application. The unique constraint makes the event exactly once per application,
    however many councils work it and however often a route re-enters a stage."""

    application = models.ForeignKey(
        "candidates.Application", on_delete=models.CASCADE, related_name="funnel_outcomes"
    )
    kind = models.CharField(max_length=20)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="funnel_outcome_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.application_id}"


# ---------------------------------------------------------------------------------------
# Messages to candidates


class MessageKind(models.TextChoices):
    """Stage changes that may send the candidate a templated e-mail."""

    CONTACTED = Stage.CONTACTED.value, Stage.CONTACTED.label
    SCREENING = Stage.SCREENING.value, Stage.SCREENING.label
    INTERVIEW = Stage.INTERVIEW.value, Stage.INTERVIEW.label
    OFFER = Stage.OFFER.value, Stage.OFFER.label
    CHECKS = Stage.CHECKS.value, Stage.CHECKS.label
    PLACED = Stage.PLACED.value, Stage.PLACED.label
    WITHDRAWN = Stage.WITHDRAWN.value, Stage.WITHDRAWN.label
    NOT_SUITABLE = Stage.NOT_SUITABLE.value, Stage.NOT_SUITABLE.label
    TALENT_BANK = Stage.TALENT_BANK.value, Stage.TALENT_BANK.label


class MessageTemplate(models.Model):
    """A region's e-mail to candidates for one kind of stage change.

    ``subject`` and ``body`` may use only the placeholders in
    :data:`carerecruit.placements.messaging.PLACEHOLDERS` (``{{ first_name }}``,
    ``{{ campaign }}``, ``{{ council }}``…); see that module for how they are checked and
    rendered. Without a row, the built-in default text is used.
    """

    region = models.ForeignKey("reference.Region", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    is_active = models.BooleanField(
        "send automatically", default=True,
        help_text="Send this e-mail when a recruiter moves an application to this stage.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="message_template_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class MessageLog(models.Model):
    """Every e-mail sent to a candidate about a route, exactly as sent."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent (mail server error)"

    route = models.ForeignKey(ApplicationRoute, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=12, choices=MessageKind.choices)
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["route", "sent_at"], name="messagelog_route_time")]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.subject}"


# ---------------------------------------------------------------------------------------
# Pre-employment checks


class CheckKind(models.TextChoices):
    """Pre-employment checks (CQC Regulation 19 / Schedule 3, plus right to work and
    professional registration; domain.md 4.1–4.4)."""

    DBS = "dbs", "Enhanced DBS check with adults' barred list"
    RIGHT_TO_WORK = "right_to_work", "Right to work"
    CONDUCT_REFERENCE = "conduct_reference", "Conduct reference from the last care employer"
    SECOND_REFERENCE = "second_reference", "Second reference"
    IDENTITY = "identity", "Proof of identity"
    SWE_REGISTRATION = "swe_registration", "Social Work England registration"
    CARE_CERTIFICATE = "care_certificate", "Care Certificate status"


class CheckStatus(models.TextChoices):
    PENDING = "pending", "To do"
    COMPLETE = "complete", "Complete"
    WAIVED = "waived", "Waived"


class RightToWorkMethod(models.TextChoices):
    """The three methods that give an employer a statutory excuse (domain.md 4.3)."""

    MANUAL = "manual", "Manual check of original documents"
    ONLINE = "online", "Home Office online check (share code)"
    IDSP = "idsp", "Identity service provider (IDSP) check"


class RightToWorkDocument(models.TextChoices):
    BRITISH_IRISH_PASSPORT = "british_irish_passport", "British or Irish passport (or Irish passport card)"
    BIRTH_CERTIFICATE_NI = "birth_certificate_ni", "UK birth or adoption certificate with National Insurance number"
    EVISA = "evisa", "eVisa or Home Office online profile"
    OTHER_LIST_A = "other_list_a", "Other List A document"
    LIST_B = "list_b", "List B document (time-limited permission)"


class IdentityDocument(models.TextChoices):
    PASSPORT = "passport", "Passport"
    DRIVING_LICENCE = "driving_licence", "Photocard driving licence"
    OTHER_PHOTO_ID = "other_photo_id", "Other photographic identity document"


class CareCertificateStatus(models.IntegerChoices):
    """ASC-WDS worker file CARECERT codes (domain.md 2.2)."""

    COMPLETED = 1, "Yes, completed"
    NOT_STARTED = 2, "No"
    IN_PROGRESS = 3, "Yes, in progress or partially completed"


class Check(models.Model):
    """One pre-employment check of one kind for a route, with its evidence metadata.

    Only metadata is stored, never a certificate's or document's content (DBS code of
    practice; domain.md 4.1): for DBS the 12-digit certificate number, issue date, that
    the adults' barred list was checked, update service subscription and the date of the
    last status check. Dates are local dates. A waived check names the person who waived
    it and why (the database refuses a waiver without both).
    """

    route = models.ForeignKey(ApplicationRoute, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    status = models.CharField(max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING)
    # The date the evidence was seen or verified (references: received).
    verified_on = models.DateField(null=True, blank=True)
    # DBS.
    dbs_certificate_number = models.CharField(max_length=12, blank=True)
    dbs_issue_date = models.DateField(null=True, blank=True)
    dbs_barred_list_checked = models.BooleanField(default=False)
    dbs_update_service = models.BooleanField(null=True, blank=True)
    dbs_status_checked_on = models.DateField(null=True, blank=True)
    # Right to work.
    rtw_method = models.CharField(max_length=10, choices=RightToWorkMethod.choices, blank=True)
    rtw_document = models.CharField(max_length=30, choices=RightToWorkDocument.choices, blank=True)
    rtw_time_limited = models.BooleanField(default=False)
    rtw_expires_on = models.DateField(null=True, blank=True)
    # References.
    referee_organisation = models.CharField(max_length=200, blank=True)
    reference_satisfactory = models.BooleanField(default=False)
    # Identity.
    identity_document = models.CharField(max_length=20, choices=IdentityDocument.choices, blank=True)
    identity_photo_seen = models.BooleanField(default=False)
    # Social Work England.
    swe_number = models.CharField(max_length=12, blank=True)
    # Care Certificate (ASC-WDS CARECERT code).
    care_certificate_status = models.PositiveSmallIntegerField(
        choices=CareCertificateStatus.choices, null=True, blank=True
    )
    # Waiver.
    waived_by_name = models.CharField(max_length=200, blank=True)
    waived_reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["route", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["route", "kind"], name="check_one_per_kind"),
            models.CheckConstraint(
                condition=~Q(status="waived") | (~Q(waived_by_name="") & ~Q(waived_reason="")),
                name="check_waiver_named_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        """Complete or waived: no longer blocks a placement."""
        return self.status in (CheckStatus.COMPLETE, CheckStatus.WAIVED)


# ---------------------------------------------------------------------------------------
# Placement and retention


class Placement(models.Model):
    """A confirmed placement: the candidate (through the route) starts work at the
    route's organisation in a job role (ASC-WDS code) on a contract type (ASC-WDS
    EMPLSTATUS), from ``start_date`` (a local date). One per route.

    ``vacancy``: the placing organisation's vacancy the person fills, when there is one
    (NULL when they were placed into a role without a posted vacancy, or the vacancy was
    deleted later: the placement itself stays).
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    route = models.OneToOneField(ApplicationRoute, on_delete=models.CASCADE, related_name="placement")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="placements"
    )
    job_role = models.ForeignKey("reference.JobRole", on_delete=models.PROTECT, related_name="placements")
    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    contract_type = models.PositiveSmallIntegerField(choices=ContractType.choices)
    start_date = models.DateField()
    confirmed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            # Workforce figures: an organisation's starters by start date.
            models.Index(fields=["organisation", "start_date"], name="placement_org_start"),
        ]

    def __str__(self) -> str:
        return f"{self.job_role} at {self.organisation} from {self.start_date}"


class LeavingReason(models.IntegerChoices):
    """Why a worker left: ASC-WDS WorkerLeaveReasons ids and wording (Skills for Care
    SopraSteria-SFC ``backend/migrations/20250103160000-updateTextForWorkerLeaveReasons.js``)."""

    OTHER_ASC_EMPLOYER = 1, "Moved to another adult social care employer"
    HEALTH_SECTOR = 2, "Moved to a role in the health sector"
    DIFFERENT_SECTOR = 3, "Moved to a different sector (for example, retail)"
    DIFFERENT_ROLE_HERE = 4, "Moved to a different role in this organisation"
    CHOSE_TO_LEAVE = 5, "Chose to leave (destination not known)"
    RETIRED = 6, "Retired"
    TERMINATED = 7, "Had their employment terminated"
    OTHER = 8, "For a reason not listed"
    NOT_KNOWN = 9, "Reason not known"


class RetentionCheckpoint(models.Model):
    """Is the person still in post ``months`` (3, 6 or 12) after their start date?

    ``due_on`` is the start date plus ``months`` calendar months, clamped to the end of a
    shorter month (31 August + 6 months = 28 or 29 February). Answered by the placing
    organisation: in post, left (with the ASC-WDS leaving reason) or unknown.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Not answered"
        IN_POST = "in_post", "Still in post"
        LEFT = "left", "Left"
        UNKNOWN = "unknown", "Not known"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="checkpoints")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    leaving_reason = models.PositiveSmallIntegerField(choices=LeavingReason.choices, null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "months"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="checkpoint_one_per_month"),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(leaving_reason__isnull=False),
                name="checkpoint_left_has_reason",
            ),
        ]
        indexes = [
            # The overdue list: unanswered checkpoints due before today.
            models.Index(fields=["status", "due_on"], name="checkpoint_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.months}-month check on {self.placement_id}: {self.get_status_display()}"
