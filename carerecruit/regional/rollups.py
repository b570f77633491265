"""Rollups that let the regional datasets answer at national scale (a million
candidates, 1.3 million routes) without reading the raw rows on every request.

Three rollups (models in :mod:`carerecruit.regional.models`), refreshed by the worker
(:func:`refresh_regional_rollups`, every :data:`REFRESH_EVERY_SECONDS`):

- ``routes``: applications routed to each council per local day and job role
  (:class:`RouteDayRollup`), up to a primary-key watermark; readers add the **live
  tail** (routes above the watermark, read from the raw rows), as the funnel's rollups
  do, so a route is counted the moment it is committed.
- ``applications``: applications per campaign, channel and local day
  (:class:`ApplicationDayRollup`), watermark and live tail likewise.
- ``outcomes``: per campaign, channel and local day of application, the applications
  placed and retained at 6 months (:class:`CampaignOutcomeRollup`). Checkpoints are
  answered in place, so, as supply, it is read only while nothing has changed since it
  was built (newest placement and checkpoint ids, recorded changes).
- ``workforce``: ASC-WDS figures per return, council and job role
  (:class:`WorkforceRollup`), so the snapshot's figures add up a few thousand rows
  rather than every workplace's figures; rebuilt when a return is imported, replaced
  or deleted.
- ``supply``: talent-bank candidates per council area, job role, availability and hours
  as at one local date (:class:`TalentSupplyRollup`). The talent bank is rewritten in
  place (a profile's roles are deleted and written again), so a tail cannot follow it:
  the rollup is used only while nothing in the talent bank has changed since it was
  built, it was built for the snapshot date asked for, and that date is today.

Writes a watermark cannot see (a deleted route or application, an application's job
roles changed after it was routed, any talent-bank change) are recorded by signal
receivers in the writer's own transaction (:mod:`carerecruit.regional.signals`) as
:class:`RegionalChange` rows. A rollup with a change newer than its build is not read
(the datasets read the raw rows, exactly, until the worker rebuilds it). Inserts are
also caught without signals (``bulk_create``): the tail for routes and applications,
the newest ``TalentRole`` and council-area ids for supply.

Every reader returns None when its rollup cannot answer; the caller then runs the
direct query. :func:`direct_queries` forces that (tests compare the two).
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Iterator

from django.db import transaction
from django.db.models import CharField, Count, Func, Max, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from carerecruit.lib.localtime import local_today, local_zone
from carerecruit.regional.models import (
    ALL_ROLES,
    ApplicationDayRollup,
    CampaignOutcomeRollup,
    CheckpointRollup,
    PlacementDayRollup,
    RegionalChange,
    RollupState,
    RouteDayRollup,
    TalentSupplyRollup,
    WorkforceRollup,
)

#: How often the worker refreshes the rollups (seconds).
REFRESH_EVERY_SECONDS = 60.0
ROUTES, APPLICATIONS, SUPPLY, OUTCOMES, WORKFORCE = "routes", "applications", "supply", "outcomes", "workforce"

_direct = False


@contextlib.contextmanager
def direct_queries() -> Iterator[None]:
    """Within this block the datasets read the raw rows only (for tests and checks)."""
    global _direct
    before, _direct = _direct, True
    try:
        yield
    finally:
        _direct = before


def note_change(rollup: str) -> None:
    """Record that ``rollup`` no longer describes its source (in the caller's
    transaction: the change and the write commit or roll back together)."""
    RegionalChange.objects.create(rollup=rollup)


def _usable_state(name: str) -> RollupState | None:
    """The rollup's state when it may be read: built, with no change recorded since."""
    if _direct:
        return None
    state = RollupState.objects.filter(name=name, built_at__isnull=False).first()
    if state is None or RegionalChange.objects.filter(rollup=name, pk__gt=state.change_mark).exists():
        return None
    return state


def _max_pk(queryset) -> int:
    return queryset.aggregate(m=Max("pk"))["m"] or 0


# ---------------------------------------------------------------------------------------
# Building


