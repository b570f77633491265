"""The pipeline's writes: moves with history, bulk moves, notes, owners, checks, the
placement gate, retention, funnel outcomes exactly once, e-mails on commit."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.placements import actions
from carerecruit.placements.actions import ChecksIncomplete, PipelineError, retention_due_date
from carerecruit.placements.models import (
    Check,
    FunnelOutcome,
    MessageLog,
    Note,
    Placement,
    RetentionCheckpoint,
    StageChange,
)
from carerecruit.placements.tests.helpers import (
    BIRMINGHAM,
    COMPLETE_VALUES,
    COVENTRY,
    apply,
    complete_all_checks,
    move_to,
    route_of,
)
from carerecruit.reference.models import JobRole
from carerecruit.tracking.models import Event

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def application(campaign):
    return apply(campaign, name="Siobhán O’Neill", councils=(BIRMINGHAM, COVENTRY), roles=(6,))


@pytest.fixture
def route(application):
    return route_of(application, BIRMINGHAM)


def events(kind):
    return Event.objects.filter(kind=kind).count()


# --- Moves ------------------------------------------------------------------------------

def test_a_move_records_who_when_why_and_is_audited(route, personas):
    by = personas.council_a_recruiter
    at = timezone.now() + datetime.timedelta(seconds=1)
    change = actions.do_move_stage(route, "contacted", by=by, reason="Phoned, keen", notify=False, now=at)
    route.refresh_from_db()
    assert (route.stage, route.stage_entered_at) == ("contacted", at)
    assert (change.from_stage, change.to_stage, change.changed_by, change.changed_at, change.reason) == (
        "new", "contacted", by, at, "Phoned, keen",
    )
    assert list(route.stage_changes.values_list("from_stage", "to_stage")) == [("", "new"), ("new", "contacted")]
    line = PersonalDataAccess.objects.get(action="change")
    assert (line.user, line.candidate_code, line.detail) == (
        by, route.application.candidate.code, "stage new to contacted",
    )


@pytest.mark.parametrize(("from_path", "to_stage", "message"), [
    ((), "offer", "Cannot move from “New” to “Offer”"),
    ((), "new", "It is already at “New”"),
    ((), "placed", "Confirm a placement with the placement form, after every check"),
    ((), "nonsense", "Choose a stage"),
    (("withdrawn",), "interview", "Cannot move from “Withdrawn” to “Interview”"),
])
def test_moves_outside_the_table_are_refused_and_change_nothing(route, personas, from_path, to_stage, message):
    by = personas.council_a_recruiter
    for stage in from_path:
        actions.do_move_stage(route, stage, by=by, notify=False)
    before = StageChange.objects.count()
    with pytest.raises(PipelineError) as exc:
        actions.do_move_stage(route, to_stage, by=by, notify=False)
    assert str(exc.value) == message
    assert StageChange.objects.count() == before


def test_not_suitable_needs_a_reason(route, personas):
    by = personas.council_a_recruiter
    with pytest.raises(PipelineError, match="Give the reason for “Not suitable”"):
        actions.do_move_stage(route, "not_suitable", by=by, reason="  ", notify=False)
    actions.do_move_stage(route, "not_suitable", by=by, reason="No driving licence", notify=False)
    route.refresh_from_db()
    assert route.stage == "not_suitable"
    assert route.stage_changes.last().reason == "No driving licence"


def test_shortlisted_is_recorded_once_per_application_not_per_council(application, personas):
    birmingham, coventry = route_of(application, BIRMINGHAM), route_of(application, COVENTRY)
    move_to(birmingham, "interview", by=personas.council_a_recruiter)
    move_to(coventry, "interview", by=personas.council_b_recruiter)
    # Back to screening and into interview again.
    actions.do_move_stage(birmingham, "screening", by=personas.council_a_recruiter, notify=False)
    actions.do_move_stage(birmingham, "interview", by=personas.council_a_recruiter, notify=False)
    assert events("shortlisted") == 1
    event = Event.objects.get(kind="shortlisted")
    assert (event.campaign_id, event.channel) == (application.campaign_id, "direct")
    assert list(FunnelOutcome.objects.values_list("kind", flat=True)) == ["shortlisted"]


def test_entering_checks_creates_the_checks_the_roles_need(campaign, personas):
    by = personas.council_a_recruiter
    social_worker = move_to(route_of(apply(campaign, roles=(6,))), "checks", by=by)
    care_worker = move_to(route_of(apply(campaign, roles=(8, 52))), "checks", by=by)
    therapist = move_to(route_of(apply(campaign, roles=(15,))), "checks", by=by)
    base = ["conduct_reference", "dbs", "identity", "right_to_work", "second_reference"]
    assert sorted(social_worker.checks.values_list("kind", flat=True)) == sorted([*base, "swe_registration"])
    assert sorted(care_worker.checks.values_list("kind", flat=True)) == sorted([*base, "care_certificate"])
    assert sorted(therapist.checks.values_list("kind", flat=True)) == base
    assert set(Check.objects.values_list("status", flat=True)) == {"pending"}


def test_bulk_move_moves_the_allowed_and_reports_the_rest(campaign, personas):
    by = personas.council_a_recruiter
    fresh = [route_of(apply(campaign)) for _ in range(3)]
    at_offer = move_to(route_of(apply(campaign, name="Bo Diddley")), "offer", by=by)
    result = actions.do_bulk_move([*fresh, at_offer], "contacted", by=by, reason="Called them all", notify=False)
    assert [r.pk for r in result.moved] == [r.pk for r in fresh]
    assert [(r.pk, message) for r, message in result.refused] == [
        (at_offer.pk, "Cannot move from “Offer” to “Contacted”"),
    ]
    assert {r.stage for r in fresh[0].__class__.objects.filter(pk__in=[r.pk for r in fresh])} == {"contacted"}
    at_offer.refresh_from_db()
    assert at_offer.stage == "offer"
    assert StageChange.objects.filter(to_stage="contacted", reason="Called them all").count() == 3
    assert PersonalDataAccess.objects.filter(detail="bulk move to contacted").count() == 3


def test_notes_and_owner(route, personas):
    by = personas.council_a_recruiter
    note = actions.do_add_note(route, "  Prefers mornings  ", by=by)
    assert (note.text, note.author, note.is_system) == ("Prefers mornings", by, False)
    with pytest.raises(PipelineError, match="Enter a note"):
        actions.do_add_note(route, "   ", by=by)
    actions.do_assign_owner(route, by, by=by)
    route.refresh_from_db()
    assert route.owner == by
    assert Note.objects.filter(is_system=True).get().text == "Owner set to Birmingham Recruiter"
    with pytest.raises(PipelineError, match="Choose someone from this organisation"):
        actions.do_assign_owner(route, personas.council_b_recruiter, by=by)
    actions.do_assign_owner(route, None, by=by)
    route.refresh_from_db()
    assert route.owner is None


# --- Checks and placement -------------------------------------------------------------

def test_check_values_are_validated(route, personas):
    by = personas.council_a_recruiter
    move_to(route, "checks", by=by)
    dbs = route.checks.get(kind="dbs")
    bad = {**COMPLETE_VALUES["dbs"], "dbs_certificate_number": "12345", "dbs_barred_list_checked": False,
           "dbs_status_checked_on": D(2025, 12, 1)}
    with pytest.raises(ValidationError) as exc:
        actions.do_record_check(dbs, bad, by=by)
    assert exc.value.message_dict == {
        "dbs_certificate_number": ["Enter the 12-digit DBS certificate number"],
        "dbs_barred_list_checked": ["Confirm the certificate includes a check of the adults' barred list"],
        "dbs_status_checked_on": ["The status check date must be on or after the date of issue"],
    }
    rtw = route.checks.get(kind="right_to_work")
    with pytest.raises(ValidationError) as exc:
        actions.do_record_check(rtw, {"rtw_method": "idsp", "rtw_document": "list_b",
                                      "verified_on": local_today()}, by=by)
    assert exc.value.message_dict == {
        "rtw_document": ["An IDSP check can only be used with a valid British or Irish passport"],
        "rtw_expires_on": ["Enter the date the permission to work ends"],
    }
    swe = route.checks.get(kind="swe_registration")
    with pytest.raises(ValidationError) as exc:
        actions.do_record_check(swe, {"swe_number": "SW0000", "verified_on": local_today() + datetime.timedelta(days=1)}, by=by)
    assert exc.value.message_dict == {
        "swe_number": ["Enter your real Social Work England registration number, not a placeholder"],
        "verified_on": ["The date must be today or in the past"],
    }
    assert set(route.checks.values_list("status", flat=True)) == {"pending"}


def test_recorded_check_keeps_only_metadata(route, personas):
    by = personas.council_a_recruiter
    move_to(route, "checks", by=by)
    dbs = actions.do_record_check(route.checks.get(kind="dbs"), {
        **COMPLETE_VALUES["dbs"], "dbs_certificate_number": "0012 3456 7890",
    }, by=by)
    dbs.refresh_from_db()
    assert (dbs.status, dbs.dbs_certificate_number, dbs.dbs_issue_date, dbs.dbs_update_service,
            dbs.dbs_status_checked_on, dbs.recorded_by) == (
        "complete", "001234567890", D(2026, 1, 5), True, D(2026, 1, 20), by,
    )
    swe = actions.do_record_check(route.checks.get(kind="swe_registration"),
                                  COMPLETE_VALUES["swe_registration"], by=by)
    assert swe.swe_number == "SW104233"


def test_time_limited_right_to_work_needs_a_future_end_date(route, personas):
    by = personas.council_a_recruiter
    move_to(route, "checks", by=by)
    rtw = route.checks.get(kind="right_to_work")
    values = {"rtw_method": "online", "rtw_document": "evisa", "rtw_time_limited": True,
              "verified_on": local_today(), "rtw_expires_on": local_today()}
    with pytest.raises(ValidationError) as exc:
        actions.do_record_check(rtw, values, by=by)
    assert exc.value.message_dict == {
        "rtw_expires_on": ["The permission to work has ended: it must end after today"],
    }
    ends = local_today() + datetime.timedelta(days=400)
    checked = actions.do_record_check(rtw, {**values, "rtw_expires_on": ends}, by=by)
    assert (checked.rtw_method, checked.rtw_document, checked.rtw_expires_on) == ("online", "evisa", ends)


def test_placement_is_blocked_until_every_check_is_complete_or_waived(route, personas):
    by = personas.council_a_recruiter
    social_worker = JobRole.objects.get(code=6)
    with pytest.raises(PipelineError, match="only at the pre-employment checks stage"):
        actions.do_place_candidate(route, job_role=social_worker, contract_type=1,
                                   start_date=D(2027, 1, 4), by=by)
    move_to(route, "checks", by=by)
    for kind in ("dbs", "right_to_work", "identity", "conduct_reference"):
        actions.do_record_check(route.checks.get(kind=kind), COMPLETE_VALUES[kind], by=by)
    with pytest.raises(ChecksIncomplete) as exc:
        actions.do_place_candidate(route, job_role=social_worker, contract_type=1,
                                   start_date=D(2027, 1, 4), by=by)
    assert exc.value.kinds == ["second_reference", "swe_registration"]
    assert str(exc.value) == (
        "Complete or waive every pre-employment check first. Still to do: Second reference, "
        "Social Work England registration"
    )
    with pytest.raises(PipelineError, match="name of the person"):
        actions.do_waive_check(route.checks.get(kind="second_reference"), waived_by_name=" ", reason="x", by=by)
    actions.do_waive_check(route.checks.get(kind="second_reference"),
                           waived_by_name="Priya Shah, Head of Service",
                           reason="Only one previous employer", by=by)
    with pytest.raises(ChecksIncomplete) as exc:
        actions.do_place_candidate(route, job_role=social_worker, contract_type=1,
                                   start_date=D(2027, 1, 4), by=by)
    assert exc.value.kinds == ["swe_registration"]
    assert Placement.objects.count() == 0 and events("placed") == 0
    route.refresh_from_db()
    assert route.stage == "checks"

    actions.do_record_check(route.checks.get(kind="swe_registration"), COMPLETE_VALUES["swe_registration"], by=by)
    placement = actions.do_place_candidate(route, job_role=social_worker, contract_type=1,
                                           start_date=D(2027, 1, 4), by=by)
    route.refresh_from_db()
    assert route.stage == "placed"
    assert (placement.organisation.gss_code, placement.job_role.code, placement.contract_type,
            placement.start_date) == (BIRMINGHAM, 6, 1, D(2027, 1, 4))
    assert list(placement.checkpoints.values_list("months", "due_on", "status")) == [
        (3, D(2027, 4, 4), "pending"), (6, D(2027, 7, 4), "pending"), (12, D(2028, 1, 4), "pending"),
    ]
    assert route.stage_changes.last().reason == "Placement confirmed: Social worker, starting 04 January 2027"
    assert events("placed") == 1


def test_placing_in_a_care_role_adds_the_care_certificate_check(route, personas):
    by = personas.council_a_recruiter
    move_to(route, "checks", by=by)
    complete_all_checks(route, by=by)
    care_worker = JobRole.objects.get(code=8)
    with pytest.raises(ChecksIncomplete) as exc:
        actions.do_place_candidate(route, job_role=care_worker, contract_type=3, start_date=D(2027, 1, 4), by=by)
    assert exc.value.kinds == ["care_certificate"]
    actions.do_record_check(route.checks.get(kind="care_certificate"), {"care_certificate_status": 2}, by=by)
    actions.do_place_candidate(route, job_role=care_worker, contract_type=3, start_date=D(2027, 1, 4), by=by)


def test_placed_is_recorded_once_even_when_two_councils_place(application, personas):
    for gss, by in ((BIRMINGHAM, personas.council_a_recruiter), (COVENTRY, personas.council_b_recruiter)):
        route = move_to(route_of(application, gss), "checks", by=by)
        complete_all_checks(route, by=by)
        actions.do_place_candidate(route, job_role=JobRole.objects.get(code=6), contract_type=2,
                                   start_date=D(2027, 2, 1), by=by)
    assert Placement.objects.count() == 2
    assert events("placed") == 1


@pytest.mark.parametrize(("start", "months", "due"), [
    (D(2026, 1, 15), 3, D(2026, 4, 15)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),   # clamped to the end of February
    (D(2027, 8, 31), 6, D(2028, 2, 29)),   # leap year
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 12, 31), 12, D(2027, 12, 31)),
    (D(2026, 10, 31), 12, D(2027, 10, 31)),
    (D(2027, 5, 31), 3, D(2027, 8, 31)),
    (D(2027, 3, 31), 3, D(2027, 6, 30)),
])
def test_retention_due_dates(start, months, due):
    assert retention_due_date(start, months) == due


@pytest.fixture
def placement(route, personas):
    by = personas.council_a_recruiter
    move_to(route, "checks", by=by)
    complete_all_checks(route, by=by)
    return actions.do_place_candidate(route, job_role=JobRole.objects.get(code=6), contract_type=1,
                                      start_date=D(2026, 1, 5), by=by)


def test_retained_at_six_months_is_recorded_once(placement, personas):
    by = personas.council_a_recruiter
    three, six, twelve = placement.checkpoints.order_by("months")
    actions.do_record_retention(three, status="in_post", by=by)
    assert events("retained_6m") == 0
    answered = actions.do_record_retention(six, status="in_post", by=by)
    assert (answered.status, answered.answered_by) == ("in_post", by)
    actions.do_record_retention(twelve, status="in_post", by=by)
    actions.do_record_retention(six, status="in_post", by=by)
    assert events("retained_6m") == 1


def test_leaving_needs_an_ascwds_reason_and_closes_later_checkpoints(placement, personas):
    by = personas.council_a_recruiter
    three = placement.checkpoints.get(months=3)
    with pytest.raises(PipelineError, match="Choose why they left"):
        actions.do_record_retention(three, status="left", by=by)
    with pytest.raises(PipelineError, match="Choose whether"):
        actions.do_record_retention(three, status="pending", by=by)
    actions.do_record_retention(three, status="left", leaving_reason=2, left_on=D(2026, 3, 20), by=by)
    assert list(placement.checkpoints.values_list("months", "status", "leaving_reason", "left_on")) == [
        (3, "left", 2, D(2026, 3, 20)), (6, "left", 2, D(2026, 3, 20)), (12, "left", 2, D(2026, 3, 20)),
    ]
    assert events("retained_6m") == 0
    assert RetentionCheckpoint.objects.get(months=6).get_leaving_reason_display() == (
        "Moved to a role in the health sector"
    )


def test_a_leaving_date_must_fit_the_placement_and_its_checkpoints(placement, personas):
    by = personas.council_a_recruiter
    three, six, twelve = placement.checkpoints.order_by("months")
    now = datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC)
    # Before the start date (5 January 2026), in the future, after this check's due date.
    with pytest.raises(PipelineError, match="The date they left must be the same as or after 5 January 2026, the date they started"):
        actions.do_record_retention(six, status="left", leaving_reason=2, left_on=D(1999, 1, 1), by=by, now=now)
    with pytest.raises(PipelineError, match="The date they left must be today or in the past"):
        actions.do_record_retention(six, status="left", leaving_reason=2, left_on=D(2026, 11, 30), by=by, now=now)
    with pytest.raises(PipelineError, match="The date they left must be the same as or before 5 July 2026, the date of the 6-month check"):
        actions.do_record_retention(six, status="left", leaving_reason=2, left_on=D(2026, 7, 6), by=by, now=now)
    assert set(placement.checkpoints.values_list("status", flat=True)) == {"pending"}
    # An earlier check that says "still in post" bounds the date from below.
    actions.do_record_retention(three, status="in_post", by=by, now=now)
    with pytest.raises(PipelineError, match="The 3-month check says they were still in post on 5 April 2026"):
        actions.do_record_retention(six, status="left", leaving_reason=2, left_on=D(2026, 4, 5), by=by, now=now)
    actions.do_record_retention(six, status="left", leaving_reason=2, left_on=D(2026, 4, 6), by=by, now=now)
    assert list(placement.checkpoints.values_list("months", "status", "left_on")) == [
        (3, "in_post", None), (6, "left", D(2026, 4, 6)), (12, "left", D(2026, 4, 6)),
    ]
    # A later check cannot contradict the earlier "left"; change the earlier one instead.
    with pytest.raises(PipelineError, match="The 6-month check says they left: change that check instead"):
        actions.do_record_retention(twelve, status="in_post", by=by, now=now)
    # Changing "left" to "still in post" reopens the later checks it had closed.
    actions.do_record_retention(six, status="in_post", by=by, now=now)
    assert list(placement.checkpoints.values_list("months", "status", "leaving_reason", "left_on", "answered_by")) == [
        (3, "in_post", None, None, by.pk), (6, "in_post", None, None, by.pk), (12, "pending", None, None, None),
    ]


# --- E-mails -------------------------------------------------------------------------

def test_stage_emails_go_after_commit_and_are_logged(route, personas, mailoutbox, django_capture_on_commit_callbacks):
    by = personas.council_a_recruiter
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.do_move_stage(route, "contacted", by=by)
        assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [route.application.candidate.email]
    assert mail.subject == "Birmingham City Council: about your application to Come Back to Care"
    assert mail.body.startswith("Dear Siobhán,\n\nThank you for applying to Come Back to Care.")
    log = MessageLog.objects.get()
    assert (log.route, log.kind, log.to_email, log.subject, log.body, log.sent_by, log.status) == (
        route, "contacted", mail.to[0], mail.subject, mail.body, by, "sent",
    )


def test_no_email_without_notify_or_for_a_switched_off_stage(route, personas, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    by = personas.council_a_recruiter
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_move_stage(route, "contacted", by=by, notify=False)
        actions.do_move_stage(route, "screening", by=by)  # screening is off by default
    assert mailoutbox == [] and MessageLog.objects.count() == 0


# --- Double submits ------------------------------------------------------------------------

def test_a_double_clicked_move_gives_the_first_move_back(route, personas):
    by = personas.council_a_recruiter
    first = actions.do_move_stage(route, "contacted", by=by, notify=False)
    again = actions.do_move_stage(route, "contacted", by=by, notify=False)
    assert again.pk == first.pk
    assert route.stage_changes.filter(to_stage="contacted").count() == 1
    # Someone else, or the same person much later, is told it is already there.
    with pytest.raises(PipelineError, match="It is already at “Contacted”"):
        actions.do_move_stage(route, "contacted", by=personas.regional_admin, notify=False)
    later = timezone.now() + actions.DOUBLE_SUBMIT_WINDOW + datetime.timedelta(seconds=1)
    with pytest.raises(PipelineError, match="It is already at “Contacted”"):
        actions.do_move_stage(route, "contacted", by=by, notify=False, now=later)


def test_a_double_clicked_note_is_added_once(route, personas):
    by = personas.council_a_recruiter
    first = actions.do_add_note(route, "Left a voicemail", by=by)
    again = actions.do_add_note(route, "  Left a voicemail ", by=by)
    assert again.pk == first.pk
    assert route.notes.filter(text="Left a voicemail").count() == 1
    # A different note, or the same words later on, is a new note.
    actions.do_add_note(route, "Called back", by=by)
    later = timezone.now() + actions.DOUBLE_SUBMIT_WINDOW + datetime.timedelta(seconds=1)
    actions.do_add_note(route, "Left a voicemail", by=by, now=later)
    assert route.notes.count() == 3
