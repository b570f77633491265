"""Writes over routes, the pipeline, checks, placements and retention.

Views, commands, the demo and tests call these; nothing else writes those models (the
demo's bulk loader excepted, see ``placements.demo``). Each is atomic; e-mails to
candidates go out after commit; every change to a candidate's record is written to the
personal-data audit log (``organisations.audit.log_access``, action ``change``) and,
for stage moves, to the route's own history (StageChange).

Permission is the caller's business (views ask ``organisations.access``); these
functions enforce the domain rules and raise :class:`PipelineError` (a ValueError whose
``str()`` is fit to show a recruiter) when a rule says no.
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from carerecruit.lib.localtime import local_date
from carerecruit.lib.names import has_visible_character
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import Organisation, PersonalDataAccess
from carerecruit.placements import pipeline
from carerecruit.placements.checks import clean_check_values, required_kinds
from carerecruit.placements.messaging import send_stage_message
from carerecruit.placements.models import (
    ApplicationRoute,
    Check,
    CheckStatus,
    FunnelOutcome,
    MessageKind,
    MessageTemplate,
    Note,
    Placement,
    RetentionCheckpoint,
    StageChange,
)
from carerecruit.placements.pipeline import Stage
from carerecruit.placements.postcodes import council_for_postcode
from carerecruit.tracking.actions import record_outcome
from carerecruit.tracking.models import EventKind

logger = logging.getLogger(__name__)

RETENTION_MONTHS = (3, 6, 12)
# A checkpoint at or after this many months answered "still in post" means retained at
# six months for the funnel.
RETAINED_MONTHS = 6
CHANGE = PersonalDataAccess.Action.CHANGE


class PipelineError(ValueError):
    """A pipeline rule refused the change; ``str()`` explains it to a recruiter.
    ``field`` names the form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class ChecksIncomplete(PipelineError):
    """A placement was confirmed before every required check was complete or waived.
    ``kinds`` lists the CheckKind values still to do."""

    def __init__(self, kinds: list[str]):
        from carerecruit.placements.models import CheckKind

        self.kinds = kinds
        labels = ", ".join(CheckKind(k).label for k in kinds)
        super().__init__(f"Complete or waive every pre-employment check first. Still to do: {labels}")


def _audit(user, route: ApplicationRoute, detail: str) -> None:
    log_access(user, CHANGE, "application", candidate_codes=[route.application.candidate.code],
               detail=detail)


def _locked(route: ApplicationRoute) -> ApplicationRoute:
    """Re-read the route under a row lock (PostgreSQL; SQLite serialises writers), so two
    recruiters moving the same route take turns and the second sees the first's stage."""
    return (
        ApplicationRoute.objects.select_for_update(of=("self",))
        .select_related("application__candidate", "organisation")
        .get(pk=route.pk)
    )


def _queue_message(route: ApplicationRoute, kind: str, by) -> None:
    if kind in MessageKind.values:
        by_pk = getattr(by, "pk", None)
        transaction.on_commit(
            lambda pk=route.pk: send_stage_message(pk, kind, by_pk), robust=True
        )


def record_funnel_outcome(application, kind: str, *, occurred_at: datetime.datetime | None = None) -> bool:
    """Append the funnel event ``kind`` (tracking EventKind: shortlisted, placed,
    retained_6m) for ``application`` unless it was already recorded; True when appended.

    Once per application, not per council: several councils may work one application,
    but the campaign brought one person. Race-safe: the FunnelOutcome unique constraint
    decides, inside a savepoint. Call inside the transaction making the change.
    """
    try:
        with transaction.atomic():
            FunnelOutcome.objects.create(
                application=application, kind=kind, recorded_at=occurred_at or timezone.now()
            )
    except IntegrityError:
        return False
    record_outcome(application, kind, occurred_at=occurred_at)
    return True


# ---------------------------------------------------------------------------------------
# Routing


def _create_route(application, organisation, reason: str, *, now, by=None, is_simulated=False):
    route, created = ApplicationRoute.objects.get_or_create(
        application=application, organisation=organisation,
        defaults={"reason": reason, "stage": Stage.NEW, "stage_entered_at": now, "routed_at": now,
                  "is_simulated": is_simulated},
    )
    if created:
        StageChange.objects.create(
            route=route, from_stage="", to_stage=Stage.NEW, changed_at=now, changed_by=by,
            reason=ApplicationRoute.Reason(reason).label,
        )
    return route, created


