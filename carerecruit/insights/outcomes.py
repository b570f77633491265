"""Which applications led to a placement, for counts by council preference.

The placements app records each funnel outcome once per application
(``placements.FunnelOutcome``, kind ``placed``) in the same transaction as the
``placed`` event the funnel counts, so the council table agrees with the funnel. Until
that model exists this answers None and the council table shows "not available" for
placements rather than a misleading 0.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

PLACED = "placed"


def placed_application_ids(applications: QuerySet) -> QuerySet | None:
    """A values query of the ids in ``applications`` (a ``candidates.Application``
    queryset) with a recorded placement, or None when placements are not recorded yet."""
    try:
        outcome = apps.get_model("placements", "FunnelOutcome")
    except LookupError:
        return None
    return outcome.objects.filter(kind=PLACED, application__in=applications).values("application_id")
