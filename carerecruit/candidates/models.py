"""Candidates (one per person) and their applications to campaigns."""

import uuid

from django.db import models
from django.db.models import Q
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

    Identity: ``email_normalised`` (the address lower-cased, so ``Ann.Lee@Example.org`` and
    ``ann.lee@example.org`` are one person) and ``phone_e164`` (E.164, e.g.
    ``+447700900123``); the database holds each to one candidate. ``full_name`` is kept
    exactly as typed; ``name_folded`` (lower case, accents and apostrophes removed) is
    for search only.
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
            models.UniqueConstraint(
                fields=["phone_e164"], condition=~Q(phone_e164=""), name="candidate_unique_phone"
            ),
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
    hours_wanted = models.CharField(max_length=12, choices=HoursWanted.choices)
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
