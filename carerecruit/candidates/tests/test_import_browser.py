"""The staff import pages in a real browser on a 320px phone: axe-core (WCAG 2.2 A/AA)
and no sideways scrolling, from the upload form to "Applications imported"."""

from pathlib import Path

import pytest

from carerecruit.browser_tests.journey import sign_in
from carerecruit.candidates.models import Application
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).parent / "fixtures"


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide"


def test_import_pages_on_a_320px_phone(phone_page, live_server, personas, campaign):
    page = phone_page
    sign_in(page, live_server.url, personas.campaign_manager.username, PASSWORD)
    page.get_by_role("link", name="Import applications").click()
    check(page, "upload form")

    page.get_by_role("button", name="Check the file").click()
    assert page.title().startswith("Error: ")
    check(page, "upload form with errors")

    page.get_by_label("Campaign").select_option(label="Come Back to Care (live)")
    page.get_by_label("File of expressions of interest").set_input_files(
        str(FIXTURES / "expressions_of_interest_utf8_bom.csv")
    )
    page.get_by_role("button", name="Check the file").click()
    assert page.locator(".govuk-error-summary__list li").count() == 5
    check(page, "upload with problems in the file")

    page.get_by_label("Campaign").select_option(label="Come Back to Care (live)")
    page.get_by_label("File of expressions of interest").set_input_files(
        str(FIXTURES / "expressions_of_interest_valid_utf8_bom.csv")
    )
    page.get_by_role("button", name="Check the file").click()
    assert page.locator("h1").inner_text().endswith("Check the import")
    check(page, "preview")

    page.get_by_role("button", name="Import 4 applications").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Applications imported"
    check(page, "imported")
    assert Application.objects.filter(campaign=campaign).count() == 4
