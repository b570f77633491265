"""Who may see and change what, for every role against every resource kind this app
owns: lists, details, exports, moves, checks, placements, retention, e-mail templates.

Birmingham (council A) works two applications, Coventry (council B) one. Another
organisation's record answers 404; viewers get 403; providers see none (nothing is
routed to them); campaign managers see every route but not check details.
"""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from carerecruit.organisations.access import (
    applications_visible_to,
    get_route_for_user,
    routes_visible_to,
)
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.placements import actions
from carerecruit.placements.models import ApplicationRoute
from carerecruit.placements.tests.helpers import (
    BIRMINGHAM,
    COVENTRY,
    apply,
    complete_all_checks,
    move_to,
    route_of,
)
from carerecruit.reference.models import JobRole

pytestmark = pytest.mark.django_db

@pytest.fixture
def world(campaign, personas):
    """a: Birmingham at checks; placed: Birmingham placed 4 months ago (3-month check
    overdue); b: Coventry at checks. All three in their stage for 40 days (stuck)."""
    a_app = apply(campaign, name="Alice Birmingham", councils=(BIRMINGHAM,))
    placed_app = apply(campaign, name="Pat Placed", councils=(BIRMINGHAM,))
    b_app = apply(campaign, name="Bob Coventry", councils=(COVENTRY,))
    a = move_to(route_of(a_app, BIRMINGHAM), "checks", by=personas.council_a_recruiter)
    b = move_to(route_of(b_app, COVENTRY), "checks", by=personas.council_b_recruiter)
    placed = move_to(route_of(placed_app, BIRMINGHAM), "checks", by=personas.council_a_recruiter)
    complete_all_checks(placed, by=personas.council_a_recruiter)
    start = timezone.localdate() - datetime.timedelta(days=125)
    placement = actions.do_place_candidate(placed, job_role=JobRole.objects.get(code=15), contract_type=1,
                                           start_date=start, by=personas.council_a_recruiter)
    ApplicationRoute.objects.filter(pk__in=[a.pk, b.pk]).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=40)
    )
    return {"a": a, "b": b, "placed": placed, "placement": placement, "personas": personas}


def client_for(world, role) -> Client:
    client = Client()
    client.force_login(getattr(world["personas"], role))
    return client


def names_in(html: str) -> set[str]:
    return {name for name in ("Alice Birmingham", "Pat Placed", "Bob Coventry") if name in html}


# --- The access layer itself -------------------------------------------------------------

@pytest.mark.parametrize(("role", "expected"), [
    ("regional_admin", {"Alice Birmingham", "Pat Placed", "Bob Coventry"}),
    ("campaign_manager", {"Alice Birmingham", "Pat Placed", "Bob Coventry"}),
    ("council_a_recruiter", {"Alice Birmingham", "Pat Placed"}),
    ("council_b_recruiter", {"Bob Coventry"}),
    ("provider_recruiter", set()),
    ("viewer", set()),
])
def test_applications_visible_to(world, role, expected):
    user = getattr(world["personas"], role)
    assert {a.full_name_given for a in applications_visible_to(user)} == expected
    assert {r.application.full_name_given for r in routes_visible_to(user)} == expected


def test_get_route_for_user(world):
    personas = world["personas"]
    a = world["a"]
    assert get_route_for_user(personas.council_a_recruiter, a.code, edit=True) == a
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(Http404):
        get_route_for_user(personas.council_b_recruiter, a.code)
    with pytest.raises(Http404):
        get_route_for_user(personas.council_a_recruiter, "not-a-uuid")
    with pytest.raises(Http404):
        get_route_for_user(personas.viewer, a.code)
    with pytest.raises(PermissionDenied):
        get_route_for_user(personas.viewer, a.code, edit=True)


# --- Pages -------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status", "expected"), [
    ("regional_admin", 200, {"Alice Birmingham", "Pat Placed", "Bob Coventry"}),
    ("campaign_manager", 200, {"Alice Birmingham", "Pat Placed", "Bob Coventry"}),
    ("council_a_recruiter", 200, {"Alice Birmingham", "Pat Placed"}),
    ("council_b_recruiter", 200, {"Bob Coventry"}),
    ("provider_recruiter", 200, set()),
    ("viewer", 403, set()),
])
def test_list(world, role, status, expected):
    response = client_for(world, role).get("/staff/applications/")
    assert response.status_code == status
    assert names_in(response.content.decode()) == expected


@pytest.mark.parametrize(("role", "status", "expected"), [
    ("regional_admin", 200, ["Alice Birmingham", "Bob Coventry", "Pat Placed"]),
    ("campaign_manager", 200, ["Alice Birmingham", "Bob Coventry", "Pat Placed"]),
    ("council_a_recruiter", 200, ["Alice Birmingham", "Pat Placed"]),
    ("council_b_recruiter", 200, ["Bob Coventry"]),
    ("provider_recruiter", 200, []),
    ("viewer", 403, None),
])
def test_export(world, role, status, expected):
    response = client_for(world, role).get("/staff/applications/export.csv")
    assert response.status_code == status
    if expected is not None:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["Reference", "Candidate", "Email"]
        assert sorted(row[1] for row in rows[1:]) == expected
        user = getattr(world["personas"], role)
        assert PersonalDataAccess.objects.filter(user=user, action="export").count() == max(len(expected), 1)


