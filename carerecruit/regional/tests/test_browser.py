"""The regional dashboard in a real browser: axe-core (WCAG 2.2 A/AA) at 320px and on a
desktop, the map drawn, and the filter form (with an error) working."""

import pytest

from carerecruit.browser_tests.journey import sign_in
from carerecruit.regional.tests.fixtures import make_region
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUERY = "?start_0=1&start_1=4&start_2=2026&end_0=31&end_1=10&end_2=2026"


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide at {page.viewport_size['width']}px"


def test_dashboard(phone_page, page, live_server, personas):
    make_region(personas)
    sign_in(phone_page, live_server.url, personas.council_a_recruiter.username, PASSWORD)
    phone_page.goto(f"{live_server.url}/staff/regional/{QUERY}")
    phone_page.locator("#cr-regional-map-figure[data-drawn='true'] svg").first.wait_for()
    assert phone_page.locator("#cr-regional-map svg circle, #cr-regional-map svg path").count() >= 14
    check(phone_page, "dashboard at 320px")

    phone_page.get_by_label("Day").first.fill("40")
    phone_page.get_by_role("button", name="Show figures").click()
    assert phone_page.title().startswith("Error: ")
    check(phone_page, "dashboard with a filter error at 320px")

    sign_in(page, live_server.url, personas.regional_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/regional/{QUERY}")
    page.locator("#cr-regional-map-figure[data-drawn='true'] svg").first.wait_for()
    check(page, "dashboard on a desktop")
    page.locator("#id_council").select_option(label="Coventry")
    page.get_by_role("button", name="Show figures").click()
    assert "council=" in page.url
    assert page.locator("table[data-dataset='councils'] tbody tr").count() == 1
