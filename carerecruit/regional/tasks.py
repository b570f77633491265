"""Background task of the regional dashboard: keep its rollups fresh (the worker calls
it every :data:`~carerecruit.regional.rollups.REFRESH_EVERY_SECONDS`)."""

from __future__ import annotations

from django_tasks import task

from carerecruit.regional.rollups import refresh_regional_rollups


@task()
def refresh_regional_rollups_task() -> dict[str, object]:
    """Fold new routes and applications into the rollups and rebuild any that a
    recorded change made stale; returns what each rollup did."""
    return refresh_regional_rollups()
