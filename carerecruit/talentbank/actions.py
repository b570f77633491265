"""Writes for the talent bank: merging duplicate candidates, dismissing a pair.

Views, commands and tests call these; nothing else writes these models.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from carerecruit.candidates.models import Application, Candidate
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.talentbank.models import (
    CandidateMerge,
    DuplicateCandidatePair,
    TalentProfile,
    TalentRole,
)
from carerecruit.talentbank.signals import schedule_profile_refresh

if TYPE_CHECKING:
    from carerecruit.organisations.models import User

logger = logging.getLogger(__name__)


class MergeError(Exception):
    """The merge cannot be done (already reviewed, or another table refuses to let go of
    the record); nothing was changed. ``str()`` is a message fit to show the admin."""


def do_dismiss_duplicate(pair: DuplicateCandidatePair, *, user: User | None,
                         now: datetime.datetime | None = None) -> DuplicateCandidatePair:
    """Mark a pending pair "not the same person"; it is not raised again. Raises
    MergeError when the pair was already reviewed."""
    with transaction.atomic():
        updated = DuplicateCandidatePair.objects.filter(
            pk=pair.pk, status=DuplicateCandidatePair.Status.PENDING
        ).update(
            status=DuplicateCandidatePair.Status.DISMISSED, reviewed_by=user, reviewed_at=now or timezone.now()
        )
        if not updated:
            raise MergeError("This pair has already been reviewed")
        log_access(
            user, PersonalDataAccess.Action.CHANGE, "duplicate pair dismissed",
            candidate_codes=Candidate.objects.filter(pk__in=[pair.candidate_a_id, pair.candidate_b_id])
            .values_list("code", flat=True),
        )
    pair.refresh_from_db()
    return pair


def consent_decision(candidates: list[Candidate]) -> dict[str, Any]:
    """The most recent explicit talent-bank choice among ``candidates``' records.

    Choices are the consent history (``candidates.ConsentChange``: given or withdrawn,
    with its time) and, for a record whose consent is in force, the time it was given
    (``talent_bank_consent_at``, which covers consent ticked on the application form).
    The latest wins; with no choice anywhere, no consent. Returns ``{"given": bool,
    "at": datetime or None, "from": "history"/"record"/"none"}``.
    """
    choices: list[tuple[datetime.datetime, bool, str]] = []
    ids = [c.pk for c in candidates]
    try:
        from carerecruit.candidates.models import ConsentChange
    except ImportError:  # pragma: no cover - older schema without a consent history
        ConsentChange = None  # noqa: N806
    if ConsentChange is not None:
        choices += [
            (at, given, "history")
            for at, given in ConsentChange.objects.filter(candidate_id__in=ids).values_list("changed_at", "given")
        ]
    choices += [
        (c.talent_bank_consent_at, True, "record")
        for c in candidates
        if c.talent_bank_consent and c.talent_bank_consent_at is not None
    ]
    if not choices:
        return {"given": False, "at": None, "from": "none"}
    at, given, source = max(choices, key=lambda choice: (choice[0], choice[2] == "history"))
    return {"given": given, "at": at, "from": source}


def _answers(application: Application) -> dict[str, Any]:
    """An application's answers, kept in the merge note when the row must go."""
    return {
        "code": str(application.code),
        "campaign": application.campaign_id,
        "submitted_at": application.submitted_at.isoformat(),
        "full_name_given": application.full_name_given,
        "job_roles": sorted(application.job_roles.values_list("code", flat=True)),
        "council_areas": sorted(application.council_areas.values_list("gss_code", flat=True)),
        "years_experience": application.years_experience,
        "current_role": application.current_role,
        "swe_registration": application.swe_registration,
        "earliest_start": application.earliest_start.isoformat() if application.earliest_start else None,
        "hours_wanted": application.hours_wanted,
        "right_to_work": application.right_to_work,
        "channel": application.channel,
        "utm_source": application.utm_source,
        "utm_medium": application.utm_medium,
        "utm_campaign": application.utm_campaign,
    }


