"""Reading stored forecasts, with small-number suppression applied. The public entry
point for other apps (the API, the weekly report) is :func:`forecast_rows`.

Suppression (``carerecruit.workforce.suppression``; the rule of issue 5, applied to
forecasts as ``docs/forecasts.md`` explains): outside the series' owner,

- a history count of 1 to 4 shows as ``"<5"``;
- a forecast value, and each bound of its interval, are rounded to whole numbers first
  (the page and downloads show whole numbers) and then treated as counts: 1 to 4 shows
  as ``"<5"``. A forecast of 0.3 rounds to 0 and shows 0, as a zero count does;
- the back-test errors (MAPE, MAE, and whether the model beats the baseline) are
  withheld (``"withheld"``) when any back-tested actual month was 1 to 4, as a rate
  computed from small counts is.

Unrestricted viewers (regional admins, campaign managers, superusers) and the owner see
every figure; forecasts are still shown rounded to whole numbers. Open vacancy posts
(measure ``vacancies``) count no people and are published on ``/vacancies/``, so, as on
the regional dashboard, they are never suppressed.
"""

from __future__ import annotations

import datetime
from typing import Any

from carerecruit.forecast.engine import METHOD_LABELS
from carerecruit.forecast.models import ForecastPoint, ForecastRun, ForecastSeries, Measure
from carerecruit.workforce.suppression import UNRESTRICTED, WITHHELD, suppress, viewer_owns

#: Pass as ``council_id`` for the region-wide series, or as ``job_role_code`` for the
#: all-roles series.
ALL = "all"


def latest_runs() -> dict[str, ForecastRun]:
    """The newest complete run of each measure: ``{measure: run}`` (measures never
    computed are missing)."""
    runs: dict[str, ForecastRun] = {}
    for measure in Measure.values:
        run = (
            ForecastRun.objects.filter(measure=measure, status=ForecastRun.Status.COMPLETE)
            .order_by("-computed_at").first()
        )
        if run is not None:
            runs[measure] = run
    return runs


def _filtered_series(runs, council_id, job_role_code):
    qs = ForecastSeries.objects.filter(run__in=list(runs.values())).select_related("run", "council", "job_role")
    if council_id == ALL:
        qs = qs.filter(council__isnull=True)
    elif council_id is not None:
        qs = qs.filter(council_id=int(council_id))
    if job_role_code == ALL:
        qs = qs.filter(job_role__isnull=True)
    elif job_role_code is not None:
        qs = qs.filter(job_role_id=int(job_role_code))
    return qs.order_by("run__measure", "council__name", "job_role_id")


def _count(value: float | None, *, viewer, owner) -> Any:
    if value is None:
        return None
    return suppress(int(round(value)), viewer_org=viewer, owner_org=owner)


def _effective_viewer(series: ForecastSeries, viewer):
    """Open vacancy posts are public: every viewer sees them as the owner would."""
    return UNRESTRICTED if series.run.measure == Measure.VACANCIES else viewer


def series_accuracy(series: ForecastSeries, *, viewer) -> dict:
    """The back-test figures of ``series`` for ``viewer``: ``mape_model``,
    ``mape_baseline`` (percent, 1 decimal place), ``mae_model``, ``mae_baseline`` (2
    decimal places), ``beats_baseline`` (bool), each None when undefined or
    ``"withheld"``; ``backtest_points`` and ``zero_actuals`` (ints)."""
    viewer = _effective_viewer(series, viewer)
    withheld = series.backtest_small and not viewer_owns(viewer, series.owner_id)

    def shown(value, places):
        if value is None:
            return None
        return WITHHELD if withheld else round(value, places)

    beats = None
    if series.mae_model is not None and series.mae_baseline is not None:
        beats = WITHHELD if withheld else series.mae_model < series.mae_baseline
    return {
        "backtest_points": series.backtest_points,
        "zero_actuals": series.zero_actuals,
        "mape_model": shown(series.mape_model, 1),
        "mape_baseline": shown(series.mape_baseline, 1),
        "mae_model": shown(series.mae_model, 2),
        "mae_baseline": shown(series.mae_baseline, 2),
        "beats_baseline": beats,
    }


