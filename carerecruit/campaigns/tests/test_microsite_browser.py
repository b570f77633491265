"""The candidate's pages in a real browser: axe-core (WCAG 2.2 A/AA) and a 320px phone.

Covers what the shared journey test does not: a closed campaign, the form with every
kind of error, the confirmation (the same when applying again), and working without
JavaScript.
"""

import datetime

import pytest

from carerecruit.browser_tests.journey import fill_application
from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.models import Application
from carerecruit.testing.browser import MOBILE_USER_AGENT, axe_violations, describe_violations
from carerecruit.testing.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide"


def test_candidate_pages_on_a_320px_phone(phone_page, live_server, campaign):
    page = phone_page
    page.goto(f"{live_server.url}/c/{campaign.slug}/?utm_source=facebook&utm_medium=social")
    check(page, "microsite")
    page.get_by_role("button", name="Apply now").first.click()
    assert page.url.endswith("/apply/?utm_source=facebook&utm_medium=social")
    check(page, "empty form")

    page.get_by_role("button", name="Submit application").click()
    assert page.title().startswith("Error: ")
    check(page, "form with every error")

    fill_application(page)
    page.get_by_label("Postcode").fill("NOTAPOSTCODE")
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_label("Full name").input_value() == "Siobhán O’Neill-Smith"
    check(page, "form with one error")

    page.get_by_label("Postcode").fill("b1  1aa")
    page.get_by_role("button", name="Submit application").click()
    assert "/apply/done/?ref=" in page.url
    assert page.locator(".govuk-panel__title").inner_text() == "Application complete"
    check(page, "confirmation")
    assert Application.objects.get().utm_source == "facebook"

    page.goto(f"{live_server.url}/c/{campaign.slug}/apply/")
    fill_application(page)
    page.get_by_role("button", name="Submit application").click()
    # Applying again gets the same answer (the person is told by e-mail, not on screen).
    assert page.locator(".govuk-panel__title").inner_text() == "Application complete"
    assert Application.objects.count() == 1


def test_closed_campaign_pages(phone_page, live_server, campaign):
    make_campaign(slug="time-to-care", name="Time to Care", is_simulated=True)
    make_campaign(slug="spring-2020", name="Spring 2020", ends_on=datetime.date(2020, 5, 24))
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    phone_page.goto(f"{live_server.url}/c/{campaign.slug}/")
    check(phone_page, "closed microsite")
    phone_page.goto(f"{live_server.url}/c/{campaign.slug}/apply/")
    check(phone_page, "closed form")
    phone_page.goto(f"{live_server.url}/c/spring-2020/")
    assert "closed on 24 May 2020" in phone_page.locator(".govuk-notification-banner").inner_text()
    check(phone_page, "microsite past its end date")
    phone_page.goto(f"{live_server.url}/c/time-to-care/")
    check(phone_page, "simulated microsite")


def test_form_works_without_javascript(browser, live_server, campaign):
    context = browser.new_context(
        user_agent=MOBILE_USER_AGENT, java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/c/{campaign.slug}/apply/")
    fill_application(page)
    page.get_by_role("button", name="Submit application").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Application complete"
    context.close()
