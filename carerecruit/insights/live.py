"""The live panel: the last 30 minutes in 5-minute buckets.

Rollups hold whole local days, so they cannot say what happened in the last few minutes.
This panel is the one place the dashboards read raw events, and it is bounded: one
grouped query over the events since the window opened, which the (campaign, kind,
occurred_at) index answers as a range seek per campaign and kind; the rows it reads
are the last half hour's only, however long the campaign has run. The database does the
bucketing (a CASE over six time ranges), so a burst of traffic is counted, not fetched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone

from carerecruit.insights.funnel import LIVE_STEPS, STEP_BY_KIND, Counts
from carerecruit.tracking.models import Event

BUCKET_MINUTES = 5
BUCKETS = 6
WINDOW = datetime.timedelta(minutes=BUCKET_MINUTES * BUCKETS)


@dataclass
class Bucket:
    """Counts of events with ``start <= occurred_at < end`` (UTC); the last bucket ends
    now and may be shorter than five minutes."""

    start: datetime.datetime
    end: datetime.datetime
    counts: Counts = field(default_factory=Counts)


@dataclass
class LivePanel:
    start: datetime.datetime
    now: datetime.datetime
    buckets: list[Bucket]
    totals: Counts


def _floor(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(
        minute=moment.minute - moment.minute % BUCKET_MINUTES, second=0, microsecond=0
    )


def live_panel(campaign_ids: list[int], now: datetime.datetime | None = None) -> LivePanel:
    """Clicks, visits, form starts and applications (non-bot) of the campaigns over the
    last 30 minutes, in six buckets aligned to five minutes of the clock: the current
    (partial) bucket and the five before it, so the window opens 25 to 30 minutes ago.
    ``now`` (UTC) is for tests."""
    now = now or timezone.now()
    last_start = _floor(now)
    starts = [last_start - datetime.timedelta(minutes=BUCKET_MINUTES * i) for i in range(BUCKETS - 1, -1, -1)]
    ends = starts[1:] + [now]
    buckets = [Bucket(s, e) for s, e in zip(starts, ends, strict=True)]
    totals = Counts()
    if campaign_ids:
        bucket_of = Case(
            *[When(occurred_at__lt=end, then=Value(i)) for i, end in enumerate(ends[:-1])],
            default=Value(len(ends) - 1),
            output_field=IntegerField(),
        )
        rows = (
            Event.objects.filter(
                campaign_id__in=campaign_ids,
                kind__in=[step.kind for step in LIVE_STEPS],
                occurred_at__gte=starts[0],
                occurred_at__lte=now,
                is_bot=False,
            )
            .annotate(bucket=bucket_of)
            .values_list("bucket", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for index, kind, n in rows:
            step = STEP_BY_KIND[kind]
            buckets[index].counts.add(step.key, n)
            totals.add(step.key, n)
    return LivePanel(starts[0], now, buckets, totals)