def _write(model, value_field: str, key_fields: tuple[str, ...], counts: Counter, *, replace: bool) -> None:
    """Add ``counts`` ({key tuple: n}) into ``model``'s rows (or replace every row)."""
    if replace:
        model.objects.all().delete()
        existing = {}
    else:
        days = {key[-1] for key in counts}
        existing = {
            tuple(getattr(row, f) for f in key_fields): row for row in model.objects.filter(day__in=days)
        }
    changed, new = [], []
    for key, n in counts.items():
        if not n:
            continue
        row = existing.get(key)
        if row is None:
            new.append(model(**dict(zip(key_fields, key, strict=True)), **{value_field: n}))
        else:
            setattr(row, value_field, getattr(row, value_field) + n)
            changed.append(row)
    model.objects.bulk_update(changed, [value_field], batch_size=1000)
    model.objects.bulk_create(new, batch_size=5000)


def _refresh_tail_rollup(name: str, source, fold, model, value_field: str, key_fields: tuple[str, ...]) -> int:
    """Fold the source's rows above the watermark into ``model`` (all of them again,
    after a recorded change); returns the new watermark."""
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(name=name)
        # Seen changes are deleted below, so the mark only ever moves up (ids are never
        # reused: AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
        change_mark = max(state.change_mark, _max_pk(RegionalChange.objects.filter(rollup=name)))
        upper = _max_pk(source)
        replace = state.built_at is None or change_mark > state.change_mark
        lower = 0 if replace else state.source_mark
        if replace or upper > lower:
            _write(model, value_field, key_fields, fold(source.filter(pk__gt=lower, pk__lte=upper)), replace=replace)
        state.source_mark, state.change_mark, state.built_at = upper, change_mark, timezone.now()
        state.save()
        RegionalChange.objects.filter(rollup=name, pk__lte=change_mark).delete()
    return upper


def _council_routes():
    from carerecruit.organisations.models import Organisation
    from carerecruit.placements.models import ApplicationRoute

    return ApplicationRoute.objects.filter(organisation__kind=Organisation.Kind.COUNCIL)


def _fold_routes(routes) -> Counter:
    """``{(council id, job role code or ALL_ROLES, local day): routes}``."""
    counts: Counter = Counter()
    dated = routes.annotate(day=TruncDate("routed_at", tzinfo=local_zone()))
    for row in dated.values("organisation_id", "day").annotate(n=Count("pk")).order_by():
        counts[(row["organisation_id"], ALL_ROLES, row["day"])] += row["n"]
    for row in (dated.filter(application__job_roles__isnull=False)
                .values("organisation_id", "application__job_roles__code", "day").annotate(n=Count("pk")).order_by()):
        counts[(row["organisation_id"], row["application__job_roles__code"], row["day"])] += row["n"]
    return counts


def _fold_applications(applications) -> Counter:
    """``{(campaign id, channel, local day): applications}``."""
    counts: Counter = Counter()
    dated = applications.annotate(day=TruncDate("submitted_at", tzinfo=local_zone()))
    for row in dated.values("campaign_id", "channel", "day").annotate(n=Count("pk")).order_by():
        counts[(row["campaign_id"], row["channel"], row["day"])] += row["n"]
    return counts


def refresh_routes() -> int:
    """Bring :class:`RouteDayRollup` up to the newest route; returns the watermark."""
    return _refresh_tail_rollup(ROUTES, _council_routes(), _fold_routes, RouteDayRollup, "routes",
                                ("council_id", "job_role_code", "day"))


def refresh_applications() -> int:
    """Bring :class:`ApplicationDayRollup` up to the newest application; returns the
    watermark."""
    from carerecruit.candidates.models import Application

    return _refresh_tail_rollup(APPLICATIONS, Application.objects.all(), _fold_applications, ApplicationDayRollup,
                                "applications", ("campaign_id", "channel", "day"))


def _talent_fingerprint() -> tuple[int, int]:
    """The newest talent-bank role row and council-area row: any insert (``bulk_create``
    included, which sends no signal) moves one of them."""
    from carerecruit.talentbank.models import TalentProfile, TalentRole

    return _max_pk(TalentRole.objects.all()), _max_pk(TalentProfile.council_areas.through.objects.all())


