import datetime
from decimal import Decimal

import pytest

from carerecruit.insights.funnel import (
    MAX_PERIOD_DAYS,
    Counts,
    Period,
    campaign_funnel,
    default_period,
    percent,
)
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import make_events, utc

D = datetime.date


@pytest.fixture
def scene(db):
    """The standard scene: one campaign with facebook and linkedin links, bots, direct
    traffic, and another campaign whose events must not leak in."""
    campaign = make_campaign()
    facebook = make_link(campaign, "facebook", label="Spring post")
    linkedin = make_link(campaign, "linkedin", label="Recruiter post")
    make_events("click", 3, campaign, utc(2020, 4, 20, 10), facebook)
    make_events("visit", 2, campaign, utc(2020, 4, 20, 10, 1), facebook)
    make_events("form_start", 1, campaign, utc(2020, 4, 20, 10, 2), facebook)
    # 23:30 UTC on 20 April is 00:30 BST on 21 April.
    make_events("application", 1, campaign, utc(2020, 4, 20, 23, 30), facebook)
    make_events("click", 2, campaign, utc(2020, 4, 20, 11), facebook, is_bot=True)
    make_events("visit", 1, campaign, utc(2020, 4, 20, 11), facebook, is_bot=True)
    make_events("click", 1, campaign, utc(2020, 4, 21, 12), linkedin)
    make_events("visit", 1, campaign, utc(2020, 4, 21, 12, 5), linkedin)
    make_events("visit", 1, campaign, utc(2020, 4, 22, 9))  # direct, no link

    other = make_campaign(slug="step-up-now", name="Step Up Now", hashtag="#StepUpNow")
    other_link = make_link(other, "facebook")
    make_events("click", 5, other, utc(2020, 4, 20, 10), other_link)
    make_events("application", 1, other, utc(2020, 4, 20, 10), other_link)
    return campaign, facebook, linkedin


def as_tuple(counts: Counts) -> tuple[int, int, int, int]:
    return (counts.clicks, counts.visits, counts.form_starts, counts.applications)


def test_totals_are_exact_without_bots_or_other_campaigns(scene):
    campaign, _, _ = scene
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23))
    assert as_tuple(funnel.totals) == (4, 4, 1, 1)
    assert funnel.period == Period(D(2020, 4, 20), D(2020, 4, 23))


def test_conversion_rates(scene):
    campaign, _, _ = scene
    totals = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23)).totals
    assert totals.click_to_visit == Decimal("100.0")
    assert totals.visit_to_form_start == Decimal("25.0")
    assert totals.form_start_to_application == Decimal("100.0")
    assert totals.visit_to_application == Decimal("25.0")


def test_funnel_steps_with_rate_from_previous_step(scene):
    campaign, _, _ = scene
    steps = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23)).steps
    assert [(s.step.key, s.count, s.from_previous) for s in steps] == [
        ("impressions", 0, None),
        ("platform_clicks", 0, None),  # no impressions: nothing to divide by
        ("clicks", 4, None),  # no platform clicks
        ("visits", 4, Decimal("100.0")),
        ("form_starts", 1, Decimal("25.0")),
        ("applications", 1, Decimal("100.0")),
        ("shortlisted", 0, Decimal("0.0")),
        ("placed", 0, None),
        ("retained_6m", 0, None),
    ]
    assert [s.rate_key for s in steps] == [
        None, "click_through", "platform_click_to_click", "click_to_visit",
        "visit_to_form_start", "form_start_to_application", "application_to_shortlisted",
        "shortlisted_to_placed", "placed_to_retained_6m",
    ]


def test_by_channel_in_channel_order_with_labels(scene):
    campaign, _, _ = scene
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23))
    assert [(r.channel, r.label, as_tuple(r.counts)) for r in funnel.channels] == [
        ("facebook", "Facebook", (3, 2, 1, 1)),
        ("linkedin", "LinkedIn", (1, 1, 0, 0)),
        ("direct", "Direct or untracked", (0, 1, 0, 0)),
    ]
    facebook = funnel.channels[0].counts
    assert facebook.click_to_visit == Decimal("66.7")
    assert facebook.visit_to_application == Decimal("50.0")
    direct = funnel.channels[2].counts
    assert direct.click_to_visit is None  # no clicks: never divide by zero
    assert direct.visit_to_application == Decimal("0.0")


def test_by_local_day_with_zeros_filled(scene):
    campaign, _, _ = scene
    funnel = campaign_funnel(campaign, D(2020, 4, 19), D(2020, 4, 23))
    assert [(r.day, as_tuple(r.counts)) for r in funnel.days] == [
        (D(2020, 4, 19), (0, 0, 0, 0)),
        (D(2020, 4, 20), (3, 2, 1, 0)),
        (D(2020, 4, 21), (1, 1, 0, 1)),  # the 23:30 UTC application is on BST 21 April
        (D(2020, 4, 22), (0, 1, 0, 0)),
        (D(2020, 4, 23), (0, 0, 0, 0)),
    ]