def route_application(application, *, now: datetime.datetime | None = None) -> list[ApplicationRoute]:
    """Route ``application`` to the councils its candidate chose (``council_areas``), or,
    with none chosen, to the council whose area holds the candidate's postcode (ONSPD,
    else the approximate postcode-district table: see ``placements.postcodes``).

    Returns the routes created (an application already routed to a council is not routed
    there again). An application whose postcode no source knows stays unrouted: regional
    staff see it counted on the applications page. Call inside the submitting transaction.
    """
    now = now or application.submitted_at or timezone.now()
    with transaction.atomic():
        councils = list(application.council_areas.filter(kind=Organisation.Kind.COUNCIL))
        if councils:
            targets = [(c, ApplicationRoute.Reason.CHOSEN) for c in councils]
        else:
            match = council_for_postcode(application.candidate.postcode)
            targets = [] if match is None else [(match.council, match.source)]
        created = []
        for council, reason in targets:
            route, was_created = _create_route(
                application, council, reason, now=now, is_simulated=application.is_simulated
            )
            if was_created:
                created.append(route)
    return created


def route_to_organisation(application, organisation, *, reason: str, by=None,
                          now: datetime.datetime | None = None) -> ApplicationRoute:
    """Route ``application`` to one organisation (a council by staff, or a provider whose
    vacancy it answers: ``reason`` ``"manual"`` or ``"vacancy"``); returns the route,
    existing or new. The hook the vacancies app uses for applications to a provider."""
    now = now or timezone.now()
    with transaction.atomic():
        route, _ = _create_route(application, organisation, reason, now=now, by=by,
                                 is_simulated=application.is_simulated)
    return route


def route_unrouted_applications(applications=None) -> tuple[int, int]:
    """Route every application that has no route yet (e.g. made before routing existed,
    or loaded by the demo); returns ``(applications routed, routes created)``.
    ``applications``: a queryset to limit it to (default: all)."""
    from carerecruit.candidates.models import Application

    queryset = applications if applications is not None else Application.objects.all()
    pending = queryset.filter(routes__isnull=True).select_related("candidate").order_by("pk")
    routed = made = 0
    for application in pending.iterator(chunk_size=500):
        routes = route_application(application, now=application.submitted_at)
        if routes:
            routed += 1
            made += len(routes)
    return routed, made


# ---------------------------------------------------------------------------------------
# Stage moves, notes, owner


def _move(route: ApplicationRoute, to_stage: str, *, by, reason: str, now, notify: bool) -> StageChange:
    """Move a locked route; the caller holds the transaction."""
    from_stage = route.stage
    if to_stage not in Stage.values:
        raise PipelineError("Choose a stage")
    if to_stage == from_stage:
        raise PipelineError(f"It is already at “{pipeline.stage_label(to_stage)}”")
    if to_stage in pipeline.ACTION_ONLY:
        raise PipelineError("Confirm a placement with the placement form, after every check")
    if not pipeline.is_allowed(from_stage, to_stage):
        raise PipelineError(
            f"Cannot move from “{pipeline.stage_label(from_stage)}” to "
            f"“{pipeline.stage_label(to_stage)}”"
        )
    reason = reason.strip()
    if to_stage in pipeline.REASON_REQUIRED and not reason:
        raise PipelineError(f"Give the reason for “{pipeline.stage_label(to_stage)}”")
    route.stage = to_stage
    route.stage_entered_at = now
    route.save(update_fields=["stage", "stage_entered_at", "updated_at"])
    change = StageChange.objects.create(
        route=route, from_stage=from_stage, to_stage=to_stage, changed_at=now, changed_by=by,
        reason=reason,
    )
    if to_stage == Stage.CHECKS:
        ensure_checks(route)
    if to_stage == Stage.INTERVIEW:
        # Shortlisted = invited to interview (the funnel's "shortlisted" step).
        record_funnel_outcome(route.application, EventKind.SHORTLISTED, occurred_at=now)
    if notify:
        _queue_message(route, to_stage, by)
    return change


