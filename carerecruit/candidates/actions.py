"""Writes over candidates and applications. Views, commands, the API and tests call these;
nothing else writes those models."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from carerecruit.candidates.erasure import ErasureSubject, run_erasers
from carerecruit.candidates.identity import name_key
from carerecruit.candidates.importer import Outcome, ParsedFile, plan_import
from carerecruit.candidates.models import (
    Application,
    ApplicationImport,
    Candidate,
    ConsentChange,
    ConsentSource,
    SelfServiceLinkRequest,
)
from carerecruit.candidates.selfservice import address_hash, link_max_age, make_token, note_request
from carerecruit.lib.localtime import local_date
from carerecruit.organisations.audit import forget_candidate, log_access
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.tracking.actions import record_application

if TYPE_CHECKING:
    from carerecruit.campaigns.models import Campaign
    from carerecruit.tracking.actions import Attribution

logger = logging.getLogger(__name__)

# A fresh attempt sees the row a concurrent submit committed, so two attempts settle any
# race between two requests; the third covers a rare three-way race.
MAX_ATTEMPTS = 3


def normalise_email(email: str) -> str:
    """The identity key for an e-mail address: trimmed and lower-cased, whole address.

    The design treats e-mail identity as case-insensitive (``Ann.Lee@Example.org`` is
    ``ann.lee@example.org``). Dots and ``+tags`` are left alone: they are meaningful
    on most providers other than Gmail.
    """
    return email.strip().lower()


def application_reference(application: Application) -> str:
    """The reference shown to the candidate: the first 8 hex digits of the application's
    code, upper-case (e.g. ``"3F2A9C01"``). Not a secret and not a lookup key."""
    return application.code.hex[:8].upper()


def do_submit_application(
    campaign: Campaign,
    cleaned_data: dict[str, Any],
    attribution: Attribution | None,
    *,
    now: datetime.datetime | None = None,
    is_simulated: bool = False,
    send_email: bool = True,
) -> tuple[Application, bool]:
    """Record an application to ``campaign``; return ``(application, created)``.

    ``cleaned_data`` has the shapes of :class:`carerecruit.candidates.forms.ApplicationForm`
    (``phone`` already E.164, ``postcode`` canonical, ``job_roles``/``council_areas``
    iterables of model instances). ``attribution`` (None means direct, untracked) gives
    the application's link, channel, UTM values, referrer host and click id. ``now`` is
    the submission time (aware, UTC); ``is_simulated`` and ``send_email`` are for the
    demo's generated activity.

    The person is found by e-mail (case-insensitive), else by phone (E.164) together
    with the folded full name, else created (:mod:`carerecruit.candidates.identity`): a
    phone number that belongs to someone with another name makes a new candidate with
    the name and e-mail typed, and the talent bank's duplicate check flags the pair for
    an admin. An existing application to the same campaign is returned with
    ``created=False``: nothing in it or in the candidate changes and no event is
    recorded; the database's one-per-candidate-per-campaign constraint settles
    concurrent submits (a double-clicked button). On a new application the
    "application" funnel event is recorded in the same transaction and the confirmation
    e-mail is sent after commit.

    ``created`` is for the caller's records, never for the public page: the page must
    not tell whoever typed an e-mail address or phone number that its owner has applied.
    Instead the owner is told, at the address we hold for them (not the one typed), by
    :func:`send_already_applied_email`, at most once a day per application
    (:data:`REPEAT_NOTICE_INTERVAL`), so the form cannot be used to flood an inbox, and
    not for a repeat within minutes of the application (a double click).
    """
    now = now or timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                application, created = _submit(
                    campaign, cleaned_data, attribution, now=now, is_simulated=is_simulated
                )
                if created and send_email:
                    to = _confirmation_address(application, cleaned_data)
                    # robust: a mail server outage must not turn a saved application
                    # into an error page; the failure is logged instead.
                    transaction.on_commit(
                        lambda pk=application.pk, to=to: send_confirmation_email(pk, to),
                        robust=True,
                    )
                elif send_email and _claim_repeat_notice(application, now):
                    transaction.on_commit(
                        lambda pk=application.pk, at=now: send_already_applied_email(pk, at),
                        robust=True,
                    )
                return application, created
        except IntegrityError:
            # Another request created this candidate or application between our lookup
            # and our insert; the next attempt finds its row.
            if attempt == MAX_ATTEMPTS:
                raise
            logger.info("application submit raced on campaign %s; retrying", campaign.pk)
    raise AssertionError("unreachable")


def _confirmation_address(application: Application, cleaned_data: dict[str, Any]) -> str:
    """Where a new application's confirmation goes: the address typed, when it is the
    candidate's own (in any case), which is always so for a candidate made by this
    submit; else, when the person was matched by phone and name with another address,
    the address we hold: the form proves nothing about who typed it, so a stranger who
    knows someone's name and phone must not receive mail about that person's record."""
    typed = cleaned_data["email"]
    candidate = application.candidate
    return typed if normalise_email(typed) == candidate.email_normalised else candidate.email


# At most one "you have already applied" e-mail per application in this time.
REPEAT_NOTICE_INTERVAL = datetime.timedelta(days=1)
# None at all within this time of the application itself: that is a double-clicked
# button or a reload, and its confirmation e-mail is on its way.
REPEAT_NOTICE_GRACE = datetime.timedelta(minutes=10)


def _claim_repeat_notice(application: Application, now: datetime.datetime) -> bool:
    """Mark ``application`` as having had its repeat notice now, unless it was made in
    the last :data:`REPEAT_NOTICE_GRACE` or a notice went out in the last
    :data:`REPEAT_NOTICE_INTERVAL`; True when this call may send it. A conditional
    UPDATE, so two concurrent repeats send one e-mail."""
    return bool(
        Application.objects.filter(pk=application.pk, submitted_at__lte=now - REPEAT_NOTICE_GRACE)
        .filter(
            Q(repeat_notice_sent_at__isnull=True)
            | Q(repeat_notice_sent_at__lte=now - REPEAT_NOTICE_INTERVAL)
        )
        .update(repeat_notice_sent_at=now)
    )


def _find_candidate(email_normalised: str, phone_e164: str, name_folded: str) -> Candidate | None:
    """The existing person of a form (:mod:`carerecruit.candidates.identity`): the
    candidate with this e-mail, else the oldest with this phone *and* this folded name;
    None when there is neither. A phone held by someone with another name is no match."""
    # FOR UPDATE (PostgreSQL) queues a second submit by the same person behind the first,
    # so it then sees the first one's application instead of racing it.
    candidates = Candidate.objects.select_for_update()
    by_email = candidates.filter(email_normalised=email_normalised).first()
    if by_email is not None or not phone_e164:
        return by_email
    # Oldest first: after a merge is missed, two records may share phone and name.
    return (
        candidates.filter(phone_e164=phone_e164, name_folded=name_folded).order_by("pk").first()
    )


def _submit(campaign, data, attribution, *, now, is_simulated) -> tuple[Application, bool]:
    email_normalised = normalise_email(data["email"])
    phone = data["phone"]
    name_folded = name_key(data["full_name"])
    consent = bool(data.get("talent_bank_consent"))
    candidate = _find_candidate(email_normalised, phone, name_folded)
    if candidate is None:
        # A new person, even when another candidate holds this phone number: the
        # e-mail unique constraint still settles two concurrent first submits.
        candidate = Candidate.objects.create(
            full_name=data["full_name"],
            name_folded=name_folded,
            email=data["email"].strip(),
            email_normalised=email_normalised,
            phone_e164=phone,
            postcode=data["postcode"],
            talent_bank_consent=consent,
            talent_bank_consent_at=now if consent else None,
            created_at=now,
            last_active_at=now,
            is_simulated=is_simulated,
        )
    else:
        existing = Application.objects.filter(candidate=candidate, campaign=campaign).first()
        if existing is not None:
            return existing, False
        _update_known_candidate(candidate, data, phone, consent, now)

    application = Application.objects.create(
        candidate=candidate,
        campaign=campaign,
        submitted_at=now,
        full_name_given=data["full_name"],
        years_experience=data["years_experience"],
        current_role=data.get("current_role", ""),
        swe_registration=data.get("swe_registration", ""),
        earliest_start=data["earliest_start"],
        hours_wanted=data["hours_wanted"],
        right_to_work=data["right_to_work"],
        is_simulated=is_simulated,
        **(attribution.as_model_fields() if attribution is not None else {}),
    )
    application.job_roles.set(data["job_roles"])
    application.council_areas.set(data.get("council_areas") or [])
    # Routed to its councils (placements app) in this same transaction.
    from carerecruit.placements.actions import route_application

    route_application(application, now=now)
    record_application(application, occurred_at=now)
    return application, True


def _update_known_candidate(candidate, data, phone, consent, now) -> None:
    """Refresh a returning person's record from an unauthenticated form, conservatively.

    The form proves nothing about who typed it, so identity and contact details already
    held (name, e-mail, phone) are never overwritten from it: someone who knows a
    person's e-mail must not be able to redirect their messages. A missing phone is
    filled in. The postcode follows the latest application (people move; routing uses
    it). Consent given now is recorded with its time; an unticked box is not a
    withdrawal (withdrawing is its own action). A filled-in phone may be one another
    candidate holds too (phones are not unique); the duplicate check flags the pair.
    """
    fields = ["postcode", "last_active_at", "updated_at"]
    candidate.postcode = data["postcode"]
    candidate.last_active_at = now
    if not candidate.phone_e164:
        candidate.phone_e164 = phone
        fields.append("phone_e164")
    if consent and not candidate.talent_bank_consent:
        candidate.talent_bank_consent = True
        candidate.talent_bank_consent_at = now
        fields += ["talent_bank_consent", "talent_bank_consent_at"]
    candidate.save(update_fields=fields)


def send_confirmation_email(application_pk: int, to: str | None = None) -> None:
    """Send the confirmation e-mail for one application (plain text and HTML).

    ``to`` is the address to use (default: the candidate's stored address; the form
    passes the typed address when it is the candidate's own). The body uses the name
    typed on this application.
    No images, no tracking pixels, no tracked links.
    """
    application = (
        Application.objects.select_related("candidate", "campaign").filter(pk=application_pk).first()
    )
    if application is None:  # erased before the mail went out
        return
    context = {
        "application": application,
        "campaign": application.campaign,
        "name": application.full_name_given or application.candidate.full_name,
        "reference": application_reference(application),
        "consent": application.candidate.talent_bank_consent,
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
    subject = f"Your application to {application.campaign.name}"
    text = render_to_string("candidates/email/confirmation.txt", context)
    html = render_to_string("candidates/email/confirmation.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to or application.candidate.email],
        reply_to=[application.campaign.contact_email or settings.CARERECRUIT_CONTACT_EMAIL],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_already_applied_email(application_pk: int, attempted_at: datetime.datetime) -> None:
    """Tell a candidate that the form for a campaign they had already applied to was
    sent again with their e-mail address, or their name and phone number, at
    ``attempted_at`` (UTC), and that nothing was made or changed.

    Sent to the address we hold for them, never to one typed on the form, and addressed
    by the name they gave us: whoever filled the form in learns nothing from it. Plain
    text, no links to follow but the campaign's contact address.
    """
    application = (
        Application.objects.select_related("candidate", "campaign").filter(pk=application_pk).first()
    )
    if application is None:  # erased before the mail went out
        return
    campaign = application.campaign
    context = {
        "campaign": campaign,
        "name": application.candidate.full_name,
        "reference": application_reference(application),
        "applied_on": local_date(application.submitted_at),
        "attempted_on": local_date(attempted_at),
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
    subject = f"You have already applied to {campaign.name}"
    EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("candidates/email/already_applied.txt", context),
        to=[application.candidate.email],
        reply_to=[campaign.contact_email or settings.CARERECRUIT_CONTACT_EMAIL],
    ).send()


# ---------------------------------------------------------------------------------------
# Imports of expressions of interest


# Imported responses are credited to channel "other" with source "import", not to any
# tracked link: the people came through an older form whose links we never saw. The
# dashboard shows them under "Other" on the local day each person sent the original
# form (its completion time), so a campaign's daily counts match when people applied.
IMPORT_CHANNEL = "other"
IMPORT_UTM_SOURCE = "import"
IMPORT_UTM_MEDIUM = "list"


@dataclass(frozen=True)
class ImportResult:
    """What :func:`do_import_applications` made: the ``batch`` record and counts."""

    batch: ApplicationImport
    rows: int
    candidates_created: int
    applications_created: int
    already_applied: int
    repeats_in_file: int


class ImportHasProblems(ValueError):
    """The file has problems (or no rows); nothing was imported."""


def route_application_if_available(application: Application) -> None:
    """Route ``application`` to its councils with the placements app's
    ``route_application`` when that exists (the placements app may be absent)."""
    try:
        from carerecruit.placements.actions import route_application
    except ImportError:
        return
    route_application(application)


def do_import_applications(
    campaign: Campaign,
    parsed: ParsedFile,
    *,
    imported_by=None,
    batch: ApplicationImport | None = None,
    sha256: str = "",
) -> ImportResult:
    """Import a checked file (:func:`carerecruit.candidates.importer.parse_file`) into
    ``campaign``: all rows or none.

    Raises :class:`ImportHasProblems` when ``parsed`` has any problem or no rows. In one
    transaction, following :func:`carerecruit.candidates.importer.plan_import`: a new
    Candidate per new person (consent as answered, timed at the response's completion
    time, with a ConsentChange row), one Application per person for the campaign
    (``submitted_at`` = completion time; channel "other", UTM source "import"), its
    "application" funnel event on that local day, and routing to councils when the
    placements app provides it. Existing candidates are never changed by an import:
    what they told us since is newer than an old list. No e-mails are sent.

    ``batch`` is the pending upload being confirmed (staff page); without one a batch
    record is created (the command). The batch keeps counts, not the file.
    """
    if parsed.problems or not parsed.rows:
        raise ImportHasProblems(f"{len(parsed.problems)} problems; nothing imported")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _import(campaign, parsed, imported_by=imported_by, batch=batch, sha256=sha256)
        except IntegrityError:
            # Someone applied through the public form mid-import; plan again with them.
            if attempt == MAX_ATTEMPTS:
                raise
            logger.info("application import raced on campaign %s; retrying", campaign.pk)
    raise AssertionError("unreachable")


def _import(campaign, parsed, *, imported_by, batch, sha256) -> ImportResult:
    now = timezone.now()
    plan = plan_import(parsed.rows, campaign)
    if batch is None:
        batch = ApplicationImport(campaign=campaign, file_name=parsed.file_name[:255], sha256=sha256)
    batch.uploaded_by = batch.uploaded_by or (imported_by if getattr(imported_by, "pk", None) else None)
    batch.status = ApplicationImport.Status.IMPORTED
    batch.content = b""
    batch.imported_at = now
    batch.rows = len(parsed.rows)
    batch.candidates_created = plan.candidates_created
    batch.applications_created = plan.applications_created
    batch.save()

    created_by_line: dict[int, Candidate] = {}
    touched = []
    for planned in plan.rows:
        row = planned.row
        if not planned.creates_application:
            continue
        candidate = planned.candidate
        if candidate is None:
            candidate = Candidate.objects.create(
                full_name=row.full_name,
                name_folded=name_key(row.full_name),
                email=row.email,
                email_normalised=row.email_normalised,
                phone_e164=row.phone,
                postcode=row.postcode,
                talent_bank_consent=row.talent_bank_consent,
                talent_bank_consent_at=row.submitted_at if row.talent_bank_consent else None,
                created_at=row.submitted_at,
                last_active_at=row.submitted_at,
            )
            if row.talent_bank_consent:
                ConsentChange.objects.create(
                    candidate=candidate, given=True, changed_at=row.submitted_at,
                    source=ConsentSource.IMPORT,
                )
            created_by_line[row.line] = candidate
        application = Application.objects.create(
            candidate=candidate,
            campaign=campaign,
            submitted_at=row.submitted_at,
            full_name_given=row.full_name,
            years_experience=row.years_experience,
            current_role=row.current_role,
            swe_registration=row.swe_registration,
            earliest_start=row.earliest_start,
            hours_wanted=row.hours_wanted,
            right_to_work=row.right_to_work,
            channel=IMPORT_CHANNEL,
            utm_source=IMPORT_UTM_SOURCE,
            utm_medium=IMPORT_UTM_MEDIUM,
            import_batch=batch,
        )
        application.job_roles.set(row.job_roles)
        application.council_areas.set(row.council_areas)
        record_application(application, occurred_at=row.submitted_at)
        route_application_if_available(application)
        touched.append(candidate.code)
    if touched:
        log_access(
            imported_by, PersonalDataAccess.Action.CHANGE, "applications import",
            candidate_codes=touched, detail=f"import {batch.code}",
        )
    return ImportResult(
        batch=batch,
        rows=len(parsed.rows),
        candidates_created=plan.candidates_created,
        applications_created=plan.applications_created,
        already_applied=plan.count(Outcome.ALREADY_APPLIED),
        repeats_in_file=plan.count(Outcome.REPEAT_IN_FILE),
    )


# ---------------------------------------------------------------------------------------
# Self-service


def do_request_selfservice_link(email: str, *, base_url: str) -> None:
    """Handle a request for a self-service link for ``email`` (as typed); ``base_url``
    is the site's address for the link in the mail (``https://host``, from the request,
    whose host Django has checked against ALLOWED_HOSTS).

    The same work happens whether or not the address is known, so neither the answer
    nor its timing tells a stranger who is registered: one candidate lookup, one
    rate-limit row (see :func:`carerecruit.candidates.selfservice.note_request`), and one
    queued task after commit carrying the candidate's code, or None when the address is
    unknown or over its limit. The task sends the mail (``carerecruit worker``).
    """
    from carerecruit.candidates.tasks import send_selfservice_link_task

    email_normalised = normalise_email(email)
    with transaction.atomic():
        code = (
            Candidate.objects.filter(email_normalised=email_normalised)
            .values_list("code", flat=True)
            .first()
        )
        allowed = note_request(email_normalised)
        payload = code.hex if (code is not None and allowed) else None
        transaction.on_commit(
            lambda: send_selfservice_link_task.enqueue(payload, base_url), robust=True
        )


def send_selfservice_link(candidate_code: str, base_url: str = "") -> bool:
    """E-mail the self-service link to the candidate with ``candidate_code`` (hex) at
    their stored address, as ``base_url`` + ``/me/<token>/``; False when there is no such
    candidate (erased since the request)."""
    candidate = Candidate.objects.filter(code=candidate_code).first()
    if candidate is None:
        return False
    from django.urls import reverse

    path = reverse("selfservice:home", args=[make_token(candidate)])
    context = {
        "candidate": candidate,
        "url": base_url.rstrip("/") + path,
        "days": link_max_age().days,
        "site_name": settings.CARERECRUIT_SITE_NAME,
        "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
    }
    text = render_to_string("candidates/email/selfservice_link.txt", context)
    EmailMultiAlternatives(
        subject=f"Your link to see and change your details – {settings.CARERECRUIT_SITE_NAME}",
        body=text,
        to=[candidate.email],
        reply_to=[settings.CARERECRUIT_CONTACT_EMAIL],
    ).send()
    return True


def do_update_contact_details(candidate: Candidate, *, phone: str, postcode: str) -> list[str]:
    """Change the candidate's phone (E.164) and postcode (canonical); returns the names
    of the fields that changed. Audited as a change by the candidate.

    Any valid number is accepted, also one that another candidate holds: phones are not
    unique (:mod:`carerecruit.candidates.identity`), and refusing such a number would
    tell the visitor that someone else has given it. The duplicate check
    (``talentbank.duplicates``) flags the two records for an admin instead."""
    changed = []
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if phone != candidate.phone_e164:
            candidate.phone_e164 = phone
            changed.append("phone_e164")
        if postcode != candidate.postcode:
            candidate.postcode = postcode
            changed.append("postcode")
        if changed:
            candidate.last_active_at = timezone.now()
            candidate.save(update_fields=[*changed, "last_active_at", "updated_at"])
            log_access(
                None, PersonalDataAccess.Action.CHANGE, "self-service contact details",
                candidate_codes=[candidate.code],
            )
    return changed


def do_update_availability(
    candidate: Candidate, *, earliest_start: datetime.date, hours_wanted: str
) -> int:
    """Set the earliest start (local date) and hours wanted on every application of the
    candidate that is not withdrawn (availability is asked per application, and the
    latest answer is what councils and the talent bank read). Returns the number of
    applications updated."""
    with transaction.atomic():
        updated = Application.objects.filter(candidate=candidate, withdrawn_at__isnull=True).update(
            earliest_start=earliest_start, hours_wanted=hours_wanted
        )
        Candidate.objects.filter(pk=candidate.pk).update(
            last_active_at=timezone.now(), updated_at=timezone.now()
        )
        log_access(
            None, PersonalDataAccess.Action.CHANGE, "self-service availability",
            candidate_codes=[candidate.code],
        )
    return updated


def do_set_talent_bank_consent(
    candidate: Candidate, given: bool, *, source: str = ConsentSource.SELF_SERVICE,
    now: datetime.datetime | None = None,
) -> bool:
    """Give or withdraw talent-bank consent; returns True when it changed.

    The change is timestamped on the candidate (``talent_bank_consent_at`` is the time
    of the consent in force, None once withdrawn) and appended to the consent history
    (:class:`ConsentChange`). Withdrawing takes the person out of talent-bank searches
    at once; their applications stay with the councils they applied to.
    """
    now = now or timezone.now()
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if candidate.talent_bank_consent == given:
            return False
        if candidate.talent_bank_consent_at and not candidate.consent_changes.exists():
            # Consent given on the public form has no history row yet; write it before
            # the time on the candidate is cleared, so the history stays complete.
            ConsentChange.objects.create(
                candidate=candidate, given=True, changed_at=candidate.talent_bank_consent_at,
                source=ConsentSource.APPLICATION,
            )
        candidate.talent_bank_consent = given
        candidate.talent_bank_consent_at = now if given else None
        candidate.last_active_at = now
        candidate.save(
            update_fields=["talent_bank_consent", "talent_bank_consent_at", "last_active_at", "updated_at"]
        )
        ConsentChange.objects.create(candidate=candidate, given=given, changed_at=now, source=source)
        log_access(
            None, PersonalDataAccess.Action.CHANGE, "self-service consent",
            candidate_codes=[candidate.code],
        )
    return True


WITHDRAWN_REASON = "Withdrawn by the candidate (self-service)"


def do_withdraw_application(application: Application, *, now: datetime.datetime | None = None) -> bool:
    """Withdraw ``application`` at the candidate's request; returns False if it was
    already withdrawn.

    Sets ``withdrawn_at`` and, when the placements app provides ``do_move_stage``, moves
    every route that can still move to its "withdrawn" stage, so each council sees it
    (a placed route stays placed: leaving is a retention matter).
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.withdrawn_at is not None:
            return False
        application.withdrawn_at = now
        application.save(update_fields=["withdrawn_at"])
        _withdraw_routes(application)
        Candidate.objects.filter(pk=application.candidate_id).update(last_active_at=now)
        log_access(
            None, PersonalDataAccess.Action.CHANGE, "self-service withdrawal",
            candidate_codes=[application.candidate.code],
        )
    return True


