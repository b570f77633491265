"""The API token pages in a real browser: axe-core (WCAG 2.2 A/AA) and no sideways
scrolling at 320px, through list → form with errors → token shown once → revoke."""

import pytest
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import sign_in
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide at {page.viewport_size['width']}px"


def test_token_pages(phone_page, live_server, personas):
    page = phone_page
    sign_in(page, live_server.url, personas.regional_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/api-tokens/")
    check(page, "token list (empty)")
    page.get_by_role("button", name="Create an API token").click()
    check(page, "new token form")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, "new token form with errors")
    page.get_by_label("Which organisation is the token for?").select_option(label="Coventry (council)")
    page.get_by_label("Name").fill("Coventry Power BI")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#api-token").inner_text()
    assert secret.startswith("crk_")
    check(page, "token created")
    page.get_by_role("link", name="Back to API tokens").click()
    check(page, "token list")
    page.get_by_role("link", name="Coventry Power BI").click()
    check(page, "token detail")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("revoked: it no longer works")).to_be_visible()
    check(page, "token revoked")