def _refresh_snapshot(name: str, fingerprint: tuple[int, int], rebuild, *, force: bool, built_for=None) -> bool:
    """Rebuild a snapshot rollup (``rebuild()`` replaces its rows) when a change was
    recorded, its fingerprint moved, its date is not ``built_for``, or ``force``."""
    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(name=name)
        change_mark = max(state.change_mark, _max_pk(RegionalChange.objects.filter(rollup=name)))
        if not force and state.built_at is not None and state.built_for == built_for and (
            change_mark == state.change_mark and fingerprint == (state.source_mark, state.source_mark_2)
        ):
            return False
        rebuild()
        state.source_mark, state.source_mark_2 = fingerprint
        state.change_mark, state.built_for, state.built_at = change_mark, built_for, timezone.now()
        state.save()
        RegionalChange.objects.filter(rollup=name, pk__lte=change_mark).delete()
    return True


def refresh_supply(*, force: bool = False) -> bool:
    """Rebuild :class:`TalentSupplyRollup` as at today (local) when the talent bank has
    changed, the date has moved on, or ``force``; returns whether it rebuilt."""
    from carerecruit.regional import datasets

    today = local_today()

    def rebuild():
        filters = datasets.Filters(end=today)
        rows = [
            TalentSupplyRollup(council_id=r["council_id"], job_role_code=r["job_role_code"],
                               availability=r["availability"], hours_wanted=r["hours_wanted"], candidates=r["n"])
            for r in datasets._supply_rows_direct(filters)
        ] + [
            TalentSupplyRollup(council_id=council_id, job_role_code=ALL_ROLES, candidates=n)
            for council_id, n in datasets._talent_bank_by_council_direct(filters).items()
        ]
        TalentSupplyRollup.objects.all().delete()
        TalentSupplyRollup.objects.bulk_create(rows, batch_size=5000)

    # The fingerprint is read before the rows: a write committed in between makes the
    # rollup look stale (read from the raw rows until the next run), never wrong.
    return _refresh_snapshot(SUPPLY, _talent_fingerprint(), rebuild, force=force, built_for=today)


def _outcomes_fingerprint() -> tuple[int, int]:
    """The newest placement and retention checkpoint (inserts send no change row)."""
    from carerecruit.placements.models import Placement, RetentionCheckpoint

    return _max_pk(Placement.objects.all()), _max_pk(RetentionCheckpoint.objects.all())


def _rebuild_flow(zone) -> None:
    """Replace :class:`PlacementDayRollup` and :class:`CheckpointRollup` (councils'
    placements, as ``datasets._placement_q``)."""
    from django.db.models import DurationField, ExpressionWrapper, Q

    from carerecruit.organisations.models import Organisation
    from carerecruit.placements.models import Placement, RetentionCheckpoint
    from carerecruit.regional.datasets import RETENTION_MONTHS

    council = Organisation.Kind.COUNCIL
    hire_days = ExpressionWrapper(
        TruncDate("confirmed_at", tzinfo=zone) - TruncDate("route__application__submitted_at", tzinfo=zone),
        output_field=DurationField(),
    )
    placements = Placement.objects.filter(organisation__kind=council).annotate(
        day=TruncDate("confirmed_at", tzinfo=zone), days=hire_days)
    rows = []
    for role_key in (None, "job_role__code"):
        keys = ["organisation_id", "day", "days"] + ([role_key] if role_key else [])
        for r in placements.values(*keys).annotate(n=Count("pk")).order_by():
            value = r["days"]
            rows.append(PlacementDayRollup(
                council_id=r["organisation_id"], job_role_code=r[role_key] if role_key else ALL_ROLES, day=r["day"],
                days_to_hire=value.days if isinstance(value, datetime.timedelta) else int(value), placements=r["n"],
            ))
    PlacementDayRollup.objects.all().delete()
    PlacementDayRollup.objects.bulk_create(rows, batch_size=5000)

    S = RetentionCheckpoint.Status
    checkpoints = RetentionCheckpoint.objects.filter(placement__organisation__kind=council, months__in=RETENTION_MONTHS)
    rows = []
    for role_key in (None, "placement__job_role__code"):
        keys = ["placement__organisation_id", "due_on", "months"] + ([role_key] if role_key else [])
        for r in checkpoints.values(*keys).annotate(
            due=Count("pk"), retained=Count("pk", filter=Q(status=S.IN_POST)),
            answered=Count("pk", filter=Q(status__in=[S.IN_POST, S.LEFT])),
        ).order_by():
            rows.append(CheckpointRollup(
                council_id=r["placement__organisation_id"], job_role_code=r[role_key] if role_key else ALL_ROLES,
                due_on=r["due_on"], months=r["months"], due=r["due"], answered=r["answered"], retained=r["retained"],
            ))
    CheckpointRollup.objects.all().delete()
    CheckpointRollup.objects.bulk_create(rows, batch_size=5000)


