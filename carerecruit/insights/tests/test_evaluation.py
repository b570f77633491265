"""The full funnel with ad-platform figures: exact impressions, platform clicks, spend in
pence, costs, period totals, the comparison period, weeks, councils."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps

from carerecruit.insights.funnel import (
    Change,
    Counts,
    Period,
    build_funnel,
    campaign_funnel,
    format_money,
    pence_per,
    pounds,
)
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import make_ad_day, make_ad_period, make_application, make_events, utc

D = datetime.date


@pytest.fixture
def ads_scene(db):
    """A week (Mon 20 to Sun 26 April 2020) with ad figures and events, a week before it
    for comparison, and figures outside both that must not count."""
    campaign = make_campaign()
    facebook = make_link(campaign, "facebook")
    linkedin = make_link(campaign, "linkedin")
    # Daily ad figures: Meta mapped to facebook, Google mapped to no channel.
    make_ad_day(campaign, D(2020, 4, 20), 1000, 50, 2500)
    make_ad_day(campaign, D(2020, 4, 21), 3000, 70, 3001)
    make_ad_day(campaign, D(2020, 4, 22), 500, 10, 999, channel="", platform="google")
    make_ad_day(campaign, D(2020, 4, 15), 800, 40, 2000)  # the previous week
    make_ad_day(campaign, D(2020, 4, 27), 9999, 999, 99999)  # after the period
    # Period totals: inside the week, overlapping its end, inside the week before.
    make_ad_period(campaign, D(2020, 4, 21), D(2020, 4, 24), 2000, 30, 4500)
    make_ad_period(campaign, D(2020, 4, 25), D(2020, 5, 2), 700, 7, 1234)
    make_ad_period(campaign, D(2020, 4, 13), D(2020, 4, 19), 100, 1, 100)
    # Events.
    make_events("click", 4, campaign, utc(2020, 4, 20, 9), facebook)
    make_events("click", 3, campaign, utc(2020, 4, 21, 9), facebook)
    make_events("visit", 5, campaign, utc(2020, 4, 20, 9, 1), facebook)
    make_events("application", 2, campaign, utc(2020, 4, 21, 9, 5), facebook)
    make_events("shortlisted", 1, campaign, utc(2020, 4, 23, 9), facebook)
    make_events("placed", 1, campaign, utc(2020, 4, 25, 9), facebook)
    make_events("click", 2, campaign, utc(2020, 4, 22, 9), linkedin)
    make_events("visit", 2, campaign, utc(2020, 4, 22, 9), linkedin)
    make_events("application", 1, campaign, utc(2020, 4, 22, 9), linkedin)
    make_events("click", 2, campaign, utc(2020, 4, 15, 9), facebook)
    make_events("visit", 2, campaign, utc(2020, 4, 15, 9), facebook)
    make_events("application", 1, campaign, utc(2020, 4, 15, 9), facebook)
    # Another campaign's ad figures never leak in.
    other = make_campaign(slug="step-up-now", name="Step Up Now", hashtag="#StepUpNow")
    make_ad_day(other, D(2020, 4, 20), 123456, 789, 50000)
    return campaign


WEEK = (D(2020, 4, 20), D(2020, 4, 26))


def figures_of(counts: Counts) -> dict:
    return {
        "impressions": counts.impressions, "platform_clicks": counts.platform_clicks,
        "clicks": counts.clicks, "visits": counts.visits, "form_starts": counts.form_starts,
        "applications": counts.applications, "shortlisted": counts.shortlisted,
        "placed": counts.placed, "retained_6m": counts.retained_6m, "spend_pence": counts.spend_pence,
    }


def test_totals_include_daily_figures_and_period_totals_inside_the_period(ads_scene):
    funnel = campaign_funnel(ads_scene, *WEEK)
    assert figures_of(funnel.totals) == {
        "impressions": 6500, "platform_clicks": 160, "clicks": 9, "visits": 7, "form_starts": 0,
        "applications": 3, "shortlisted": 1, "placed": 1, "retained_6m": 0, "spend_pence": 11000,
    }
    # The daily rows hold daily figures only: the period total is never spread into days.
    assert funnel.dated_totals.impressions == 4500
    assert funnel.dated_totals.spend_pence == 6500
    assert sum(row.counts.impressions for row in funnel.days) == 4500


def test_costs_in_pence(ads_scene):
    totals = campaign_funnel(ads_scene, *WEEK).totals
    assert totals.cost_per_click == 69  # 11,000p / 160 = 68.75p
    assert totals.cost_per_application == 3667  # 11,000p / 3 = 3,666.67p
    assert totals.cost_per_placement == 11000


def test_conversion_at_every_step(ads_scene):
    steps = campaign_funnel(ads_scene, *WEEK).steps
    assert [(s.step.key, s.count, s.from_previous) for s in steps] == [
        ("impressions", 6500, None),
        ("platform_clicks", 160, Decimal("2.5")),
        ("clicks", 9, Decimal("5.6")),
        ("visits", 7, Decimal("77.8")),
        ("form_starts", 0, Decimal("0.0")),
        ("applications", 3, None),  # no form starts: nothing to divide by
        ("shortlisted", 1, Decimal("33.3")),
        ("placed", 1, Decimal("100.0")),
        ("retained_6m", 0, Decimal("0.0")),
    ]


def test_by_channel_with_spend_mapped_to_channels(ads_scene):
    funnel = campaign_funnel(ads_scene, *WEEK)
    rows = {row.channel: row for row in funnel.channels}
    assert [row.channel for row in funnel.channels] == ["facebook", "linkedin", ""]
    assert rows[""].label == "Not mapped to a channel"
    assert figures_of(rows["facebook"].counts) == {
        "impressions": 4000, "platform_clicks": 120, "clicks": 7, "visits": 5, "form_starts": 0,
        "applications": 2, "shortlisted": 1, "placed": 1, "retained_6m": 0, "spend_pence": 5501,
    }
    assert rows["facebook"].counts.cost_per_application == 2751  # 2,750.5p rounds half up
    assert rows["facebook"].counts.cost_per_click == 46  # 5,501p / 120 = 45.84p
    assert rows["facebook"].counts.cost_per_placement == 5501
    # LinkedIn's spend is a period total inside the week: it counts for the channel.
    assert (rows["linkedin"].counts.spend_pence, rows["linkedin"].counts.cost_per_application) == (4500, 4500)
    assert (rows[""].counts.spend_pence, rows[""].counts.applications) == (999, 0)
    assert rows[""].counts.cost_per_application is None
    assert rows[""].counts.cost_per_click == 100  # 999p / 10
    # Channels add up to the totals.
    total = Counts()
    for row in funnel.channels:
        total.add_counts(row.counts)
    assert figures_of(total) == figures_of(funnel.totals)


def test_by_day_has_ad_figures_on_their_days(ads_scene):
    funnel = campaign_funnel(ads_scene, *WEEK)
    assert [(r.day, r.counts.impressions, r.counts.platform_clicks, r.counts.spend_pence) for r in funnel.days] == [
        (D(2020, 4, 20), 1000, 50, 2500),
        (D(2020, 4, 21), 3000, 70, 3001),
        (D(2020, 4, 22), 500, 10, 999),
        (D(2020, 4, 23), 0, 0, 0),
        (D(2020, 4, 24), 0, 0, 0),
        (D(2020, 4, 25), 0, 0, 0),
        (D(2020, 4, 26), 0, 0, 0),
    ]
    assert funnel.days[0].counts.cost_per_click == 50  # 2,500p / 50
    assert funnel.days[3].counts.cost_per_click is None  # no ad figures that day


def test_period_totals_are_listed_with_whether_they_count(ads_scene):
    funnel = campaign_funnel(ads_scene, *WEEK)
    assert [
        (r.period_start, r.period_end, r.platform, r.channel, r.counts.impressions, r.counts.spend_pence, r.included)
        for r in funnel.period_totals
    ] == [
        (D(2020, 4, 21), D(2020, 4, 24), "linkedin", "linkedin", 2000, 4500, True),
        (D(2020, 4, 25), D(2020, 5, 2), "linkedin", "linkedin", 700, 1234, False),
    ]


def test_previous_period_is_the_same_length_just_before(ads_scene):
    funnel = campaign_funnel(ads_scene, *WEEK)
    assert funnel.previous_period == Period(D(2020, 4, 13), D(2020, 4, 19))
    assert figures_of(funnel.previous) == {
        "impressions": 900, "platform_clicks": 41, "clicks": 2, "visits": 2, "form_starts": 0,
        "applications": 1, "shortlisted": 0, "placed": 0, "retained_6m": 0, "spend_pence": 2100,
    }
    changes = {c.key: c for c in funnel.changes()}
    assert (changes["applications"].difference, changes["applications"].percent_change) == (2, Decimal("200.0"))
    assert (changes["spend_pence"].difference, changes["spend_pence"].percent_change) == (8900, Decimal("423.8"))
    assert (changes["cost_per_application"].current, changes["cost_per_application"].previous) == (3667, 2100)
    assert changes["cost_per_application"].difference == 1567
    assert changes["placed"].percent_change is None  # nothing placed before: no percentage
    assert (changes["visit_to_application"].current, changes["visit_to_application"].previous) == (
        Decimal("42.9"), Decimal("50.0"),
    )
    assert changes["visit_to_application"].difference == Decimal("-7.1")


def test_previous_period_of_a_single_day():
    assert Period(D(2020, 4, 20), D(2020, 4, 20)).previous() == Period(D(2020, 4, 19), D(2020, 4, 19))
    assert Period(D(2020, 3, 1), D(2020, 3, 31)).previous() == Period(D(2020, 1, 30), D(2020, 2, 29))


def test_change_percent_and_missing_values():
    assert Change("x", "X", "count", 5, 0).percent_change is None
    assert Change("x", "X", "count", 0, 4).percent_change == Decimal("-100.0")
    assert Change("x", "X", "money", None, 400).difference is None


def test_other_currencies_are_not_added_to_pounds(db):
    campaign = make_campaign()
    make_ad_day(campaign, D(2020, 4, 20), 100, 10, 5000, currency="EUR", name="euro ads")
    make_ad_day(campaign, D(2020, 4, 20), 100, 10, 700)
    totals = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 20)).totals
    assert (totals.impressions, totals.platform_clicks, totals.spend_pence) == (200, 20, 700)
    assert totals.other_currency is True


def test_weeks_are_monday_to_sunday_across_the_clocks_going_forward(db):
    campaign = make_campaign(starts_on=D(2020, 3, 1))
    # Sunday 29 March 2020: clocks go forward at 01:00 UTC.
    make_events("visit", 1, campaign, utc(2020, 3, 29, 0, 30))  # 00:30 GMT, Sunday
    make_events("visit", 2, campaign, utc(2020, 3, 29, 22, 59))  # 23:59 BST, Sunday
    make_events("visit", 4, campaign, utc(2020, 3, 29, 23, 0))  # 00:00 BST, Monday 30 March
    make_events("visit", 8, campaign, utc(2020, 3, 23, 0, 0))  # Monday 23 March, 00:00 GMT
    make_events("visit", 16, campaign, utc(2020, 3, 22, 23, 59))  # Sunday 22 March: week before
    funnel = build_funnel([campaign], Period(D(2020, 3, 25), D(2020, 4, 1)), "week")
    assert [(w.week_start, w.first_day, w.last_day, w.iso_week, w.days, w.counts.visits) for w in funnel.weeks] == [
        (D(2020, 3, 23), D(2020, 3, 25), D(2020, 3, 29), "2020-W13", 5, 3),
        (D(2020, 3, 30), D(2020, 3, 30), D(2020, 4, 1), "2020-W14", 3, 4),
    ]
    full = build_funnel([campaign], Period(D(2020, 3, 16), D(2020, 3, 29)), "week")
    assert [(w.week_start, w.counts.visits) for w in full.weeks] == [(D(2020, 3, 16), 16), (D(2020, 3, 23), 11)]


def test_weeks_across_the_clocks_going_back(db):
    campaign = make_campaign(starts_on=D(2020, 10, 1))
    # Sunday 25 October 2020: clocks go back at 01:00 UTC; 23:30 UTC is still Sunday (GMT).
    make_events("application", 1, campaign, utc(2020, 10, 25, 23, 30))
    make_events("application", 2, campaign, utc(2020, 10, 18, 23, 30))  # 00:30 BST Monday 19th
    funnel = build_funnel([campaign], Period(D(2020, 10, 12), D(2020, 11, 1)), "week")
    assert [(w.week_start, w.counts.applications) for w in funnel.weeks] == [
        (D(2020, 10, 12), 0), (D(2020, 10, 19), 3), (D(2020, 10, 26), 0),
    ]


def test_unknown_granularity(db):
    with pytest.raises(ValueError):
        build_funnel([make_campaign()], Period(D(2020, 4, 20), D(2020, 4, 20)), "month")


def test_councils_counts_applications_by_preference(db, personas):
    campaign = make_campaign()
    a, b = personas.council_a, personas.council_b
    make_application(campaign, utc(2020, 4, 20, 12), [a])
    make_application(campaign, utc(2020, 4, 20, 23, 30), [a, b])  # 21 April, BST
    placed = make_application(campaign, utc(2020, 4, 21, 12), [b])
    make_application(campaign, utc(2020, 4, 21, 13), [])
    make_application(campaign, utc(2020, 4, 19, 12), [a])  # before the period
    other = make_campaign(slug="step-up-now", name="Step Up Now")
    make_application(other, utc(2020, 4, 20, 12), [a])
    outcome = apps.get_model("placements", "FunnelOutcome")
    outcome.objects.create(application=placed, kind="placed")
    funnel = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 21))
    assert [(r.name, r.applications, r.placed) for r in funnel.councils] == [
        ("Birmingham City Council", 2, 0),
        ("Coventry City Council", 2, 1),
        ("No preference given", 1, 0),
    ]


def test_money_helpers():
    assert pence_per(1000, 3) == 333
    assert pence_per(1001, 2) == 501
    assert pence_per(5, 0) is None
    assert pounds(12345) == Decimal("123.45")
    assert format_money(123456) == "£1,234.56"
    assert format_money(5) == "£0.05"
    assert format_money(-250) == "-£2.50"
    assert format_money(None) == ""


def test_an_organic_channel_has_no_cost(db):
    campaign = make_campaign()
    make_events("application", 2, campaign, utc(2020, 4, 20, 12))
    totals = campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 20)).totals
    assert (totals.spend_pence, totals.cost_per_application, totals.has_ad_figures) == (0, None, False)


def test_overview_funnel_spans_campaigns(ads_scene):
    other = make_campaign(slug="second", name="Second")
    make_events("application", 4, other, utc(2020, 4, 20, 12))
    funnel = build_funnel([ads_scene, other], Period(*WEEK), with_links=False)
    assert funnel.totals.applications == 7
    assert funnel.links == []
    assert funnel.campaign is None
    assert funnel.campaign_totals[other.pk].applications == 4
    assert funnel.campaign_totals[ads_scene.pk].spend_pence == 11000
    assert funnel.campaign_previous[ads_scene.pk].spend_pence == 2100
