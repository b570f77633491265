"""Candidate self-service: /me/ (ask for a link) and /me/<token>/ (see, change, withdraw,
download, erase)."""

import csv
import datetime
import io
import json
import re
import time

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carerecruit.candidates.actions import do_submit_application
from carerecruit.candidates.models import (
    Application,
    Candidate,
    ConsentChange,
    SelfServiceLinkRequest,
)
from carerecruit.candidates.selfservice import TOKEN_SALT, make_token
from carerecruit.organisations.models import Organisation, PersonalDataAccess
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SENT_TEXT = "If we have your details, we've sent a link to the email address you gave."


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def answers(**overrides):
    data = {
        "full_name": "Ann Lee",
        "email": "Ann.Lee@Example.org",
        "phone": "+447700900123",
        "postcode": "B1 1AA",
        "job_roles": list(JobRole.objects.filter(code=15)),
        "years_experience": 3,
        "current_role": "",
        "swe_registration": "",
        "earliest_start": datetime.date(2030, 6, 1),
        "hours_wanted": "flexible",
        "council_areas": list(Organisation.objects.filter(gss_code="E08000025")),
        "right_to_work": "yes",
        "talent_bank_consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def application(campaign):
    application, _ = do_submit_application(
        campaign, answers(), None, send_email=False,
        now=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC),
    )
    return application


@pytest.fixture
def candidate(application):
    return application.candidate


@pytest.fixture
def token(candidate):
    return make_token(candidate)


def home(token):
    return f"/me/{token}/"


# --- Asking for a link -------------------------------------------------------------------


