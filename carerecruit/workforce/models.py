"""Workforce returns in ASC-WDS format and published reference figures.

An employer (council or independent provider) uploads its Skills for Care ASC-WDS
bulk-upload files, a workplace file and a worker file (domain.md 2.1–2.2). One upload is
a :class:`WorkforceReturn`: a snapshot of the organisation's workforce on one local date
("as at"). It holds the workplaces, one :class:`WorkplaceJobRoleFigure` per workplace and
job role (filled posts by contract type, starters, leavers, vacancies) and a minimised
:class:`Worker` row per staff record. The dashboards read the figures, never the files.

Data minimisation (UK GDPR Art. 5(1)(c)): the worker file carries names (DISPLAYID),
National Insurance numbers, dates of birth, home postcodes, nationality, ethnicity and
disability. None of it is stored. A :class:`Worker` keeps only what the aggregates use:
main job role, contract type, hours, start year and month, recruitment source and a keyed
hash of the employer's own worker ID. Gender, age, ethnicity (special category data),
disability (special category data) and nationality are read only for validation: no
aggregate the platform offers needs them; adding one would need a data protection
impact assessment first. The uploaded files are never kept: between preview and
confirmation only the minimised records wait (:class:`PendingWorkforceUpload`).
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole, Region
from carerecruit.workforce import codes


def new_upload_token() -> str:
    """A random, unguessable token naming a pending upload in its URL."""
    return secrets.token_urlsafe(32)


class WorkforceReturn(models.Model):
    """One organisation's workforce return: ASC-WDS workplace and worker files, as at a date.

    ``as_at`` is the local date (Europe/London) the figures describe, given by the
    uploader. Uploading the same organisation's return for the same date again replaces
    it: the earlier return's workplaces, figures and worker rows are deleted, and the
    return itself stays as a history line with status ``replaced`` (who uploaded which
    files, when). At most one return per organisation and date is ``current``; the
    database enforces it. Totals are copied here at import for the list of returns.
    """

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        REPLACED = "replaced", "Replaced"

    code = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="workforce_returns", db_index=False,
        help_text="The employer whose workforce this is (the submitting organisation).",
    )
    council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False,
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
        help_text="The council area the return's workplaces count in.",
    )
    as_at = models.DateField("figures as at", help_text="Local date (Europe/London).")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, help_text="Empty for a command-line import or a deleted user.",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    workplace_file_name = models.CharField(max_length=255)
    workplace_file_sha256 = models.CharField("workplace file SHA-256", max_length=64)
    worker_file_name = models.CharField(max_length=255)
    worker_file_sha256 = models.CharField("worker file SHA-256", max_length=64)
    workplace_count = models.PositiveIntegerField(default=0)
    worker_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            # One current return per organisation per date: a re-upload replaces it.
            # Also the index for "newest current return of each organisation on or
            # before a date" (aggregates.effective_returns).
            models.UniqueConstraint(
                fields=["organisation", "as_at"], condition=Q(status="current"),
                name="workforcereturn_one_current_per_org_date",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["current", "replaced"]), name="workforcereturn_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="current") | Q(replaced_by__isnull=True),
                name="workforcereturn_current_not_replaced",
            ),
        ]
        indexes = [
            # The returns page of a council or provider: its own returns, newest first.
            models.Index(fields=["organisation", "-uploaded_at"], name="workforcereturn_org_uploaded"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} as at {self.as_at:%d/%m/%Y}"


class Workplace(models.Model):
    """A workplace (ASC-WDS "establishment") in a return: one row of the workplace file.

    Codes are ASC-WDS BUDI codes (:mod:`carerecruit.workforce.codes`). The address is not
    kept beyond the postcode (normalised, e.g. ``"B1 1AA"``): workplaces are businesses,
    not people. ``council`` is the return's council area.
    """

    workforce_return = models.ForeignKey(
        WorkforceReturn, on_delete=models.CASCADE, related_name="workplaces", db_index=False,
    )
    council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False,
        limit_choices_to={"kind": Organisation.Kind.COUNCIL},
    )
    local_establishment_id = models.CharField("LOCALESTID", max_length=50)
    name = models.CharField("ESTNAME", max_length=120)
    postcode = models.CharField("POSTCODE", max_length=8)
    employer_type = models.PositiveSmallIntegerField("ESTTYPE", choices=sorted(codes.ESTTYPE.items()))
    main_service = models.PositiveSmallIntegerField("MAINSERVICE", choices=sorted(codes.MAINSERVICE.items()))
    regulation_type = models.PositiveSmallIntegerField("REGTYPE", choices=sorted(codes.REGTYPE.items()))
    cqc_location_id = models.CharField("LOCATIONID", max_length=14, blank=True)
    total_perm_temp = models.PositiveSmallIntegerField("TOTALPERMTEMP")

    class Meta:
        ordering = ["local_establishment_id"]
        constraints = [
            # LOCALESTID is the workplace's key in ASC-WDS files. Also the index for a
            # return's workplaces (and their deletion when it is replaced).
            models.UniqueConstraint(
                fields=["workforce_return", "local_establishment_id"],
                name="workplace_unique_localestid_per_return",
            ),
            models.CheckConstraint(
                condition=Q(employer_type__in=sorted(codes.ESTTYPE)), name="workplace_esttype_valid",
            ),
            models.CheckConstraint(
                condition=Q(regulation_type__in=sorted(codes.REGTYPE)), name="workplace_regtype_valid",
            ),
            models.CheckConstraint(
                condition=Q(total_perm_temp__lte=codes.MAX_COUNT), name="workplace_totalpermtemp_max",
            ),
        ]
        indexes = [
            # Dashboard figures by council: a council's workplaces, then their returns.
            models.Index(fields=["council", "workforce_return"], name="workplace_council_return"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.local_establishment_id})"


class WorkplaceJobRoleFigure(models.Model):
    """Figures for one job role at one workplace: what the dashboards add up.

    Filled posts are the worker file's staff records whose MAINJOBROLE is this role,
    counted by contract type (EMPLSTATUS); ``filled_posts`` is their sum (the database
    checks it). Starters, leavers and vacancies come from the workplace file's
    ALLJOBROLES / STARTERS / LEAVERS / VACANCIES lists; ASC-WDS asks for starters and
    leavers of the last 12 months in permanent and temporary roles. NULL means the
    employer answered 999, "don't know": such a figure is left out of the sums and of the
    rates' denominators (see :mod:`carerecruit.workforce.rates`). A role the workplace
    did not list has 0 starters, leavers and vacancies, unless the whole column was 999.
    """

    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="figures", db_index=False,
    )
    job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, to_field="code", db_column="job_role_code",
        related_name="+", db_index=False, help_text="ASC-WDS main job role (BUDI) code.",
    )
    permanent = models.PositiveIntegerField(default=0)
    temporary = models.PositiveIntegerField(default=0)
    pool_bank = models.PositiveIntegerField("pool or bank", default=0)
    agency = models.PositiveIntegerField(default=0)
    other_contract = models.PositiveIntegerField("other contract", default=0)
    filled_posts = models.PositiveIntegerField(default=0)
    starters = models.PositiveIntegerField(null=True, blank=True)
    leavers = models.PositiveIntegerField(null=True, blank=True)
    vacancies = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["workplace", "job_role"]
        constraints = [
            # One row per role per workplace. Also the index for a workplace's figures.
            models.UniqueConstraint(fields=["workplace", "job_role"], name="figure_unique_role_per_workplace"),
            models.CheckConstraint(
                condition=Q(
                    filled_posts=F("permanent") + F("temporary") + F("pool_bank") + F("agency") + F("other_contract")
                ),
                name="figure_filled_posts_is_sum_of_contracts",
            ),
        ]
        indexes = [
            # Dashboard figures for one job role across the region.
            models.Index(fields=["job_role"], name="figure_job_role"),
        ]

    def __str__(self) -> str:
        return f"{self.workplace}: role {self.job_role_id}"

    @property
    def directly_employed(self) -> int:
        """Permanent plus temporary staff: the turnover rate's denominator."""
        return self.permanent + self.temporary