# The same person sending the same note or move again within this time is a double click
# (or a browser resending the form), answered with what the first did.
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=10)


def _repeated_move(route: ApplicationRoute, to_stage: str, *, by, now) -> StageChange | None:
    """The move ``by`` made of ``route`` to ``to_stage`` in the last
    :data:`DOUBLE_SUBMIT_WINDOW`, when the route is still there; else None."""
    if route.stage != to_stage:
        return None
    return StageChange.objects.filter(
        route=route, to_stage=to_stage, changed_by=by, changed_at__gte=now - DOUBLE_SUBMIT_WINDOW,
    ).order_by("-changed_at").first()


def do_move_stage(
    route: ApplicationRoute, to_stage: str, *, by, reason: str = "", notify: bool = True,
    now: datetime.datetime | None = None,
) -> StageChange:
    """Move ``route`` to ``to_stage`` (a Stage value) and record who, when and why.

    Raises PipelineError when the transition table does not allow it, the route is
    already there, ``to_stage`` is "placed" (use :func:`do_place_candidate`), or a
    reason is required (not suitable) and missing. Entering "pre-employment checks"
    creates the checks the application's roles need; entering "interview" records the
    funnel's "shortlisted" once per application. With ``notify`` the candidate gets the
    stage's e-mail after commit (if its template is switched on). The same person asking
    for the same move again within :data:`DOUBLE_SUBMIT_WINDOW` (a double click) gets the
    first move back, not an error.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(route)
        repeat = _repeated_move(locked, to_stage, by=by, now=now)
        if repeat is not None:
            route.refresh_from_db()
            return repeat
        change = _move(locked, to_stage, by=by, reason=reason, now=now, notify=notify)
        _audit(by, locked, f"stage {change.from_stage} to {change.to_stage}")
    route.refresh_from_db()
    return change


@dataclass
class BulkMoveResult:
    """Routes moved, and routes refused with the reason (``(route, message)``)."""

    moved: list[ApplicationRoute] = field(default_factory=list)
    refused: list[tuple[ApplicationRoute, str]] = field(default_factory=list)


def do_bulk_move(
    routes: Iterable[ApplicationRoute], to_stage: str, *, by, reason: str = "",
    notify: bool = True, now: datetime.datetime | None = None,
) -> BulkMoveResult:
    """Move every route that may move to ``to_stage``; report the others with the reason.

    Each route moves in its own savepoint, so a refused one changes nothing and does not
    stop the rest. Same rules and side effects as :func:`do_move_stage`.
    """
    now = now or timezone.now()
    result = BulkMoveResult()
    with transaction.atomic():
        for route in routes:
            try:
                with transaction.atomic():
                    locked = _locked(route)
                    _move(locked, to_stage, by=by, reason=reason, now=now, notify=notify)
            except PipelineError as exc:
                result.refused.append((route, str(exc)))
            else:
                result.moved.append(locked)
        if result.moved:
            log_access(
                by, CHANGE, "application",
                candidate_codes=[r.application.candidate.code for r in result.moved],
                detail=f"bulk move to {to_stage}",
            )
    return result


def do_add_note(route: ApplicationRoute, text: str, *, by, now: datetime.datetime | None = None) -> Note:
    """Add a recruiter's note. Raises PipelineError for an empty note, or one of only
    spaces or invisible characters."""
    text = text.strip()
    if not text:
        raise PipelineError("Enter a note")
    if not has_visible_character(text):
        raise PipelineError(
            "Enter a note using letters, numbers or symbols – it cannot be only spaces or invisible characters"
        )
    now = now or timezone.now()
    with transaction.atomic():
        # The route's lock makes a double-clicked "Add note" wait for the first, which
        # it then finds instead of adding the same note twice.
        _locked(route)
        repeat = Note.objects.filter(
            route=route, author=by, text=text, created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
        ).order_by("-created_at").first()
        if repeat is not None:
            return repeat
        note = Note.objects.create(route=route, text=text, author=by, created_at=now)
        _audit(by, route, "note added")
    return note


def owner_choices(route: ApplicationRoute):
    """Staff who may own ``route``: active recruiters and admins of its organisation."""
    from carerecruit.organisations.models import User

    return User.objects.filter(
        organisation_id=route.organisation_id, is_active=True,
        role__in=[User.Role.RECRUITER, User.Role.ADMIN],
    ).order_by("first_name", "last_name", "username")


def do_assign_owner(route: ApplicationRoute, owner, *, by, now: datetime.datetime | None = None) -> ApplicationRoute:
    """Make ``owner`` (a User, or None for nobody) responsible for ``route``; a system
    note records the change. Raises PipelineError for someone outside :func:`owner_choices`."""
    if owner is not None and not owner_choices(route).filter(pk=owner.pk).exists():
        raise PipelineError("Choose someone from this organisation")
    with transaction.atomic():
        locked = _locked(route)
        if locked.owner_id == getattr(owner, "pk", None):
            return locked
        locked.owner = owner
        locked.save(update_fields=["owner", "updated_at"])
        who = (owner.get_full_name() or owner.get_username()) if owner else "nobody"
        Note.objects.create(route=locked, text=f"Owner set to {who}", author=by,
                            created_at=now or timezone.now(), is_system=True)
        _audit(by, locked, "owner changed")
    route.refresh_from_db()
    return locked


# ---------------------------------------------------------------------------------------
# Pre-employment checks


def ensure_checks(route: ApplicationRoute, job_roles: Iterable | None = None) -> list[Check]:
    """Create any missing pending checks ``route`` needs and return all of its checks.

    Required kinds come from ``job_roles`` (default: the roles the candidate applied
    for); see :func:`carerecruit.placements.checks.required_kinds`.
    """
    roles = list(job_roles) if job_roles is not None else list(route.application.job_roles.all())
    existing = set(route.checks.values_list("kind", flat=True))
    Check.objects.bulk_create(
        [Check(route=route, kind=kind) for kind in required_kinds(roles) if kind not in existing]
    )
    return list(route.checks.all())


def do_record_check(
    check: Check, values: dict, *, by, now: datetime.datetime | None = None
) -> Check:
    """Record a check as complete with its evidence metadata (see ``checks.FIELDS``).

    Raises PipelineError when the route is not at pre-employment checks, and
    ``django.core.exceptions.ValidationError`` (a dict of field messages) when the
    values do not complete the check (``checks.clean_check_values``).
    """
    from django.core.exceptions import ValidationError

    now = now or timezone.now()
    cleaned, errors = clean_check_values(check.kind, values, local_date(now))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Check.objects.select_for_update().select_related("route__application__candidate").get(pk=check.pk)
        if locked.route.stage != Stage.CHECKS:
            raise PipelineError("Checks can be recorded only at the pre-employment checks stage")
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.status = CheckStatus.COMPLETE
        locked.waived_by_name = ""
        locked.waived_reason = ""
        locked.recorded_at = now
        locked.recorded_by = by
        locked.save()
        _audit(by, locked.route, f"check {check.kind} complete")
    return locked


def do_waive_check(
    check: Check, *, waived_by_name: str, reason: str, by, now: datetime.datetime | None = None
) -> Check:
    """Waive a check, naming the person who decided and why (both required: PipelineError)."""
    waived_by_name, reason = " ".join(waived_by_name.split()), reason.strip()
    if not waived_by_name or not reason:
        raise PipelineError("Give the name of the person waiving the check and the reason")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Check.objects.select_for_update().select_related("route__application__candidate").get(pk=check.pk)
        if locked.route.stage != Stage.CHECKS:
            raise PipelineError("Checks can be waived only at the pre-employment checks stage")
        locked.status = CheckStatus.WAIVED
        locked.waived_by_name = waived_by_name
        locked.waived_reason = reason
        locked.recorded_at = now
        locked.recorded_by = by
        locked.save()
        _audit(by, locked.route, f"check {check.kind} waived")
    return locked


# ---------------------------------------------------------------------------------------
# Placement and retention


def retention_due_date(start: datetime.date, months: int) -> datetime.date:
    """``start`` plus ``months`` calendar months, clamped to the last day of a shorter
    month: 2026-08-31 + 6 → 2027-02-28; 2027-08-31 + 6 → 2028-02-29; 2026-01-15 + 3 →
    2026-04-15."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def do_place_candidate(
    route: ApplicationRoute, *, job_role, contract_type: int, start_date: datetime.date, by,
    notify: bool = True, now: datetime.datetime | None = None, vacancy=None,
) -> Placement:
    """Confirm the placement: ``route``'s candidate starts at its organisation in
    ``job_role`` (reference.JobRole) on ``contract_type`` (ContractType, ASC-WDS
    EMPLSTATUS) from ``start_date`` (local date), optionally filling ``vacancy``
    (vacancies.Vacancy), which must be the route's organisation's and for ``job_role``:
    PipelineError otherwise.

    Only from "pre-employment checks", and only when every check required for the
    applied-for roles and for ``job_role`` is complete or waived: raises
    :class:`ChecksIncomplete` (listing them) otherwise, PipelineError for a route in
    another stage. Creates the 3-, 6- and 12-month retention checkpoints, moves the
    route to "placed", records the funnel's "placed" once per application and sends
    the placed e-mail after commit.
    """
    from carerecruit.placements.models import ContractType

    now = now or timezone.now()
    if contract_type not in ContractType.values:
        raise PipelineError("Choose a contract type")
    if vacancy is not None:
        if vacancy.organisation_id != route.organisation_id:
            raise PipelineError("Choose one of your organisation's vacancies")
        if vacancy.job_role_id != job_role.pk:
            raise PipelineError(f"The vacancy is for {vacancy.job_role}: choose that job role, or no vacancy")
    stage_error = "A placement can be confirmed only at the pre-employment checks stage"
    # The checks the placed role needs are created first, in their own transaction, so
    # that when they block the placement the recruiter finds them there to record.
    with transaction.atomic():
        locked = _locked(route)
        if locked.stage != Stage.CHECKS:
            raise PipelineError(stage_error)
        ensure_checks(locked, [*locked.application.job_roles.all(), job_role])
    with transaction.atomic():
        locked = _locked(route)
        if locked.stage != Stage.CHECKS:
            raise PipelineError(stage_error)
        not_done = {c.kind for c in locked.checks.all() if not c.is_done}
        missing = [kind for kind in required_kinds([job_role]) if kind in not_done]
        if missing:
            raise ChecksIncomplete(missing)
        placement = Placement.objects.create(
            route=locked, organisation=locked.organisation, job_role=job_role, vacancy=vacancy,
            contract_type=contract_type, start_date=start_date, confirmed_at=now, confirmed_by=by,
            is_simulated=locked.is_simulated,
        )
        RetentionCheckpoint.objects.bulk_create([
            RetentionCheckpoint(placement=placement, months=m, due_on=retention_due_date(start_date, m))
            for m in RETENTION_MONTHS
        ])
        from_stage = locked.stage
        locked.stage = Stage.PLACED
        locked.stage_entered_at = now
        locked.save(update_fields=["stage", "stage_entered_at", "updated_at"])
        StageChange.objects.create(
            route=locked, from_stage=from_stage, to_stage=Stage.PLACED, changed_at=now,
            changed_by=by, reason=f"Placement confirmed: {job_role}, starting {start_date:%d %B %Y}",
        )
        record_funnel_outcome(locked.application, EventKind.PLACED, occurred_at=now)
        if notify:
            _queue_message(locked, Stage.PLACED, by)
        _audit(by, locked, "placement confirmed")
    route.refresh_from_db()
    return placement


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check_left_on(left_on: datetime.date, start: datetime.date, checkpoint, earlier) -> None:
    """Raise PipelineError (field "left_on") unless ``left_on`` fits the placement's start
    date, ``checkpoint``'s due date and the ``earlier`` checkpoints' "still in post"
    answers. See :func:`do_record_retention`."""
    if left_on < start:
        raise PipelineError(
            f"The date they left must be the same as or after {_long_date(start)}, the date they started",
            field="left_on",
        )
    if left_on > checkpoint.due_on:
        raise PipelineError(
            f"The date they left must be the same as or before {_long_date(checkpoint.due_on)}, the date of the "
            f"{checkpoint.months}-month check. If they left later, they were still in post at this check",
            field="left_on",
        )
    for other in reversed(earlier):
        if other.status == RetentionCheckpoint.Status.IN_POST and left_on <= other.due_on:
            raise PipelineError(
                f"The {other.months}-month check says they were still in post on {_long_date(other.due_on)}: "
                "the date they left must be after that",
                field="left_on",
            )


