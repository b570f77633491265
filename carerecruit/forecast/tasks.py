"""Background tasks of the forecast app (Django's tasks API).

The worker (``carerecruit worker``) checks every few minutes whether tonight's forecasts
are due (:func:`enqueue_nightly_forecasts`) and, when they are, enqueues
:data:`compute_forecasts_task` on the task queue, so a run that takes minutes never holds
up the scheduler's two-second roll-up. ``carerecruit forecast`` computes at once.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from carerecruit.forecast.actions import do_compute_forecasts
from carerecruit.forecast.models import ForecastRun
from carerecruit.lib.localtime import local_day_bounds, local_zone

#: Local hour (Europe/London) from which the night's forecasts are due.
NIGHTLY_HOUR = 2


@task()
def compute_forecasts_task(measures: list[str] | None = None) -> dict[str, str]:
    """Compute and store every measure's forecasts (see
    :func:`carerecruit.forecast.actions.do_compute_forecasts`); returns
    ``{measure: run status}``."""
    return {run.measure: run.status for run in do_compute_forecasts(measures)}


def forecasts_due(now: datetime.datetime | None = None) -> bool:
    """True from :data:`NIGHTLY_HOUR` local time until a run has started that local day
    (any status: a failed run is retried the next night, not every few minutes), and at
    any hour while no run has ever started (a new installation or a fresh demo would
    otherwise show no forecasts until the night)."""
    now = now or timezone.now()
    local = now.astimezone(local_zone())
    if not ForecastRun.objects.exists():
        return True
    if local.hour < NIGHTLY_HOUR:
        return False
    day_start = local_day_bounds(local.date())[0]
    return not ForecastRun.objects.filter(started_at__gte=day_start).exists()


class NightlyForecasts:
    """What the worker's scheduler calls (it wants an object with ``call()``):
    enqueues :data:`compute_forecasts_task` when :func:`forecasts_due`. Two workers may
    both enqueue in the same minute; the second run then just replaces the first."""

    def __init__(self) -> None:
        self.enqueued_on: datetime.date | None = None

    def call(self) -> str:
        today = timezone.now().astimezone(local_zone()).date()
        # Remembered here too: a busy queue may not start the task before the next
        # check, and it must not be enqueued twice.
        if self.enqueued_on == today or not forecasts_due():
            return "not due"
        compute_forecasts_task.enqueue()
        self.enqueued_on = today
        return "enqueued"


nightly_forecasts = NightlyForecasts()
