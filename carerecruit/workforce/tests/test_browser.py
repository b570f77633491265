"""The workforce pages in a real browser: axe-core (WCAG 2.2 A/AA) on every page and
state, at 320px and on a desktop, through upload (with and without problems) → preview →
confirm → the return's page and the list."""

import pytest

from carerecruit.browser_tests.journey import sign_in
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD
from carerecruit.workforce.models import WorkforceReturn
from carerecruit.workforce.tests.helpers import (
    WORKER_BROKEN,
    WORKER_VALID,
    WORKPLACE_BROKEN,
    WORKPLACE_VALID,
    fixture_bytes,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide at {page.viewport_size['width']}px"


def fill_upload(page, workplace: str, worker: str) -> None:
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year", exact=True).fill("2026")
    for label, name in (("Workplace file", workplace), ("Worker file", worker)):
        page.get_by_label(label).set_input_files(
            files=[{"name": name, "mimeType": "text/csv", "buffer": fixture_bytes(name)}],
        )


def test_workforce_pages(phone_page, page, live_server, personas):
    phone = phone_page
    sign_in(phone, live_server.url, personas.council_a_recruiter.username, PASSWORD)
    list_url, upload_url = f"{live_server.url}/staff/workforce/", f"{live_server.url}/staff/workforce/upload/"

    phone.goto(list_url)
    check(phone, "empty list")
    phone.get_by_role("button", name="Upload a return").click()
    check(phone, "upload form")
    assert phone.url == upload_url

    phone.get_by_role("button", name="Check the files").click()
    assert phone.title().startswith("Error: ")
    check(phone, "upload form with errors")

    fill_upload(phone, WORKPLACE_BROKEN, WORKER_BROKEN)
    phone.get_by_role("button", name="Check the files").click()
    assert phone.title().startswith("Error: Upload a workforce return")
    assert len(phone.locator(".govuk-error-summary li").all_inner_texts()) == 9
    check(phone, "upload with problems in the files")

    fill_upload(phone, WORKPLACE_VALID, WORKER_VALID)
    phone.get_by_role("button", name="Check the files").click()
    assert phone.title().startswith("Check the workforce return")
    check(phone, "preview")

    phone.get_by_role("button", name="Import the return").click()
    saved = WorkforceReturn.objects.get()
    assert phone.url == f"{live_server.url}/staff/workforce/{saved.code}/"
    assert "imported: 3 workplaces, 25 staff records" in phone.locator(".govuk-notification-banner").inner_text()
    check(phone, "return page")
    phone.goto(list_url)
    check(phone, "list with a return")

    # The same pages on a desktop; then a second upload of the same return, whose
    # preview warns that it replaces the first.
    sign_in(page, live_server.url, personas.council_a_recruiter.username, PASSWORD)
    page.goto(list_url)
    check(page, "list (desktop)")
    page.goto(upload_url)
    fill_upload(page, WORKPLACE_BROKEN, WORKER_BROKEN)
    page.get_by_role("button", name="Check the files").click()
    check(page, "upload with problems in the files (desktop)")
    fill_upload(page, WORKPLACE_VALID, WORKER_VALID)
    page.get_by_role("button", name="Check the files").click()
    assert "This replaces the return for 31 March 2026" in page.locator(".govuk-warning-text").inner_text()
    check(page, "preview of a replacement (desktop)")
    page.get_by_role("button", name="Replace the return").click()
    check(page, "return page (desktop)")
    page.goto(f"{live_server.url}/staff/workforce/{saved.code}/")
    assert "This return has been replaced" in page.content()
    check(page, "replaced return (desktop)")
