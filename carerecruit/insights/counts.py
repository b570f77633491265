"""Exact funnel counts for the dashboards, grouped in the database.

:func:`carerecruit.tracking.rollups.funnel_rows` returns rollups at their full grain
(local date, campaign, channel, link, kind). Over six weeks of 300 links that is close to
100,000 rows to move into Python on every refresh, so the dashboards instead ask the
database for two small groupings of the same rollups:

- by (local date, campaign, channel, kind): days, weeks, channels, campaigns, totals;
- by (link, kind) over the chosen period: the table by tracked link (only when asked).

and add the live tail (non-bot events the rollups do not hold yet) at full grain. The read is consistent with the rollup watermark
in the same way as ``funnel_rows``: retried if a roll-up commits meanwhile, and the last
try holds the state row lock.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from carerecruit.lib.localtime import local_zone
from carerecruit.tracking.models import Event, FunnelRollup

# The tracking app's watermark readers, shared so that "rollups + tail" means exactly the
# same here as in ``funnel_rows``.
from carerecruit.tracking.rollups import _locked_state, _watermark


def _tail_rows(campaign_ids, start, end, watermark: int, gaps: list) -> list[tuple]:
    """The live tail grouped by (local date, campaign, channel, link, kind): non-bot
    events with ids past the watermark or inside its gaps, of local dates start..end.

    Unlike ``tracking.rollups._tail_rows`` the query carries no time bounds: the dates
    are checked here, on the few grouped rows. With bounds on ``occurred_at`` the
    planners can prefer the (campaign, kind, occurred_at) index and walk every event of
    the period (SQLite once ANALYZE has run, PostgreSQL before its first one): 2.6 s
    against 28 ms over 5 million events (docs/performance.md). Without them the only
    useful index is (campaign_id) with the id range, which reads the tail alone.
    """
    base = Event.objects.filter(campaign_id__in=campaign_ids, is_bot=False)
    ranges = [Q(pk__gt=watermark)] + [Q(pk__gte=low, pk__lte=high) for low, high, _ in gaps]
    rows: list[tuple] = []
    for id_range in ranges:
        rows += [
            row
            for row in base.filter(id_range)
            .annotate(local_date=TruncDate("occurred_at", tzinfo=local_zone()))
            .values_list("local_date", "campaign_id", "channel", "link_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
            if start <= row[0] <= end
        ]
    return rows


@dataclass
class GroupedCounts:
    """``dated[(local_date, campaign_id, channel, kind)]`` and ``links[(link_id, kind)]``
    (``link_id`` None: no tracked link); zero counts are absent."""

    dated: Counter = field(default_factory=Counter)
    links: Counter = field(default_factory=Counter)


def _read(campaign_ids, start, end, link_start, watermark, gaps) -> GroupedCounts:
    result = GroupedCounts()
    rollups = FunnelRollup.objects.filter(
        campaign_id__in=campaign_ids, local_date__gte=start, local_date__lte=end
    )
    for day, campaign_id, channel, kind, n in (
        rollups.values_list("local_date", "campaign_id", "channel", "kind")
        .annotate(n=Sum("count")).order_by()
    ):
        result.dated[(day, campaign_id, channel, kind)] += n
    if link_start is not None:
        for link_id, kind, n in (
            rollups.filter(local_date__gte=link_start)
            .values_list("link_id", "kind").annotate(n=Sum("count")).order_by()
        ):
            result.links[(link_id, kind)] += n
    for day, campaign_id, channel, link_id, kind, n in _tail_rows(campaign_ids, start, end, watermark, gaps):
        result.dated[(day, campaign_id, channel, kind)] += n
        if link_start is not None and day >= link_start:
            result.links[(link_id, kind)] += n
    return result


def grouped_counts(
    campaign_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    *,
    link_start: datetime.date | None = None,
) -> GroupedCounts:
    """Exact non-bot event counts of the campaigns from local date ``start`` to ``end``
    (inclusive), grouped as :class:`GroupedCounts`; ``links`` is filled only when
    ``link_start`` is given, counting from that date to ``end``."""
    campaign_ids = list(campaign_ids)
    if not campaign_ids:
        return GroupedCounts()
    for _attempt in range(3):
        before = _watermark()
        result = _read(campaign_ids, start, end, link_start, *before)
        if _watermark() == before:
            return result
    with transaction.atomic():
        state = _locked_state()
        return _read(campaign_ids, start, end, link_start, state.last_event_id, state.gaps)