@pytest.mark.parametrize(("role", "status"), [
    ("regional_admin", 200), ("campaign_manager", 200), ("council_a_recruiter", 200),
    ("council_b_recruiter", 404), ("provider_recruiter", 404), ("viewer", 403),
])
def test_detail(world, role, status):
    response = client_for(world, role).get(f"/staff/applications/{world['a'].code}/")
    assert response.status_code == status
    user = getattr(world["personas"], role)
    audited = PersonalDataAccess.objects.filter(user=user, action="view", resource="application")
    assert audited.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(("role", "status", "stage"), [
    ("regional_admin", 302, "offer"), ("campaign_manager", 302, "offer"),
    ("council_a_recruiter", 302, "offer"), ("council_b_recruiter", 404, "checks"),
    ("provider_recruiter", 404, "checks"), ("viewer", 403, "checks"),
])
def test_move(world, role, status, stage):
    a = world["a"]
    response = client_for(world, role).post(f"/staff/applications/{a.code}/move/", {"to_stage": "offer"})
    assert response.status_code == status
    a.refresh_from_db()
    assert a.stage == stage


@pytest.mark.parametrize(("role", "details_shown"), [
    ("regional_admin", True), ("campaign_manager", False), ("council_a_recruiter", True),
])
def test_check_details_only_for_the_owning_organisation_and_regional_admins(world, role, details_shown):
    placed = world["placed"]
    html = client_for(world, role).get(f"/staff/applications/{placed.code}/").content.decode()
    assert ("001234567890" in html) is details_shown
    assert ("Sandwell Council" in html) is details_shown
    assert "Enhanced DBS check with adults&#x27; barred list" in html  # everyone sees the status


@pytest.mark.parametrize(("role", "status"), [
    ("regional_admin", 200), ("campaign_manager", 404), ("council_a_recruiter", 200),
    ("council_b_recruiter", 404), ("provider_recruiter", 404), ("viewer", 403),
])
def test_checks_waivers_and_placement_pages(world, role, status):
    client = client_for(world, role)
    code = world["a"].code
    assert client.get(f"/staff/applications/{code}/checks/dbs/").status_code == status
    assert client.get(f"/staff/applications/{code}/checks/dbs/waive/").status_code == status
    assert client.get(f"/staff/applications/{code}/place/").status_code == status
    response = client.post(f"/staff/applications/{code}/checks/dbs/waive/",
                           {"waived_by_name": "Someone", "reason": "Because"})
    assert response.status_code == (302 if status == 200 else status)
    waived = world["a"].checks.get(kind="dbs").status == "waived"
    assert waived is (status == 200)


@pytest.mark.parametrize(("role", "status", "expected"), [
    ("regional_admin", 200, {"Pat Placed"}), ("campaign_manager", 200, set()),
    ("council_a_recruiter", 200, {"Pat Placed"}), ("council_b_recruiter", 200, set()),
    ("provider_recruiter", 200, set()), ("viewer", 403, set()),
])
def test_retention_list(world, role, status, expected):
    response = client_for(world, role).get("/staff/retention/")
    assert response.status_code == status
    assert names_in(response.content.decode()) == expected


@pytest.mark.parametrize(("role", "status"), [
    ("regional_admin", 200), ("campaign_manager", 404), ("council_a_recruiter", 200),
    ("council_b_recruiter", 404), ("provider_recruiter", 404), ("viewer", 403),
])
def test_retention_answer(world, role, status):
    client = client_for(world, role)
    url = f"/staff/placements/{world['placement'].code}/retention/3/"
    assert client.get(url).status_code == status
    response = client.post(url, {"status": "in_post"})
    assert response.status_code == (302 if status == 200 else status)
    checkpoint = world["placement"].checkpoints.get(months=3)
    assert checkpoint.status == ("in_post" if status == 200 else "pending")


@pytest.mark.parametrize(("role", "status", "expected"), [
    ("regional_admin", 200, {"Alice Birmingham", "Bob Coventry"}),
    ("campaign_manager", 200, {"Alice Birmingham", "Bob Coventry"}),
    ("council_a_recruiter", 200, {"Alice Birmingham"}),
    ("council_b_recruiter", 200, {"Bob Coventry"}),
    ("provider_recruiter", 200, set()),
    ("viewer", 403, set()),
])
def test_stuck_list(world, role, status, expected):
    response = client_for(world, role).get("/staff/applications/stuck/")
    assert response.status_code == status
    assert names_in(response.content.decode()) == expected


@pytest.mark.parametrize(("role", "status"), [
    ("regional_admin", 200), ("campaign_manager", 403), ("council_a_recruiter", 403),
    ("council_b_recruiter", 403), ("provider_recruiter", 403), ("viewer", 403),
])
def test_message_templates_are_the_regional_admins(world, role, status):
    client = client_for(world, role)
    assert client.get("/staff/pipeline/messages/").status_code == status
    assert client.get("/staff/pipeline/messages/offer/").status_code == status
    response = client.post("/staff/pipeline/messages/offer/", {"subject": "Hi", "body": "Hello", "is_active": "on"})
    assert response.status_code == (302 if status == 200 else status)


def test_bulk_move_never_touches_another_councils_route(world):
    client = client_for(world, "council_a_recruiter")
    a, b = world["a"], world["b"]
    response = client.post("/staff/applications/bulk-move/", {
        "routes": [str(a.code), str(b.code), "nonsense"], "to_stage": "offer",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moved 1 application to “Offer”" in html
    assert "1 could not be found or is not yours to change" in html
    assert "Bob Coventry" not in html
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.stage, b.stage) == ("offer", "checks")


@pytest.mark.parametrize("path", [
    "/staff/applications/", "/staff/applications/stuck/", "/staff/retention/", "/staff/pipeline/messages/",
    "/staff/applications/export.csv",
])
def test_signed_out_people_are_sent_to_sign_in(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
