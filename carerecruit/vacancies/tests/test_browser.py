"""Vacancy pages in a real browser: axe-core (WCAG 2.2 A/AA) at 1280px and at 320px, and
nothing scrolling sideways on a 320px phone. Public pages, then staff pages."""

import datetime

import pytest
from django.utils import timezone

from carerecruit.browser_tests.journey import sign_in
from carerecruit.talentbank.tests.builders import add_postcodes, applicant, make_vacancy
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD
from carerecruit.vacancies.actions import do_close_vacancy
from carerecruit.vacancies.models import Vacancy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide"


def visit(p, url: str, what: str) -> None:
    p.goto(url)
    check(p, f"{what} at {p.viewport_size['width']}px")


def visit_both(page, phone_page, url: str, what: str) -> None:
    """Pages whose layout changes with width (grid columns) are checked wide and narrow."""
    visit(page, url, what)
    visit(phone_page, url, what)


def fill_apply_form(page) -> None:
    page.get_by_label("Full name").fill("Siobhán O’Neill-Smith")
    page.get_by_label("Email address").fill("siobhan@example.org")
    page.get_by_label("Mobile phone number").fill("07700 900123")
    page.get_by_label("Postcode").fill("b15 2tt")
    page.get_by_label("Years of experience").fill("3")
    start = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Day").fill(str(start.day))
    page.get_by_label("Month").fill(str(start.month))
    page.get_by_label("Year", exact=True).fill(str(start.year))
    page.get_by_label("Full time").check()
    page.locator("input[name=right_to_work][value=yes]").check()


def test_public_vacancy_pages(page, phone_page, live_server, personas):
    vacancy = make_vacancy(personas.provider, description="Support people at home.\n\nPaid travel time.")
    for n in range(21):
        make_vacancy(personas.council_a, title=f"Bank care worker {n}")
    closed = make_vacancy(personas.council_a, title="Closed job")
    do_close_vacancy(closed)
    base = live_server.url
    visit_both(page, phone_page, f"{base}/vacancies/", "vacancy list")
    visit(phone_page, f"{base}/vacancies/?page=2", "vacancy list page 2")
    visit(phone_page, f"{base}/vacancies/?role=nonsense", "vacancy list with an error")
    visit_both(page, phone_page, f"{base}/vacancies/{vacancy.code}/", "vacancy")
    visit(phone_page, f"{base}/vacancies/{closed.code}/", "closed vacancy")
    visit(phone_page, f"{base}/vacancies/{vacancy.code}/apply/done/?ref=x", "expired confirmation")
    visit(phone_page, f"{base}/", "region home with vacancies")

    p = phone_page
    p.goto(f"{base}/vacancies/{vacancy.code}/")
    p.get_by_role("button", name="Apply now").click()
    check(p, "apply form")
    p.get_by_role("button", name="Submit application").click()
    p.locator(".govuk-error-summary").wait_for()
    assert p.title().startswith("Error: ")
    check(p, "apply form with errors")
    fill_apply_form(p)
    p.get_by_role("button", name="Submit application").click()
    assert p.locator(".govuk-panel__title").inner_text() == "Application complete"
    check(p, "apply confirmation")
    assert Vacancy.objects.get(pk=vacancy.pk).vacancy_applications.count() == 1


def test_staff_vacancy_pages(page, phone_page, live_server, personas, campaign):
    add_postcodes()
    today = timezone.localdate()
    applicant(campaign, "Near Carer", postcode="B15 2TT", roles=(8,), start=today)
    applicant(campaign, "Walsall Carer", postcode="WS1 1AA", roles=(8,), hours="part_time",
              start=today + datetime.timedelta(days=40))
    base = live_server.url
    for p in (page, phone_page):
        sign_in(p, base, personas.provider_recruiter.username, PASSWORD)

    visit(phone_page, f"{base}/staff/", "staff home")
    visit(phone_page, f"{base}/staff/vacancies/", "staff vacancy list (empty)")
    p = phone_page
    p.goto(f"{base}/staff/vacancies/new/")
    check(p, "new vacancy form")
    p.get_by_role("button", name="Save as draft").click()
    p.locator(".govuk-error-summary").wait_for()
    assert p.title().startswith("Error: ")
    check(p, "new vacancy form with errors")
    p.get_by_label("Job title").fill("Care worker (home care)")
    p.get_by_label("Job role").select_option(label="Care worker")
    p.get_by_label("Permanent").check()
    p.get_by_label("Hours per week").fill("37.5")
    p.get_by_label("Number of posts").fill("2")
    p.get_by_label("Pay (or lowest pay), in pounds").fill("12.75")
    p.get_by_label("per hour").check()
    p.get_by_label("Town or city").fill("Birmingham")
    p.get_by_label("Postcode").fill("b1 1bb")
    p.get_by_label("Council area").select_option(label="Birmingham")
    closing = today + datetime.timedelta(days=20)
    closing_group = p.locator("#id_closing_date")
    closing_group.get_by_label("Day").fill(str(closing.day))
    closing_group.get_by_label("Month").fill(str(closing.month))
    closing_group.get_by_label("Year").fill(str(closing.year))
    p.get_by_label("Description").fill("Support people at home.\n\nPaid travel time.")
    p.get_by_role("button", name="Save as draft").click()
    p.get_by_text("Vacancy saved as a draft").wait_for()
    vacancy = Vacancy.objects.get()
    assert p.url.endswith(f"/staff/vacancies/{vacancy.code}/")
    check(p, "vacancy detail (draft)")
    p.get_by_role("button", name="Open and publish").click()
    p.get_by_text("Vacancy open").wait_for()
    check(p, "vacancy detail (open)")

    visit(phone_page, f"{base}/staff/vacancies/", "staff vacancy list")
    visit(page, f"{base}/staff/vacancies/", "staff vacancy list")
    visit(phone_page, f"{base}/staff/vacancies/{vacancy.code}/edit/", "edit vacancy")
    visit_both(page, phone_page, f"{base}/staff/vacancies/{vacancy.code}/matches/?within=50", "matches")
    p.goto(f"{base}/staff/vacancies/{vacancy.code}/matches/?within=50")
    p.get_by_role("button", name="Shortlist Near Carer").click()
    p.get_by_text("Near Carer added to the shortlist").wait_for()
    check(p, "matches after shortlisting")
    p.get_by_role("button", name="Invite Near Carer to apply").click()
    p.get_by_text("Invitation to apply sent to Near Carer").wait_for()
    check(p, "matches after inviting")
    visit_both(page, phone_page, f"{base}/staff/vacancies/{vacancy.code}/", "vacancy detail with people")
