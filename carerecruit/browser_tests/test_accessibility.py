"""axe-core (WCAG 2.2 A and AA) on every page of the first journey, in a real browser,
and a check that nothing scrolls sideways on a 320px-wide phone."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import fill_application, sign_in
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"


def assert_fits_320(browser, url: str, what: str, storage_state=None) -> None:
    """At 320 CSS pixels nothing may need horizontal scrolling (WCAG 1.4.10 Reflow)."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, storage_state=storage_state)
    page = context.new_page()
    page.goto(url)
    overflow = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert overflow <= 320, f"{what} is {overflow}px wide at a 320px viewport"


def test_public_pages(browser, page, live_server, campaign, link):
    pages = {
        "region home": "/",
        "microsite": f"/c/{campaign.slug}/",
        "application form": f"/c/{campaign.slug}/apply/",
        "privacy notice": "/privacy/",
        "accessibility statement": "/accessibility/",
        "not found page": "/c/no-such-campaign/",
    }
    for what, path in pages.items():
        page.goto(live_server.url + path)
        assert_accessible(page, what)
        assert_fits_320(browser, live_server.url + path, what)

    # The form with errors, then the confirmation page.
    page.goto(f"{live_server.url}/c/{campaign.slug}/apply/")
    page.get_by_role("button", name="Submit application").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "application form with errors")
    fill_application(page)
    page.get_by_role("button", name="Submit application").click()
    assert urlparse(page.url).path.endswith("/apply/done/")
    assert_accessible(page, "confirmation")
    assert_fits_320(browser, page.url, "confirmation")


def test_staff_pages(browser, page, live_server, personas, campaign, link):
    page.goto(f"{live_server.url}/staff/login/")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill(personas.campaign_manager.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page, "login with errors")

    sign_in(page, live_server.url, personas.campaign_manager.username, PASSWORD)
    state = page.context.storage_state()
    pages = {
        "staff home": "/staff/",
        "dashboard": f"/staff/campaigns/{campaign.slug}/",
        "tracked links": f"/staff/campaigns/{campaign.slug}/links/",
        "new tracked link": f"/staff/campaigns/{campaign.slug}/links/new/",
        "password reset": "/staff/password-reset/",
    }
    for what, path in pages.items():
        page.goto(live_server.url + path)
        # Let the chart render before checking it.
        page.wait_for_load_state("networkidle")
        assert_accessible(page, what)
        assert_fits_320(browser, live_server.url + path, what, storage_state=state)

    page.goto(f"{live_server.url}/staff/campaigns/{campaign.slug}/links/new/")
    page.get_by_role("button", name="Create link").click()
    assert_accessible(page, "new tracked link with errors")
