"""Local dates in the deployment's time zone (``settings.TIME_ZONE``, Europe/London).

Times are stored in UTC; people count by the local calendar day. These helpers are the
one place that converts between the two, so that an event at 23:30 UTC on 2020-04-20
(00:30 BST) counts on 2020-04-21 everywhere, and one at 23:30 UTC on 2020-01-20 (GMT)
on 2020-01-20. They read ``settings.TIME_ZONE`` rather than Django's *current* time
zone, which a view could have activated for display.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def local_zone() -> zoneinfo.ZoneInfo:
    """The reporting time zone, ``settings.TIME_ZONE`` (ZoneInfo caches instances)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_date(dt_utc: datetime.datetime) -> datetime.date:
    """The local calendar date of an aware datetime (any offset; normally UTC).

    Raises ValueError for a naive datetime: its meaning would be a guess.
    """
    if timezone.is_naive(dt_utc):
        raise ValueError(f"local_date() needs an aware datetime, got naive {dt_utc!r}")
    return dt_utc.astimezone(local_zone()).date()


def local_today() -> datetime.date:
    """Today's local date."""
    return local_date(timezone.now())


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The UTC instants ``(start, end)`` of local day ``day``, half-open: ``start <= t <
    end``. A day is 23 hours long when clocks go forward and 25 when they go back.
    For example 2020-04-21 (BST, UTC+1) is 2020-04-20 23:00 UTC to 2020-04-21 23:00 UTC.
    """
    zone = local_zone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
