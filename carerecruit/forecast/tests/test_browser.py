"""The forecast page in a real browser: axe-core (WCAG 2.2 A/AA) at 320px with the chart
drawn, the filters used without JavaScript help, and the error state."""

import os

import pytest
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import sign_in
from carerecruit.forecast.tests.helpers import stored_series
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide at {page.viewport_size['width']}px"


def test_forecast_page(phone_page, live_server, personas):
    a = personas.council_a
    history = [30, 34, 41, 47, 52, 50, 44, 38, 31, 29, 27, 33, 36, 40]
    stored_series(council=a, role_code=3, owner=a, history=history,
                  estimates=[(39.2, 31.0, 47.5), (43.8, 33.1, 54.6), (48.1, 35.0, 61.3)],
                  backtest_points=33, mape_model=8.4, mape_baseline=15.2, mae_model=3.1, mae_baseline=5.6)
    stored_series(council=a, role_code=None, owner=a, history=[2, 3, 1], status="too_short")
    page = phone_page
    sign_in(page, live_server.url, personas.council_b_recruiter.username, PASSWORD)

    page.goto(f"{live_server.url}/staff/regional/forecast/")
    page.locator("#id_council").select_option(label="Birmingham")
    page.locator("#id_job_role").select_option(value="3")
    page.get_by_role("button", name="Show forecast").click()
    page.locator("#cr-chart svg").wait_for()
    caption = "Estimate for the 3 months after the latest data (February 2021)"
    assert page.get_by_role("heading", name=caption).count() == 0  # a caption, not a heading
    assert page.locator("#caption-estimates").inner_text() == caption
    assert "Estimate" in page.locator("#cr-chart").inner_text()
    if os.environ.get("FORECAST_SCREENSHOT"):
        page.screenshot(path=os.environ["FORECAST_SCREENSHOT"], full_page=True)
    check(page, "forecast with chart")

    page.locator("#id_job_role").select_option(label="All job roles")
    page.get_by_role("button", name="Show forecast").click()
    expect(page.get_by_text("Not enough history to forecast")).to_be_visible()
    check(page, "not enough history")

    page.goto(f"{live_server.url}/staff/regional/forecast/?council=nowhere&measure=applications")
    assert page.title().startswith("Error: ")
    check(page, "bad filter")