def test_by_link_includes_every_link_and_untracked_traffic(scene):
    campaign, facebook, linkedin = scene
    idle = make_link(campaign, "email", label="Newsletter")
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23))
    assert [(r.code, r.label, r.channel, r.channel_label, as_tuple(r.counts)) for r in funnel.links] == [
        (facebook.code, "Spring post", "facebook", "Facebook", (3, 2, 1, 1)),
        (linkedin.code, "Recruiter post", "linkedin", "LinkedIn", (1, 1, 0, 0)),
        (idle.code, "Newsletter", "email", "Email", (0, 0, 0, 0)),
        (None, "No tracked link", "", "", (0, 1, 0, 0)),
    ]
    # A channel with a link but no activity still has a row of zeros.
    assert [r.channel for r in funnel.channels] == ["facebook", "linkedin", "email", "direct"]


def test_period_limits_the_counts(scene):
    campaign, _, _ = scene
    funnel = campaign_funnel(campaign, D(2020, 4, 21), D(2020, 4, 21))
    assert as_tuple(funnel.totals) == (1, 1, 0, 1)
    assert [r.day for r in funnel.days] == [D(2020, 4, 21)]


def test_winter_day_bucketing(db):
    campaign = make_campaign(starts_on=D(2020, 1, 1))
    # GMT: 23:30 UTC on 20 January is still 20 January locally.
    make_events("application", 1, campaign, utc(2020, 1, 20, 23, 30))
    funnel = campaign_funnel(campaign, D(2020, 1, 20), D(2020, 1, 21))
    assert [(r.day, r.counts.applications) for r in funnel.days] == [
        (D(2020, 1, 20), 1),
        (D(2020, 1, 21), 0),
    ]


def test_empty_campaign_has_zero_counts_and_no_rates(db):
    campaign = make_campaign()
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 21))
    assert as_tuple(funnel.totals) == (0, 0, 0, 0)
    assert funnel.totals.visit_to_application is None
    assert funnel.channels == []
    assert funnel.links == []
    assert [r.from_previous for r in funnel.steps] == [None] * 9


def test_end_before_start_is_an_error(db):
    campaign = make_campaign()
    with pytest.raises(ValueError):
        campaign_funnel(campaign, D(2020, 4, 21), D(2020, 4, 20))


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 8, Decimal("12.5")),
        (1, 2000, Decimal("0.1")),  # 0.05 rounds half up, not to even
        (0, 5, Decimal("0.0")),
        (7, 4, Decimal("175.0")),
        (3, 0, None),
        (0, 0, None),
    ],
)
def test_percent(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


def test_summary_sentence():
    assert Counts(3, 1, 0, 1).summary() == "3 clicks, 1 visit, 0 form starts and 1 application"
    assert Counts(3245, 2, 2, 0).summary() == "3,245 clicks, 2 visits, 2 form starts and 0 applications"


class TestDefaultPeriod:
    def test_start_to_today_while_running(self, db):
        campaign = make_campaign(starts_on=D(2020, 4, 20), ends_on=D(2020, 5, 24))
        assert default_period(campaign, today=D(2020, 5, 1)) == Period(D(2020, 4, 20), D(2020, 5, 1))

    def test_start_to_end_once_finished(self, db):
        campaign = make_campaign(starts_on=D(2020, 4, 20), ends_on=D(2020, 5, 24))
        assert default_period(campaign, today=D(2021, 1, 1)) == Period(D(2020, 4, 20), D(2020, 5, 24))

    def test_last_35_days_without_dates(self, db):
        campaign = make_campaign(starts_on=None, ends_on=None)
        assert default_period(campaign, today=D(2020, 5, 1)) == Period(D(2020, 3, 28), D(2020, 5, 1))

    def test_not_started_yet_shows_its_first_day(self, db):
        campaign = make_campaign(starts_on=D(2020, 6, 1), ends_on=D(2020, 7, 1))
        assert default_period(campaign, today=D(2020, 5, 1)) == Period(D(2020, 6, 1), D(2020, 6, 1))

    def test_never_longer_than_the_maximum(self, db):
        campaign = make_campaign(starts_on=D(2020, 4, 20), ends_on=D(2030, 5, 31))
        period = default_period(campaign, today=D(2024, 1, 10))
        assert period == Period(D(2023, 1, 10), D(2024, 1, 10))
        assert period.days == MAX_PERIOD_DAYS


def test_counts_are_exact_across_rollups_and_the_live_tail(scene):
    """Half the events folded into rollups by the worker, the rest still raw: same total."""
    from carerecruit.tracking.rollups import catch_up

    campaign, facebook, _ = scene
    catch_up(settle_seconds=0)
    make_events("click", 2, campaign, utc(2020, 4, 21, 8), facebook)
    make_events("click", 4, campaign, utc(2020, 4, 21, 8), facebook, is_bot=True)
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23))
    assert as_tuple(funnel.totals) == (6, 4, 1, 1)
    assert as_tuple(funnel.channels[0].counts) == (5, 2, 1, 1)
    assert [(r.day, r.counts.clicks) for r in funnel.days] == [
        (D(2020, 4, 20), 3), (D(2020, 4, 21), 3), (D(2020, 4, 22), 0), (D(2020, 4, 23), 0),
    ]
    catch_up(settle_seconds=0)
    assert as_tuple(campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 23)).totals) == (6, 4, 1, 1)
