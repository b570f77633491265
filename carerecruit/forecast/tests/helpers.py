"""Test data for forecasts: routed applications and stored runs made by hand."""

from __future__ import annotations

import datetime

from django.utils import timezone

from carerecruit.forecast.models import ForecastPoint, ForecastRun, ForecastSeries
from carerecruit.insights.tests.helpers import make_application
from carerecruit.placements.models import ApplicationRoute
from carerecruit.reference.models import JobRole


def routed_application(campaign, at: datetime.datetime, council, role_codes=(3,)):
    """An application submitted at UTC ``at`` for ``role_codes`` routed to ``council``."""
    application = make_application(campaign, at, councils=[council])
    application.job_roles.set(JobRole.objects.filter(code__in=role_codes))
    ApplicationRoute.objects.create(application=application, organisation=council, reason="chosen")
    return application


def stored_series(*, measure="applications", council=None, role_code=None, owner=None, history=(),
                  start=datetime.date(2020, 1, 1), estimates=(), status="ok", **accuracy):
    """A complete run (reused per measure) holding one series with ``history`` values from
    ``start`` and ``estimates`` as (value, lower, upper) for the months after."""
    from carerecruit.forecast.series import add_months

    run = ForecastRun.objects.filter(measure=measure, status="complete").first() or ForecastRun.objects.create(
        measure=measure, status="complete", computed_at=timezone.now(),
        history_end=add_months(start, len(history) - 1),
    )
    series = ForecastSeries.objects.create(
        run=run, council=council, job_role_id=role_code, owner=owner, status=status,
        method="ets_ann" if status == "ok" else "", history_months=len(history), **accuracy,
    )
    for i, value in enumerate(history):
        ForecastPoint.objects.create(series=series, month=add_months(start, i), kind="history", value=value)
    for i, (value, lower, upper) in enumerate(estimates, start=len(history)):
        ForecastPoint.objects.create(series=series, month=add_months(start, i), kind="forecast", value=value,
                                     lower=lower, upper=upper)
    return series
