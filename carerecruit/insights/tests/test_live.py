"""The last 30 minutes in five-minute buckets, read from the bounded raw-event window."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from carerecruit.insights.live import live_panel
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import make_events, utc

NOW = utc(2020, 4, 20, 12, 7, 30)  # 13:07:30 BST


def test_buckets_are_aligned_to_five_minutes_of_the_clock(db):
    campaign = make_campaign()
    link = make_link(campaign)
    make_events("click", 1, campaign, utc(2020, 4, 20, 11, 39, 59), link)  # before the window
    make_events("click", 2, campaign, utc(2020, 4, 20, 11, 40), link)  # first bucket opens
    make_events("visit", 3, campaign, utc(2020, 4, 20, 11, 44, 59), link)
    make_events("form_start", 1, campaign, utc(2020, 4, 20, 11, 59), link)
    make_events("application", 1, campaign, utc(2020, 4, 20, 12, 5), link)
    make_events("click", 4, campaign, utc(2020, 4, 20, 12, 7, 30), link)  # now
    make_events("click", 9, campaign, utc(2020, 4, 20, 12, 6), link, is_bot=True)
    make_events("placed", 1, campaign, utc(2020, 4, 20, 12, 6), link)  # not a live step
    other = make_campaign(slug="other", name="Other")
    make_events("click", 7, other, utc(2020, 4, 20, 12, 6))

    panel = live_panel([campaign.pk], now=NOW)
    assert panel.start == utc(2020, 4, 20, 11, 40)
    assert [
        (b.start.strftime("%H:%M"), b.end.strftime("%H:%M:%S"),
         b.counts.clicks, b.counts.visits, b.counts.form_starts, b.counts.applications)
        for b in panel.buckets
    ] == [
        ("11:40", "11:45:00", 2, 3, 0, 0),
        ("11:45", "11:50:00", 0, 0, 0, 0),
        ("11:50", "11:55:00", 0, 0, 0, 0),
        ("11:55", "12:00:00", 0, 0, 1, 0),
        ("12:00", "12:05:00", 0, 0, 0, 0),
        ("12:05", "12:07:30", 4, 0, 0, 1),
    ]
    assert (panel.totals.clicks, panel.totals.visits, panel.totals.form_starts, panel.totals.applications) == (6, 3, 1, 1)
    assert live_panel([campaign.pk, other.pk], now=NOW).totals.clicks == 13


def test_one_query_bounded_by_the_window(db):
    campaign = make_campaign()
    with CaptureQueriesContext(connection) as queries:
        live_panel([campaign.pk], now=NOW)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert '"occurred_at" >=' in sql and "GROUP BY" in sql


def test_no_campaigns_no_query(db):
    with CaptureQueriesContext(connection) as queries:
        panel = live_panel([], now=NOW)
    assert len(queries.captured_queries) == 0
    assert len(panel.buckets) == 6
