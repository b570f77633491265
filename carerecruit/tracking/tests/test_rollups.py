import datetime

import pytest
from django.utils import timezone

from carerecruit.testing.factories import make_campaign
from carerecruit.tracking import rollups
from carerecruit.tracking.models import Event, FunnelRollup, RollupState
from carerecruit.tracking.rollups import (
    catch_up,
    funnel_rows,
    rebuild_rollups,
    roll_up_events,
)

UTC = datetime.UTC
SUMMER_LATE = datetime.datetime(2020, 4, 20, 23, 30, tzinfo=UTC)  # 00:30 BST on 21 April
WINTER_LATE = datetime.datetime(2020, 1, 20, 23, 30, tzinfo=UTC)  # 23:30 GMT on 20 January
LONG_AGO = datetime.datetime(2020, 4, 20, 10, 0, tzinfo=UTC)


def event(campaign, kind="click", at=LONG_AGO, link=None, **fields) -> Event:
    return Event.objects.create(
        kind=kind, occurred_at=at, campaign=campaign, link=link,
        channel=link.channel if link else fields.pop("channel", "direct"), **fields,
    )


def totals(campaign_ids, start=None, end=None) -> dict:
    result: dict = {}
    for row in funnel_rows(campaign_ids, start, end):
        result[row["kind"]] = result.get(row["kind"], 0) + row["count"]
    return result


def watermark() -> int:
    return RollupState.objects.get(name="funnel").last_event_id


def test_n_clicks_are_n_before_during_and_after_roll_up(campaign, link):
    for _ in range(7):
        event(campaign, link=link)
    assert totals([campaign.pk]) == {"click": 7}  # Worker never ran: all tail.

    assert roll_up_events(batch_size=3) == 3
    assert totals([campaign.pk]) == {"click": 7}  # 3 rolled up + 4 in the tail.
    assert FunnelRollup.objects.get().count == 3

    assert roll_up_events() == 4
    assert totals([campaign.pk]) == {"click": 7}  # All rolled up.
    assert FunnelRollup.objects.get().count == 7

    event(campaign, link=link)
    assert totals([campaign.pk]) == {"click": 8}  # The boundary: no double count.


def test_roll_up_is_idempotent(campaign, link):
    for kind in ("click", "click", "visit", "form_start", "application"):
        event(campaign, kind, link=link)
    assert roll_up_events() == 5
    assert roll_up_events() == 0
    assert catch_up() == 0
    assert sorted((r.kind, r.count) for r in FunnelRollup.objects.all()) == [
        ("application", 1), ("click", 2), ("form_start", 1), ("visit", 1)
    ]
    assert totals([campaign.pk]) == {"click": 2, "visit": 1, "form_start": 1, "application": 1}


def test_rows_are_keyed_by_local_date_campaign_channel_link_and_kind(campaign, link):
    event(campaign, "application", at=SUMMER_LATE, link=link)
    event(campaign, "application", at=WINTER_LATE, channel="direct")
    expected = [
        {"local_date": datetime.date(2020, 1, 20), "campaign_id": campaign.pk, "channel": "direct",
         "link_id": None, "kind": "application", "count": 1},
        {"local_date": datetime.date(2020, 4, 21), "campaign_id": campaign.pk, "channel": "facebook",
         "link_id": link.pk, "kind": "application", "count": 1},
    ]
    assert funnel_rows([campaign.pk], None, None) == expected  # From the tail (SQL dates).
    roll_up_events()
    assert funnel_rows([campaign.pk], None, None) == expected  # From rollups (Python dates).
    assert sorted(FunnelRollup.objects.values_list("local_date", flat=True)) == [
        datetime.date(2020, 1, 20), datetime.date(2020, 4, 21)
    ]


@pytest.mark.parametrize("rolled_up", [False, True])
def test_date_range_is_inclusive_local_days(campaign, rolled_up):
    event(campaign, at=datetime.datetime(2020, 4, 20, 22, 59, tzinfo=UTC))  # 23:59 BST 20th
    event(campaign, at=datetime.datetime(2020, 4, 20, 23, 0, tzinfo=UTC))  # 00:00 BST 21st
    event(campaign, at=datetime.datetime(2020, 4, 21, 22, 59, tzinfo=UTC))  # 23:59 BST 21st
    event(campaign, at=datetime.datetime(2020, 4, 21, 23, 0, tzinfo=UTC))  # 00:00 BST 22nd
    if rolled_up:
        roll_up_events()
    day = datetime.date(2020, 4, 21)
    assert totals([campaign.pk], day, day) == {"click": 2}
    assert totals([campaign.pk], day, None) == {"click": 3}
    assert totals([campaign.pk], None, day) == {"click": 3}
    assert totals([campaign.pk], datetime.date(2020, 4, 23), None) == {}


