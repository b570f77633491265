"""Erasure: do_erase_candidate, what cascades, the eraser registry, and the acceptance
test — a candidate erases themselves through the self-service link and afterwards no
table, export or log line holds their name, e-mail, phone or postcode, while the
campaign's counts are unchanged."""

import datetime
import io
import json
import logging
import re
import zipfile

import pytest
from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models, router
from django.test import Client

from carerecruit.candidates import erasure
from carerecruit.candidates.actions import do_erase_candidate, do_submit_application
from carerecruit.candidates.erasure import ErasureSubject, register_eraser
from carerecruit.candidates.models import Application, Candidate, ConsentChange
from carerecruit.insights.funnel import campaign_funnel
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import Organisation, PersonalDataAccess
from carerecruit.reference.models import JobRole
from carerecruit.testing.personas import PASSWORD
from carerecruit.tracking import spool
from carerecruit.tracking.models import Event
from carerecruit.tracking.rollups import catch_up, funnel_rows

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def answers(**overrides):
    data = {
        "full_name": "Ann Lee", "email": "ann.lee@example.org", "phone": "+447700900123",
        "postcode": "B1 1AA", "job_roles": list(JobRole.objects.filter(code=15)),
        "years_experience": 3, "current_role": "", "swe_registration": "",
        "earliest_start": datetime.date(2030, 6, 1), "hours_wanted": "flexible",
        "council_areas": list(Organisation.objects.filter(gss_code="E08000025")),
        "right_to_work": "yes", "talent_bank_consent": True,
    }
    data.update(overrides)
    return data


# --- Scanning every table ----------------------------------------------------------------

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def _as_text(field, value) -> str:
    if value is None:
        return ""
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.BinaryField):
        return bytes(value).decode("utf-8", "ignore")
    return str(value)


def tables_holding(identifiers) -> set[tuple[str, str, str]]:
    """(model label, field, identifier) for every text value in every installed model
    (CharField and subclasses such as EmailField, TextField, JSONField, BinaryField;
    session data decoded) that contains one of ``identifiers``, case-insensitively."""
    wanted = [i.casefold() for i in identifiers]
    found = set()
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                text = _as_text(field, value)
                if model is Session and field.name == "session_data":
                    text = json.dumps(SessionStore().decode(text), ensure_ascii=False, default=str)
                folded = text.casefold()
                for ident, key in zip(identifiers, wanted, strict=True):
                    if key in folded:
                        found.add((model._meta.label, field.name, ident))
    return found


# --- do_erase_candidate ------------------------------------------------------------------


def test_cascade_reaches_everything_keyed_to_the_candidate(campaign, personas):
    from carerecruit.placements.actions import do_add_note, do_move_stage

    application, _ = do_submit_application(campaign, answers(), None, send_email=False)
    route = application.routes.get()
    do_add_note(route, "Called Ann, she can start in June", by=personas.council_a_recruiter)
    do_move_stage(route, "contacted", by=personas.council_a_recruiter, notify=False)
    ConsentChange.objects.create(candidate=application.candidate, given=True, source="application")

    collector = NestedObjects(using=router.db_for_write(Candidate))
    collector.collect([application.candidate])

    collected = {model._meta.label for model in collector.model_objs}
    assert {
        "candidates.Candidate", "candidates.Application", "candidates.ConsentChange",
        "candidates.Application_job_roles", "candidates.Application_council_areas",
        "placements.ApplicationRoute", "placements.StageChange", "placements.Note",
    } <= collected
    assert collector.protected == set()
    # Funnel events are not keyed to the person and are never collected.
    assert "tracking.Event" not in collected


def test_erase_removes_the_person_and_keeps_counts(campaign, personas):
    application, _ = do_submit_application(campaign, answers(), None, send_email=False)
    other, _ = do_submit_application(
        campaign, answers(email="b@example.org", phone="+447700900456", full_name="Bo Other"),
        None, send_email=False,
    )
    candidate = application.candidate
    log_access(personas.regional_admin, "view", "application", candidate_codes=[candidate.code])
    before = funnel_rows([campaign.pk], None, None)

    deleted = do_erase_candidate(candidate, requested_by=personas.regional_admin)

    assert deleted["candidates.Candidate"] == 1
    assert deleted["candidates.Application"] == 1
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert Candidate.objects.filter(pk=other.candidate_id).exists()
    assert funnel_rows([campaign.pk], None, None) == before
    assert Event.objects.filter(kind="application").count() == 2
    assert not PersonalDataAccess.objects.filter(candidate_code=candidate.code).exists()
    erase_line = PersonalDataAccess.objects.get(action="erase")
    assert (erase_line.user, erase_line.candidate_code, erase_line.detail) == (
        personas.regional_admin, None, "staff request"
    )


