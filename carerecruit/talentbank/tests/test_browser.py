"""Talent-bank pages in a real browser: axe-core (WCAG 2.2 A/AA) and 320px width."""

import pytest
from django.utils import timezone

from carerecruit.browser_tests.journey import sign_in
from carerecruit.talentbank.duplicates import find_duplicates
from carerecruit.talentbank.tests.builders import add_postcodes, applicant
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide"


def visit(p, url: str, what: str) -> None:
    p.goto(url)
    check(p, f"{what} at {p.viewport_size['width']}px")


def test_talent_bank_and_duplicates_pages(page, phone_page, live_server, personas, campaign):
    add_postcodes()
    today = timezone.localdate()
    applicant(campaign, "Siobhán O’Neill-Smith", postcode="B15 2TT", roles=(6,), swe="SW104233", start=today)
    applicant(campaign, "Siobhan ONeill Smith", postcode="B15 2TT", roles=(8,), start=today)
    applicant(campaign, "Wally Walsall with a rather long name to wrap", postcode="WS1 1AA", roles=(8,))
    assert find_duplicates() == 1
    base = live_server.url
    for p in (page, phone_page):
        sign_in(p, base, personas.regional_admin.username, PASSWORD)

    for p in (page, phone_page):
        visit(p, f"{base}/staff/talent-bank/", "talent bank")
        visit(p, f"{base}/staff/talent-bank/?postcode=B1+1BB&within_km=20&job_role=", "distance search")
    visit(phone_page, f"{base}/staff/talent-bank/?postcode=nope&within_km=", "search with errors")
    visit(phone_page, f"{base}/staff/duplicates/", "possible duplicates")
    p = phone_page
    p.get_by_role("link", name="Review").first.click()
    p.get_by_role("heading", name="Are these the same person?").wait_for()
    check(p, "duplicate review")
    p.get_by_role("button", name="Merge records").click()
    p.locator(".govuk-error-summary").wait_for()
    assert p.title().startswith("Error: ")
    check(p, "duplicate review with an error")
    p.locator("input[name=keep]").first.check()
    p.get_by_role("button", name="Merge records").click()
    assert "Records merged" in p.locator(".govuk-notification-banner").inner_text()
    check(p, "duplicates after a merge")


def test_talent_bank_for_a_viewer(phone_page, live_server, personas, campaign):
    applicant(campaign, "Ann Lee")
    sign_in(phone_page, live_server.url, personas.viewer.username, PASSWORD)
    visit(phone_page, f"{live_server.url}/staff/talent-bank/", "talent bank counts")
    assert "Ann Lee" not in phone_page.content()