def do_record_retention(
    checkpoint: RetentionCheckpoint, *, status: str, by, leaving_reason: int | None = None,
    left_on: datetime.date | None = None, now: datetime.datetime | None = None,
) -> RetentionCheckpoint:
    """Answer a retention checkpoint: ``status`` in_post, left or unknown.

    "left" needs an ASC-WDS ``leaving_reason`` (LeavingReason) and closes the later
    checkpoints with the same answer (nobody needs asking again). "in_post" at 6 months
    or later records the funnel's "retained_6m" once per application. Raises
    PipelineError for a bad combination (``field`` "left_on" for a bad date).

    The answers must tell one story: ``left_on`` (optional, local date) is on or after the
    placement's start date, not in the future, not after this checkpoint's due date (if
    they left later, they were in post at this checkpoint), and after the due date of any
    earlier checkpoint answered "still in post". Once an earlier checkpoint says "left",
    the later ones follow it and cannot be answered on their own. Changing a "left"
    answer reopens the later checkpoints it closed (a new "left" closes them again).
    """
    from carerecruit.placements.models import LeavingReason

    Status = RetentionCheckpoint.Status
    now = now or timezone.now()
    if status not in (Status.IN_POST, Status.LEFT, Status.UNKNOWN):
        raise PipelineError("Choose whether the person is still in post")
    if status == Status.LEFT:
        if leaving_reason not in LeavingReason.values:
            raise PipelineError("Choose why they left", field="leaving_reason")
        if left_on is not None and left_on > local_date(now):
            raise PipelineError("The date they left must be today or in the past", field="left_on")
    else:
        leaving_reason, left_on = None, None
    with transaction.atomic():
        locked = (
            RetentionCheckpoint.objects.select_for_update(of=("self",))
            .select_related("placement__route__application__candidate")
            .get(pk=checkpoint.pk)
        )
        placement = locked.placement
        earlier = list(placement.checkpoints.filter(months__lt=locked.months).order_by("months"))
        for other in earlier:
            if other.status == Status.LEFT:
                raise PipelineError(f"The {other.months}-month check says they left: change that check instead")
        if left_on is not None:
            _check_left_on(left_on, placement.start_date, locked, earlier)
        if locked.status == Status.LEFT:
            # Undo what the earlier "left" closed; a new "left" closes them again below.
            placement.checkpoints.filter(months__gt=locked.months, status=Status.LEFT).update(
                status=Status.PENDING, leaving_reason=None, left_on=None, answered_at=None, answered_by=None,
            )
        locked.status = status
        locked.leaving_reason = leaving_reason
        locked.left_on = left_on
        locked.answered_at = now
        locked.answered_by = by
        locked.save()
        if status == Status.LEFT:
            placement.checkpoints.filter(months__gt=locked.months).exclude(status=Status.LEFT).update(
                status=Status.LEFT, leaving_reason=leaving_reason, left_on=left_on,
                answered_at=now, answered_by=by,
            )
        if status == Status.IN_POST and locked.months >= RETAINED_MONTHS:
            record_funnel_outcome(placement.route.application, EventKind.RETAINED_6M, occurred_at=now)
        _audit(by, placement.route, f"retention {locked.months} months {status}")
    return locked


# ---------------------------------------------------------------------------------------
# Message templates


def do_save_message_template(
    region, kind: str, *, subject: str, body: str, is_active: bool, by
) -> MessageTemplate:
    """Save the region's e-mail for ``kind`` (MessageKind). Raises PipelineError when
    the subject or body use anything but the allowed placeholders."""
    from carerecruit.placements.messaging import template_errors

    if kind not in MessageKind.values:
        raise PipelineError("No such message")
    errors = template_errors(subject) + template_errors(body)
    if errors:
        raise PipelineError(errors[0])
    with transaction.atomic():
        template, _ = MessageTemplate.objects.update_or_create(
            region=region, kind=kind,
            defaults={"subject": " ".join(subject.split()), "body": body.strip(),
                      "is_active": is_active, "updated_by": by},
        )
    return template
