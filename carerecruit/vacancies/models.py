"""Vacancies posted by councils and providers, their applicants, shortlists and invitations."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from carerecruit.lib.localtime import local_today
from carerecruit.reference.models import ContractType

# Public vacancy codes: 10 characters with no look-alikes (0/O, 1/l/I), so they can be
# read out on the phone. 31**10 ≈ 8e14: not guessable, and not a count of our vacancies.
VACANCY_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
VACANCY_CODE_LENGTH = 10

MAX_HOURS_PER_WEEK = Decimal("168")


def new_vacancy_code() -> str:
    """A fresh random public vacancy code (10 characters of VACANCY_CODE_ALPHABET)."""
    return "".join(secrets.choice(VACANCY_CODE_ALPHABET) for _ in range(VACANCY_CODE_LENGTH))


def pounds(pence: int | None) -> str:
    """Pence as pounds for a form field: ``1275`` → ``"12.75"``, ``2800000`` → ``"28000"``
    (no pence shown when whole); None → ``""``."""
    if pence is None:
        return ""
    whole, part = divmod(int(pence), 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}"


def money_text(pence: int) -> str:
    """Pence as people read money: ``1275`` → ``"£12.75"``, ``2800000`` → ``"£28,000"``."""
    whole, part = divmod(int(pence), 100)
    return f"£{whole:,}" + (f".{part:02d}" if part else "")


def validate_half_hours(value: Decimal) -> None:
    """ASC-WDS records contracted hours "in steps of 0.5" (worker file CONTHOURS)."""
    if value is not None and (Decimal(value) * 2) % 1 != 0:
        raise ValidationError("Hours per week must be in steps of 0.5, like 37.5")


class PayUnit(models.TextChoices):
    """What a pay figure is per: schema.org QuantitativeValue ``unitText`` values."""

    HOUR = "HOUR", "per hour"
    DAY = "DAY", "per day"
    WEEK = "WEEK", "per week"
    MONTH = "MONTH", "per month"
    YEAR = "YEAR", "per year"


class Vacancy(models.Model):
    """A job a council or provider is recruiting to, shown publicly at ``/vacancies/<code>/``.

    ``code`` is the public identifier (never the sequential id). Pay is in pence per
    ``pay_unit`` (``pay_max_pence`` NULL = a single rate). ``hours_per_week`` is in steps
    of 0.5. ``closing_date`` and ``starts_on`` are local dates (Europe/London): the
    vacancy takes applications until the end of its closing day. ``published_at`` (UTC)
    is when it first opened; its local date is the JobPosting ``datePosted``.
    ``latitude``/``longitude`` (WGS84) locate it for matching: the postcode's point, else
    the council area's centroid. ``campaign`` is the campaign whose funnel counts its
    applications (the region's standing vacancies campaign when the poster chose none).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    code = models.CharField(max_length=16, unique=True, default=new_vacancy_code, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="vacancies",
        limit_choices_to={"kind__in": ["council", "provider"]},
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="vacancies"
    )
    title = models.CharField(max_length=120)
    reference = models.CharField(
        "your reference", max_length=40, blank=True,
        help_text="The employer's own job reference; the JobPosting identifier.",
    )
    job_role = models.ForeignKey("reference.JobRole", on_delete=models.PROTECT, related_name="vacancies")
    contract_type = models.PositiveSmallIntegerField(choices=ContractType.choices)
    hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5")), validate_half_hours]
    )
    pay_min_pence = models.PositiveIntegerField()
    pay_max_pence = models.PositiveIntegerField(null=True, blank=True)
    pay_unit = models.CharField(max_length=5, choices=PayUnit.choices)
    street_address = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, help_text="Normalised UK postcode, e.g. WS1 1AA.")
    council_area = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="vacancies_in_area",
        limit_choices_to={"kind": "council"},
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    closing_date = models.DateField()
    starts_on = models.DateField("expected start date", null=True, blank=True)
    number_of_posts = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    description = models.TextField(help_text="Plain text; a blank line starts a new paragraph.")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_simulated = models.BooleanField(default=False)

    class Meta:
        ordering = ["closing_date", "title"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_max_pence__isnull=True) | Q(pay_max_pence__gte=F("pay_min_pence")),
                name="vacancy_pay_max_not_below_min",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=MAX_HOURS_PER_WEEK),
                name="vacancy_hours_in_week",
            ),
            models.CheckConstraint(condition=Q(number_of_posts__gte=1), name="vacancy_has_posts"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]), name="vacancy_status_known"
            ),
        ]
        indexes = [
            # Public list and region home: open vacancies not yet past their closing date.
            models.Index(fields=["status", "closing_date"], name="vacancy_status_closing"),
            # Staff list: one organisation's vacancies by status.
            models.Index(fields=["organisation", "status"], name="vacancy_org_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vacancies:detail", args=[self.code])

    def is_public(self, today: datetime.date | None = None) -> bool:
        """True while the vacancy is open and its closing date (local) has not passed."""
        today = today or local_today()
        return self.status == self.Status.OPEN and self.closing_date >= today

    def was_public(self) -> bool:
        """True once the vacancy has been published (it may since have closed)."""
        return self.published_at is not None

    @property
    def is_full_time(self) -> bool:
        """30 hours a week or more: the threshold the application form uses."""
        return self.hours_per_week >= 30

    @property
    def pay_text(self) -> str:
        """Pay as people read it: ``"£12.75 to £13.50 per hour"``, ``"£28,000 per year"``."""
        unit = self.get_pay_unit_display()
        if self.pay_max_pence is None:
            return f"{money_text(self.pay_min_pence)} {unit}"
        return f"{money_text(self.pay_min_pence)} to {money_text(self.pay_max_pence)} {unit}"

    @property
    def hours_text(self) -> str:
        """``"37.5 hours a week (full time)"``; only permanent jobs say full or part time."""
        hours = f"{Decimal(self.hours_per_week).normalize():f}"
        if self.contract_type != ContractType.PERMANENT:
            return f"{hours} hours a week"
        return f"{hours} hours a week ({'full' if self.is_full_time else 'part'} time)"


class VacancyApplication(models.Model):
    """An application made through a vacancy's apply page (or linked to it by a second
    apply to another vacancy of the same campaign). Lets the vacancy's organisation see
    the people who applied for it without changing ``candidates.Application``."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="vacancy_applications")
    application = models.ForeignKey(
        "candidates.Application", on_delete=models.CASCADE, related_name="vacancy_links"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "application"], name="vacancyapplication_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} for {self.vacancy}"


class Shortlist(models.Model):
    """A talent-bank candidate a recruiter has shortlisted for a vacancy (one row each)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="shortlist")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="shortlisted_for"
    )
    added_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="shortlist_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} shortlisted for {self.vacancy}"


class VacancyInvitation(models.Model):
    """The log of invitations to apply: one e-mail per vacancy per candidate, ever.

    ``sent_at`` is when the e-mail was handed to the mail server (NULL until then, or if
    sending failed; the row still stops a second invitation).
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="invitations")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="vacancy_invitations"
    )
    invited_by = models.ForeignKey(
        "organisations.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} invited to {self.vacancy}"
