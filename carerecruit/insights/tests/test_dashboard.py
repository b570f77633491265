import datetime
import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from carerecruit.insights import views
from carerecruit.insights.funnel import campaign_funnel
from carerecruit.organisations.models import User
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.testing.personas import make_user
from carerecruit.workforce.suppression import UNRESTRICTED

from .helpers import figures, make_events, utc
from .test_funnel import scene  # noqa: F401 (fixture)

PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=23&end_1=4&end_2=2020"


def dashboard_url(slug="come-back-to-care"):
    return reverse("insights:campaign-dashboard", args=[slug])


def live_url(slug="come-back-to-care"):
    return reverse("insights:campaign-dashboard-live", args=[slug])


@pytest.fixture
def staff(client, personas):
    # A read-only member of the regional body, which runs the campaign: it sees the
    # campaign's figures exactly (suppression is tested in test_suppression.py).
    client.force_login(personas.viewer)
    return client


def test_urls():
    assert dashboard_url() == "/staff/campaigns/come-back-to-care/"
    assert live_url() == "/staff/campaigns/come-back-to-care/live/"
    assert (
        reverse("insights:campaign-download", args=["come-back-to-care", "days", "csv"])
        == "/staff/campaigns/come-back-to-care/download/days.csv"
    )


EXPECTED_FIGURES = {
    ("clicks",): "4",
    ("visits",): "4",
    ("form_starts",): "1",
    ("applications",): "1",
    ("visit_to_application",): "25.0%",
    ("data-channel", "facebook", "clicks"): "3",
    ("data-channel", "facebook", "visits"): "2",
    ("data-channel", "facebook", "form_starts"): "1",
    ("data-channel", "facebook", "applications"): "1",
    ("data-channel", "facebook", "click_to_visit"): "66.7%",
    ("data-channel", "facebook", "visit_to_application"): "50.0%",
    ("data-channel", "linkedin", "clicks"): "1",
    ("data-channel", "linkedin", "visits"): "1",
    ("data-channel", "linkedin", "applications"): "0",
    ("data-channel", "linkedin", "visit_to_application"): "0.0%",
    ("data-channel", "direct", "clicks"): "0",
    ("data-channel", "direct", "visits"): "1",
    ("data-channel", "direct", "click_to_visit"): "–not available",
    ("data-channel", "all", "clicks"): "4",
    ("data-channel", "all", "visits"): "4",
    ("data-day", "2020-04-20", "clicks"): "3",
    ("data-day", "2020-04-20", "applications"): "0",
    ("data-day", "2020-04-21", "applications"): "1",
    ("data-day", "2020-04-22", "visits"): "1",
    ("data-day", "2020-04-23", "clicks"): "0",
    ("data-day", "2020-04-23", "visits"): "0",
    ("data-step", "visits", "from_previous"): "100.0%",
    ("data-step", "form_starts", "from_previous"): "25.0%",
    ("data-step", "applications", "applications"): "1",
    ("data-link", "none", "visits"): "1",
}


def assert_figures(html):
    found = figures(html)
    for key, value in EXPECTED_FIGURES.items():
        assert found.get(key) == value, key


def test_dashboard_shows_exact_figures(staff, scene):  # noqa: F811
    _, facebook, linkedin = scene
    response = staff.get(f"{dashboard_url()}?{PERIOD}")
    assert response.status_code == 200
    assert_figures(response.content)
    found = figures(response.content)
    assert found[("data-link", facebook.code, "clicks")] == "3"
    assert found[("data-link", linkedin.code, "clicks")] == "1"
    # Channel rows are facebook, linkedin, direct (with links, in Channel order) only.
    channels = {key[1] for key in found if key[0] == "data-channel"}
    assert channels == {"facebook", "linkedin", "direct", "all"}
    # Every local day of the period has a row, and no other.
    days = sorted({key[1] for key in found if key[0] == "data-day"})
    assert days == ["2020-04-20", "2020-04-21", "2020-04-22", "2020-04-23", "all"]
    html = response.content.decode()
    assert "<title>Dashboard: Come Back to Care" in html
    assert "20 April 2020" in html and "23 April 2020" in html


