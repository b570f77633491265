"""Read-side queries for the staff pipeline pages: filtered lists, the stuck list,
overdue retention checkpoints. Every one starts from ``organisations.access``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from carerecruit.lib.localtime import local_date, local_day_bounds
from carerecruit.lib.names import fold_name
from carerecruit.organisations.access import is_regional_staff, routes_visible_to
from carerecruit.placements import pipeline
from carerecruit.placements.models import (
    ApplicationRoute,
    OrganisationPipelineSettings,
    RetentionCheckpoint,
)

_REFERENCE = re.compile(r"^[0-9a-fA-F]{8}$")
ROUTE_RELATED = (
    "application__candidate", "application__campaign", "organisation", "owner",
)


def filter_routes(user, *, q: str = "", stage: str = "", campaign: str = "", owner: str = "") -> QuerySet:
    """Routes ``user`` may see, filtered: ``q`` matches the candidate's name (folded, so
    accents and case do not matter), e-mail or the 8-character application reference;
    ``stage`` a Stage value; ``campaign`` a slug; ``owner`` "me", "nobody" or "" (anyone).
    Newest routes first."""
    routes = routes_visible_to(user).select_related(*ROUTE_RELATED)
    q = " ".join(q.split())
    if q:
        match = Q(application__candidate__name_folded__contains=fold_name(q)) | Q(
            application__candidate__email_normalised__contains=q.lower()
        )
        if _REFERENCE.fullmatch(q):
            match |= Q(application__code__istartswith=q.lower())
        routes = routes.filter(match)
    if stage in pipeline.Stage.values:
        routes = routes.filter(stage=stage)
    if campaign:
        routes = routes.filter(application__campaign__slug=campaign)
    if owner == "me":
        routes = routes.filter(owner=user)
    elif owner == "nobody":
        routes = routes.filter(owner__isnull=True)
    return routes.order_by("-routed_at", "-pk")


def targets_for(organisation_id: int | None) -> dict[str, int]:
    """``{open stage: target working days}`` for an organisation (defaults without settings)."""
    settings = OrganisationPipelineSettings.objects.filter(organisation_id=organisation_id).first()
    return settings.targets() if settings else dict(pipeline.DEFAULT_TARGET_WORKING_DAYS)


def working_days_in_stage(route: ApplicationRoute, today: datetime.date) -> int:
    """Working days since ``route`` entered its stage (Monday to Friday)."""
    return pipeline.working_days_between(local_date(route.stage_entered_at), today)


def _entered_by(day: datetime.date) -> Q:
    """Entered the stage on or before local date ``day``."""
    return Q(stage_entered_at__lt=local_day_bounds(day + datetime.timedelta(days=1))[0])


def stuck_routes(user, today: datetime.date) -> QuerySet:
    """Routes ``user`` may see that have been in an open stage (new … pre-employment
    checks) for more working days than their organisation's target for that stage.
    Oldest first."""
    routes = routes_visible_to(user)
    custom = {
        s.organisation_id: s.targets()
        for s in OrganisationPipelineSettings.objects.filter(
            organisation_id__in=routes.values("organisation_id")
        )
    }
    condition = Q(pk__in=[])
    defaults = pipeline.DEFAULT_TARGET_WORKING_DAYS
    for stage, target in defaults.items():
        condition |= Q(stage=stage) & _entered_by(pipeline.stuck_cutoff(today, target)) & ~Q(
            organisation_id__in=list(custom)
        )
    for organisation_id, targets in custom.items():
        for stage, target in targets.items():
            condition |= Q(organisation_id=organisation_id, stage=stage) & _entered_by(
                pipeline.stuck_cutoff(today, target)
            )
    return routes.filter(condition).select_related(*ROUTE_RELATED).order_by("stage_entered_at", "pk")


@dataclass(frozen=True)
class StuckRow:
    route: ApplicationRoute
    working_days: int
    target: int


def stuck_rows(user, today: datetime.date) -> list[StuckRow]:
    routes = list(stuck_routes(user, today))
    targets: dict[int, dict[str, int]] = {}
    rows = []
    for route in routes:
        if route.organisation_id not in targets:
            targets[route.organisation_id] = targets_for(route.organisation_id)
        rows.append(StuckRow(route, working_days_in_stage(route, today), targets[route.organisation_id][route.stage]))
    return rows


def checkpoints_visible_to(user) -> QuerySet:
    """Retention checkpoints of placements ``user`` may answer: their own organisation's
    (recruiters and admins), every organisation's for regional admins and superusers."""
    checkpoints = RetentionCheckpoint.objects.select_related(
        "placement__organisation", "placement__job_role", "placement__route__application__candidate",
        "placement__route__application__campaign",
    )
    if not user.is_authenticated or not user.is_active:
        return checkpoints.none()
    if user.is_superuser:
        return checkpoints
    if is_regional_staff(user):
        return checkpoints if user.role == user.Role.ADMIN else checkpoints.none()
    if user.organisation_id is None or user.role not in (user.Role.RECRUITER, user.Role.ADMIN):
        return checkpoints.none()
    return checkpoints.filter(placement__organisation_id=user.organisation_id)


def overdue_checkpoints(user, today: datetime.date) -> QuerySet:
    """Unanswered checkpoints due before ``today`` (local date), oldest first."""
    return checkpoints_visible_to(user).filter(
        status=RetentionCheckpoint.Status.PENDING, due_on__lt=today
    ).order_by("due_on", "months", "pk")
