"""/staff/insights/: every campaign a user may read, one row each, totals, by audience."""

import datetime

import pytest

from carerecruit.insights.funnel import Period
from carerecruit.insights.overview import build_overview
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import figures, make_ad_day, make_events, utc

D = datetime.date
PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=26&end_1=4&end_2=2020"
URL = "/staff/insights/"


@pytest.fixture
def campaigns(db):
    first = make_campaign()
    second = make_campaign(slug="step-up-now", name="Step Up Now", audience="Former social workers ")
    third = make_campaign(slug="care-at-home", name="Care at Home", audience="School leavers",
                          status="closed")
    f1 = make_link(first, "facebook")
    f2 = make_link(second, "linkedin")
    make_events("click", 5, first, utc(2020, 4, 20, 12), f1)
    make_events("visit", 4, first, utc(2020, 4, 20, 12), f1)
    make_events("application", 2, first, utc(2020, 4, 21, 12), f1)
    make_events("visit", 10, second, utc(2020, 4, 22, 12), f2)
    make_events("application", 1, second, utc(2020, 4, 22, 12), f2)
    make_events("application", 3, third, utc(2020, 4, 23, 12))
    make_events("application", 6, first, utc(2020, 4, 14, 12), f1)  # the week before
    make_ad_day(first, D(2020, 4, 20), 2000, 40, 6000)
    make_ad_day(second, D(2020, 4, 21), 1000, 20, 1500, channel="linkedin", platform="linkedin")
    return first, second, third


def test_one_row_per_campaign_with_totals(campaigns):
    first, second, third = campaigns
    overview = build_overview([first, second, third], Period(D(2020, 4, 20), D(2020, 4, 26)))
    rows = [(r.campaign.slug, r.counts.clicks, r.counts.visits, r.counts.applications,
             r.counts.spend_pence, r.counts.cost_per_application) for r in overview.campaign_rows]
    # Live campaigns first, by name; then the others.
    assert rows == [
        ("come-back-to-care", 5, 4, 2, 6000, 3000),
        ("step-up-now", 0, 10, 1, 1500, 1500),
        ("care-at-home", 0, 0, 3, 0, None),
    ]
    totals = overview.funnel.totals
    assert (totals.clicks, totals.visits, totals.applications, totals.spend_pence) == (5, 14, 6, 7500)
    assert totals.cost_per_application == 1250
    assert overview.campaign_rows[0].previous.applications == 6
    assert [(r.audience, r.campaigns, r.counts.applications, r.counts.spend_pence) for r in overview.audience_rows] == [
        ("Former social workers", 2, 3, 7500),
        ("School leavers", 1, 3, 0),
    ]


def test_overview_page_exact_figures(client, personas, campaigns):
    # The regional body runs these campaigns, so its staff see them exactly (a provider
    # sees small counts suppressed: test_suppression.py).
    client.force_login(personas.viewer)
    response = client.get(f"{URL}?{PERIOD}")
    assert response.status_code == 200
    found = figures(response.content)
    assert found[("applications",)] == "6"
    assert found[("spend_pence",)] == "£75.00"
    assert found[("cost_per_application",)] == "£12.50"
    assert found[("previous:applications",)] == "6"
    assert found[("change:applications",)] == "no change"
    assert found[("data-campaign", "come-back-to-care", "applications")] == "2"
    assert found[("data-campaign", "come-back-to-care", "spend_pence")] == "£60.00"
    assert found[("data-campaign", "come-back-to-care", "cost_per_application")] == "£30.00"
    assert found[("data-campaign", "care-at-home", "cost_per_application")] == "–not available"
    assert found[("data-campaign", "all", "applications")] == "6"
    assert found[("data-audience", "1", "applications")] == "3"
    assert found[("data-audience", "1", "campaigns")] == "2"
    assert found[("data-channel", "linkedin", "spend_pence")] == "£15.00"
    assert found[("data-day", "2020-04-22", "visits")] == "10"
    html = response.content.decode()
    assert "<title>All campaigns: live evaluation" in html
    assert 'hx-get="/staff/insights/live/?' in html
    assert html.count("aria-live") == 1


def test_overview_by_week(client, personas, campaigns):
    client.force_login(personas.viewer)
    found = figures(client.get(f"{URL}?{PERIOD}&by=week").content)
    assert found[("data-week", "2020-04-20", "applications")] == "6"
    assert not any(key[0] == "data-day" for key in found)


def test_overview_live_partial(client, personas, campaigns):
    client.force_login(personas.viewer)
    response = client.get(f"{URL}live/?{PERIOD}", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "aria-live" not in html
    assert figures(html)[("data-campaign", "step-up-now", "visits")] == "10"


def test_overview_downloads(client, personas, campaigns):
    client.force_login(personas.viewer)
    response = client.get(f"{URL}download/campaigns.csv?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="all-campaigns-campaigns-2020-04-20-to-2020-04-26.csv"'
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].startswith("Come Back to Care,Live,Former social workers,2000,40,5,4,0,2,0,0,0,60.00,1.50,30.00,,80.0,50.0")
    assert lines[-1].startswith("All campaigns,,,3000,60,5,14,0,6,")
    for name, fmt, content_type in [
        ("audiences", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("funnel-chart", "png", "image/png"),
        ("trend-chart", "svg", "image/svg+xml"),
    ]:
        response = client.get(f"{URL}download/{name}.{fmt}?{PERIOD}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == content_type
    assert client.get(f"{URL}download/links.csv").status_code == 404
    assert client.get(f"{URL}download/campaigns.png").status_code == 404


def test_bad_period_shows_errors_and_partial_is_400(client, personas, campaigns):
    client.force_login(personas.viewer)
    bad = "start_0=31&start_1=2&start_2=2020&end_0=1&end_1=3&end_2=2020"
    response = client.get(f"{URL}?{bad}")
    assert response.status_code == 200
    assert "<title>Error: All campaigns" in response.content.decode()
    assert client.get(f"{URL}live/?{bad}").status_code == 400
    assert client.get(f"{URL}download/campaigns.csv?{bad}").status_code == 400


def test_anonymous_goes_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/staff/insights/"


def test_a_user_without_an_organisation_sees_no_campaigns(client, campaigns):
    from carerecruit.organisations.models import User

    user = User.objects.create_user("loose", password="x-long-password-1")
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "There are no campaigns you can see yet." in html


def test_default_period_is_the_last_35_days(client, personas, db):
    client.force_login(personas.viewer)
    found = figures(client.get(URL).content)
    days = sorted({key[1] for key in found if key[0] == "data-day"} - {"all"})
    assert len(days) == 35
    assert days[-1] == datetime.date.today().isoformat()