def _withdraw_routes(application: Application) -> None:
    try:
        from carerecruit.placements.actions import PipelineError, do_move_stage
        from carerecruit.placements.pipeline import Stage, is_allowed
    except ImportError:
        return
    for route in application.routes.all():
        if is_allowed(route.stage, Stage.WITHDRAWN):
            try:
                # No stage e-mail: the candidate has just done this themselves and sees it
                # confirmed on screen.
                do_move_stage(route, Stage.WITHDRAWN, by=None, reason=WITHDRAWN_REASON, notify=False)
            except PipelineError:
                logger.info("route %s could not be withdrawn", route.pk)


# ---------------------------------------------------------------------------------------
# Erasure


def do_erase_candidate(candidate: Candidate, *, requested_by=None) -> dict[str, int]:
    """Erase a candidate: remove their personal data from every table; keep counts.

    In one transaction: every registered eraser runs
    (:mod:`carerecruit.candidates.erasure`) while the rows keyed to the person still
    exist; their audit-log lines are unlinked (``organisations.audit.forget_candidate``);
    their self-service link requests, queued self-service mails and any pending upload
    that contains them are deleted; then the Candidate is deleted, and the database's
    cascades remove their applications and everything keyed to those (routes, stage
    history, notes, messages, checks, placements, consent history). Funnel events carry
    no personal data and stay, so campaign counts do not change.

    ``requested_by`` is the staff user who erased them, or None for the candidate
    (self-service). Returns Django's per-model deletion counts
    (``{"candidates.Candidate": 1, ...}``). One audit line records the erasure, with no
    candidate code.
    """
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        subject = ErasureSubject.of(candidate, requested_by=requested_by)
        run_erasers(subject)
        _erase_own_copies(subject)
        _total, per_model = candidate.delete()
        log_access(
            requested_by, PersonalDataAccess.Action.ERASE, "candidate",
            count=1, detail="self-service" if requested_by is None else "staff request",
        )
    return dict(per_model)


