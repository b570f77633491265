"""Conversion rates are shares of the step before: never shown above 100%.

A campaign with direct visits has more visits than tracked clicks; "300%" click to visit
would read as a rate and mean nothing, so the dashboard shows a dash and says why, and
the downloads leave the cell blank.
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest

from carerecruit.insights.funnel import Counts, campaign_funnel, conversion, percent
from carerecruit.testing.factories import make_link

from .helpers import figures, make_events, utc

DAY = datetime.date(2020, 4, 21)
PERIOD = "start_0=21&start_1=4&start_2=2020&end_0=21&end_1=4&end_2=2020"


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    (3, 4, Decimal("75.0")), (4, 4, Decimal("100.0")), (5, 4, None), (1, 0, None), (0, 0, None),
])
def test_conversion_is_never_above_100(numerator, denominator, expected):
    assert conversion(numerator, denominator) == expected
    assert percent(5, 4) == Decimal("125.0")  # changes between periods may pass 100%


def test_counts_give_no_rate_where_a_step_outnumbers_the_one_before():
    counts = Counts(clicks=1, visits=3, form_starts=2, applications=1)
    assert counts.click_to_visit is None
    assert counts.visit_to_form_start == Decimal("66.7")
    assert counts.rate("visit_to_application") == Decimal("33.3")


@pytest.fixture
def direct_heavy(campaign):
    """1 tracked click, 3 visits (1 from the click, 2 direct), 1 form start, 1 application."""
    link = make_link(campaign, "facebook")
    at = utc(2020, 4, 21, 12)
    make_events("click", 1, campaign, at, link)
    make_events("visit", 1, campaign, at, link)
    make_events("visit", 2, campaign, at)
    make_events("form_start", 1, campaign, at)
    make_events("application", 1, campaign, at)
    return campaign


def test_funnel_steps_mark_a_step_above_the_one_before(direct_heavy):
    steps = {s.step.key: s for s in campaign_funnel(direct_heavy, DAY, DAY).steps}
    assert (steps["visits"].count, steps["visits"].from_previous, steps["visits"].exceeds_previous) == (
        3, None, True)
    assert (steps["form_starts"].from_previous, steps["form_starts"].exceeds_previous) == (
        Decimal("33.3"), False)
    # Nothing before: no rate, but not "more than" either.
    assert (steps["clicks"].from_previous, steps["clicks"].exceeds_previous) == (None, False)


def test_dashboard_and_download_show_no_rate_above_100(client, personas, direct_heavy):
    client.force_login(personas.council_a_recruiter)
    url = f"/staff/campaigns/{direct_heavy.slug}/"

    html = client.get(f"{url}?{PERIOD}").content.decode()

    found = figures(html)
    assert found[("data-step", "visits", "from_previous")] == "–not a rate: more than clicks"
    assert found[("data-channel", "all", "click_to_visit")] == "–not available"
    assert found[("data-channel", "facebook", "click_to_visit")] == "100.0%"
    assert "300.0%" not in html
    assert "More than clicks, so not a rate" in html
    assert "a percentage would mislead, so the tables show a dash" in html

    download = client.get(f"{url}download/funnel.csv?{PERIOD}").content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(download))}
    assert rows["Visits"][1:3] == ["3", ""]