def refresh_outcomes(*, force: bool = False) -> bool:
    """Rebuild :class:`CampaignOutcomeRollup` when placements or checkpoints changed (or
    ``force``); returns whether it rebuilt."""
    from carerecruit.placements.models import Placement, RetentionCheckpoint

    def rebuild():
        zone = local_zone()
        rows: dict[tuple, CampaignOutcomeRollup] = {}

        def row(key):
            if key not in rows:
                rows[key] = CampaignOutcomeRollup(campaign_id=key[0], channel=key[1], day=key[2])
            return rows[key]

        app = "route__application__"
        # Distinct applications per (campaign, channel, day): an application has one
        # day, so the sums over days stay distinct counts.
        for r in (Placement.objects.annotate(day=TruncDate(f"{app}submitted_at", tzinfo=zone))
                  .values(f"{app}campaign_id", f"{app}channel", "day")
                  .annotate(n=Count(f"{app[:-2]}", distinct=True)).order_by()):
            row((r[f"{app}campaign_id"], r[f"{app}channel"], r["day"])).placed = r["n"]
        app = "placement__route__application__"
        for r in (RetentionCheckpoint.objects.filter(months=6, status=RetentionCheckpoint.Status.IN_POST)
                  .annotate(day=TruncDate(f"{app}submitted_at", tzinfo=zone))
                  .values(f"{app}campaign_id", f"{app}channel", "day")
                  .annotate(n=Count(f"{app[:-2]}", distinct=True)).order_by()):
            row((r[f"{app}campaign_id"], r[f"{app}channel"], r["day"])).retained_6m = r["n"]
        CampaignOutcomeRollup.objects.all().delete()
        CampaignOutcomeRollup.objects.bulk_create(rows.values(), batch_size=5000)
        _rebuild_flow(zone)

    return _refresh_snapshot(OUTCOMES, _outcomes_fingerprint(), rebuild, force=force)


_WORKFORCE_SUMS = ("permanent", "temporary", "pool_bank", "agency", "other_contract", "starters", "leavers",
                   "vacancies", "vacancy_base", "turnover_base", "workplaces")


def _workforce_fingerprint() -> tuple[int, int]:
    from carerecruit.workforce.models import WorkforceReturn, WorkplaceJobRoleFigure

    return _max_pk(WorkforceReturn.objects.all()), _max_pk(WorkplaceJobRoleFigure.objects.all())


def refresh_workforce(*, force: bool = False) -> bool:
    """Rebuild :class:`WorkforceRollup` when returns changed (or ``force``); returns
    whether it rebuilt."""
    from carerecruit.workforce.aggregates import _AGGREGATES
    from carerecruit.workforce.models import WorkplaceJobRoleFigure

    def rebuild():
        names = dict(zip(_WORKFORCE_SUMS, ("n_permanent", "n_temporary", "n_pool_bank", "n_agency", "n_other",
                                           "n_starters", "n_leavers", "n_vacancies", "n_vacancy_base",
                                           "n_turnover_base", "n_workplaces"), strict=True))
        figures = WorkplaceJobRoleFigure.objects.all()
        aggregates = {key: _AGGREGATES[key] for key in names.values()}
        per_role = (figures.values("workplace__workforce_return_id", "workplace__council_id", "job_role_id")
                    .annotate(**aggregates).order_by())
        # All roles together: a workplace reporting several roles counts once.
        all_roles = (figures.values("workplace__workforce_return_id", "workplace__council_id")
                     .annotate(**aggregates).order_by())
        WorkforceRollup.objects.all().delete()
        WorkforceRollup.objects.bulk_create([
            WorkforceRollup(workforce_return_id=r["workplace__workforce_return_id"], council_id=r["workplace__council_id"],
                            job_role_code=r.get("job_role_id", ALL_ROLES), **{field: r[key] for field, key in names.items()})
            for rows in (per_role, all_roles) for r in rows
        ], batch_size=5000)

    return _refresh_snapshot(WORKFORCE, _workforce_fingerprint(), rebuild, force=force)


