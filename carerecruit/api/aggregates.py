"""Placements and retention as aggregates for the API: counts per council × month × job
role, never a row per person.

Which placements: councils' own, as in the regional datasets
(:mod:`carerecruit.regional.datasets`, "flow" and "retention"), so the API and the
regional dashboard agree; the council is the placing council. Month: of the placement's
start date (a local date): each row is a cohort of starters. Retention at 3, 6 and 12
months (``placements.RetentionCheckpoint``) of that cohort: ``due`` counts checkpoints
due on or before today (local), ``in_post`` and ``left`` the answers, and the rate is
``in_post`` as a percentage of ``in_post + left`` (one decimal place, half up; the
regional datasets' definition); "not known" answers and unanswered checkpoints are left
out of the rate.

Suppression (:mod:`carerecruit.workforce.suppression`): a row's owner is its council;
outside it, counts of 1 to 4 show as ``"<5"``, and the rate is ``"withheld"`` when
``in_post``, ``left`` or their sum is 1 to 4 (``left`` alone is enough: it could be
worked out as answered − in post).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from carerecruit.api.filters import ApiFilters
from carerecruit.insights.funnel import percent
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.placements.models import Placement, RetentionCheckpoint
from carerecruit.reference.models import JobRole
from carerecruit.workforce.suppression import suppress, suppress_rate

RETENTION_MONTHS = (3, 6, 12)


def placement_rows(filters: ApiFilters, *, viewer_org, today: datetime.date | None = None) -> list[dict]:
    """One dict per (council, month, job role) with placements in it, suppressed for
    ``viewer_org``; sorted by council name, month, job role code.

    ``filters``: ``start``/``end`` bound the start dates (local dates), ``council`` and
    ``role`` narrow the rows. Keys as
    :class:`carerecruit.api.serializers.PlacementAggregateSerializer`.
    """
    today = today or local_today()
    placements = Placement.objects.filter(organisation__kind=Organisation.Kind.COUNCIL).annotate(
        council_id=F("organisation_id"), month=TruncMonth("start_date"),
    )
    checkpoints = RetentionCheckpoint.objects.filter(
        placement__organisation__kind=Organisation.Kind.COUNCIL, months__in=RETENTION_MONTHS,
    ).annotate(council_id=F("placement__organisation_id"), month=TruncMonth("placement__start_date"))
    if filters.start:
        placements = placements.filter(start_date__gte=filters.start)
        checkpoints = checkpoints.filter(placement__start_date__gte=filters.start)
    if filters.end:
        placements = placements.filter(start_date__lte=filters.end)
        checkpoints = checkpoints.filter(placement__start_date__lte=filters.end)
    if filters.council:
        placements = placements.filter(council_id=filters.council.pk)
        checkpoints = checkpoints.filter(council_id=filters.council.pk)
    if filters.role:
        placements = placements.filter(job_role__code=filters.role)
        checkpoints = checkpoints.filter(placement__job_role__code=filters.role)

    groups = {}
    for row in (
        placements.values("council_id", "month", "job_role__code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["council_id"], _month(row["month"]), row["job_role__code"])
        groups[key] = row
    retention: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    status = RetentionCheckpoint.Status
    for row in (
        checkpoints.values("council_id", "month", "placement__job_role__code", "months")
        .annotate(
            due=Count("pk", filter=Q(due_on__lte=today)),
            in_post=Count("pk", filter=Q(status=status.IN_POST)),
            left=Count("pk", filter=Q(status=status.LEFT)),
        )
        .order_by()
    ):
        key = (row["council_id"], _month(row["month"]), row["placement__job_role__code"])
        for name in ("due", "in_post", "left"):
            retention[key][f"retention_{row['months']}m_{name}"] += row[name]

    councils = {o.pk: o for o in Organisation.objects.filter(pk__in={k[0] for k in groups})}
    roles = dict(JobRole.objects.filter(code__in={k[2] for k in groups}).values_list("code", "name"))
    result = []
    for key, row in groups.items():
        council_id, month, role = key
        owner = council_id
        council = councils[council_id]
        out = {
            "council_gss": council.gss_code,
            "council_name": council.short_name,
            "month": month,
            "job_role_code": role,
            "job_role_name": roles.get(role, ""),
            "placements": suppress(row["n"], viewer_org=viewer_org, owner_org=owner),
        }
        figures = retention.get(key, {})
        for months in RETENTION_MONTHS:
            due, in_post, left = (figures.get(f"retention_{months}m_{n}", 0) for n in ("due", "in_post", "left"))
            out[f"retention_{months}m_due"] = suppress(due, viewer_org=viewer_org, owner_org=owner)
            out[f"retention_{months}m_in_post"] = suppress(in_post, viewer_org=viewer_org, owner_org=owner)
            out[f"retention_{months}m_left"] = suppress(left, viewer_org=viewer_org, owner_org=owner)
            out[f"retention_{months}m_rate"] = suppress_rate(
                percent(in_post, in_post + left), counts=(in_post, left, in_post + left),
                viewer_org=viewer_org, owner_org=owner,
            )
        result.append(out)
    result.sort(key=lambda r: (r["council_name"], r["month"], r["job_role_code"]))
    return result


def _month(value) -> str:
    """``YYYY-MM`` of a TruncMonth value (a date or datetime, by database)."""
    return f"{value.year:04d}-{value.month:02d}"