def _erase_own_copies(subject: ErasureSubject) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django_tasks_db.models import DBTaskResult

    from carerecruit.candidates.importer import parse_file

    forget_candidate(subject.code)
    SelfServiceLinkRequest.objects.filter(address_hash=address_hash(subject.email_normalised)).delete()
    # Queued or finished self-service mails name the candidate's code; a failed one's
    # traceback could quote the address.
    (
        DBTaskResult.objects.filter(task_path__endswith="send_selfservice_link_task")
        .annotate(args_text=Cast("args_kwargs", TextField()))
        .filter(args_text__contains=subject.code.hex)
        .delete()
    )
    # Admin history names objects by str(): the person's name.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Candidate), object_id__in=[str(subject.candidate.pk)]
    ).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id__in=[str(pk) for pk in subject.application_ids],
    ).delete()
    # A pending upload is the raw file; drop any that holds this person.
    for pending in ApplicationImport.objects.filter(status=ApplicationImport.Status.PENDING):
        content = bytes(pending.content)
        text = content.decode("utf-8", "ignore").casefold()
        parsed = parse_file(content, pending.file_name, pending.campaign)
        if subject.email_normalised in text or any(
            row.email_normalised == subject.email_normalised
            or (subject.phone_e164 and row.phone == subject.phone_e164)
            for row in parsed.rows
        ):
            pending.delete()