def test_request_page():
    response = Client().get("/me/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>See or change your details" in html
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-cache" in response["Cache-Control"]


def test_known_address_gets_exactly_one_email_with_a_working_link(
    candidate, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/me/", {"email": "  ANN.LEE@example.ORG "})

    assert (response.status_code, response["Location"]) == (302, "/me/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ann.Lee@Example.org"]
    assert message.subject == "Your link to see and change your details – Care jobs West Midlands"
    links = re.findall(r"http://testserver/me/[^/\s]+/", message.body)
    assert len(links) == 1
    assert "candidate" not in links[0] and "ann" not in links[0].lower()
    assert "The link works for 7 days." in message.body
    page = Client().get(links[0].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Ann Lee" in page.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_email(
    candidate, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post("/me/", {"email": "ann.lee@example.org"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        unknown = Client().post("/me/", {"email": "nobody@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    # The same work was done: one rate-limit row and one queued task each.
    assert len(callbacks) == 1
    assert SelfServiceLinkRequest.objects.count() == 2
    assert len(mail.outbox) == 1
    sent_known = Client().get(known["Location"]).content.decode()
    assert SENT_TEXT in sent_known
    assert sent_known == Client().get(unknown["Location"]).content.decode()


def test_rate_limit_three_links_per_address_per_hour(candidate, immediate_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [Client().post("/me/", {"email": "ann.lee@example.org"}) for _ in range(5)]
    assert {r["Location"] for r in responses} == {"/me/sent/"}
    assert len(mail.outbox) == 3
    # An hour later the address may ask again; old rows are purged.
    SelfServiceLinkRequest.objects.update(requested_at=timezone.now() - datetime.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/me/", {"email": "ann.lee@example.org"})
    assert len(mail.outbox) == 4
    assert SelfServiceLinkRequest.objects.count() == 1
    assert "ann" not in SelfServiceLinkRequest.objects.get().address_hash


def test_invalid_address_shows_the_error(db):
    response = Client().post("/me/", {"email": "not an email"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: See or change your details" in html
    assert 'href="#id_email">Enter an email address in the correct format, like name@example.com' in html
    assert SelfServiceLinkRequest.objects.count() == 0


# The database queue's worker needs real commits.
@pytest.mark.django_db(transaction=True)
def test_mail_goes_through_the_database_queue(campaign):
    do_submit_application(campaign, answers(), None, send_email=False)
    Client().post("/me/", {"email": "ann.lee@example.org"})
    Client().post("/me/", {"email": "someone.else@example.org"})

    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [row.args_kwargs["args"][0] is None for row in queued] == [False, True]
    assert len(mail.outbox) == 0

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    assert len(mail.outbox) == 1
    assert [row.return_value for row in DBTaskResult.objects.order_by("enqueued_at")] == [True, False]


# --- The link ----------------------------------------------------------------------------


def test_expired_link_is_410_with_a_way_to_ask_again(candidate):
    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 86400)

    old = EightDaysAgo(salt=TOKEN_SALT).sign_object({"c": candidate.code.hex})
    response = Client().get(home(old))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link has expired" in html
    assert 'href="/me/">Get a new link</a>' in html
    assert "Ann Lee" not in html


def test_link_age_is_configurable(candidate, settings):
    class TwoDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 2 * 86400)

    token = TwoDaysAgo(salt=TOKEN_SALT).sign_object({"c": candidate.code.hex})
    assert Client().get(home(token)).status_code == 200
    settings.CARERECRUIT_SELFSERVICE_LINK_DAYS = 1
    assert Client().get(home(token)).status_code == 410


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
    lambda t: "eyJjIjoiMDAwMCJ9" + t[t.index(":"):],
    lambda t: "not-a-token",
    lambda t: signing.dumps({"c": "0" * 32}, salt="another-salt"),
])
def test_tampered_link_is_404(token, mangle):
    response = Client().get(home(mangle(token)))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_link_for_someone_who_does_not_exist_is_404(candidate):
    token = signing.dumps({"c": "f" * 32}, salt=TOKEN_SALT)
    assert Client().get(home(token)).status_code == 404


def test_home_shows_the_record_in_plain_words(campaign, candidate, token):
    other = make_campaign("step-up-now", name="Step Up Now")
    do_submit_application(other, answers(), None, send_email=False)

    response = Client().get(home(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "<title>Your details" in html
    assert html.count('class="govuk-summary-card__title">') == 2
    assert "Come Back to Care</h3>" in html and "Step Up Now</h3>" in html
    assert "received your application" in html
    assert "+447700900123" in html and "B1 1AA" in html and "Ann.Lee@Example.org" in html
    assert "Yes, since 2 March 2026" in html
    assert "1 June 2030" in html and "Flexible or bank shifts" in html
    line = PersonalDataAccess.objects.get(resource="self-service record")
    assert (line.user, line.action, line.candidate_code) == (None, "view", candidate.code)


def test_change_contact_details(candidate, token):
    url = home(token) + "contact/"
    page = Client().get(url).content.decode()
    assert 'value="+447700900123"' in page
    assert "you cannot change it here" in page

    response = Client().post(url, {"phone": "07700 900 777", "postcode": "cv1 2ab"})
    assert response["Location"] == home(token) + "?done=contact"
    candidate.refresh_from_db()
    assert (candidate.phone_e164, candidate.postcode) == ("+447700900777", "CV1 2AB")
    assert "Your contact details have been updated" in Client().get(response["Location"]).content.decode()
    assert PersonalDataAccess.objects.filter(
        resource="self-service contact details", candidate_code=candidate.code, user=None
    ).count() == 1


def test_contact_details_errors(campaign, candidate, token):
    url = home(token) + "contact/"
    bad = Client().post(url, {"phone": "12", "postcode": "nowhere"}).content.decode()
    assert "<title>Error: Change your contact details" in bad
    assert "Enter a phone number, like 07700 900 982 or +44 7700 900 982" in bad
    assert "Enter a full UK postcode, like B1 1AA" in bad
    candidate.refresh_from_db()
    assert candidate.phone_e164 == "+447700900123"


def test_a_phone_someone_else_gave_is_saved_like_any_other(campaign, candidate, token):
    """The page must not tell a visitor whether a number is known: a number another
    record holds is saved exactly like a fresh one, and the pair goes to an admin."""
    from carerecruit.talentbank.duplicates import find_duplicates
    from carerecruit.talentbank.models import DuplicateCandidatePair

    bob, _ = do_submit_application(
        campaign, answers(full_name="Bob Stone", email="b@example.org", phone="+447700900456"),
        None, send_email=False,
    )
    url = home(token) + "contact/"

    fresh = Client().post(url, {"phone": "07700900999", "postcode": "B1 1AA"})
    taken = Client().post(url, {"phone": "07700900456", "postcode": "B1 1AA"})

    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"] == home(token) + "?done=contact"
    candidate.refresh_from_db()
    assert candidate.phone_e164 == "+447700900456"
    bob.candidate.refresh_from_db()
    assert (bob.candidate.full_name, bob.candidate.phone_e164) == ("Bob Stone", "+447700900456")
    assert find_duplicates() == 1
    pair = DuplicateCandidatePair.objects.get()
    assert (pair.candidate_a_id, pair.candidate_b_id, pair.reason) == (
        candidate.pk, bob.candidate_id, "same_phone"
    )


def test_change_availability_on_open_applications(campaign, candidate, token):
    other = make_campaign("step-up-now", name="Step Up Now")
    withdrawn, _ = do_submit_application(other, answers(), None, send_email=False)
    Application.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    start = timezone.localdate() + datetime.timedelta(days=10)

    response = Client().post(home(token) + "availability/", {
        "earliest_start_0": start.day, "earliest_start_1": start.month, "earliest_start_2": start.year,
        "hours_wanted": "full_time",
    })

    assert response["Location"] == home(token) + "?done=availability"
    open_one = candidate.applications.get(campaign=campaign)
    assert (open_one.earliest_start, open_one.hours_wanted) == (start, "full_time")
    withdrawn.refresh_from_db()
    assert (withdrawn.earliest_start, withdrawn.hours_wanted) == (datetime.date(2030, 6, 1), "flexible")

    past = Client().post(home(token) + "availability/", {
        "earliest_start_0": "1", "earliest_start_1": "1", "earliest_start_2": "2020", "hours_wanted": "x",
    }).content.decode()
    assert "The date you could start must be today or in the future" in past
    assert "Select a valid choice" in past


def test_withdraw_and_give_consent_with_timestamps(candidate, token):
    url = home(token) + "talent-bank/"
    assert "You joined on 2 March 2026" in Client().get(url).content.decode()

    response = Client().post(url, {"talent_bank_consent": "no"})
    assert response["Location"] == home(token) + "?done=consent-withdrawn"
    candidate.refresh_from_db()
    assert (candidate.talent_bank_consent, candidate.talent_bank_consent_at) == (False, None)
    backfilled, withdrawn = ConsentChange.objects.filter(candidate=candidate)
    assert (backfilled.given, backfilled.source, backfilled.changed_at) == (
        True, "application", datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    )
    assert (withdrawn.given, withdrawn.source) == (False, "self_service")
    assert timezone.now() - withdrawn.changed_at < datetime.timedelta(seconds=30)

    Client().post(url, {"talent_bank_consent": "yes"})
    candidate.refresh_from_db()
    given = ConsentChange.objects.filter(candidate=candidate).last()
    assert (candidate.talent_bank_consent, candidate.talent_bank_consent_at) == (True, given.changed_at)
    assert given.given is True

    # Saving the same answer again records nothing new.
    Client().post(url, {"talent_bank_consent": "yes"})
    assert ConsentChange.objects.filter(candidate=candidate).count() == 3
    assert "Select whether you want to be in the talent bank" in Client().post(url, {}).content.decode()


def test_withdraw_an_application(campaign, candidate, application, token):
    url = home(token) + f"applications/{application.code}/withdraw/"
    confirm = Client().get(url)
    assert confirm.status_code == 200
    assert "Withdraw your application to Come Back to Care" in confirm.content.decode()
    application.refresh_from_db()
    assert application.withdrawn_at is None  # a GET never writes

    response = Client().post(url)
    assert response["Location"] == home(token) + "?done=withdrawn"
    application.refresh_from_db()
    assert application.withdrawn_at is not None
    page = Client().get(response["Location"]).content.decode()
    assert "Your application has been withdrawn" in page
    assert "<strong>Withdrawn</strong>" in page
    assert Client().get(url).status_code == 404
    assert PersonalDataAccess.objects.filter(resource="self-service withdrawal").count() == 1


def test_cannot_withdraw_someone_elses_application(campaign, token):
    other, _ = do_submit_application(
        campaign, answers(email="b@example.org", phone="+447700900456"), None, send_email=False
    )
    assert Client().post(home(token) + f"applications/{other.code}/withdraw/").status_code == 404
    other.refresh_from_db()
    assert other.withdrawn_at is None


def test_download_json_holds_everything(campaign, candidate, application, token):
    Client().post(home(token) + "talent-bank/", {"talent_bank_consent": "no"})

    response = Client().get(home(token) + "my-data.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"', response["Content-Disposition"])
    data = json.loads(response.content)
    assert data["candidate"] == {
        "reference": str(candidate.code),
        "full_name": "Ann Lee",
        "email": "Ann.Lee@Example.org",
        "phone": "+447700900123",
        "postcode": "B1 1AA",
        "talent_bank_consent": False,
        "talent_bank_consent_given_at": None,
        "created_at": "2026-03-02T10:00:00+00:00",
        "updated_at": data["candidate"]["updated_at"],
        "last_active_at": data["candidate"]["last_active_at"],
    }
    [app] = data["applications"]
    assert {k: app[k] for k in (
        "campaign", "submitted_at", "job_roles", "years_experience", "earliest_start",
        "hours_wanted", "council_areas", "right_to_work", "source", "channel", "utm_source",
    )} == {
        "campaign": "Come Back to Care",
        "submitted_at": "2026-03-02T10:00:00+00:00",
        "job_roles": "Occupational therapist",
        "years_experience": 3,
        "earliest_start": "2030-06-01",
        "hours_wanted": "Flexible or bank shifts",
        "council_areas": "Birmingham",
        "right_to_work": "Yes",
        "source": "Application form",
        "channel": "direct",
        "utm_source": "",
    }
    assert "received your application" in app["status"]
    assert [(c["given"], c["source"]) for c in data["consent_history"]] == [
        (True, "Application form"), (False, "Self-service page"),
    ]
    assert data["consent_history"][0]["changed_at"] == "2026-03-02T10:00:00+00:00"
    assert {line["action"] for line in data["access_log"]} == {"Changed"}
    assert PersonalDataAccess.objects.filter(action="subject_access", candidate_code=candidate.code).count() == 1


def test_download_csv(candidate, token):
    response = Client().get(home(token) + "my-data.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "record", "field", "value"]
    values = {(r[0], r[2]): r[3] for r in rows[1:]}
    assert values[("candidate", "full_name")] == "Ann Lee"
    assert values[("candidate", "phone")] == "'+447700900123"  # neutralised: a leading + is a formula
    assert values[("applications", "campaign")] == "Come Back to Care"
    assert values[("consent_history", "source")] == "Application form"


def test_erase_confirm_then_delete(candidate, application, token):
    url = home(token) + "delete/"
    confirm = Client().get(url)
    assert confirm.status_code == 200
    assert "You cannot undo this" in confirm.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()  # a GET never writes

    response = Client().post(url)
    assert response["Location"] == "/me/erased/"
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert "Your details have been deleted" in Client().get("/me/erased/").content.decode()
    assert Client().get(home(token)).status_code == 404


def test_writes_need_post_and_csrf(candidate, application, token):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(home(token) + "delete/").status_code == 403
    assert strict.post(home(token) + "talent-bank/", {"talent_bank_consent": "no"}).status_code == 403
    assert strict.post("/me/", {"email": "ann.lee@example.org"}).status_code == 403
    assert Client().put(home(token) + "delete/").status_code == 405
    assert Client().post(home(token) + "my-data.json").status_code == 405
    candidate.refresh_from_db()
    assert candidate.talent_bank_consent is True


def test_status_follows_each_councils_pipeline_in_plain_words(personas, application, token):
    from carerecruit.placements.actions import do_move_stage

    route = application.routes.get()
    assert route.organisation == personas.council_a
    assert "Birmingham: <strong>We&#x27;ve received your application</strong>" in Client().get(home(token)).content.decode()

    do_move_stage(route, "contacted", by=personas.council_a_recruiter, notify=False)
    assert "Birmingham: <strong>A council is looking at your application</strong>" in Client().get(home(token)).content.decode()
    do_move_stage(route, "interview", by=personas.council_a_recruiter, notify=False)
    assert "Birmingham: <strong>Interview</strong>" in Client().get(home(token)).content.decode()


def test_withdrawing_tells_the_councils(personas, application, token):
    from carerecruit.placements.models import StageChange

    Client().post(home(token) + f"applications/{application.code}/withdraw/")

    route = application.routes.get()
    assert route.stage == "withdrawn"
    change = StageChange.objects.filter(route=route).last()
    assert (change.from_stage, change.to_stage, change.changed_by, change.reason) == (
        "new", "withdrawn", None, "Withdrawn by the candidate (self-service)"
    )