def test_bots_are_never_counted_but_passed_by_the_watermark(campaign, link):
    event(campaign, link=link, is_bot=True)
    real = event(campaign, link=link)
    event(campaign, link=link, is_bot=True)
    assert totals([campaign.pk]) == {"click": 1}
    assert roll_up_events() == 1
    assert totals([campaign.pk]) == {"click": 1}
    assert watermark() == real.pk + 1


def test_only_the_asked_campaigns_are_read(campaign):
    other = make_campaign(slug="time-to-care", name="Time to Care")
    event(campaign)
    event(other)
    event(other)
    roll_up_events()
    event(other)
    assert totals([other.pk]) == {"click": 3}
    assert totals([campaign.pk, other.pk]) == {"click": 4}
    assert funnel_rows([], None, None) == []


def test_fresh_events_wait_for_the_settle_lag_and_still_count(campaign, link):
    event(campaign, link=link)
    fresh = event(campaign, link=link, at=timezone.now())
    older_but_later = event(campaign, link=link)  # Higher id, old time (an import).
    assert roll_up_events() == 1  # Stops at the fresh one; does not skip past it.
    assert watermark() == fresh.pk - 1
    assert totals([campaign.pk]) == {"click": 3}
    assert roll_up_events(settle_seconds=0) == 2
    assert watermark() == older_but_later.pk
    assert totals([campaign.pk]) == {"click": 3}


def test_an_event_stamped_far_in_the_future_does_not_hold_the_roll_up(campaign):
    event(campaign, at=timezone.now() + datetime.timedelta(days=400))
    event(campaign)
    assert roll_up_events() == 2


def test_an_id_that_commits_late_is_counted_once(campaign, link):
    """PostgreSQL: a slow transaction holds id n while n+1 commits first."""
    first = event(campaign, link=link)
    # PostgreSQL sequences do not restart per test: start the watermark at this test.
    RollupState.objects.create(name="funnel", last_event_id=first.pk - 1)
    in_flight_id = first.pk + 1
    Event.objects.create(  # n+1 commits before n.
        pk=in_flight_id + 1, kind="click", occurred_at=LONG_AGO, campaign=campaign, link=link,
        channel="facebook",
    )
    assert roll_up_events() == 2
    state = RollupState.objects.get(name="funnel")
    assert state.last_event_id == in_flight_id + 1
    assert [gap[:2] for gap in state.gaps] == [[in_flight_id, in_flight_id]]

    Event.objects.create(  # ...now n commits.
        pk=in_flight_id, kind="click", occurred_at=LONG_AGO, campaign=campaign, link=link,
        channel="facebook",
    )
    assert totals([campaign.pk]) == {"click": 3}  # Counted from the tail meanwhile.
    assert roll_up_events() == 1
    assert RollupState.objects.get(name="funnel").gaps == []
    assert FunnelRollup.objects.get().count == 3
    assert totals([campaign.pk]) == {"click": 3}


def test_gaps_are_forgotten_after_a_day(campaign, at):
    first = event(campaign)
    RollupState.objects.create(name="funnel", last_event_id=first.pk - 1)
    Event.objects.create(pk=first.pk + 5, kind="click", occurred_at=LONG_AGO, campaign=campaign, channel="direct")
    roll_up_events()
    assert len(RollupState.objects.get(name="funnel").gaps) == 1
    with at(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        roll_up_events()
    assert RollupState.objects.get(name="funnel").gaps == []


def test_catch_up_folds_everything_in_batches(campaign):
    for _ in range(5):
        event(campaign)
    assert catch_up(batch_size=2) == 5
    assert FunnelRollup.objects.get().count == 5


def test_rebuild_gives_the_same_counts(campaign, link):
    for kind in ("click", "visit", "visit"):
        event(campaign, kind, link=link)
    roll_up_events()
    before = funnel_rows([campaign.pk], None, None)
    assert rebuild_rollups() == 3
    assert funnel_rows([campaign.pk], None, None) == before


def test_a_roll_up_committing_during_a_read_is_not_double_counted(campaign, link, monkeypatch):
    for _ in range(4):
        event(campaign, link=link)
    real_rollup_rows = rollups._rollup_rows
    calls = []

    def worker_commits_between_reads(*args):
        # The watermark was read before this roll-up and the rollups after it: read
        # naively, its 4 events would be counted in the rollups *and* in the tail.
        if not calls:
            roll_up_events()
        calls.append(args)
        return real_rollup_rows(*args)

    monkeypatch.setattr(rollups, "_rollup_rows", worker_commits_between_reads)
    assert totals([campaign.pk]) == {"click": 4}
    assert len(calls) == 2  # The first read was thrown away.


def test_later_event_kinds_need_no_change(campaign):
    event(campaign, "shortlisted")
    roll_up_events()
    assert totals([campaign.pk]) == {"shortlisted": 1}
