"""Folding events into daily funnel rollups, and reading exact funnel counts.

Events are append-only. The worker folds them, in id order, into :class:`FunnelRollup`
counts by (Europe/London local date, campaign, channel, link, kind) and moves the
watermark :class:`RollupState` ``"funnel"`` forward in the same transaction. Readers add
the *live tail* (non-bot events the rollups do not hold yet) to the rollups, so counts are
exact whether the worker ran a second ago, an hour ago or never.

Why ids can arrive out of order, and what is done about it. On PostgreSQL a transaction
takes its event id at insert but other sessions see the row only at commit, so an id
lower than the watermark can appear later. Two defences:

1. a settle lag: events newer than ``settle_seconds`` (5 s) are left for the next run,
   which covers every normal request (they commit within milliseconds);
2. gaps: any id range the watermark skipped is remembered in ``RollupState.gaps``; later
   runs fold events that appear there and readers count them in the tail meanwhile. This
   covers long transactions (imports) too. A gap is forgotten after a day.

SQLite serialises writers, so neither case arises there; the code is the same.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from carerecruit.lib.localtime import local_date, local_day_bounds, local_zone
from carerecruit.tracking.models import Event, FunnelRollup, RollupState

logger = logging.getLogger(__name__)

FUNNEL = "funnel"
SETTLE_SECONDS = 5.0
GAP_RETENTION = datetime.timedelta(days=1)
# More gaps than this means something is badly wrong (mass rollbacks); the oldest are
# dropped so that the readers' tail query stays small.
MAX_GAPS = 100
# An event stamped further in the future than this (a bad import) is folded at once
# rather than holding the watermark back until that time.
_FUTURE_SLACK = datetime.timedelta(hours=1)

_FOLD_FIELDS = ("id", "occurred_at", "campaign_id", "channel", "link_id", "kind", "is_bot")

Key = tuple[datetime.date, int, str, int | None, str]


# ---------------------------------------------------------------------------------------
# Gaps: [[low, high, first seen (Unix seconds)], ...], inclusive id ranges.


def _gaps_q(gaps: list) -> Q:
    q = Q(pk__in=[])
    for low, high, _seen in gaps:
        q |= Q(pk__gte=low, pk__lte=high)
    return q


def _remove_id(gaps: list, event_id: int) -> list:
    result = []
    for low, high, seen in gaps:
        if low <= event_id <= high:
            if low <= event_id - 1:
                result.append([low, event_id - 1, seen])
            if event_id + 1 <= high:
                result.append([event_id + 1, high, seen])
        else:
            result.append([low, high, seen])
    return result


def _prune_gaps(gaps: list, now: datetime.datetime) -> list:
    oldest = (now - GAP_RETENTION).timestamp()
    kept = [gap for gap in gaps if gap[2] >= oldest]
    if len(kept) > MAX_GAPS:
        logger.warning("Dropping %d old event id gaps", len(kept) - MAX_GAPS)
        kept = kept[-MAX_GAPS:]
    return kept


# ---------------------------------------------------------------------------------------
# Folding


def _locked_state() -> RollupState:
    # select_for_update makes concurrent roll-ups (several workers) take turns on
    # PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock.
    state, _ = RollupState.objects.select_for_update().get_or_create(name=FUNNEL)
    return state


def _fold(counts: Counter, row: tuple) -> bool:
    _id, occurred_at, campaign_id, channel, link_id, kind, is_bot = row
    if is_bot:
        return False
    counts[(local_date(occurred_at), campaign_id, channel, link_id, kind)] += 1
    return True


def _write_rollups(counts: Counter) -> None:
    """Add ``counts`` to the rollup rows (creating missing ones). Only the roll-up writes
    rollups, under the state row lock, so read-modify-write is safe here."""
    if not counts:
        return
    campaign_ids = {key[1] for key in counts}
    dates = {key[0] for key in counts}
    existing: dict[Key, FunnelRollup] = {}
    for rollup in FunnelRollup.objects.filter(campaign_id__in=campaign_ids, local_date__in=dates):
        key = (rollup.local_date, rollup.campaign_id, rollup.channel, rollup.link_id, rollup.kind)
        existing[key] = rollup
    changed, new = [], []
    for key, n in counts.items():
        rollup = existing.get(key)
        if rollup is None:
            day, campaign_id, channel, link_id, kind = key
            new.append(
                FunnelRollup(
                    local_date=day, campaign_id=campaign_id, channel=channel, link_id=link_id,
                    kind=kind, count=n,
                )
            )
        else:
            rollup.count += n
            changed.append(rollup)
    FunnelRollup.objects.bulk_update(changed, ["count"], batch_size=500)
    FunnelRollup.objects.bulk_create(new, batch_size=500)


def roll_up_events(batch_size: int = 50_000, *, settle_seconds: float = SETTLE_SECONDS) -> int:
    """Fold up to ``batch_size`` new events (plus any late arrivals in known gaps) into
    :class:`FunnelRollup`, in one transaction with the watermark. Events newer than
    ``settle_seconds`` wait for a later run. Bot events move the watermark but are not
    counted.

    Idempotent and safe to run concurrently (runs take turns on the state row). Returns
    the number of non-bot events counted by this run.
    """
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=settle_seconds)
    far_future = now + _FUTURE_SLACK
    counts: Counter = Counter()
    counted = 0
    with transaction.atomic():
        state = _locked_state()
        gaps = list(state.gaps or [])

        if gaps:
            late = Event.objects.filter(_gaps_q(gaps)).order_by("pk").values_list(*_FOLD_FIELDS)
            for row in late:
                counted += _fold(counts, row)
                gaps = _remove_id(gaps, row[0])

        previous = state.last_event_id
        seen = int(now.timestamp())
        new = (
            Event.objects.filter(pk__gt=previous)
            .order_by("pk")
            .values_list(*_FOLD_FIELDS)[:batch_size]
        )
        for row in new:
            event_id, occurred_at = row[0], row[1]
            if cutoff < occurred_at <= far_future:
                break  # Not settled yet: this and everything after wait for the next run.
            if event_id > previous + 1:
                gaps.append([previous + 1, event_id - 1, seen])
            counted += _fold(counts, row)
            previous = event_id

        gaps = _prune_gaps(gaps, now)
        _write_rollups(counts)
        if previous != state.last_event_id or gaps != state.gaps:
            state.last_event_id = previous
            state.gaps = gaps
            state.save(update_fields=["last_event_id", "gaps", "updated_at"])
    return counted


def catch_up(
    batch_size: int = 50_000,
    *,
    settle_seconds: float = SETTLE_SECONDS,
    max_batches: int | None = None,
) -> int:
    """Run :func:`roll_up_events` until the watermark stops moving (or ``max_batches``
    runs); each batch is its own transaction. Returns the events counted in total."""
    total = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        before = _watermark()
        total += roll_up_events(batch_size, settle_seconds=settle_seconds)
        batches += 1
        if _watermark() == before:
            break
    return total


def rebuild_rollups(*, settle_seconds: float = SETTLE_SECONDS) -> int:
    """Throw the rollups away and fold every event again (after a bulk load or a repair).
    Readers stay exact meanwhile: with the watermark at 0 every event is in the tail."""
    with transaction.atomic():
        state = _locked_state()
        FunnelRollup.objects.all().delete()
        state.last_event_id = 0
        state.gaps = []
        state.save(update_fields=["last_event_id", "gaps", "updated_at"])
    return catch_up(settle_seconds=settle_seconds)


def _watermark() -> tuple[int, list]:
    row = RollupState.objects.filter(name=FUNNEL).values_list("last_event_id", "gaps").first()
    return (row[0], row[1] or []) if row else (0, [])


# ---------------------------------------------------------------------------------------
# Reading


def _rollup_rows(campaign_ids, start_date, end_date) -> Iterable[tuple]:
    qs = FunnelRollup.objects.filter(campaign_id__in=campaign_ids)
    if start_date is not None:
        qs = qs.filter(local_date__gte=start_date)
    if end_date is not None:
        qs = qs.filter(local_date__lte=end_date)
    return qs.values_list("local_date", "campaign_id", "channel", "link_id", "kind", "count")


def _tail_rows(campaign_ids, start_date, end_date, watermark: int, gaps: list) -> list[tuple]:
    base = Event.objects.filter(campaign_id__in=campaign_ids, is_bot=False)
    if start_date is not None:
        base = base.filter(occurred_at__gte=local_day_bounds(start_date)[0])
    if end_date is not None:
        base = base.filter(occurred_at__lt=local_day_bounds(end_date)[1])
    # One query per id range rather than one with ORs: each is then a range seek on
    # (campaign_id, id) in SQLite too, which otherwise falls back to scanning every event
    # of the campaign. There are rarely any gaps.
    ranges = [Q(pk__gt=watermark)] + [Q(pk__gte=low, pk__lte=high) for low, high, _ in gaps]
    rows: list[tuple] = []
    for id_range in ranges:
        # Grouped in the database (the tail is small while the worker runs, but must not
        # be pulled row by row if it has been stopped for a day); TruncDate converts to
        # the local zone on both SQLite and PostgreSQL.
        rows += (
            base.filter(id_range)
            .annotate(local_date=TruncDate("occurred_at", tzinfo=local_zone()))
            .values_list("local_date", "campaign_id", "channel", "link_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
    return rows


def _read(campaign_ids, start_date, end_date, watermark, gaps) -> Counter:
    counts: Counter = Counter()
    for day, campaign_id, channel, link_id, kind, n in _rollup_rows(
        campaign_ids, start_date, end_date
    ):
        counts[(day, campaign_id, channel, link_id, kind)] += n
    for day, campaign_id, channel, link_id, kind, n in _tail_rows(
        campaign_ids, start_date, end_date, watermark, gaps
    ):
        counts[(day, campaign_id, channel, link_id, kind)] += n
    return counts


def funnel_rows(
    campaign_ids: Iterable[int],
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> list[dict]:
    """Exact non-bot event counts for the campaigns from local date ``start_date`` to
    ``end_date`` inclusive (None = unbounded), as a list of
    ``{"local_date": date, "campaign_id": int, "channel": str, "link_id": int | None,
    "kind": str, "count": int}`` sorted by those keys; zero counts are left out.

    Rollups plus the live tail, read consistently: if a roll-up commits while we read
    (the watermark moved), the read is retried, and the last try holds the state row
    lock so it cannot be overtaken.
    """
    campaign_ids = list(campaign_ids)
    if not campaign_ids:
        return []
    counts: Counter | None = None
    for _attempt in range(3):
        before = _watermark()
        counts = _read(campaign_ids, start_date, end_date, *before)
        if _watermark() == before:
            break
    else:
        with transaction.atomic():
            state = _locked_state()
            counts = _read(campaign_ids, start_date, end_date, state.last_event_id, state.gaps)
    rows = [
        {
            "local_date": day,
            "campaign_id": campaign_id,
            "channel": channel,
            "link_id": link_id,
            "kind": kind,
            "count": n,
        }
        for (day, campaign_id, channel, link_id, kind), n in counts.items()
        if n
    ]
    rows.sort(
        key=lambda r: (r["local_date"], r["campaign_id"], r["channel"], r["link_id"] or 0, r["kind"])
    )
    return rows
