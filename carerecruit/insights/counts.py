"""Exact funnel counts for the dashboards, grouped in the database.

:func:`carerecruit.tracking.rollups.funnel_rows` returns rollups at their full grain
(local date, campaign, channel, link, kind). Over six weeks of 300 links that is close to
100,000 rows to move into Python on every refresh, so the dashboards instead ask the
database for two small groupings of the same rollups:

- by (local date, campaign, channel, kind): days, weeks, channels, campaigns, totals;
- by (link, kind) over the chosen period: the table by tracked link (only when asked).

and add the live tail (non-bot events the rollups do not hold yet) at full grain, read
with the tracking app's own tail query. The read is consistent with the rollup watermark
in the same way as ``funnel_rows``: retried if a roll-up commits meanwhile, and the last
try holds the state row lock.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from carerecruit.tracking.models import FunnelRollup

# The tracking app's watermark and tail readers, shared so that "rollups + tail" means
# exactly the same here as in ``funnel_rows``.
from carerecruit.tracking.rollups import _locked_state, _tail_rows, _watermark


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
