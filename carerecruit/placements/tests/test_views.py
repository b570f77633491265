"""The staff pipeline pages as a recruiter uses them: filters, search, paging, move and
note forms with GOV.UK errors, checks, waivers, placement, retention, exports, templates."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.placements import actions
from carerecruit.placements.models import (
    ApplicationRoute,
    MessageTemplate,
    Note,
    OrganisationPipelineSettings,
)
from carerecruit.placements.tests.helpers import apply, complete_all_checks, move_to, route_of
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(personas):
    client = Client()
    client.force_login(personas.council_a_recruiter)
    return client


@pytest.fixture
def route(campaign):
    return route_of(apply(campaign, name="Siobhán O’Neill", email="siobhan@example.org", roles=(6,)))


def test_list_filters_by_stage_campaign_owner_and_search(recruiter, personas, campaign):
    other = make_campaign(slug="time-to-care", name="Time to Care")
    ann = route_of(apply(campaign, name="Ann Lee", email="ann@example.org"))
    bo = route_of(apply(other, name="Bo Ng", email="bo.ng@example.org"))
    cy = route_of(apply(campaign, name="Cy Twombly"))
    actions.do_move_stage(bo, "contacted", by=personas.council_a_recruiter, notify=False)
    actions.do_assign_owner(cy, personas.council_a_recruiter, by=personas.council_a_recruiter)

    def names(query):
        html = recruiter.get(f"/staff/applications/?{query}").content.decode()
        return {n for n in ("Ann Lee", "Bo Ng", "Cy Twombly") if f">{n}</a>" in html}

    assert names("") == {"Ann Lee", "Bo Ng", "Cy Twombly"}
    assert names("stage=contacted") == {"Bo Ng"}
    assert names("campaign=come-back-to-care") == {"Ann Lee", "Cy Twombly"}
    assert names("owner=me") == {"Cy Twombly"}
    assert names("owner=nobody") == {"Ann Lee", "Bo Ng"}
    assert names("q=ANN") == {"Ann Lee"}
    assert names("q=bo.ng@") == {"Bo Ng"}
    assert names(f"q={ann.application.code.hex[:8].upper()}") == {"Ann Lee"}
    # Nonsense filters are shown as errors (see below), never a 500.
    assert recruiter.get("/staff/applications/?stage=zzz&campaign=nope&owner=x&page=99").status_code == 200


@pytest.mark.parametrize(("bad", "message", "field"), [
    ("campaign=99", "Select a campaign from the list", "id_campaign"),
    ("owner=4", "Select an owner from the list", "id_owner"),
    ("stage=zzz", "Select a stage from the list", "id_stage"),
    ("q=" + "a" * 101, "Name, e-mail or reference must be 100 characters or fewer", "id_q"),
])
def test_an_invalid_filter_never_widens_the_list_or_the_export(recruiter, personas, campaign, bad, message, field):
    ann = route_of(apply(campaign, name="Ann Lee", email="ann@example.org"))
    apply(campaign, name="Bo Ng")
    actions.do_move_stage(ann, "contacted", by=personas.council_a_recruiter, notify=False)
    assert recruiter.get("/staff/applications/export.csv?stage=contacted").content.decode("utf-8-sig").count("\n") == 2
    audited = PersonalDataAccess.objects.exclude(candidate_code=None).count()

    response = recruiter.get(f"/staff/applications/?stage=contacted&{bad}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Applications" in html
    assert "govuk-error-summary" in html
    assert f'<a href="#{field}">{message}</a>' in html
    assert "Ann Lee" not in html and "Bo Ng" not in html
    assert "export.csv" not in html  # no download link for a filter that does not hold
    if field != "id_stage":
        # The other filters stay as typed.
        assert '<option value="contacted" selected>' in html

    for fmt in ("csv", "xlsx"):
        response = recruiter.get(f"/staff/applications/export.{fmt}?stage=contacted&{bad}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == f"The filter is not valid: {message}. Nothing was exported.\n"
    # Nobody's personal data was shown, so no one was audited.
    assert PersonalDataAccess.objects.exclude(candidate_code=None).count() == audited


def test_list_is_paged_and_audits_only_the_page_shown(recruiter, personas, campaign, settings):
    from carerecruit.placements import views

    views.PAGE_SIZE, old = 2, views.PAGE_SIZE
    try:
        for n in range(3):
            apply(campaign, name=f"Person {n}")
        html = recruiter.get("/staff/applications/").content.decode()
        assert "3 applications, showing 1 to 2" in html
        assert "Page 1 of 2" in html
        assert PersonalDataAccess.objects.filter(resource="applications list").count() == 2
        assert "Person 0" in recruiter.get("/staff/applications/?page=2").content.decode()
    finally:
        views.PAGE_SIZE = old


def test_detail_shows_the_candidate_answers_attribution_and_history(recruiter, route):
    html = recruiter.get(f"/staff/applications/{route.code}/").content.decode()
    for text in ("Siobhán O’Neill", "siobhan@example.org", "B1 1BB", "Social worker", "SW104233",
                 "The candidate chose this council&#x27;s area", "direct", "Automatic"):
        assert text in html, text


def test_move_form_shows_govuk_errors(recruiter, route):
    response = recruiter.post(f"/staff/applications/{route.code}/move/", {"to_stage": "not_suitable"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Give the reason for “Not suitable”" in html
    response = recruiter.post(f"/staff/applications/{route.code}/move/", {"to_stage": "offer"})
    assert "Choose one of the stages listed" in response.content.decode()
    response = recruiter.post(f"/staff/applications/{route.code}/move/", {})
    assert "Choose the stage to move to" in response.content.decode()
    route.refresh_from_db()
    assert route.stage == "new"


def test_move_and_note_and_owner_forms(recruiter, personas, route):
    response = recruiter.post(f"/staff/applications/{route.code}/move/",
                              {"to_stage": "contacted", "reason": "Phoned"})
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.stage == "contacted"
    assert recruiter.post(f"/staff/applications/{route.code}/notes/", {"text": "Keen <b>very</b>"}).status_code == 302
    assert recruiter.post(f"/staff/applications/{route.code}/notes/", {"text": ""}).status_code == 400
    response = recruiter.post(f"/staff/applications/{route.code}/owner/", {"owner": personas.council_b_recruiter.pk})
    assert "Choose someone from the list" in response.content.decode()
    assert recruiter.post(f"/staff/applications/{route.code}/owner/",
                          {"owner": personas.council_a_recruiter.pk}).status_code == 302
    html = recruiter.get(f"/staff/applications/{route.code}/").content.decode()
    assert "Keen &lt;b&gt;very&lt;/b&gt;" in html
    assert "Owner set to Birmingham Recruiter" in html
    assert list(Note.objects.values_list("text", flat=True)) == ["Keen <b>very</b>", "Owner set to Birmingham Recruiter"]


@pytest.mark.parametrize("text", ["\u200b", "\u200b\u2060 \ufeff", "\u3164"])
def test_a_note_of_only_invisible_characters_is_refused(recruiter, route, text):
    response = recruiter.post(f"/staff/applications/{route.code}/notes/", {"text": text})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a note using letters, numbers or symbols – it cannot be only spaces or invisible characters" in html
    assert 'href="#id_text"' in html
    assert not Note.objects.exists()
    assert recruiter.post(f"/staff/applications/{route.code}/notes/", {"text": "\u200b5"}).status_code == 302


def test_get_never_writes_and_post_only_endpoints_refuse_get(recruiter, route):
    assert recruiter.get(f"/staff/applications/{route.code}/move/").status_code == 405
    assert recruiter.get("/staff/applications/bulk-move/").status_code == 405
    assert recruiter.get("/staff/applications/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_bulk_move_form_errors(recruiter, route):
    response = recruiter.post("/staff/applications/bulk-move/", {"to_stage": "contacted"})
    assert response.status_code == 400
    assert "Select at least one application" in response.content.decode()
    response = recruiter.post("/staff/applications/bulk-move/", {"routes": [str(route.code)], "to_stage": "not_suitable"})
    assert "Give the reason for “Not suitable”" in response.content.decode()


def test_recording_and_waiving_checks_through_the_pages(recruiter, personas, route):
    move_to(route, "checks", by=personas.council_a_recruiter)
    url = f"/staff/applications/{route.code}/checks/dbs/"
    response = recruiter.post(url, {"dbs_certificate_number": "12", "dbs_issue_date_0": "31",
                                    "dbs_issue_date_1": "2", "dbs_issue_date_2": "2026"})
    html = response.content.decode()
    assert response.status_code == 400
    for message in ("The date of issue must be a real date",):
        assert message in html
    response = recruiter.post(url, {
        "dbs_certificate_number": "12", "dbs_issue_date_0": "5", "dbs_issue_date_1": "1",
        "dbs_issue_date_2": "2026",
    })
    html = response.content.decode()
    for message in ("Enter the 12-digit DBS certificate number",
                    "Confirm the certificate includes a check of the adults&#x27; barred list",
                    "Select whether the certificate is on the DBS Update Service"):
        assert message in html
    response = recruiter.post(url, {
        "dbs_certificate_number": "001234567890", "dbs_issue_date_0": "5", "dbs_issue_date_1": "1",
        "dbs_issue_date_2": "2026", "dbs_barred_list_checked": "on", "dbs_update_service": "no",
    })
    assert response.status_code == 302
    check = route.checks.get(kind="dbs")
    assert (check.status, check.dbs_certificate_number, check.dbs_update_service) == ("complete", "001234567890", False)

    swe = recruiter.get(f"/staff/applications/{route.code}/checks/swe_registration/").content.decode()
    assert 'value="SW104233"' in swe  # prefilled from the application

    waive = f"/staff/applications/{route.code}/checks/second_reference/waive/"
    assert "Enter the reason for waiving the check" in recruiter.post(waive, {"waived_by_name": "Priya"}).content.decode()
    assert recruiter.post(waive, {"waived_by_name": "Priya Shah", "reason": "One employer"}).status_code == 302
    assert recruiter.get(f"/staff/applications/{route.code}/checks/nonsense/").status_code == 404


def test_placement_page_refuses_until_checks_are_done(recruiter, personas, route):
    assert recruiter.get(f"/staff/applications/{route.code}/place/").status_code == 404  # not at checks
    move_to(route, "checks", by=personas.council_a_recruiter)
    social_worker = JobRole.objects.get(code=6)
    data = {"job_role": social_worker.pk, "contract_type": "1", "start_date_0": "4", "start_date_1": "1",
            "start_date_2": "2027"}
    response = recruiter.post(f"/staff/applications/{route.code}/place/", data)
    assert response.status_code == 400
    assert "Complete or waive every pre-employment check first. Still to do: Enhanced DBS check" in response.content.decode()
    complete_all_checks(route, by=personas.council_a_recruiter)
    assert recruiter.post(f"/staff/applications/{route.code}/place/", data).status_code == 302
    route.refresh_from_db()
    assert route.stage == "placed"
    html = recruiter.get(f"/staff/applications/{route.code}/").content.decode()
    assert "4 January 2027" in html and "4 April 2027" in html and "4 January 2028" in html


def test_placement_fills_one_of_the_organisations_own_vacancies(recruiter, personas, route):
    from carerecruit.talentbank.tests.builders import make_vacancy

    social_worker = JobRole.objects.get(code=6)
    ours = make_vacancy(personas.council_a, title="Social worker, older adults", job_role=social_worker)
    care_worker_post = make_vacancy(personas.council_a, title="Care worker")
    theirs = make_vacancy(personas.council_b, title="Coventry social worker", job_role=social_worker)
    move_to(route, "checks", by=personas.council_a_recruiter)
    complete_all_checks(route, by=personas.council_a_recruiter)
    url = f"/staff/applications/{route.code}/place/"
    form_html = recruiter.get(url).content.decode()
    assert "Social worker, older adults" in form_html and "Coventry social worker" not in form_html
    data = {"job_role": social_worker.pk, "contract_type": "1", "start_date_0": "4", "start_date_1": "1",
            "start_date_2": "2027"}
    # Another council's vacancy is not a choice; a vacancy for another role is refused.
    response = recruiter.post(url, {**data, "vacancy": theirs.pk})
    assert response.status_code == 400
    assert "Choose one of your organisation&#x27;s vacancies from the list" in response.content.decode()
    response = recruiter.post(url, {**data, "vacancy": care_worker_post.pk})
    assert response.status_code == 400
    assert "This vacancy is for Care worker: choose that job role, or no vacancy" in response.content.decode()
    assert recruiter.post(url, {**data, "vacancy": ours.pk}).status_code == 302
    route.refresh_from_db()
    assert route.placement.vacancy == ours and route.placement.job_role == social_worker
    assert "Social worker, older adults" in recruiter.get(f"/staff/applications/{route.code}/").content.decode()


def test_retention_list_and_form(recruiter, personas, route):
    move_to(route, "checks", by=personas.council_a_recruiter)
    complete_all_checks(route, by=personas.council_a_recruiter)
    start = timezone.localdate() - datetime.timedelta(days=200)
    placement = actions.do_place_candidate(route, job_role=JobRole.objects.get(code=6), contract_type=1,
                                           start_date=start, by=personas.council_a_recruiter)
    html = recruiter.get("/staff/retention/").content.decode()
    assert "2 overdue checks" in html
    url = f"/staff/placements/{placement.code}/retention/3/"
    response = recruiter.post(url, {"status": "left"})
    assert response.status_code == 400 and "Choose why they left" in response.content.decode()
    assert recruiter.post(url, {"status": "left", "leaving_reason": "5"}).status_code == 302
    assert "No retention checks are overdue." in recruiter.get("/staff/retention/").content.decode()
    assert recruiter.get(f"/staff/placements/{placement.code}/retention/4/").status_code == 404


def test_retention_form_refuses_a_leaving_date_before_the_start(recruiter, personas, route):
    move_to(route, "checks", by=personas.council_a_recruiter)
    complete_all_checks(route, by=personas.council_a_recruiter)
    start = timezone.localdate() - datetime.timedelta(days=200)
    placement = actions.do_place_candidate(route, job_role=JobRole.objects.get(code=6), contract_type=1,
                                           start_date=start, by=personas.council_a_recruiter)
    url = f"/staff/placements/{placement.code}/retention/6/"
    response = recruiter.post(url, {
        "status": "left", "leaving_reason": "5",
        "left_on_0": "1", "left_on_1": "1", "left_on_2": "1999",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    message = f"The date they left must be the same as or after {start.day} {start:%B %Y}, the date they started"
    assert f'<a href="#id_left_on_0">{message}</a>' in html
    assert set(placement.checkpoints.values_list("status", flat=True)) == {"pending"}


def test_stuck_list_uses_the_organisations_own_targets(recruiter, personas, route, campaign):
    other = route_of(apply(campaign, name="Cy Twombly"))
    ApplicationRoute.objects.update(stage_entered_at=timezone.now() - datetime.timedelta(days=4))
    html = recruiter.get("/staff/applications/stuck/").content.decode()
    # 4 calendar days is at most 4 working days: not past the default 5.
    assert "No application is past its target" in html
    OrganisationPipelineSettings.objects.create(organisation=route.organisation, target_new=1)
    html = recruiter.get("/staff/applications/stuck/").content.decode()
    assert "2 applications past the target" in html
    actions.do_move_stage(other, "contacted", by=personas.council_a_recruiter, notify=False)
    html = recruiter.get("/staff/applications/stuck/").content.decode()
    assert "1 application past the target" in html and "Cy Twombly" not in html


def test_exports_neutralise_formulas_and_match_the_filter(recruiter, campaign):
    apply(campaign, name="=HYPERLINK(\"http://evil\")", email="evil@example.org")
    apply(campaign, name="Ann Lee")
    csv_text = recruiter.get("/staff/applications/export.csv?q=evil").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert len(lines) == 2
    assert "'=HYPERLINK" in lines[1]
    workbook = load_workbook(io.BytesIO(recruiter.get("/staff/applications/export.xlsx").content))
    sheet = workbook.active
    values = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(values) == ["'=HYPERLINK(\"http://evil\")", "Ann Lee"]
    assert recruiter.get("/staff/applications/export.pdf").status_code == 404


def test_regional_admin_edits_a_template_with_errors_shown(personas):
    client = Client()
    client.force_login(personas.regional_admin)
    html = client.get("/staff/pipeline/messages/").content.decode()
    assert "{{ council }}: we would like to interview you" in html
    response = client.post("/staff/pipeline/messages/interview/", {"subject": "{{ email }}", "body": "{% debug %}"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a placeholder you can use" in html and "Template tags such as" in html
    response = client.post("/staff/pipeline/messages/interview/",
                           {"subject": "Interview: {{ campaign }}", "body": "Hi {{ first_name }}"})
    assert response.status_code == 302
    saved = MessageTemplate.objects.get(kind="interview")
    assert (saved.subject, saved.body, saved.is_active) == ("Interview: {{ campaign }}", "Hi {{ first_name }}", False)
    assert client.get("/staff/pipeline/messages/nonsense/").status_code == 404


def test_messages_sent_are_listed_on_the_application(recruiter, personas, route, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(f"/staff/applications/{route.code}/move/", {"to_stage": "contacted", "notify": "on"})
    html = recruiter.get(f"/staff/applications/{route.code}/").content.decode()
    assert "Birmingham City Council: about your application to Come Back to Care" in html
    assert "Dear Siobhán," in html


def test_staff_home_links_to_the_applications(recruiter):
    html = recruiter.get("/staff/").content.decode()
    assert 'href="/staff/applications/"' in html

