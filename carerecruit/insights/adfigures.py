"""Ad-platform figures for the dashboards, read through the adstats app's query interface.

``carerecruit.adstats.queries`` owns the storage of imported ad-platform files; the
dashboards only read two shapes from it:

- :func:`daily_rows`: daily figures per (local date, campaign, channel, platform), which
  go into the daily and weekly rows, the channel rows and the totals;
- :func:`period_total_rows`: figures a platform reported only as a total over a period
  (a "lifetime" or date-range export). They are never spread into days. See
  :func:`carerecruit.insights.funnel.build_funnel` for when they count in a total.

Both return [] until the adstats app provides its queries module, so the dashboards work
(with zero impressions and spend) on a deployment that has imported no ad figures.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from collections.abc import Iterable

QUERIES_MODULE = "carerecruit.adstats.queries"


def _queries():
    # find_spec first so that an import error *inside* an existing queries module still
    # raises (a broken adstats must not silently show zero spend).
    try:
        spec = importlib.util.find_spec(QUERIES_MODULE)
    except ModuleNotFoundError:
        return None
    if spec is None:
        return None
    return importlib.import_module(QUERIES_MODULE)


def _int(value) -> int:
    return int(value or 0)


def daily_rows(
    campaign_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> list[dict]:
    """Daily ad figures for the campaigns from local date ``start`` to ``end`` inclusive:
    ``{"local_date": date, "campaign_id": int, "channel": str ("" when the platform
    campaign is mapped to no channel), "platform": str, "impressions": int, "clicks": int,
    "landing_page_views": int (0 when unknown), "spend_pence": int (minor units of
    ``currency``), "currency": str (ISO 4217)}``; [] without adstats.
    """
    campaign_ids = list(campaign_ids)
    queries = _queries()
    if queries is None or not campaign_ids:
        return []
    rows = []
    for row in queries.ad_totals(campaign_ids, start, end):
        rows.append({
            "local_date": row["local_date"],
            "campaign_id": row["campaign_id"],
            "channel": row.get("channel") or "",
            "platform": row.get("platform") or "",
            "impressions": _int(row.get("impressions")),
            "clicks": _int(row.get("clicks")),
            "landing_page_views": _int(row.get("landing_page_views")),
            "spend_pence": _int(row.get("spend_pence")),
            "currency": row.get("currency") or "GBP",
        })
    return rows


# Names the adstats interface may give a period total's first and last local dates.
_START_KEYS = ("period_start", "start_date", "starts_on", "date_start")
_END_KEYS = ("period_end", "end_date", "ends_on", "date_end")


def _first(row: dict, keys: tuple[str, ...]):
    for key in keys:
        if row.get(key) is not None:
            return row[key]
    raise KeyError(f"period total row has none of {keys}: {sorted(row)}")


def period_total_rows(
    campaign_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> list[dict]:
    """Period-total ad figures that overlap local dates ``start``..``end``: the same keys
    as :func:`daily_rows` but ``period_start`` and ``period_end`` (local dates, inclusive)
    instead of ``local_date``; [] without adstats."""
    campaign_ids = list(campaign_ids)
    queries = _queries()
    if queries is None or not campaign_ids or not hasattr(queries, "ad_period_totals"):
        return []
    rows = []
    for row in queries.ad_period_totals(campaign_ids, start, end):
        period_start, period_end = _first(row, _START_KEYS), _first(row, _END_KEYS)
        if period_end < start or period_start > end:
            continue
        rows.append({
            "period_start": period_start,
            "period_end": period_end,
            "campaign_id": row["campaign_id"],
            "channel": row.get("channel") or "",
            "platform": row.get("platform") or "",
            "impressions": _int(row.get("impressions")),
            "clicks": _int(row.get("clicks")),
            "landing_page_views": _int(row.get("landing_page_views")),
            "spend_pence": _int(row.get("spend_pence")),
            "currency": row.get("currency") or "GBP",
        })
    rows.sort(key=lambda r: (r["period_start"], r["period_end"], r["campaign_id"], r["platform"], r["channel"]))
    return rows