class Worker(models.Model):
    """One staff record of a return, minimised (see the module docstring).

    ``worker_key`` is an HMAC-SHA-256 (keyed with the deployment's secret) of the
    organisation, LOCALESTID and the employer's UNIQUEWORKERID, truncated to 128 bits:
    stable across the same employer's returns, meaningless to anyone else. Hours are
    weekly, NULL when not given or 999 ("don't know"); ASC-WDS ignores contracted hours
    for pool/bank, agency and other contracts and average hours for permanent and
    temporary ones unless on a zero-hours contract, and so do we. The start date keeps
    only its year and month.
    """

    workforce_return = models.ForeignKey(
        WorkforceReturn, on_delete=models.CASCADE, related_name="workers", db_index=False,
    )
    workplace = models.ForeignKey(
        Workplace, on_delete=models.CASCADE, related_name="workers", db_index=False,
    )
    worker_key = models.CharField(max_length=32)
    main_job_role = models.ForeignKey(
        JobRole, on_delete=models.PROTECT, to_field="code", db_column="main_job_role_code",
        related_name="+", db_index=False, help_text="MAINJOBROLE (BUDI code).",
    )
    contract_type = models.PositiveSmallIntegerField("EMPLSTATUS", choices=sorted(codes.EMPLSTATUS.items()))
    zero_hours_contract = models.BooleanField("ZEROHRCONT", null=True, blank=True)
    contracted_hours = models.DecimalField("CONTHOURS", max_digits=3, decimal_places=1, null=True, blank=True)
    average_hours = models.DecimalField("AVGHOURS", max_digits=3, decimal_places=1, null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    recruitment_source = models.PositiveSmallIntegerField(
        "RECSOURCE", choices=sorted(codes.RECSOURCE.items()), null=True, blank=True,
    )

    class Meta:
        constraints = [
            # UNIQUEWORKERID is unique within a workplace in ASC-WDS. Also the index for
            # a workplace's workers.
            models.UniqueConstraint(fields=["workplace", "worker_key"], name="worker_unique_per_workplace"),
            models.CheckConstraint(
                condition=Q(contract_type__in=sorted(codes.EMPLSTATUS)), name="worker_emplstatus_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_month__isnull=True) | Q(start_month__gte=1, start_month__lte=12),
                name="worker_start_month_valid",
            ),
        ]
        indexes = [
            # Deleting a replaced return's workers; counting a return's workers.
            models.Index(fields=["workforce_return"], name="worker_return"),
        ]

    def __str__(self) -> str:
        return f"Worker {self.worker_key[:8]} at {self.workplace_id}"


class PendingWorkforceUpload(models.Model):
    """A checked upload waiting for its uploader to confirm it (at most a day).

    ``payload`` is zlib-compressed JSON of the minimised workplaces and worker records
    (:func:`carerecruit.workforce.actions.encode_payload`), never the uploaded files:
    names, NI numbers and dates of birth are not kept even for a moment longer than the
    check. Only the uploader may open or confirm it; confirming deletes it, and every
    new upload deletes those older than a day.
    """

    token = models.CharField(max_length=64, default=new_upload_token, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", db_index=False)
    as_at = models.DateField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    workplace_file_name = models.CharField(max_length=255)
    workplace_file_sha256 = models.CharField(max_length=64)
    worker_file_name = models.CharField(max_length=255)
    worker_file_sha256 = models.CharField(max_length=64)
    payload = models.BinaryField()

    class Meta:
        constraints = [
            # Also the index for the preview and confirm pages' lookup by token.
            models.UniqueConstraint(fields=["token"], name="pendingworkforceupload_token_unique"),
        ]
        indexes = [
            # Clean-up of uploads older than a day on every new upload.
            models.Index(fields=["uploaded_at"], name="pendingworkforce_uploaded_at"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} as at {self.as_at:%d/%m/%Y} (awaiting confirmation)"


class PublishedWorkforceEstimate(models.Model):
    """A published Skills for Care workforce estimate for an area and year.

    Loaded by ``carerecruit import-workforce-reference`` so that our own figures sit
    beside the official ones. The area is identified by its ONS GSS code: a council
    (``council`` set), a region (``region`` set) or England (``E92000001``, neither set).
    ``year`` is the financial year, e.g. ``"2023/24"``. Rates are percentages (``6.2``
    means 6.2%). ``source`` cites where the figures were published; every row needs one.
    """

    class AreaKind(models.TextChoices):
        COUNCIL = "council", "Council"
        REGION = "region", "Region"
        COUNTRY = "country", "Country"

    gss_code = models.CharField("ONS GSS code", max_length=9)
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices)
    council = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False,
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False,
    )
    year = models.CharField(max_length=7, help_text='Financial year, e.g. "2023/24".')
    filled_posts = models.PositiveIntegerField(null=True, blank=True)
    vacancy_rate = models.DecimalField("vacancy rate (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    turnover_rate = models.DecimalField("turnover rate (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.TextField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["gss_code", "year"]
        constraints = [
            # Re-importing an area's year replaces it. Also the index for the
            # dashboard's lookup of an area's figures.
            models.UniqueConstraint(fields=["gss_code", "year"], name="published_estimate_unique_area_year"),
            models.CheckConstraint(
                condition=(
                    Q(area_kind="council", council__isnull=False, region__isnull=True)
                    | Q(area_kind="region", council__isnull=True, region__isnull=False)
                    | Q(area_kind="country", council__isnull=True, region__isnull=True)
                ),
                name="published_estimate_area_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(vacancy_rate__isnull=True) | Q(vacancy_rate__gte=0, vacancy_rate__lte=100),
                name="published_estimate_vacancy_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(turnover_rate__isnull=True) | Q(turnover_rate__gte=0),
                name="published_estimate_turnover_rate_positive",
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="published_estimate_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gss_code} {self.year}"
