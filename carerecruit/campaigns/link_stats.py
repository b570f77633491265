"""Per-link funnel counts for the tracked-link list.

Read from :func:`carerecruit.tracking.rollups.funnel_rows` (exact rollups plus the live
tail of newer events; crawlers and link-preview bots excluded), never from a scan of raw
events, so the list stays fast with millions of events and still shows a click made a
second ago.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from carerecruit.campaigns.models import Campaign
from carerecruit.tracking.models import EventKind
from carerecruit.tracking.rollups import funnel_rows

_KIND_TO_METRIC = {
    EventKind.CLICK: "clicks",
    EventKind.VISIT: "visits",
    EventKind.APPLICATION: "applications",
}


@dataclass
class LinkCounts:
    """All-time non-bot counts for one link (or the total of several)."""

    clicks: int = 0
    visits: int = 0
    applications: int = 0

    @property
    def conversion(self) -> Decimal | None:
        """Applications ÷ clicks as a percentage to one decimal place (half up), or None
        when there are no clicks (shown as "–", not 0%) or more applications than clicks
        (a page opened from a forwarded link carries the first person's click: that is
        no rate, and "150%" would mislead)."""
        if not self.clicks or self.applications > self.clicks:
            return None
        return (Decimal(self.applications * 100) / self.clicks).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def add(self, other: LinkCounts) -> None:
        self.clicks += other.clicks
        self.visits += other.visits
        self.applications += other.applications


def counts_by_link(campaign: Campaign) -> dict[int, LinkCounts]:
    """``{link id: LinkCounts}`` over the campaign's whole life, for links with any
    activity. Visits and applications count on the link that brought the visitor
    (first-touch attribution, kept by the tracking layer)."""
    counts: dict[int, LinkCounts] = defaultdict(LinkCounts)
    for row in funnel_rows([campaign.pk], None, None):
        metric = _KIND_TO_METRIC.get(row["kind"])
        if metric is None or row["link_id"] is None:
            continue
        entry = counts[row["link_id"]]
        setattr(entry, metric, getattr(entry, metric) + row["count"])
    return dict(counts)
