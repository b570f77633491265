"""Writing forecasts: the one function that computes and stores a run.

Called by the worker's nightly task (:mod:`carerecruit.forecast.tasks`) and by
``carerecruit forecast``. Each measure's run is built outside any long transaction
(fitting models takes seconds per seasonal series), then written and published in one
transaction: readers see the previous complete run until the new one is complete, and
the older runs of that measure are deleted in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
import math

from django.db import transaction
from django.utils import timezone

from carerecruit.forecast import engine
from carerecruit.forecast.models import ForecastPoint, ForecastRun, ForecastSeries, Measure
from carerecruit.forecast.series import MonthlySeries, add_months, build_series, last_complete_month
from carerecruit.workforce.suppression import is_small

logger = logging.getLogger("carerecruit.forecast")
STALE_RUN = datetime.timedelta(days=1)


def _rounded(value: float | None, places: int = 3) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, places)


def _series_rows(run: ForecastRun, series: MonthlySeries, origins: int):
    result = engine.forecast_series(series.values, engine.HORIZON, origins)
    accuracy = result.accuracy
    row = ForecastSeries(
        run=run, council_id=series.council_id, job_role_id=series.job_role_code, owner_id=series.owner_id,
        status=ForecastSeries.Status.OK if result.status == engine.OK else ForecastSeries.Status.TOO_SHORT,
        method=result.method or "", history_months=len(series.values),
    )
    if accuracy is not None:
        row.backtest_points = accuracy.points
        row.zero_actuals = accuracy.zero_actuals
        row.backtest_small = any(is_small(int(a)) for a in accuracy.actuals)
        row.mape_model = _rounded(accuracy.mape_model)
        row.mape_baseline = _rounded(accuracy.mape_baseline)
        row.mae_model = _rounded(accuracy.mae_model)
        row.mae_baseline = _rounded(accuracy.mae_baseline)
    points = [
        ForecastPoint(month=month, kind=ForecastPoint.Kind.HISTORY, value=value)
        for month, value in zip(series.months, series.values, strict=True)
    ]
    if result.forecast is not None:
        last = series.months[-1]
        for h, (value, lower, upper) in enumerate(
            zip(result.forecast.values, result.forecast.lower, result.forecast.upper, strict=True), start=1,
        ):
            points.append(ForecastPoint(
                month=add_months(last, h), kind=ForecastPoint.Kind.FORECAST,
                value=_rounded(value), lower=_rounded(lower), upper=_rounded(upper),
            ))
    return row, points


def do_compute_forecasts(
    measures: list[str] | None = None, *, today: datetime.date | None = None,
    origins: int = engine.BACKTEST_ORIGINS,
) -> list[ForecastRun]:
    """Compute and store a complete run for each of ``measures`` (default: all three
    :class:`Measure` values), with history up to the month before ``today``'s (local
    date; default today) and a back-test over ``origins`` months. Returns the runs.

    A measure whose computation raises gets a ``failed`` run carrying the error and the
    previous complete run stays in use; the other measures still run. Raises ValueError
    for an unknown measure, before anything is written.
    """
    measures = list(measures or Measure.values)
    unknown = [m for m in measures if m not in Measure.values]
    if unknown:
        raise ValueError(f"Unknown measure(s): {', '.join(unknown)}")
    runs = []
    for measure in measures:
        run = ForecastRun.objects.create(
            measure=measure, horizon=engine.HORIZON, interval_level=engine.INTERVAL_LEVEL,
            history_end=last_complete_month(today),
        )
        try:
            built = [_series_rows(run, series, origins) for series in build_series(measure, today=today)]
            with transaction.atomic():
                for row, points in built:
                    row.save()
                    for point in points:
                        point.series = row
                    ForecastPoint.objects.bulk_create(points, batch_size=1000)
                run.status = ForecastRun.Status.COMPLETE
                run.computed_at = timezone.now()
                run.series_count = len(built)
                if built:
                    run.history_end = max(p.month for row, points in built for p in points
                                          if p.kind == ForecastPoint.Kind.HISTORY)
                run.save()
                # Older runs go; so does a "running" run left by a worker that died more
                # than a day ago. A run started recently may still be at work: kept.
                ForecastRun.objects.filter(measure=measure).exclude(pk=run.pk).exclude(
                    status=ForecastRun.Status.RUNNING, started_at__gte=timezone.now() - STALE_RUN,
                ).delete()
        except Exception as exc:
            logger.exception("Forecast of %s failed", measure)
            run.status = ForecastRun.Status.FAILED
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            run.save(update_fields=["status", "error"])
        runs.append(run)
    return runs