def workforce_figures(*, by_role: bool, as_at, council_id=None, job_role_code=None):
    """As :func:`carerecruit.workforce.aggregates.workforce_figures` with ``by_council``
    (and ``by_job_role=by_role``), from the rollup; None when it cannot answer."""
    from django.db.models import Max, Min

    from carerecruit.organisations.models import Organisation
    from carerecruit.reference.models import JobRole
    from carerecruit.workforce.aggregates import WorkforceFigures, _totals, effective_returns

    state = _usable_state(WORKFORCE)
    if state is None or (state.source_mark, state.source_mark_2) != _workforce_fingerprint():
        return None
    rows = WorkforceRollup.objects.filter(workforce_return__in=effective_returns(as_at))
    if council_id is not None:
        rows = rows.filter(council_id=council_id)
    if job_role_code is not None:
        rows = rows.filter(job_role_code=job_role_code)
    elif by_role:
        rows = rows.exclude(job_role_code=ALL_ROLES)
    else:
        rows = rows.filter(job_role_code=ALL_ROLES)
    keys = ["council_id", "job_role_code"] if by_role else ["council_id"]
    found = list(rows.values(*keys).annotate(
        n_permanent=Sum("permanent"), n_temporary=Sum("temporary"), n_pool_bank=Sum("pool_bank"),
        n_agency=Sum("agency"), n_other=Sum("other_contract"), n_starters=Sum("starters"),
        n_leavers=Sum("leavers"), n_vacancies=Sum("vacancies"), n_vacancy_base=Sum("vacancy_base"),
        n_turnover_base=Sum("turnover_base"), n_workplaces=Sum("workplaces"),
        owner_min=Min("workforce_return__organisation_id"), owner_max=Max("workforce_return__organisation_id"),
        latest=Max("workforce_return__as_at"),
    ).order_by())
    councils = {o.pk: (o.gss_code, o.short_name) for o in Organisation.objects.filter(pk__in={r["council_id"] for r in found})}
    role_names = dict(JobRole.objects.values_list("code", "name")) if by_role else {}
    result = []
    for r in found:
        gss, name = councils.get(r["council_id"], ("", ""))
        role = r.get("job_role_code")
        result.append(WorkforceFigures(
            council_id=r["council_id"], council_gss=gss, council_name=name,
            job_role_code=role, job_role_name=role_names.get(role, "") if role is not None else "",
            workplaces=r["n_workplaces"], totals=_totals(r),
            sole_owner_id=r["owner_min"] if r["owner_min"] == r["owner_max"] else None, latest_as_at=r["latest"],
        ))
    result.sort(key=lambda f: (f.council_name, f.job_role_code or 0))
    return result


def refresh_regional_rollups() -> dict[str, object]:
    """Refresh every rollup (the worker's job); returns what each did."""
    return {ROUTES: refresh_routes(), APPLICATIONS: refresh_applications(), SUPPLY: refresh_supply(),
            OUTCOMES: refresh_outcomes(), WORKFORCE: refresh_workforce()}


# ---------------------------------------------------------------------------------------
# Reading


def _in_local_days(rows: QuerySet, filters, field: str = "day") -> QuerySet:
    """``rows`` whose local-date ``field`` lies in the filters' period (either end open)."""
    if filters.start:
        rows = rows.filter(**{f"{field}__gte": filters.start})
    if filters.end:
        rows = rows.filter(**{f"{field}__lte": filters.end})
    return rows


