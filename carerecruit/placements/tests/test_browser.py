"""In a real browser: a council recruiter takes a fresh application from new to placed
through every check and the campaign dashboard's placed count rises by one; another
council's recruiter cannot reach it. axe-core (WCAG 2.2 AA) and 320px on every page."""

import datetime
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import fill_application, sign_in
from carerecruit.candidates.models import Application
from carerecruit.placements import actions
from carerecruit.placements.models import ApplicationRoute, Placement
from carerecruit.placements.tests.helpers import apply, complete_all_checks, move_to, route_of
from carerecruit.reference.models import JobRole
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"


def assert_fits_320(browser, url: str, what: str, storage_state) -> None:
    """At 320 CSS pixels nothing may need horizontal scrolling (WCAG 1.4.10 Reflow)."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, storage_state=storage_state)
    page = context.new_page()
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320, f"{what} is {width}px wide at a 320px viewport"


def check_page(page, browser, what: str) -> None:
    assert_accessible(page, what)
    assert_fits_320(browser, page.url, what, page.context.storage_state())


def placed_on_dashboard(page, base: str, slug: str) -> str:
    """The campaign dashboard's placed count as shown ("<5" when suppressed for the
    viewer: a council does not own the regional body's campaign figures; the words
    read aloud after it, "fewer than 5", are left off)."""
    page.goto(f"{base}/staff/campaigns/{slug}/")
    return page.locator('[data-step="placed"] [data-metric="placed"]').inner_text().replace(",", "").split()[0]


def fill_date(page, field: str, day: datetime.date) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def move(page, stage_label: str) -> None:
    page.get_by_label(stage_label, exact=True).check()
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()


def record(page, kind: str) -> None:
    page.locator(f'tr[data-check="{kind}"] a', has_text="Record").click()


def test_a_recruiter_takes_a_fresh_application_from_new_to_placed(browser, page, live_server, personas, campaign, link):
    base = live_server.url
    # A candidate applies on the public form (postcode B1 1AA: Birmingham's area).
    page.goto(f"{base}/c/{campaign.slug}/apply/")
    fill_application(page, name="Siobhán O’Neill-Smith", email="siobhan@example.org")
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/apply/done/**")
    route = ApplicationRoute.objects.get()
    assert (route.organisation, route.stage, route.reason) == (personas.council_a, "new", "district")

    sign_in(page, base, personas.council_a_recruiter.username, PASSWORD)
    assert placed_on_dashboard(page, base, campaign.slug) == "0"

    page.goto(f"{base}/staff/")
    page.get_by_role("link", name="Applications", exact=True).click()
    check_page(page, browser, "applications list")
    page.get_by_role("link", name="Siobhán O’Neill-Smith").click()
    assert urlparse(page.url).path == f"/staff/applications/{route.code}/"
    check_page(page, browser, "application (new)")

    # A reason is required for "not suitable": the error summary shows, nothing moves.
    page.get_by_label("Not suitable", exact=True).check()
    page.get_by_role("button", name="Move", exact=True).click()
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "application with a move error")

    for stage in ("Contacted", "Screening", "Interview", "Offer", "Pre-employment checks"):
        move(page, stage)
    check_page(page, browser, "application at pre-employment checks")

    today = timezone.localdate()
    record(page, "dbs")
    check_page(page, browser, "DBS check form")
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "DBS check form with errors")
    page.get_by_label("DBS certificate number").fill("0012 3456 7890")
    fill_date(page, "dbs_issue_date", today - datetime.timedelta(days=10))
    page.get_by_label("The certificate is an enhanced check that includes the adults' barred list").check()
    page.locator("input[name=dbs_update_service][value=yes]").check()
    fill_date(page, "dbs_status_checked_on", today)
    page.get_by_role("button", name="Mark as complete").click()

    record(page, "right_to_work")
    check_page(page, browser, "right to work form")
    page.locator("input[name=rtw_method][value=idsp]").check()
    page.locator("input[name=rtw_document][value=british_irish_passport]").check()
    fill_date(page, "verified_on", today)
    page.get_by_role("button", name="Mark as complete").click()

    for kind, organisation in (("conduct_reference", "Sandwell Council"), ("second_reference", "Dudley Hospice")):
        record(page, kind)
        page.get_by_label("Referee's organisation").fill(organisation)
        fill_date(page, "verified_on", today)
        page.get_by_label("The reference is satisfactory").check()
        page.get_by_role("button", name="Mark as complete").click()

    record(page, "identity")
    page.locator("input[name=identity_document][value=passport]").check()
    page.get_by_label("A recent photograph of the candidate was seen").check()
    fill_date(page, "verified_on", today)
    page.get_by_role("button", name="Mark as complete").click()

    record(page, "swe_registration")
    assert page.get_by_label("Social Work England registration number").input_value() == "SW104233"
    fill_date(page, "verified_on", today)
    page.get_by_role("button", name="Mark as complete").click()

    assert page.locator('[data-status="complete"]').count() == 6
    page.get_by_role("button", name="Confirm placement").click()
    check_page(page, browser, "placement form")
    page.select_option("#id_job_role", label="Social worker")
    page.locator("input[name=contract_type][value='1']").check()
    fill_date(page, "start_date", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Confirm placement").click()
    assert page.locator('[data-stage="placed"]').first.inner_text() == "Placed"
    check_page(page, browser, "placed application")

    placement = Placement.objects.get()
    assert (placement.route, placement.job_role.code, placement.contract_type) == (route, 6, 1)
    # The council sees its one placement as a small number; the campaign's owner, exactly.
    assert placed_on_dashboard(page, base, campaign.slug) == "<5"
    owner = browser.new_context()
    owner_page = owner.new_page()
    sign_in(owner_page, base, personas.regional_admin.username, PASSWORD)
    assert placed_on_dashboard(owner_page, base, campaign.slug) == "1"
    owner.close()

    # A recruiter at another council: 404 for the application, not in the export or search.
    other = browser.new_context()
    other_page = other.new_page()
    sign_in(other_page, base, personas.council_b_recruiter.username, PASSWORD)
    response = other_page.goto(f"{base}/staff/applications/{route.code}/")
    assert response.status == 404
    export = other_page.request.get(f"{base}/staff/applications/export.csv")
    assert export.status == 200
    assert "Siobh" not in export.text() and "siobhan@example.org" not in export.text()
    other_page.goto(f"{base}/staff/applications/?q=Siobhan")
    assert "No applications match these filters." in other_page.content()
    assert other_page.request.get(f"{base}/staff/applications/{route.code}/checks/dbs/").status == 404
    other.close()


def test_every_other_page_is_accessible_and_fits_a_phone(browser, page, live_server, personas, campaign):
    base = live_server.url
    by = personas.council_a_recruiter
    stuck = route_of(apply(campaign, name="Ann Lee"))
    ApplicationRoute.objects.filter(pk=stuck.pk).update(stage_entered_at=timezone.now() - datetime.timedelta(days=30))
    at_checks = move_to(route_of(apply(campaign, name="Bo Ng", roles=(8,))), "checks", by=by)
    placed = move_to(route_of(apply(campaign, name="Cy Twombly")), "checks", by=by)
    complete_all_checks(placed, by=by)
    placement = actions.do_place_candidate(placed, job_role=JobRole.objects.get(code=15), contract_type=1,
                                           start_date=timezone.localdate() - datetime.timedelta(days=120), by=by)
    actions.do_add_note(placed, "Started well", by=by)
    assert Application.objects.count() == 3

    sign_in(page, base, personas.regional_admin.username, PASSWORD)
    pages = {
        "applications list, filtered": "/staff/applications/?stage=new&q=ann",
        "stuck list": "/staff/applications/stuck/",
        "waive form": f"/staff/applications/{at_checks.code}/checks/care_certificate/waive/",
        "care certificate form": f"/staff/applications/{at_checks.code}/checks/care_certificate/",
        "references form": f"/staff/applications/{at_checks.code}/checks/conduct_reference/",
        "identity form": f"/staff/applications/{at_checks.code}/checks/identity/",
        "retention list": "/staff/retention/",
        "retention form": f"/staff/placements/{placement.code}/retention/3/",
        "e-mail templates": "/staff/pipeline/messages/",
        "e-mail template form": "/staff/pipeline/messages/offer/",
        "placed application seen by the regional admin": f"/staff/applications/{placed.code}/",
    }
    for what, path in pages.items():
        page.goto(base + path)
        check_page(page, browser, what)

    page.goto(f"{base}/staff/pipeline/messages/offer/")
    page.get_by_label("Subject").fill("{{ email }}")
    page.get_by_role("button", name="Save e-mail").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "e-mail template form with errors")

    page.goto(f"{base}/staff/placements/{placement.code}/retention/3/")
    page.get_by_label("No, they have left").check()
    page.get_by_role("button", name="Save answer").click()
    assert_accessible(page, "retention form with errors")

    page.goto(f"{base}/staff/applications/{at_checks.code}/checks/care_certificate/waive/")
    page.get_by_role("button", name="Waive this check").click()
    assert_accessible(page, "waive form with errors")

    page.goto(f"{base}/staff/applications/")
    page.get_by_label("Select Ann Lee (Birmingham)").check()
    page.get_by_label("Move the selected applications to").select_option("contacted")
    page.get_by_role("button", name="Move selected applications").click()
    assert "Moved 1 application to “Contacted”" in page.content()
    # A POST's result page: measured in place rather than fetched again.
    assert_accessible(page, "bulk move result")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