def series_header(series: ForecastSeries, *, viewer) -> dict:
    """What describes a series, for a page, download or API row: council_id,
    council_gss, council_name ("" for the region), job_role_code (None: all roles),
    job_role_name, measure, measure_name, status ("ok" | "too_short"), method, method_name,
    history_months, computed_at (UTC datetime) and :func:`series_accuracy`."""
    council = series.council
    return {
        "council_id": council.pk if council else None,
        "council_gss": council.gss_code if council else "",
        "council_name": council.short_name if council else "",
        "job_role_code": series.job_role_id,
        "job_role_name": series.job_role.name if series.job_role else "",
        "measure": series.run.measure,
        "measure_name": Measure(series.run.measure).label,
        "status": series.status,
        "method": series.method,
        "method_name": METHOD_LABELS.get(series.method, ""),
        "history_months": series.history_months,
        "computed_at": series.run.computed_at,
        **series_accuracy(series, viewer=viewer),
    }


def point_row(point: ForecastPoint, series: ForecastSeries, *, viewer) -> dict:
    """One month of a series for ``viewer``: month (first day, local), kind
    ("history" | "forecast"), is_estimate, value, lower, upper (whole numbers, or
    ``"<5"``; lower and upper None for history)."""
    owner = series.owner_id
    viewer = _effective_viewer(series, viewer)
    return {
        "month": point.month,
        "kind": point.kind,
        "is_estimate": point.kind == ForecastPoint.Kind.FORECAST,
        "value": _count(point.value, viewer=viewer, owner=owner),
        "lower": _count(point.lower, viewer=viewer, owner=owner),
        "upper": _count(point.upper, viewer=viewer, owner=owner),
    }


def forecast_rows(
    *, viewer, council_id: int | str | None = None, job_role_code: int | str | None = None,
    measure: str | None = None,
) -> list[dict]:
    """Stored forecasts and their history as flat rows, suppressed for ``viewer``.

    ``viewer``: the value of :func:`carerecruit.workforce.suppression.suppression_viewer`
    for the user asking (an organisation id, ``UNRESTRICTED``, or None for the public).
    Filters (None: no filter): ``council_id`` an Organisation id or :data:`ALL` (the
    region-wide series only); ``job_role_code`` an ASC-WDS main job role code or
    :data:`ALL` (the all-roles series only); ``measure`` a
    :class:`~carerecruit.forecast.models.Measure` value. Raises ValueError for an unknown
    measure. Reads only the newest complete run of each measure.

    One dict per series and month, oldest month first within a series, with the keys of
    :func:`series_header` and :func:`point_row`. A series with too little history
    (``status == "too_short"``) has its history rows only; a series that has no rows at
    all (never computed) is simply absent.
    """
    if measure is not None and measure not in Measure.values:
        raise ValueError(f"Unknown measure {measure!r}")
    runs = latest_runs()
    if measure is not None:
        runs = {m: r for m, r in runs.items() if m == measure}
    if not runs:
        return []
    series_list = list(_filtered_series(runs, council_id, job_role_code))
    points: dict[int, list[ForecastPoint]] = {}
    for point in ForecastPoint.objects.filter(series__in=series_list).order_by("series_id", "month"):
        points.setdefault(point.series_id, []).append(point)
    rows = []
    for series in series_list:
        header = series_header(series, viewer=viewer)
        for point in points.get(series.pk, []):
            rows.append({**header, **point_row(point, series, viewer=viewer)})
    return rows


def one_series(
    *, viewer, measure: str, council_id: int | None, job_role_code: int | None,
) -> tuple[ForecastRun | None, dict | None, list[dict]]:
    """The page's one series: (the measure's newest complete run or None, the series
    header or None when there is no such series, its month rows). ``council_id`` None
    is the region, ``job_role_code`` None all roles."""
    run = latest_runs().get(measure)
    if run is None:
        return None, None, []
    series = _filtered_series(
        {measure: run}, ALL if council_id is None else council_id, ALL if job_role_code is None else job_role_code,
    ).first()
    if series is None:
        return run, None, []
    rows = [point_row(p, series, viewer=viewer) for p in series.points.order_by("month")]
    return run, series_header(series, viewer=viewer), rows


def accuracy_table(*, viewer, measure: str, council_id: int | None = None) -> list[dict]:
    """The accuracy table: every forecast series (status ok) of ``measure`` in the
    newest run for one council (None: the region), every job role and all roles
    together, as :func:`series_header` dicts."""
    run = latest_runs().get(measure)
    if run is None:
        return []
    series = _filtered_series({measure: run}, ALL if council_id is None else council_id, None).filter(status=ForecastSeries.Status.OK)
    return [series_header(s, viewer=viewer) for s in series]


def month_label(month: datetime.date) -> str:
    return f"{month:%B %Y}"
