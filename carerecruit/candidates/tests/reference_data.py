"""Reload the migration-loaded reference data in transactional tests.

A transactional test (real commits: races, a live server) ends by emptying every table,
including the region, councils and job roles that migrations load. Django's
``serialized_rollback`` would restore them, but not once Playwright's sync API has
started: it leaves an event loop marked running in the main thread, so Django hands the
test a different connection object that lacks the serialized copy. Re-running the data
migrations' own ``load`` functions is idempotent (update_or_create) and always works.
"""

from importlib import import_module

from django.apps import apps

from carerecruit.reference.models import Region

_LOADERS = (
    "carerecruit.reference.migrations.0002_load_reference_data",
    "carerecruit.organisations.migrations.0002_load_councils",
)


def ensure_reference_data() -> None:
    """Load the reference data (regions, job roles, councils) unless it is present."""
    if Region.objects.exists():
        return
    for module in _LOADERS:
        import_module(module).load(apps, None)
