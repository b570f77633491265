"""Grouped counts agree with the tracking app's full-grain funnel rows, before, during and
after a roll-up."""

import datetime
from collections import Counter

from carerecruit.insights.counts import grouped_counts
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking.rollups import catch_up, funnel_rows

from .helpers import make_events, utc

D = datetime.date


def by_grouping(campaign_ids, start, end, link_start):
    dated, links = Counter(), Counter()
    for row in funnel_rows(campaign_ids, start, end):
        dated[(row["local_date"], row["campaign_id"], row["channel"], row["kind"])] += row["count"]
        if row["local_date"] >= link_start:
            links[(row["link_id"], row["kind"])] += row["count"]
    return dated, links


def test_grouped_counts_match_funnel_rows(db):
    campaign = make_campaign()
    other = make_campaign(slug="other", name="Other")
    facebook, email = make_link(campaign, "facebook"), make_link(campaign, "email")
    make_events("click", 3, campaign, utc(2020, 4, 19, 12), facebook)
    make_events("visit", 2, campaign, utc(2020, 4, 20, 23, 30), facebook)  # 21 April BST
    make_events("visit", 1, campaign, utc(2020, 4, 21, 8))
    make_events("application", 1, campaign, utc(2020, 4, 22, 8), email)
    make_events("click", 5, other, utc(2020, 4, 21, 8))
    ids = [campaign.pk, other.pk]
    args = (ids, D(2020, 4, 19), D(2020, 4, 22))

    def check():
        counts = grouped_counts(*args, link_start=D(2020, 4, 20))
        assert (counts.dated, counts.links) == by_grouping(*args, D(2020, 4, 20))
        return counts

    before = check()
    catch_up(settle_seconds=0)
    make_events("application", 2, campaign, utc(2020, 4, 22, 9), email)  # tail after roll-up
    after = check()
    assert after.links[(email.pk, "application")] == before.links[(email.pk, "application")] + 2
    assert after.dated[(D(2020, 4, 21), campaign.pk, "facebook", "visit")] == 2
    assert after.links[(None, "visit")] == 1
    assert grouped_counts(*args).links == Counter()  # links only when asked
    assert grouped_counts([], D(2020, 4, 19), D(2020, 4, 22)).dated == Counter()