def _relations_to(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """Every (model, foreign key name) pointing at ``model``, hidden ones included (the
    through tables of many-to-many fields and ``related_name="+"`` keys)."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if (relation.one_to_many or relation.one_to_one) and relation.auto_created and not relation.concrete:
            found.append((relation.related_model, relation.field.name))
    return found


def _repoint(related: type[models.Model], field: str, old_id: int, new_id: int) -> int:
    """Point every ``related`` row whose ``field`` is ``old_id`` at ``new_id``; return
    how many could not move because the new owner already has an equal row (a unique
    rule). Those stay with the old owner and are deleted with it."""
    rows = related._base_manager.filter(**{field: old_id})
    try:
        with transaction.atomic():
            rows.update(**{field: new_id})
            return 0
    except IntegrityError:
        pass
    stuck = 0
    for pk in list(rows.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                related._base_manager.filter(pk=pk).update(**{field: new_id})
        except IntegrityError:
            stuck += 1
    return stuck


def _move_dependants(model: type[models.Model], old_id: int, new_id: int, skip: set, stuck: dict[str, int]) -> None:
    for related, field in _relations_to(model):
        if related in skip:
            continue
        count = _repoint(related, field, old_id, new_id)
        if count:
            label = related._meta.label_lower
            stuck[label] = stuck.get(label, 0) + count


def do_merge_candidates(
    pair: DuplicateCandidatePair, *, survivor: Candidate, user: User | None,
    now: datetime.datetime | None = None,
) -> CandidateMerge:
    """Merge the pair's other record into ``survivor``, keeping every application and
    its history; return the :class:`CandidateMerge` record.

    In one transaction:

    - Applications move to the survivor. Where both records applied to the same
      campaign (the database allows one application per person per campaign), the
      earlier application is kept; the later one's answers go into the merge note, its
      dependent rows (routes, notes, vacancy links…) move to the earlier one where that
      breaks no unique rule, and it is deleted.
    - Every other row pointing at the removed record (in any app: consent history,
      shortlists, invitations, placements…) moves to the survivor, on the same terms;
      rows that could not move are counted in the note by table.
    - Consent becomes the most recent explicit choice of either record
      (:func:`consent_decision`). The survivor keeps its name, e-mail and phone (and
      takes the other's phone if it had none); the postcode of the more recently
      active record wins; first seen and last active span both. The removed record's
      contact details are kept in the note.
    - Audit-log lines about the removed record are re-pointed to the survivor, so a
      later subject access or erasure covers them; the merge itself is audited.

    Raises MergeError (nothing changed) if the pair was already reviewed, ``survivor``
    is not in it, or a table protects the removed record.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _merge(pair, survivor, user, now)
    except ProtectedError as exc:
        labels = sorted({obj._meta.label_lower for obj in exc.protected_objects})
        raise MergeError(f"Records in {', '.join(labels)} stop this merge; nothing was changed") from None


def _merge(pair: DuplicateCandidatePair, survivor: Candidate, user, now) -> CandidateMerge:
    pair = DuplicateCandidatePair.objects.select_for_update().filter(
        pk=pair.pk, status=DuplicateCandidatePair.Status.PENDING
    ).first()
    if pair is None:
        raise MergeError("This pair has already been reviewed")
    ids = {pair.candidate_a_id, pair.candidate_b_id}
    if survivor.pk not in ids:
        raise MergeError("Choose one of the two records to keep")
    (removed_id,) = ids - {survivor.pk}
    people = {c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    keep, removed = people[survivor.pk], people[removed_id]
    stuck: dict[str, int] = {}
    dropped: list[dict[str, Any]] = []

    # Applications, one campaign at a time.
    kept_by_campaign = {a.campaign_id: a for a in Application.objects.filter(candidate=keep)}
    for application in Application.objects.filter(candidate=removed).order_by("submitted_at", "pk"):
        other = kept_by_campaign.get(application.campaign_id)
        if other is None:
            Application.objects.filter(pk=application.pk).update(candidate=keep)
            continue
        earlier, later = sorted((application, other), key=lambda a: (a.submitted_at, a.pk))
        dropped.append(_answers(later))
        # The later application's own answers (its job roles and council areas) are in
        # the note; they must not change the earlier application's answers.
        answers = {field.remote_field.through for field in Application._meta.many_to_many}
        _move_dependants(Application, later.pk, earlier.pk, skip=answers, stuck=stuck)
        later.delete()
        Application.objects.filter(pk=earlier.pk).update(candidate=keep)

    # Everything else that points at the removed record.
    # Talent profiles and roles are rebuilt for the survivor, not moved.
    own = {Application, TalentProfile, TalentRole, DuplicateCandidatePair}
    _move_dependants(Candidate, removed.pk, keep.pk, skip=own, stuck=stuck)
    # Other pending pairs naming the removed record now concern the survivor.
    for other_pair in DuplicateCandidatePair.objects.filter(
        models.Q(candidate_a=removed) | models.Q(candidate_b=removed)
    ).exclude(pk=pair.pk):
        a, b = sorted({other_pair.candidate_a_id, other_pair.candidate_b_id} - {removed.pk} | {keep.pk})
        if a == b or DuplicateCandidatePair.objects.filter(candidate_a_id=a, candidate_b_id=b).exists():
            other_pair.delete()
        else:
            DuplicateCandidatePair.objects.filter(pk=other_pair.pk).update(candidate_a_id=a, candidate_b_id=b)

    consent = consent_decision([keep, removed])
    PersonalDataAccess.objects.filter(candidate_code=removed.code).update(candidate_code=keep.code)
    note = {
        "removed": {
            "full_name": removed.full_name,
            "email": removed.email,
            "phone": removed.phone_e164,
            "postcode": removed.postcode,
            "created_at": removed.created_at.isoformat(),
            "last_active_at": removed.last_active_at.isoformat(),
        },
        "dropped_applications": dropped,
        "rows_not_moved": stuck,
        "consent": {
            "given": consent["given"],
            "at": consent["at"].isoformat() if consent["at"] else None,
            "from": consent["from"],
        },
    }
    removed_phone = removed.phone_e164
    newer = max((keep, removed), key=lambda c: (c.last_active_at, c.pk))
    keep.postcode = newer.postcode
    keep.created_at = min(keep.created_at, removed.created_at)
    keep.last_active_at = max(keep.last_active_at, removed.last_active_at)
    keep.talent_bank_consent = consent["given"]
    keep.talent_bank_consent_at = consent["at"] if consent["given"] else None
    pair.delete()
    removed.delete()
    if not keep.phone_e164 and removed_phone:
        keep.phone_e164 = removed_phone
    keep.save()
    merge = CandidateMerge.objects.create(
        survivor=keep, merged_code=removed.code, merged_at=now, merged_by=user, note=note
    )
    log_access(
        user, PersonalDataAccess.Action.MERGE, "candidate merge", candidate_codes=[keep.code],
        detail=f"merged {len(dropped)} same-campaign application(s)",
    )
    schedule_profile_refresh(keep.pk)
    return merge
