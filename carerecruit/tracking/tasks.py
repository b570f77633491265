"""Background tasks of the tracking app (Django's tasks API, database-backed queue).

``carerecruit worker`` runs them on a schedule (roll-up every ~2 seconds, salt purge
hourly); anything may also enqueue them, e.g. ``roll_up_events_task.enqueue()`` after a
bulk import.
"""

from __future__ import annotations

from django_tasks import task

from carerecruit.tracking import spool
from carerecruit.tracking.rollups import catch_up
from carerecruit.tracking.visitors import purge_old_salts

# One scheduled run folds at most this many batches (of 50,000 events), so a worker that
# was stopped for a long time catches up over several runs without one endless task.
MAX_BATCHES_PER_RUN = 20


@task()
def roll_up_events_task() -> int:
    """Fold settled events into the funnel rollups; returns the events counted."""
    return catch_up(max_batches=MAX_BATCHES_PER_RUN)


@task()
def purge_visitor_salts_task() -> dict[str, int]:
    """Delete visitor salts and daily-visitor rows older than yesterday (local dates);
    returns ``{"salts": n, "daily_visitors": m}``."""
    return purge_old_salts()


@task()
def ingest_click_spool_task() -> int:
    """Move spooled tracked-link clicks into events; returns the clicks inserted."""
    return spool.ingest()
