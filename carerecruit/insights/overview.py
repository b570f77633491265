"""The cross-campaign overview: every campaign a user may read, one row each, with totals.

One :func:`~carerecruit.insights.funnel.build_funnel` over all the campaigns gives the
totals, channels, days, comparison and the per-campaign rows, from one read of the
rollups and ad figures (no per-campaign queries).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from carerecruit.campaigns.models import Campaign
from carerecruit.insights.funnel import DAY, Counts, Funnel, Period, build_funnel


@dataclass
class CampaignRow:
    campaign: Campaign
    counts: Counts
    previous: Counts
    alerts: int = 0


@dataclass
class AudienceRow:
    """Campaigns grouped by their audience text (compared without case or extra spaces)."""

    audience: str
    campaigns: int
    counts: Counts
    # The organisations running these campaigns: the owners of the row's figures
    # (carerecruit.insights.suppression).
    owner_ids: set[int] = field(default_factory=set)


@dataclass
class Overview:
    funnel: Funnel
    campaign_rows: list[CampaignRow]
    audience_rows: list[AudienceRow]


def build_overview(campaigns, period: Period, granularity: str = DAY) -> Overview:
    """The overview of ``campaigns`` (already filtered by the access layer) over
    ``period``. Period-total ad figures follow the rule in
    :mod:`carerecruit.insights.funnel` for each campaign's row too."""
    from carerecruit.insights.models import Alert

    campaigns = sorted(campaigns, key=lambda c: (c.status != Campaign.Status.LIVE, c.name.lower(), c.pk))
    funnel = build_funnel(campaigns, period, granularity, with_links=False)
    ids = [c.pk for c in campaigns]
    alert_counts: dict[int, int] = defaultdict(int)
    for campaign_id in Alert.objects.filter(
        campaign_id__in=ids, local_date__gte=period.start, local_date__lte=period.end
    ).values_list("campaign_id", flat=True):
        alert_counts[campaign_id] += 1

    rows = [
        CampaignRow(
            c, funnel.campaign_totals.get(c.pk, Counts()), funnel.campaign_previous.get(c.pk, Counts()),
            alert_counts.get(c.pk, 0),
        )
        for c in campaigns
    ]
    audiences: dict[str, AudienceRow] = {}
    for row in rows:
        key = " ".join(row.campaign.audience.split()).lower()
        if key not in audiences:
            audiences[key] = AudienceRow(" ".join(row.campaign.audience.split()) or "Not given", 0, Counts())
        audiences[key].campaigns += 1
        audiences[key].owner_ids.add(row.campaign.owner_id)
        audiences[key].counts.add_counts(row.counts)
    audience_rows = sorted(audiences.values(), key=lambda r: r.audience.lower())
    return Overview(funnel, rows, audience_rows)
