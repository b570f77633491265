"""The dashboard in a real browser: chart drawn, live refresh without reloading, one
polite announcement per change, no axe violations, fits 320px, complete without JS."""

import pytest
from playwright.sync_api import expect

from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.factories import make_link

from .helpers import make_events, utc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=26&end_1=4&end_2=2020"


@pytest.fixture
def dashboard(live_server, personas, campaign, link, settings):
    """The dashboard URL with a week of activity, refreshing every second."""
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 1
    linkedin = make_link(campaign, "linkedin")
    for day in range(7):
        make_events("click", 10 + day, campaign, utc(2020, 4, 20 + day, 12), link)
        make_events("visit", 5 + day, campaign, utc(2020, 4, 20 + day, 12, 5), link)
        make_events("application", day % 3, campaign, utc(2020, 4, 20 + day, 12, 9), linkedin)
    return f"{live_server.url}/staff/campaigns/{campaign.slug}/?{PERIOD}"


def signed_in(browser, client, user, **context_options):
    """A browser context carrying a session for ``user`` (made by the test client)."""
    client.force_login(user)
    context = browser.new_context(**context_options)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "domain": "localhost", "path": "/",
    }])
    return context


def metric(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def test_chart_draws_and_figures_update_live(browser, client, personas, campaign, link, dashboard):
    context = signed_in(browser, client, personas.viewer, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(dashboard)

    page.locator("#cr-chart svg").wait_for()
    expect(page.locator("#cr-chart-figure")).to_be_visible()
    assert metric(page, '[data-channel="facebook"] [data-metric="clicks"]') == "91"
    assert metric(page, '[data-metric="clicks"]') == "91"

    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)

    page.evaluate("window.__notReloaded = true")
    make_events("click", 1, campaign, utc(2020, 4, 26, 18), link)
    make_events("click", 3, campaign, utc(2020, 4, 26, 18), link, is_bot=True)
    page.wait_for_function(
        """() => document.querySelector('[data-channel="facebook"] [data-metric="clicks"]')
                   .textContent.trim() === "92" """
    )
    assert page.evaluate("window.__notReloaded") is True
    assert metric(page, '[data-metric="clicks"]') == "92"
    assert metric(page, '[data-day="2020-04-26"] [data-metric="clicks"]') == "17"
    page.wait_for_function(
        "() => document.getElementById('cr-live-summary').textContent.startsWith('92 clicks')"
    )
    # The chart survives the swap and is redrawn with the new spec.
    page.locator("#cr-chart svg").wait_for()
    expect(page.locator("#cr-chart-figure")).to_be_visible()
    assert page.locator("[aria-live]").count() == 1

    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    context.close()


def test_fits_a_320px_phone(browser, client, personas, dashboard):
    context = signed_in(browser, client, personas.viewer, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(dashboard)
    page.locator("#cr-chart svg").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_complete_without_javascript(browser, client, personas, campaign, link, dashboard):
    context = signed_in(browser, client, personas.viewer, java_script_enabled=False)
    page = context.new_page()
    page.goto(dashboard)
    expect(page.locator("#cr-chart-figure")).not_to_be_visible()
    assert metric(page, '[data-day="2020-04-26"] [data-metric="clicks"]') == "16"
    make_events("application", 1, campaign, utc(2020, 4, 26, 18))
    page.get_by_role("link", name="Refresh the figures").click()
    assert metric(page, '[data-metric="applications"]') == "7"
    assert "start_0=20" in page.url
    context.close()


# --- The extended dashboard, the overview and the target page ----------------------------

@pytest.fixture
def full_dashboard(live_server, personas, campaign, link, settings):
    """A week with ad figures (daily and a period total), outcomes and an alert."""
    import datetime

    from carerecruit.insights.actions import do_raise_alert

    from .helpers import make_ad_day, make_ad_period

    # Slow refreshes while axe reads the page; the overview test speeds them up.
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 30
    for day in range(7):
        make_ad_day(campaign, datetime.date(2020, 4, 20 + day), 1000 + day, 40, 2500 + day)
        make_events("click", 10 + day, campaign, utc(2020, 4, 20 + day, 12), link)
        make_events("visit", 5 + day, campaign, utc(2020, 4, 20 + day, 12, 5), link)
        make_events("application", day % 3, campaign, utc(2020, 4, 20 + day, 12, 9), link)
    make_events("shortlisted", 2, campaign, utc(2020, 4, 25, 12), link)
    make_events("placed", 1, campaign, utc(2020, 4, 26, 12), link)
    make_ad_period(campaign, datetime.date(2020, 4, 21), datetime.date(2020, 4, 24), 5000, 90, 12345)
    do_raise_alert(campaign, "facebook", "conversion_sag", datetime.date.today(), {
        "visits": 120, "applications": 0, "rate_percent": "0.0", "baseline_days": 14,
        "baseline_visits": 1400, "baseline_applications": 140, "baseline_rate_percent": "10.0",
        "expected_applications": 12.0, "p_value": 3.2e-06, "day_is_complete": False,
    }, email=False)
    return live_server.url


def test_extended_dashboard_is_accessible_and_fits_a_phone(browser, client, personas, full_dashboard):
    # By day on a wide screen (with the target form open), by week on a 320px phone.
    for width, by in ((1280, "day"), (320, "week")):
        url = f"{full_dashboard}/staff/campaigns/come-back-to-care/?{PERIOD}&by={by}"
        context = signed_in(browser, client, personas.campaign_manager, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(url)
        for chart in ("#cr-chart svg", "#cr-chart-funnel svg", "#cr-chart-channels svg"):
            page.locator(chart).wait_for()
        assert metric(page, '[data-metric="impressions"]') == "12,021"
        assert metric(page, '[data-metric="spend_pence"]') == "£298.66"
        assert page.locator('[data-alert="conversion_sag"]').count() == 1
        assert page.locator(f'[data-{by}="all"]').count() == 1
        if width == 320:
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
        else:
            page.get_by_text("Set the target cost per application").click()
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
        context.close()


def test_overview_updates_live_is_accessible_and_fits_a_phone(
    browser, client, personas, campaign, link, full_dashboard, settings
):
    url = f"{full_dashboard}/staff/insights/?{PERIOD}"
    context = signed_in(browser, client, personas.viewer, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    page.locator("#cr-chart svg").wait_for()
    assert metric(page, '[data-campaign="come-back-to-care"] [data-metric="clicks"]') == "91"
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 1
    page.reload()
    page.evaluate("window.__notReloaded = true")
    make_events("click", 1, campaign, utc(2020, 4, 26, 18), link)
    page.wait_for_function(
        """() => document.querySelector('[data-campaign="come-back-to-care"] [data-metric="clicks"]')
                   .textContent.trim() === "92" """
    )
    assert page.evaluate("window.__notReloaded") is True
    context.close()

    context = signed_in(browser, client, personas.viewer, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(url)
    page.locator("#cr-chart svg").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    context.close()


def test_target_page_is_accessible_with_errors_and_at_320px(browser, client, personas, campaign, live_server):
    for width in (1280, 320):
        context = signed_in(browser, client, personas.campaign_manager, viewport={"width": width, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/staff/campaigns/come-back-to-care/target/")
        page.get_by_label("Target cost per application, in pounds").fill("nothing")
        page.get_by_role("button", name="Save target").click()
        assert page.title().startswith("Error: ")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        violations = axe_violations(page)
        assert violations == [], describe_violations(violations)
        page.get_by_label("Target cost per application, in pounds").fill("45.50")
        page.get_by_role("button", name="Save target").click()
        assert metric(page, '[data-metric="target_cost_per_application_pence"]') == "£45.50"
        context.close()
