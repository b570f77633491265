"""Stored forecasts: one :class:`ForecastRun` per measure and computation, its
:class:`ForecastSeries` (one per council and job role, with the back-tested errors) and
their :class:`ForecastPoint` rows (monthly history and the months forecast).

Pages, the API and the weekly report read these rows (``carerecruit.forecast.read``);
they never fit a model while someone waits. Runs are written only by
:func:`carerecruit.forecast.actions.do_compute_forecasts` (nightly by the worker, or
``carerecruit forecast``), which keeps the newest complete run of each measure and
deletes older ones.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Measure(models.TextChoices):
    """What is forecast, per council and ASC-WDS job role, per local month.

    - ``applications``: applications routed to the council, by the local month
      (Europe/London) they were submitted;
    - ``vacancies``: posts in vacancies open on this platform at the end of the month;
    - ``reported_vacancies``: vacancies employers reported in their ASC-WDS returns, as
      at the end of the month (the newest return on or before it).
    """

    APPLICATIONS = "applications", "Applications"
    VACANCIES = "vacancies", "Open vacancies (posts advertised here)"
    REPORTED_VACANCIES = "reported_vacancies", "Reported vacancies (ASC-WDS returns)"


class ForecastRun(models.Model):
    """One computation of every series of one measure.

    ``status``: ``running`` while it is being written, ``complete`` when readers may use
    it, ``failed`` when it stopped with an error (kept for the record, never read).
    ``history_end`` is the last local month (its first day) of history used; the
    forecast covers the ``horizon`` months after it. Times are UTC.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"

    measure = models.CharField(max_length=20, choices=Measure.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    computed_at = models.DateTimeField(null=True, blank=True, help_text="When the run completed (UTC).")
    history_end = models.DateField(null=True, blank=True, help_text="First day of the last month of history.")
    horizon = models.PositiveSmallIntegerField(default=3)
    interval_level = models.FloatField(default=0.8)
    series_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__in=["applications", "vacancies", "reported_vacancies"]),
                name="forecastrun_measure_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["running", "complete", "failed"]), name="forecastrun_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="complete") | Q(computed_at__isnull=False),
                name="forecastrun_complete_has_time",
            ),
        ]
        indexes = [
            # Readers: the newest complete run of a measure
            # (filter measure, status="complete" order by -computed_at).
            models.Index(fields=["measure", "status", "-computed_at"], name="forecastrun_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} forecast, {self.get_status_display().lower()}"


class ForecastSeries(models.Model):
    """One series of a run: a council (NULL: the whole region) and an ASC-WDS job role
    (NULL: all job roles together).

    ``owner``: the organisation that sees this series' small numbers unsuppressed (the
    council for applications and advertised vacancies; for reported vacancies the one
    organisation whose ASC-WDS returns make up every figure, NULL when several did or for
    the region). ``status``: ``ok`` or ``too_short`` (fewer than 6 months of history: no
    forecast, no errors). Errors come from the rolling-origin back-test
    (:mod:`carerecruit.forecast.engine`): MAPE in percent (NULL when undefined: no
    back-tested month had a non-zero actual), MAE in the measure's units (NULL with no
    back-test). ``backtest_small``: some back-tested actual was 1 to 4, so the errors
    are withheld outside the owner (a rate computed from small counts).
    """

    class Status(models.TextChoices):
        OK = "ok", "Forecast"
        TOO_SHORT = "too_short", "Not enough history"

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="series", db_index=False)
    council = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        db_index=False,
    )
    job_role = models.ForeignKey(
        "reference.JobRole", on_delete=models.PROTECT, to_field="code", db_column="job_role_code",
        null=True, blank=True, related_name="+", db_index=False, help_text="ASC-WDS main job role code.",
    )
    owner = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    method = models.CharField(max_length=10, blank=True)
    history_months = models.PositiveSmallIntegerField()
    backtest_points = models.PositiveSmallIntegerField(default=0)
    zero_actuals = models.PositiveSmallIntegerField(default=0)
    backtest_small = models.BooleanField(default=False)
    mape_model = models.FloatField(null=True, blank=True)
    mape_baseline = models.FloatField(null=True, blank=True)
    mae_model = models.FloatField(null=True, blank=True)
    mae_baseline = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["run", "council", "job_role"]
        verbose_name_plural = "forecast series"
        constraints = [
            # One series per council and role per run; NULLs (region, all roles) are
            # not equal in SQL, so each NULL combination has its own partial constraint.
            # The first is also the index for "a run's series of one council and role".
            models.UniqueConstraint(fields=["run", "council", "job_role"], name="forecastseries_unique"),
            models.UniqueConstraint(
                fields=["run", "job_role"], condition=Q(council__isnull=True), name="forecastseries_unique_region",
            ),
            models.UniqueConstraint(
                fields=["run", "council"], condition=Q(job_role__isnull=True), name="forecastseries_unique_allroles",
            ),
            models.UniqueConstraint(
                fields=["run"], condition=Q(council__isnull=True, job_role__isnull=True),
                name="forecastseries_unique_region_allroles",
            ),
            models.CheckConstraint(condition=Q(status__in=["ok", "too_short"]), name="forecastseries_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.council or 'Region'} / {self.job_role or 'all roles'}"


class ForecastPoint(models.Model):
    """One month of a series: history (``kind="history"``, the actual count; no
    interval) or forecast (``kind="forecast"``: the estimate and its prediction
    interval). ``month`` is the first day of the local month (Europe/London)."""

    class Kind(models.TextChoices):
        HISTORY = "history", "History"
        FORECAST = "forecast", "Estimate"

    series = models.ForeignKey(ForecastSeries, on_delete=models.CASCADE, related_name="points", db_index=False)
    month = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.FloatField()
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["series", "month"]
        constraints = [
            # One value per month per series; also the index for a series' points in order.
            models.UniqueConstraint(fields=["series", "month"], name="forecastpoint_unique_month"),
            models.CheckConstraint(condition=Q(kind__in=["history", "forecast"]), name="forecastpoint_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="history") | (Q(lower__isnull=False) & Q(upper__isnull=False)),
                name="forecastpoint_forecast_has_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}: {self.value:g}"