def routes_counts(filters, *, by_month: bool) -> dict[tuple, int] | None:
    """Applications routed to councils in the filters' period, council and job role:
    ``{(council id,): n}`` or, ``by_month``, ``{(council id, "YYYY-MM"): n}`` (local
    months); None when the rollup cannot answer. Rollup up to the watermark plus the
    live tail of newer routes."""
    from carerecruit.regional import datasets

    state = _usable_state(ROUTES)
    if state is None:
        return None
    rows = RouteDayRollup.objects.filter(
        job_role_code=ALL_ROLES if filters.job_role_code is None else filters.job_role_code,
    )
    rows = _in_local_days(rows, filters)
    if filters.council_id is not None:
        rows = rows.filter(council_id=filters.council_id)
    result: Counter = Counter()
    if by_month:
        for row in rows.annotate(month=YearMonth("day")).values("council_id", "month").annotate(n=Sum("routes")).order_by():
            result[(row["council_id"], row["month"])] += row["n"]
    else:
        for row in rows.values("council_id").annotate(n=Sum("routes")).order_by():
            result[(row["council_id"],)] += row["n"]
    tail = datasets._routes(filters).filter(datasets._in_period("routed_at", filters), pk__gt=state.source_mark)
    if by_month:
        for row in (tail.annotate(month=TruncMonth("routed_at", tzinfo=local_zone()))
                    .values("organisation_id", "month").annotate(n=Count("pk")).order_by()):
            result[(row["organisation_id"], datasets._month(row["month"]))] += row["n"]
    else:
        for row in tail.values("organisation_id").annotate(n=Count("pk")).order_by():
            result[(row["organisation_id"],)] += row["n"]
    return dict(result)


def applications_by_campaign_channel(filters) -> dict[tuple[int, str], int] | None:
    """Applications submitted in the period per ``(campaign id, channel)``; None when the
    rollup cannot answer. Rollup up to the watermark plus the live tail."""
    from carerecruit.candidates.models import Application
    from carerecruit.regional import datasets

    state = _usable_state(APPLICATIONS)
    if state is None:
        return None
    rows = ApplicationDayRollup.objects.all()
    rows = _in_local_days(rows, filters)
    result: Counter = Counter()
    for row in rows.values("campaign_id", "channel").annotate(n=Sum("applications")).order_by():
        result[(row["campaign_id"], row["channel"])] += row["n"]
    tail = Application.objects.filter(datasets._in_period("submitted_at", filters), pk__gt=state.source_mark)
    for row in tail.values("campaign_id", "channel").annotate(n=Count("pk")).order_by():
        result[(row["campaign_id"], row["channel"])] += row["n"]
    return dict(result)


def _supply_state(filters) -> RollupState | None:
    state = _usable_state(SUPPLY)
    if state is None or state.built_for != filters.as_at or state.built_for != local_today():
        return None
    if (state.source_mark, state.source_mark_2) != _talent_fingerprint():
        return None
    return state


def supply_rows(filters) -> list[dict] | None:
    """As ``datasets._supply_rows_direct`` from the rollup; None when it cannot answer
    (see the module docstring)."""
    if _supply_state(filters) is None:
        return None
    rows = TalentSupplyRollup.objects.exclude(job_role_code=ALL_ROLES)
    if filters.council_id is not None:
        rows = rows.filter(council_id=filters.council_id)
    if filters.job_role_code is not None:
        rows = rows.filter(job_role_code=filters.job_role_code)
    return [
        {"council_id": council, "job_role_code": role, "availability": availability, "hours_wanted": hours, "n": n}
        for council, role, availability, hours, n in rows.values_list(
            "council_id", "job_role_code", "availability", "hours_wanted", "candidates")
    ]


def talent_bank_by_council(filters) -> dict[int, int] | None:
    """As ``datasets._talent_bank_by_council_direct`` from the rollup; None when it
    cannot answer."""
    if _supply_state(filters) is None:
        return None
    if filters.job_role_code is None:
        rows = TalentSupplyRollup.objects.filter(job_role_code=ALL_ROLES)
    else:
        rows = TalentSupplyRollup.objects.filter(job_role_code=filters.job_role_code, council__isnull=False)
    if filters.council_id is not None:
        rows = rows.filter(council_id=filters.council_id)
    return {row["council_id"]: row["n"] for row in rows.values("council_id").annotate(n=Sum("candidates")).order_by()}