def test_live_partial_has_the_same_figures_and_polls(staff, scene, settings):  # noqa: F811
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 7
    response = staff.get(f"{live_url()}?{PERIOD}", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert_figures(html)
    assert f'hx-get="{live_url()}?{PERIOD.replace("&", "&amp;")}"' in html
    assert 'hx-trigger="every 7s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert 'data-summary="4 clicks, 4 visits, 1 form start and 1 application"' in html
    # The live region is on the page's summary line only, never in the swapped panel.
    assert "aria-live" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_page_polls_the_live_partial_and_has_one_live_region(staff, scene):  # noqa: F811
    html = staff.get(dashboard_url()).content.decode()
    assert html.count("aria-live") == 1
    assert (
        '<p class="govuk-visually-hidden" id="cr-live-summary" aria-live="polite">'
        "0 clicks, 0 visits, 0 form starts and 0 applications</p>"
    ) in html
    assert f'hx-get="{live_url()}"' in html
    assert 'hx-trigger="every 5s"' in html
    assert f'<a class="govuk-link" href="{dashboard_url()}">Refresh' in html
    for script in ("htmx.min.js", "vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "dashboard.js"):
        assert re.search(rf'<script defer src="/static/[^"]*{re.escape(script)}"></script>', html)


def test_refresh_and_downloads_keep_the_chosen_period(staff, scene):  # noqa: F811
    html = staff.get(f"{dashboard_url()}?{PERIOD}").content.decode()
    query = PERIOD.replace("&", "&amp;")
    assert f'href="{dashboard_url()}?{query}">Refresh' in html
    for table in ("funnel", "channels", "days", "links"):
        for fmt in ("csv", "xlsx"):
            assert f'href="/staff/campaigns/come-back-to-care/download/{table}.{fmt}?{query}"' in html


def test_chart_spec_matches_the_day_table(staff, scene):  # noqa: F811
    html = staff.get(f"{dashboard_url()}?{PERIOD}").content.decode()
    match = re.search(r'<script id="cr-chart-spec" type="application/json">(.*?)</script>', html, re.S)
    spec = json.loads(match.group(1))
    values = {(v["day"], v["series"]): v["count"] for v in spec["datasets"]["values"]}
    assert values == {
        ("2020-04-20", "Tracked clicks"): 3, ("2020-04-20", "Visits"): 2, ("2020-04-20", "Applications"): 0,
        ("2020-04-21", "Tracked clicks"): 1, ("2020-04-21", "Visits"): 1, ("2020-04-21", "Applications"): 1,
        ("2020-04-22", "Tracked clicks"): 0, ("2020-04-22", "Visits"): 1, ("2020-04-22", "Applications"): 0,
        ("2020-04-23", "Tracked clicks"): 0, ("2020-04-23", "Visits"): 0, ("2020-04-23", "Applications"): 0,
    }
    assert spec["data"] == {"name": "values"}
    assert '<figure class="govuk-!-margin-0 govuk-!-margin-bottom-2" id="cr-chart-figure" hx-preserve="true" hidden>' in html
    assert (
        'role="img" aria-label="Line chart of tracked clicks, visits and applications per local day from '
        "20 April 2020 to 23 April 2020. The same figures are in the table of counts by day.\""
    ) in html


def test_default_period_is_the_campaign_so_far(staff, db):
    today = datetime.date.today()
    make_campaign(starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=30))
    found = figures(staff.get(dashboard_url()).content)
    days = sorted({key[1] for key in found if key[0] == "data-day"} - {"all"})
    assert len(days) == 3


def test_new_events_show_on_the_next_poll(staff, scene):  # noqa: F811
    campaign, facebook, _ = scene
    before = figures(staff.get(f"{live_url()}?{PERIOD}").content)
    make_events("click", 1, campaign, utc(2020, 4, 22, 8), facebook)
    make_events("click", 1, campaign, utc(2020, 4, 22, 8), facebook, is_bot=True)
    after = figures(staff.get(f"{live_url()}?{PERIOD}").content)
    assert before[("data-channel", "facebook", "clicks")] == "3"
    assert after[("data-channel", "facebook", "clicks")] == "4"
    assert after[("clicks",)] == "5"


def test_updated_time_is_uk_local(scene):  # noqa: F811
    campaign, _, _ = scene
    funnel = campaign_funnel(campaign, datetime.date(2020, 4, 20), datetime.date(2020, 4, 21))
    funnel.generated_at = utc(2020, 4, 20, 23, 30, 5)
    html = render_to_string("insights/_live.html", views._dashboard_context(
        funnel, explicit_period=True, viewer=UNRESTRICTED,
    ))
    assert (
        'Updated <time datetime="2020-04-21T00:30:05+01:00" data-updated>00:30:05</time> (UK time)'
        in html
    )


def test_thousands_have_commas_and_raw_value_attribute(staff, db):
    campaign = make_campaign(starts_on=datetime.date(2020, 4, 20), ends_on=datetime.date(2020, 4, 20))
    make_events("click", 1234, campaign, utc(2020, 4, 20, 12), make_link(campaign))
    html = staff.get(dashboard_url()).content.decode()
    assert '<p class="govuk-heading-xl cr-figure__value" data-metric="clicks" data-value="1234">1,234</p>' in html


def test_simulated_campaign_is_labelled(staff, db):
    make_campaign(is_simulated=True)
    assert '<p class="cr-simulated">Simulated demo data</p>' in staff.get(dashboard_url()).content.decode()


def test_real_campaign_is_not_labelled(staff, campaign):
    assert "Simulated demo data" not in staff.get(dashboard_url()).content.decode()


def test_link_labels_are_escaped(staff, campaign):
    make_link(campaign, label="<script>alert(1)</script>")
    html = staff.get(dashboard_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start_0=31&start_1=2&start_2=2020&end_0=1&end_1=3&end_2=2020", "The start date must be a real date"),
        ("start_0=2&start_1=3&start_2=2020&end_0=1&end_1=3&end_2=2020",
         "The end date must be the same as or after the start date"),
        ("start_0=1&start_1=1&start_2=2020&end_0=1&end_1=3&end_2=2021", "The period must be 366 days or shorter"),
        ("start_0=1&start_1=3&start_2=2020", "Enter the end date"),
    ],
)
def test_bad_period_shows_an_error_summary(staff, campaign, query, message):
    response = staff.get(f"{dashboard_url()}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Dashboard: Come Back to Care" in html
    assert 'class="govuk-error-summary"' in html
    assert message in html
    # The figures still show, for the default period.
    assert ("clicks",) in figures(html)


def test_bad_period_on_the_live_partial_is_a_400(staff, campaign):
    response = staff.get(f"{live_url()}?start_0=99&start_1=1&start_2=2020&end_0=1&end_1=1&end_2=2020")
    assert response.status_code == 400


def test_anonymous_is_sent_to_sign_in(client, campaign):
    for url in (dashboard_url(), live_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/staff/login/?next={url}"


def test_anonymous_htmx_poll_redirects_the_whole_page(client, campaign):
    response = client.get(
        live_url(), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{dashboard_url()}?{PERIOD}"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == (
        "/staff/login/?next=/staff/campaigns/come-back-to-care/%3F" + PERIOD.replace("=", "%3D").replace("&", "%26")
    )
    assert response.content == b""


def test_unknown_campaign_is_404(staff, db):
    assert staff.get(dashboard_url("no-such-campaign")).status_code == 404
    assert staff.get(live_url("no-such-campaign")).status_code == 404


@pytest.mark.parametrize(
    "persona",
    ["regional_admin", "campaign_manager", "council_a_recruiter", "council_b_recruiter",
     "provider_recruiter", "viewer"],
)
def test_every_staff_member_reads_the_aggregates(client, personas, scene, persona):  # noqa: F811
    client.force_login(getattr(personas, persona))
    response = client.get(f"{dashboard_url()}?{PERIOD}")
    assert response.status_code == 200
    assert figures(response.content)[("data-channel", "facebook", "clicks")] == "3"


def test_user_without_an_organisation_sees_404(client, campaign):
    client.force_login(make_user("loose_user", None, User.Role.VIEWER))
    assert client.get(dashboard_url()).status_code == 404


def test_post_is_not_allowed(staff, campaign):
    assert staff.post(dashboard_url()).status_code == 405
    assert staff.post(live_url()).status_code == 405


# --- The full funnel on the page ---------------------------------------------------------

from .test_evaluation import ads_scene  # noqa: E402,F401 (fixture)

WEEK_PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=26&end_1=4&end_2=2020"


def test_full_funnel_money_and_comparison_on_the_page(staff, ads_scene):  # noqa: F811
    found = figures(staff.get(f"{dashboard_url()}?{WEEK_PERIOD}").content)
    expected = {
        ("impressions",): "6,500",
        ("platform_clicks",): "160",
        ("clicks",): "9",
        ("shortlisted",): "1",
        ("placed",): "1",
        ("retained_6m",): "0",
        ("spend_pence",): "£110.00",
        ("cost_per_click",): "£0.69",
        ("cost_per_application",): "£36.67",
        ("cost_per_placement",): "£110.00",
        ("previous:applications",): "1",
        ("change:applications",): "+2 (+200.0%)",
        ("previous:spend_pence",): "£21.00",
        ("change:spend_pence",): "+£89.00 (+423.8%)",
        ("change:cost_per_application",): "+£15.67 (+74.6%)",
        ("change:placed",): "+1",
        ("change:retained_6m",): "no change",
        ("change:visit_to_application",): "\u22127.1 points",
        ("data-step", "platform_clicks", "from_previous"): "2.5%",
        ("data-step", "impressions", "previous:impressions"): "900",
        ("data-channel", "facebook", "impressions"): "4,000",
        ("data-channel", "facebook", "spend_pence"): "£55.01",
        ("data-channel", "facebook", "cost_per_application"): "£27.51",
        ("data-channel", "linkedin", "spend_pence"): "£45.00",
        ("data-channel", "unmapped", "spend_pence"): "£9.99",
        ("data-channel", "unmapped", "cost_per_application"): "–not available",
        ("data-channel", "all", "spend_pence"): "£110.00",
        ("data-day", "2020-04-21", "impressions"): "3,000",
        ("data-day", "2020-04-21", "spend_pence"): "£30.01",
        ("data-day", "all", "impressions"): "4,500",
        ("data-period-total", "1", "spend_pence"): "£45.00",
        ("data-period-total", "2", "impressions"): "700",
    }
    for key, value in expected.items():
        assert found.get(key) == value, key


def test_period_totals_are_labelled(staff, ads_scene):  # noqa: F811
    html = staff.get(f"{dashboard_url()}?{WEEK_PERIOD}").content.decode()
    assert "Period totals (not split by day)" in html
    assert "period total, not split by day" in html
    assert 'data-included="yes"' in html and 'data-included="no"' in html
    assert "Rows by day hold daily figures only" in html


def test_week_toggle(staff, ads_scene):  # noqa: F811
    html = staff.get(f"{dashboard_url()}?{WEEK_PERIOD}&by=week").content.decode()
    found = figures(html)
    assert found[("data-week", "2020-04-20", "impressions")] == "4,500"
    assert found[("data-week", "2020-04-20", "applications")] == "3"
    assert found[("data-week", "all", "clicks")] == "9"
    assert not any(key[0] == "data-day" for key in found)
    assert "download/weeks.csv?" in html and "by=week" in html
    assert 'value="week" checked' in html


def test_live_panel_of_the_last_30_minutes(staff, campaign, link):
    from django.utils import timezone

    now = timezone.now()
    make_events("click", 2, campaign, now - datetime.timedelta(seconds=30), link)
    make_events("application", 1, campaign, now - datetime.timedelta(seconds=20), link)
    found = figures(staff.get(live_url()).content)
    assert found[("data-bucket", "all", "clicks")] == "2"
    assert found[("data-bucket", "all", "applications")] == "1"
    buckets = [key[1] for key in found if key[0] == "data-bucket" and key[2] == "clicks"]
    assert len(buckets) == 7  # six five-minute steps and the total


def test_dashboard_reads_no_raw_events_beyond_the_bounded_windows(staff, ads_scene):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from carerecruit.tracking.rollups import catch_up

    catch_up(settle_seconds=0)
    with CaptureQueriesContext(connection) as queries:
        staff.get(f"{live_url()}?{WEEK_PERIOD}")
    event_queries = [q["sql"] for q in queries.captured_queries if '"tracking_event"' in q["sql"]]
    # The rollup tail (events past the watermark) and the 30-minute panel; nothing else.
    assert all('"tracking_event"."id" >' in sql or '"occurred_at" >=' in sql for sql in event_queries), event_queries
    assert len(queries.captured_queries) < 30