def test_registered_erasers_run_before_the_delete_and_can_abort_it(campaign, monkeypatch):
    monkeypatch.setattr(erasure, "_erasers", [])
    application, _ = do_submit_application(campaign, answers(full_name="Ann Lee"), None, send_email=False)
    seen = []

    @register_eraser
    def remember(subject: ErasureSubject):
        # The rows keyed to the person still exist when erasers run.
        seen.append((subject.names, subject.email_normalised, subject.phone_e164, subject.postcode,
                     Application.objects.filter(pk__in=subject.application_ids).count()))

    register_eraser(remember)  # registering twice is harmless
    do_erase_candidate(application.candidate)
    assert seen == [(("Ann Lee",), "ann.lee@example.org", "+447700900123", "B1 1AA", 1)]

    second, _ = do_submit_application(campaign, answers(email="c@example.org", phone="+447700900789"), None, send_email=False)

    @register_eraser
    def refuse(subject):
        raise RuntimeError("message archive unavailable")

    with pytest.raises(RuntimeError):
        do_erase_candidate(second.candidate)
    assert Candidate.objects.filter(pk=second.candidate_id).exists()


def test_subject_identifiers():
    candidate = Candidate(full_name="Zoë Adeyemi", email="Zoe@Example.org", email_normalised="zoe@example.org",
                          phone_e164="", postcode="ST4 2DE")
    subject = ErasureSubject(candidate, candidate.code, (), (), ("Zoë Adeyemi", "Zoe A"), candidate.email,
                             candidate.email_normalised, "", "ST4 2DE")
    assert subject.identifiers() == ("Zoë Adeyemi", "Zoe A", "Zoe@Example.org", "zoe@example.org", "ST4 2DE")


# --- Acceptance ----------------------------------------------------------------------------

NAME = "Wilhelmina Quartermaine"
EMAIL = "W.Quartermaine@example.net"
PHONE_TYPED = "07700 900481"
PHONE = "+447700900481"
POSTCODE = "WS1 1ZZ"
IDENTIFIERS = (
    NAME, "Wilhelmina", "Quartermaine", "wilhelmina quartermaine", EMAIL, EMAIL.lower(),
    PHONE, "07700900481", PHONE_TYPED, "7700900481", POSTCODE, "WS11ZZ",
)
EXPORTS = (
    "/staff/applications/export.csv", "/staff/applications/export.xlsx",
    "/staff/talent-bank/export.csv", "/staff/talent-bank/export.xlsx",
)


def export_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "".join(book.read(name).decode("utf-8", "ignore") for name in book.namelist())
    return body.decode("utf-8-sig")


def in_text(text: str) -> set[str]:
    folded = text.casefold()
    return {i for i in IDENTIFIERS if i.casefold() in folded}