def campaign_outcomes(filters) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]] | None:
    """``(placed, retained at 6 months)``, each ``{(campaign id, channel): applications}``
    for applications submitted in the period; None when the rollup cannot answer."""
    state = _usable_state(OUTCOMES)
    if state is None or (state.source_mark, state.source_mark_2) != _outcomes_fingerprint():
        return None
    rows = CampaignOutcomeRollup.objects.all()
    rows = _in_local_days(rows, filters)
    placed: dict[tuple[int, str], int] = {}
    retained: dict[tuple[int, str], int] = {}
    for r in rows.values("campaign_id", "channel").annotate(p=Sum("placed"), k=Sum("retained_6m")).order_by():
        key = (r["campaign_id"], r["channel"])
        if r["p"]:
            placed[key] = r["p"]
        if r["k"]:
            retained[key] = r["k"]
    return placed, retained


def _outcomes_usable() -> bool:
    state = _usable_state(OUTCOMES)
    return state is not None and (state.source_mark, state.source_mark_2) == _outcomes_fingerprint()


class YearMonth(Func):
    """``"YYYY-MM"`` of a date column, computed in the database. The rollups group tens of
    thousands of (council, month, ...) rows; a string per row costs far less to fetch than
    ``TruncMonth``'s timestamp, which psycopg parses and Django then converts (most of
    ``flow``'s time at national scale, docs/regional-dashboard.md)."""

    function = "TO_CHAR"
    template = "%(function)s(%(expressions)s, 'YYYY-MM')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="STRFTIME",
                              template="%(function)s('%%Y-%%m', %(expressions)s)", **extra_context)


def placement_histogram(filters) -> dict[tuple[int, str], dict[int, int]] | None:
    """Councils' placements confirmed in the period: ``{(council id, "YYYY-MM"):
    {days to hire: placements}}``; None when the rollup cannot answer."""

    if not _outcomes_usable():
        return None
    rows = PlacementDayRollup.objects.filter(
        job_role_code=ALL_ROLES if filters.job_role_code is None else filters.job_role_code)
    rows = _in_local_days(rows, filters)
    if filters.council_id is not None:
        rows = rows.filter(council_id=filters.council_id)
    result: dict[tuple[int, str], dict[int, int]] = {}
    for council, month, days, n in (rows.annotate(month=YearMonth("day")).values("council_id", "month", "days_to_hire")
                                    .annotate(n=Sum("placements")).order_by()
                                    .values_list("council_id", "month", "days_to_hire", "n")):
        bucket = result.setdefault((council, month), {})
        bucket[days] = bucket.get(days, 0) + n
    return result


def checkpoint_counts(filters, *, by_month: bool) -> dict[tuple, dict[str, int]] | None:
    """Checkpoints of councils' placements due in the period: ``{(council id, "YYYY-MM"
    or job role code, months): {"due", "answered", "retained"}}`` (``by_month`` or by
    role); None when the rollup cannot answer."""

    if not _outcomes_usable():
        return None
    rows = CheckpointRollup.objects.all()
    if filters.job_role_code is not None:
        rows = rows.filter(job_role_code=filters.job_role_code)
    elif by_month:
        rows = rows.filter(job_role_code=ALL_ROLES)
    else:
        rows = rows.exclude(job_role_code=ALL_ROLES)
    rows = _in_local_days(rows, filters, field='due_on')
    if filters.council_id is not None:
        rows = rows.filter(council_id=filters.council_id)
    if by_month:
        rows = rows.annotate(group=YearMonth("due_on"))
        group = "group"
    else:
        group = "job_role_code"
    result = {}
    for r in rows.values("council_id", group, "months").annotate(
        d=Sum("due"), a=Sum("answered"), k=Sum("retained"),
    ).order_by():
        key = (r["council_id"], r[group], r["months"])
        result[key] = {"due": r["d"], "answered": r["a"], "retained": r["k"]}
    return result
