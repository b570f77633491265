"""The pages this app and the staff sign-in own, in a real browser: axe-core finds no
WCAG 2.2 A/AA violation, and nothing scrolls sideways on a 320px-wide phone."""

import pytest
from playwright.sync_api import expect

from carerecruit.campaigns.models import Campaign
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD, make_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def assert_no_sideways_scroll(page):
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px"


def test_public_pages(live_server, page, phone_page):
    make_campaign("come-back-to-care", is_simulated=True)
    make_campaign("step-up-now", name="Step Up Now", hashtag="#StepUpNow")
    make_campaign("draft", name="Draft", status=Campaign.Status.DRAFT)

    for path in ("/", "/privacy/", "/accessibility/", "/no-such-page/"):
        for p in (page, phone_page):
            p.goto(live_server.url + path)
            assert_accessible(p)
        assert_no_sideways_scroll(phone_page)


def test_region_home_empty_state(live_server, phone_page):
    phone_page.goto(live_server.url + "/")

    expect(phone_page.get_by_text("There are no campaigns open at the moment.")).to_be_visible()
    assert_accessible(phone_page)
    assert_no_sideways_scroll(phone_page)


def test_sign_in_with_a_mistake_then_staff_home(live_server, phone_page):
    make_personas()
    make_campaign("come-back-to-care", is_simulated=True)
    page = phone_page

    page.goto(live_server.url + "/staff/")
    assert page.title() == "Sign in – Care jobs West Midlands"
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Username").fill("campaign_manager")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.title() == "Error: Sign in – Care jobs West Midlands"
    expect(page.get_by_role("link", name="Enter a correct username and password")).to_be_visible()
    assert page.get_by_label("Username").input_value() == "campaign_manager"
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == live_server.url + "/staff/"
    assert page.get_by_role("link", name="Come Back to Care").get_attribute("href") == (
        "/staff/campaigns/come-back-to-care/"
    )
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # A typed /staff/logout/ shows a page with a sign-out button (no bare 405).
    page.goto(live_server.url + "/staff/logout/")
    assert page.title() == "Sign out – Care jobs West Midlands"
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    page.locator("main").get_by_role("button", name="Sign out").click()
    assert page.url == live_server.url + "/staff/login/"


def test_password_reset_pages(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/staff/password-reset/")
    assert_accessible(page)

    page.get_by_role("button", name="Send the link").click()
    assert page.title() == "Error: Reset your password – Care jobs West Midlands"
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.title() == "Check your email – Care jobs West Midlands"
    assert_accessible(page)
    assert_no_sideways_scroll(page)