@pytest.fixture
def every_log_line(caplog):
    """Capture every log record during the test, including loggers that do not
    propagate to the root (the audit logger)."""
    caplog.set_level(logging.DEBUG)
    extra = [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in extra:
        logger.addHandler(caplog.handler)
    yield caplog
    for logger in extra:
        logger.removeHandler(caplog.handler)


@pytest.mark.django_db(transaction=True)
def test_acceptance_self_service_erasure_leaves_no_trace(
    settings, personas, campaign, link, every_log_line
):
    from carerecruit.placements.actions import do_add_note, do_move_stage
    from carerecruit.placements.models import MessageLog

    settings.TASKS = IMMEDIATE
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/126.0 Mobile Safari/537.36")

    # She clicks a tracked link, visits, and applies; someone else applies too.
    microsite = phone.get(f"/r/{link.code}")["Location"]
    spool.ingest()  # the worker moves the spooled click in
    phone.get(microsite)
    query = microsite.split("?", 1)[1]
    start = datetime.date.today() + datetime.timedelta(days=30)
    form = {
        "full_name": NAME, "email": EMAIL, "phone": PHONE_TYPED, "postcode": "ws1 1zz",
        "job_roles": [str(JobRole.objects.get(code=15).pk)], "years_experience": "4",
        "current_role": "Occupational therapist at Quartermaine Care",
        "earliest_start_0": str(start.day), "earliest_start_1": str(start.month),
        "earliest_start_2": str(start.year), "hours_wanted": "part_time",
        "council_areas": [str(personas.council_a.pk)], "right_to_work": "yes",
        "talent_bank_consent": "on",
    }
    assert phone.post(f"/c/{campaign.slug}/apply/?{query}", form).status_code == 302
    assert Client().post(f"/c/{campaign.slug}/apply/", {
        **form, "full_name": "Ann Other", "email": "ann.other@example.org", "phone": "07700 900482",
        "postcode": "B1 1AA", "current_role": "",
    }).status_code == 302
    candidate = Candidate.objects.get(email_normalised=EMAIL.lower())
    application = candidate.applications.get()
    assert application.link == link

    # Birmingham works her application: a note naming her, a stage move that e-mails her.
    recruiter = Client()
    recruiter.login(username=personas.council_a_recruiter.username, password=PASSWORD)
    route = application.routes.get(organisation=personas.council_a)
    assert recruiter.get(f"/staff/applications/{route.code}/").status_code == 200
    do_add_note(route, f"Rang {NAME} on {PHONE_TYPED}; lives at {POSTCODE}.", by=personas.council_a_recruiter)
    do_move_stage(route, "contacted", by=personas.council_a_recruiter)
    assert MessageLog.objects.filter(route=route, to_email=EMAIL).exists()

    admin = Client()
    admin.login(username=personas.regional_admin.username, password=PASSWORD)
    assert EMAIL.lower() in export_text(admin, EXPORTS[0]).casefold()  # the check can see her

    catch_up(settle_seconds=0)
    funnel_before = funnel_rows([campaign.pk], None, None)
    totals_before = campaign_funnel(campaign).totals
    assert tables_holding(IDENTIFIERS)  # the scan finds her before erasure

    # She asks for her link, opens it, downloads her data and erases herself.
    mail.outbox.clear()
    assert Client().post("/me/", {"email": EMAIL.upper()})["Location"] == "/me/sent/"
    [message] = mail.outbox
    token_path = re.search(r"http://testserver(/me/[^/\s]+/)", message.body).group(1)
    me = Client()
    assert NAME in me.get(token_path).content.decode()
    data = json.loads(me.get(token_path + "my-data.json").content)
    assert (data["candidate"]["full_name"], data["candidate"]["postcode"]) == (NAME, POSTCODE)
    assert "You cannot undo this" in me.get(token_path + "delete/").content.decode()
    assert me.post(token_path + "delete/")["Location"] == "/me/erased/"
    assert "Your details have been deleted" in me.get("/me/erased/").content.decode()
    assert me.get(token_path).status_code == 404

    # No table holds her.
    assert tables_holding(IDENTIFIERS) == set()
    assert not PersonalDataAccess.objects.filter(candidate_code=candidate.code).exists()
    assert Candidate.objects.filter(email_normalised="ann.other@example.org").exists()
    # No export holds her.
    for url in EXPORTS:
        assert in_text(export_text(admin, url)) == set(), url
    # No log line, from the first click to the erasure, held her.
    lines = [r.getMessage() + (r.exc_text or "") for r in every_log_line.records]
    assert any(r.name == "carerecruit.audit" for r in every_log_line.records)
    assert [line for line in lines if in_text(line)] == []
    # The campaign's counts are unchanged.
    catch_up(settle_seconds=0)
    assert funnel_rows([campaign.pk], None, None) == funnel_before
    assert campaign_funnel(campaign).totals == totals_before
    assert totals_before.applications == 2 and totals_before.clicks == 1


def test_erasure_drops_copies_the_cascade_cannot_reach(campaign, personas, django_capture_on_commit_callbacks):
    from pathlib import Path

    from django_tasks_db.models import DBTaskResult

    from carerecruit.candidates.actions import do_import_applications, do_request_selfservice_link
    from carerecruit.candidates.importer import parse_file
    from carerecruit.candidates.models import ApplicationImport, SelfServiceLinkRequest

    fixtures = Path(__file__).parent / "fixtures"
    data = (fixtures / "expressions_of_interest_valid_utf8_bom.csv").read_bytes()
    do_import_applications(campaign, parse_file(data, "list.csv", campaign))
    siobhan = Candidate.objects.get(email_normalised="siobhan.oneill@example.org")
    lines = data.split(b"\r\n")
    without_her = b"\r\n".join([lines[0], lines[2], lines[3], lines[5], b""])
    holding_her = ApplicationImport.objects.create(campaign=campaign, file_name="a.csv", sha256="0", content=data)
    not_her = ApplicationImport.objects.create(campaign=campaign, file_name="b.csv", sha256="1", content=without_her)
    with django_capture_on_commit_callbacks(execute=True):
        do_request_selfservice_link("siobhan.oneill@example.org", base_url="http://testserver/")
        do_request_selfservice_link("tomasz.w@example.net", base_url="http://testserver/")
    # Two queued mails (the database queue: nothing runs them here), two rate-limit rows.
    assert DBTaskResult.objects.count() == 2
    assert SelfServiceLinkRequest.objects.count() == 2

    do_erase_candidate(siobhan)

    assert list(ApplicationImport.objects.filter(status="pending")) == [not_her]
    assert not ApplicationImport.objects.filter(pk=holding_her.pk).exists()
    [task] = DBTaskResult.objects.all()
    assert siobhan.code.hex not in json.dumps(task.args_kwargs)
    assert SelfServiceLinkRequest.objects.count() == 1
    # The imported batch record keeps its counts.
    assert ApplicationImport.objects.get(status="imported").applications_created == 4
