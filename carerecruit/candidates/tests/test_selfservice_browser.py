"""Self-service pages in a real browser on a 320px phone: axe-core (WCAG 2.2 A/AA) and
no sideways scrolling, from asking for a link to "Your details have been deleted"."""

import datetime
import re
import time

import pytest
from django.core import mail, signing

from carerecruit.candidates.actions import do_submit_application
from carerecruit.candidates.models import Candidate
from carerecruit.candidates.selfservice import TOKEN_SALT
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.browser import axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide"


def test_self_service_pages_on_a_320px_phone(phone_page, live_server, campaign, settings):
    settings.TASKS = IMMEDIATE
    do_submit_application(campaign, {
        "full_name": "Siobhán O’Neill-Smith", "email": "siobhan@example.org", "phone": "+447700900123",
        "postcode": "B1 1AA", "job_roles": list(JobRole.objects.filter(code=6)), "years_experience": 12,
        "current_role": "", "swe_registration": "SW104233",
        "earliest_start": datetime.date.today() + datetime.timedelta(days=30), "hours_wanted": "part_time",
        "council_areas": list(Organisation.objects.filter(gss_code__in=["E08000025", "E08000029"])),
        "right_to_work": "yes", "talent_bank_consent": True,
    }, None, send_email=False)
    page = phone_page

    page.goto(f"{live_server.url}/me/")
    check(page, "ask for a link")
    page.get_by_role("button", name="Send me a link").click()
    assert page.title().startswith("Error: ")
    check(page, "ask for a link with an error")
    page.get_by_label("Email address").fill("Siobhan@Example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_url(f"{live_server.url}/me/sent/")
    check(page, "check your email")

    link = re.search(r"http://\S+/me/[^/\s]+/", mail.outbox[0].body).group(0)
    page.goto(link)
    assert page.locator("h1").inner_text().endswith("Your details")
    check(page, "your details")

    page.get_by_role("link", name="Change phone number").click()
    check(page, "contact details")
    page.get_by_label("Postcode").fill("nowhere")
    page.get_by_role("button", name="Save changes").click()
    assert page.title().startswith("Error: ")
    check(page, "contact details with an error")
    page.get_by_label("Postcode").fill("b2 4qa")
    page.get_by_role("button", name="Save changes").click()
    assert "Your contact details have been updated" in page.content()
    check(page, "your details with a success banner")

    page.get_by_role("link", name="Change earliest start date").click()
    check(page, "availability")
    page.get_by_label("Year").fill("2001")
    page.get_by_role("button", name="Save changes").click()
    check(page, "availability with an error")

    page.goto(link + "talent-bank/")
    check(page, "talent bank")
    page.get_by_label("No, take me out of the talent bank").check()
    page.get_by_role("button", name="Save").click()
    assert "You're no longer in the talent bank" in page.content()

    page.get_by_role("link", name="Withdraw your application to Come Back to Care").click()
    check(page, "withdraw")
    page.get_by_role("button", name="Withdraw application").click()
    assert "Your application has been withdrawn" in page.content()
    check(page, "your details after withdrawing")

    page.get_by_role("link", name="Delete your details").click()
    check(page, "delete your details")
    page.get_by_role("button", name="Delete my details").click()
    page.wait_for_url(f"{live_server.url}/me/erased/")
    check(page, "your details have been deleted")
    assert not Candidate.objects.exists()

    page.goto(link)
    assert page.locator("h1").inner_text() == "This link does not work"
    check(page, "link does not work")

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 86400)

    page.goto(f"{live_server.url}/me/{EightDaysAgo(salt=TOKEN_SALT).sign_object({'c': 'a' * 32})}/")
    assert page.locator("h1").inner_text() == "This link has expired"
    check(page, "link expired")
