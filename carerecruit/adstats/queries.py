"""Read-only queries over imported ad-platform figures, for the dashboards (insights).

Both functions read only platform campaigns mapped to one of the given campaigns, and
both leave reach out: reach counts unique people per day or period and cannot be added
up across days, ads or platform campaigns (see :mod:`carerecruit.adstats.models`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Sum

from carerecruit.adstats.models import AdDailyStat, AdPeriodStat

_SUMS = {
    "impressions": Sum("impressions"),
    "clicks": Sum("clicks"),
    "landing_page_views": Sum("landing_page_views"),
    "spend_pence": Sum("spend_pence"),
    "results": Sum("results"),
}


def ad_totals(campaign_ids: Iterable[int], start_date: datetime.date, end_date: datetime.date) -> list[dict]:
    """Daily ad-platform figures of ``campaign_ids`` from ``start_date`` to ``end_date``
    (local dates, both inclusive), summed over platform campaigns and ads.

    One dict per (local date, campaign, channel, platform, currency), ordered by those::

        {"local_date": date,          # the platform's reporting day (see models docstring)
         "campaign_id": int,          # our Campaign's pk the platform campaign is mapped to
         "channel": str,              # the mapping's Channel value, "" when none was set
         "platform": str,             # "meta" | "linkedin" | "google"
         "currency": str,             # ISO 4217; normally "GBP" only
         "impressions": int,
         "clicks": int,               # the platform's link clicks, not our tracked clicks
         "landing_page_views": int | None,
         "spend_pence": int,          # minor units of ``currency`` (pence for GBP)
         "results": Decimal | None}   # platform-reported results/conversions

    ``landing_page_views`` and ``results`` are sums of the rows that reported a value
    (None when no row in the group did: "unknown", not zero). Reach is not returned.
    Period totals (files without a daily breakdown) are never included here: see
    :func:`ad_period_totals`. Platform campaigns not mapped to one of ``campaign_ids``
    are left out. Cost: one query, served by the (platform campaign, date) index.
    """
    ids = list(campaign_ids)
    if not ids:
        return []
    rows = (
        AdDailyStat.objects.filter(
            platform_campaign__campaign_id__in=ids, date__gte=start_date, date__lte=end_date
        )
        .values("date", "platform_campaign__campaign_id", "platform_campaign__channel",
                "platform_campaign__platform", "currency")
        .annotate(**_SUMS)
        .order_by("date", "platform_campaign__campaign_id", "platform_campaign__channel",
                  "platform_campaign__platform", "currency")
    )
    return [
        {
            "local_date": row["date"],
            "campaign_id": row["platform_campaign__campaign_id"],
            "channel": row["platform_campaign__channel"] or "",
            "platform": row["platform_campaign__platform"],
            "currency": row["currency"],
            "impressions": row["impressions"],
            "clicks": row["clicks"],
            "landing_page_views": row["landing_page_views"],
            "spend_pence": row["spend_pence"],
            "results": row["results"],
        }
        for row in rows
    ]


def ad_period_totals(campaign_ids: Iterable[int], start_date: datetime.date, end_date: datetime.date) -> list[dict]:
    """Period totals (figures a platform gave only for a whole period, never split into
    days) of ``campaign_ids`` whose period overlaps ``start_date``..``end_date`` (local
    dates, inclusive). A period that only partly overlaps is returned whole: the caller
    decides how to show it (e.g. "£612.40 over 4–31 May"), never by dividing it.

    One dict per (period, campaign, channel, platform, currency), ordered by those::

        {"period_total": True,
         "period_start": date, "period_end": date,   # inclusive local dates
         "campaign_id": int, "channel": str ("" = none), "platform": str, "currency": str,
         "impressions": int, "clicks": int, "landing_page_views": int | None,
         "spend_pence": int, "results": Decimal | None}

    Sums and None as in :func:`ad_totals`; reach is not returned.
    """
    ids = list(campaign_ids)
    if not ids:
        return []
    rows = (
        AdPeriodStat.objects.filter(
            platform_campaign__campaign_id__in=ids, period_start__lte=end_date, period_end__gte=start_date
        )
        .values("period_start", "period_end", "platform_campaign__campaign_id",
                "platform_campaign__channel", "platform_campaign__platform", "currency")
        .annotate(**_SUMS)
        .order_by("period_start", "period_end", "platform_campaign__campaign_id",
                  "platform_campaign__channel", "platform_campaign__platform", "currency")
    )
    return [
        {
            "period_total": True,
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "campaign_id": row["platform_campaign__campaign_id"],
            "channel": row["platform_campaign__channel"] or "",
            "platform": row["platform_campaign__platform"],
            "currency": row["currency"],
            "impressions": row["impressions"],
            "clicks": row["clicks"],
            "landing_page_views": row["landing_page_views"],
            "spend_pence": row["spend_pence"],
            "results": row["results"],
        }
        for row in rows
    ]
