"""Every regional aggregate, in one place: the dashboard, downloads, open data, the API
and the weekly report all read these datasets and nothing else.

A dataset is a table of aggregates (never personal data) already suppressed for the
viewer who asked (:mod:`carerecruit.workforce.suppression`): outside the owning
organisation a count of 1 to 4 shows as ``"<5"`` and a rate, median or cost computed
from such a count shows as ``"withheld"``. Owners:

- talent-bank supply, applications routed, placements, time to hire and retention per
  council: that council (the figures describe its area's candidates and its pipeline);
- ASC-WDS figures (reported vacancies, filled posts, rates): the organisation(s) whose
  returns they come from (:class:`~carerecruit.workforce.aggregates.WorkforceFigures`);
- anything region-wide or per campaign (applications and placements by campaign and
  channel): nobody, so it is suppressed for every viewer but the unrestricted ones.

Not suppressed, because they count no people: open vacancy posts (published on
``/vacancies/``), ad spend, workplace counts, published Skills for Care estimates.

Viewers (:func:`carerecruit.workforce.suppression.suppression_viewer`):
:data:`~carerecruit.workforce.suppression.UNRESTRICTED` (regional admins and campaign
managers), an organisation id, or None (the public: open data, everything small
suppressed).

Time: stored in UTC, counted by Europe/London local date and local month
(:mod:`carerecruit.lib.localtime`), so an application routed at 23:30 UTC on 30 April
2020 (00:30 BST, 1 May) counts in May 2020.

Every query is grouped in the database (``GROUP BY`` council, role, month...); Python
only loops over the grouped rows, whose number is bounded by councils × roles × months,
never by candidates or applications.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    Q,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth

from carerecruit.lib.localtime import local_day_bounds, local_today, local_zone
from carerecruit.workforce.rates import percentage
from carerecruit.workforce.suppression import (
    SUPPRESSED,
    UNRESTRICTED,
    WITHHELD,
    is_small,
    suppress,
    suppress_rate,
    suppressed_figures,
    viewer_owns,
)

__all__ = [
    "AVAILABILITY",
    "DATASET_NAMES",
    "SUPPRESSED",
    "UNRESTRICTED",
    "WITHHELD",
    "Column",
    "Dataset",
    "Filters",
    "UnknownDataset",
    "build_dataset",
    "build_datasets",
]


@dataclass(frozen=True)
class Filters:
    """What to aggregate over.

    ``start``/``end``: Europe/London local dates, inclusive; None leaves that end open.
    ``council_id``: an Organisation pk (kind council) or None for every council.
    ``job_role_code``: an ASC-WDS main job role (BUDI) code or None for every role.

    Snapshot figures (talent-bank supply, open vacancies, ASC-WDS returns) are taken as at
    :attr:`as_at`: ``end`` (or today when it is open or in the future).
    """

    start: datetime.date | None = None
    end: datetime.date | None = None
    council_id: int | None = None
    job_role_code: int | None = None

    @property
    def as_at(self) -> datetime.date:
        """The local date snapshots describe: ``end``, never later than today."""
        today = local_today()
        return min(self.end, today) if self.end else today

    def utc_bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """UTC instants ``[from, to)`` covering the local dates; None for an open end."""
        lower = local_day_bounds(self.start)[0] if self.start else None
        upper = local_day_bounds(self.end)[1] if self.end else None
        return lower, upper

    def check(self) -> None:
        """Raise ValueError when ``end`` is before ``start``."""
        if self.start and self.end and self.end < self.start:
            raise ValueError("The period cannot end before it starts")


@dataclass(frozen=True)
class Column:
    """One column of a dataset. ``kind``: ``"text"``, ``"code"`` (an identifier such as a
    GSS code or job role code), ``"count"`` (people or posts, int or ``"<5"``), ``"rate"``
    (a Decimal percentage, or ``"withheld"``), ``"pence"`` (int pence), ``"days"``
    (Decimal days), ``"date"`` (a local date), ``"number"`` (other numbers: centroids)."""

    key: str
    label: str
    kind: str


KINDS = ("text", "code", "count", "rate", "pence", "days", "date", "number")


@dataclass
class Dataset:
    """A table of aggregates. ``rows`` are dicts keyed by the columns' keys, values
    already suppressed for the viewer: int, Decimal, str, date or None (not known or
    not applicable), ``"<5"`` or ``"withheld"``."""

    name: str
    title: str
    description: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


class UnknownDataset(ValueError):
    """Asked for a dataset name not in :data:`DATASET_NAMES`."""


# ---------------------------------------------------------------------------------------
# Small helpers


def _councils(filters: Filters):
    """The region's councils (``settings.CARERECRUIT_REGION_CODE``), by name; one when
    the filters name one."""
    from carerecruit.organisations.models import Organisation

    councils = Organisation.objects.filter(
        kind=Organisation.Kind.COUNCIL, region__gss_code=settings.CARERECRUIT_REGION_CODE,
    )
    if filters.council_id is not None:
        councils = councils.filter(pk=filters.council_id)
    return list(councils.order_by("short_name", "pk"))


def _role_names() -> dict[int, str]:
    """``{ASC-WDS main job role code: name}``."""
    from carerecruit.reference.models import JobRole

    return dict(JobRole.objects.values_list("code", "name"))


def _role_codes() -> dict[int, int]:
    """``{JobRole primary key: ASC-WDS main job role code}``. Vacancies, placements,
    talent-bank roles and applications point at JobRole by its primary key, which is
    not the code (codes run 1-11, then 15, 16, ...): rows are reported by code."""
    from carerecruit.reference.models import JobRole

    return dict(JobRole.objects.values_list("pk", "code"))


def _role_pk(filters: Filters) -> int | None:
    """The JobRole primary key of :attr:`Filters.job_role_code` (None: every role); 0,
    which matches no row, for a code that is not an ASC-WDS main job role."""
    from carerecruit.reference.models import JobRole

    if filters.job_role_code is None:
        return None
    return JobRole.objects.filter(code=filters.job_role_code).values_list("pk", flat=True).first() or 0


def _in_period(prefix: str, filters: Filters) -> Q:
    """``prefix`` (a UTC datetime field) inside the filters' local dates."""
    lower, upper = filters.utc_bounds()
    q = Q()
    if lower:
        q &= Q(**{f"{prefix}__gte": lower})
    if upper:
        q &= Q(**{f"{prefix}__lt": upper})
    return q


def _dates_in_period(prefix: str, filters: Filters) -> Q:
    """``prefix`` (a local date field) inside the filters' dates."""
    q = Q()
    if filters.start:
        q &= Q(**{f"{prefix}__gte": filters.start})
    if filters.end:
        q &= Q(**{f"{prefix}__lte": filters.end})
    return q


def _month(value) -> str:
    """A TruncMonth result (local) as ``"YYYY-MM"``."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(local_zone()) if value.tzinfo else value
    return f"{value.year:04d}-{value.month:02d}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus calendar ``months``, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def median_from_counts(counts: dict[int, int]) -> Decimal | None:
    """The median of values given as ``{value: how many}`` (a histogram grouped in the
    database); the mean of the two middle values for an even total, so it may end in .5.
    None when empty."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())

    def nth(n: int) -> int:  # 0-based
        seen = 0
        for value, how_many in ordered:
            seen += how_many
            if n < seen:
                return value
        raise AssertionError("unreachable")

    if total % 2:
        return Decimal(nth(total // 2))
    return (Decimal(nth(total // 2 - 1) + nth(total // 2)) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()


def pence_per(spend_pence: int, count: int) -> int | None:
    """Spend divided by a count, rounded half up to whole pence; None for a count of 0."""
    if not count:
        return None
    return int((Decimal(spend_pence) / Decimal(count)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


class _Suppressor:
    """Suppression for one viewer (see the module docstring for owners)."""

    def __init__(self, viewer):
        self.viewer = viewer

    def count(self, value, owner):
        return suppress(value, viewer_org=self.viewer, owner_org=owner)

    def rate(self, value, counts: Iterable, owner):
        return suppress_rate(value, counts=list(counts), viewer_org=self.viewer, owner_org=owner)

    def derived(self, value, counts: Iterable, owner):
        """A median or cost from small counts: withheld like a rate (None stays None)."""
        if value is None:
            return None
        if any(is_small(c) for c in counts) and not viewer_owns(self.viewer, owner):
            return WITHHELD
        return value


# ---------------------------------------------------------------------------------------
# Grouped queries (each one query, grouped in the database)


# Talent-bank counts read the talent bank's own read model (TalentProfile's council areas
# and TalentRole), joined on the candidate id they share, in plain SQL: the ORM would join
# through the (wide) candidates table, which at a million candidates costs seconds. Only
# consenting candidates have these rows: the talent bank deletes them, on the commit that
# records a withdrawal of consent (talentbank.profiles.refresh_talent_profile), and the
# rebuild deletes any for non-consenting people, so counting them counts consenting
# candidates only. (Showing a person still re-checks Candidate.talent_bank_consent.)


def _talent_tables() -> tuple[str, str]:
    from carerecruit.talentbank.models import TalentProfile, TalentRole

    return TalentProfile.council_areas.through._meta.db_table, TalentRole._meta.db_table


def _talent_bank_by_council(filters: Filters) -> dict[int | None, int]:
    """Talent-bank candidates per council area they named (a person naming two areas
    counts in both): ``{council id: candidates}``; with a job role, those who want it.
    From the supply rollup when it describes the snapshot date, else the raw rows."""
    from carerecruit.regional import rollups

    found = rollups.talent_bank_by_council(filters)
    return found if found is not None else _talent_bank_by_council_direct(filters)


def _talent_bank_by_council_direct(filters: Filters) -> dict[int | None, int]:
    """:func:`_talent_bank_by_council` from the talent bank's rows."""
    from django.db import connection

    areas, roles = (connection.ops.quote_name(t) for t in _talent_tables())
    sql = f"SELECT a.organisation_id, COUNT(*) FROM {areas} a"  # noqa: S608 (table names from models)
    params: list = []
    if filters.job_role_code is not None:
        sql += f" INNER JOIN {roles} r ON r.candidate_id = a.talentprofile_id AND r.job_role_id = %s"
        params.append(_role_pk(filters))
    if filters.council_id is not None:
        sql += " WHERE a.organisation_id = %s"
        params.append(filters.council_id)
    sql += " GROUP BY a.organisation_id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


AVAILABILITY = {
    "now": "Available now",
    "within_3_months": "Available within 3 months",
    "later": "Available later",
    "not_given": "Start date not given",
}
HOURS_NOT_GIVEN = "Not given"


def _supply_rows(filters: Filters) -> list[dict]:
    """Talent-bank candidates grouped by council area named (None: none named), job role,
    availability (their earliest start against :attr:`Filters.as_at`) and hours wanted:
    dicts with ``council_id``, ``job_role_code`` (ASC-WDS), ``availability`` (a key of
    :data:`AVAILABILITY`), ``hours_wanted`` and ``n``. From the supply rollup when it
    describes the snapshot date, else the raw rows."""
    from carerecruit.regional import rollups

    found = rollups.supply_rows(filters)
    return found if found is not None else _supply_rows_direct(filters)


def _supply_rows_direct(filters: Filters) -> list[dict]:
    """:func:`_supply_rows` from the talent bank's rows."""
    from django.db import connection

    areas, roles = (connection.ops.quote_name(t) for t in _talent_tables())
    as_at = filters.as_at
    join = "INNER JOIN" if filters.council_id is not None else "LEFT JOIN"
    sql = (
        "SELECT a.organisation_id, r.job_role_id, "  # noqa: S608 (table names come from the models)
        "CASE WHEN r.available_from IS NULL THEN 'not_given' WHEN r.available_from <= %s THEN 'now' "
        "WHEN r.available_from <= %s THEN 'within_3_months' ELSE 'later' END, r.hours_wanted, COUNT(*) "
        f"FROM {roles} r {join} {areas} a ON a.talentprofile_id = r.candidate_id"
    )
    params: list = [as_at, add_months(as_at, 3)]
    where = []
    if filters.council_id is not None:
        where.append("a.organisation_id = %s")
        params.append(filters.council_id)
    if filters.job_role_code is not None:
        where.append("r.job_role_id = %s")
        params.append(_role_pk(filters))
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " GROUP BY 1, 2, 3, 4"
    codes = _role_codes()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"council_id": council, "job_role_code": codes[role], "availability": availability,
             "hours_wanted": hours or "", "n": n}
            for council, role, availability, hours, n in cursor.fetchall()
        ]


def _open_vacancy_posts(filters: Filters, *, by_role: bool) -> dict[tuple, int]:
    """Posts of vacancies open on :attr:`Filters.as_at` (published by its end, closing on
    or after it, not closed before it), per council area (and ASC-WDS job role code):
    ``{(council id,) or (council id, code): posts}``."""
    from carerecruit.vacancies.models import Vacancy

    as_at = filters.as_at
    day_end = local_day_bounds(as_at)[1]
    vacancies = Vacancy.objects.filter(
        published_at__isnull=False, published_at__lt=day_end, closing_date__gte=as_at,
    ).filter(Q(status=Vacancy.Status.OPEN) | Q(closed_at__gte=day_end))
    if filters.council_id is not None:
        vacancies = vacancies.filter(council_area_id=filters.council_id)
    if filters.job_role_code is not None:
        vacancies = vacancies.filter(job_role_id=_role_pk(filters))
    if not by_role:
        return {
            (row["council_area_id"],): row["posts"]
            for row in vacancies.values("council_area_id").annotate(posts=Sum("number_of_posts")).order_by()
        }
    codes = _role_codes()
    return {
        (row["council_area_id"], codes[row["job_role_id"]]): row["posts"]
        for row in vacancies.values("council_area_id", "job_role_id").annotate(posts=Sum("number_of_posts")).order_by()
    }


def _routes(filters: Filters):
    """Routes of applications to councils in the filters (job role: the application
    named it)."""
    from carerecruit.organisations.models import Organisation
    from carerecruit.placements.models import ApplicationRoute

    routes = ApplicationRoute.objects.filter(organisation__kind=Organisation.Kind.COUNCIL)
    if filters.council_id is not None:
        routes = routes.filter(organisation_id=filters.council_id)
    if filters.job_role_code is not None:
        routes = routes.filter(application__job_roles=_role_pk(filters))
    return routes


def _placement_q(filters: Filters, prefix: str = "") -> Q:
    """Placements made by councils, in the filters' council and job role; ``prefix``
    reaches the placement from another model (``"placement__"``), so the filter is a
    plain join rather than ``IN (subquery)``."""
    from carerecruit.organisations.models import Organisation

    q = Q(**{f"{prefix}organisation__kind": Organisation.Kind.COUNCIL})
    if filters.council_id is not None:
        q &= Q(**{f"{prefix}organisation_id": filters.council_id})
    if filters.job_role_code is not None:
        q &= Q(**{f"{prefix}job_role_id": _role_pk(filters)})
    return q


def _placements(filters: Filters):
    """Placements made by councils, in the filters' council and job role."""
    from carerecruit.placements.models import Placement

    return Placement.objects.filter(_placement_q(filters))


def _applications_by_council(filters: Filters) -> dict[int, int]:
    """Applications routed to each council in the period: ``{council id: routes}``
    (the routes rollup and its live tail, or the raw rows)."""
    from carerecruit.regional import rollups

    found = rollups.routes_counts(filters, by_month=False)
    if found is not None:
        return {key[0]: n for key, n in found.items()}
    routes = _routes(filters).filter(_in_period("routed_at", filters))
    return dict(routes.values_list("organisation_id").annotate(n=Count("pk")).order_by())


def _placements_by_council(filters: Filters) -> dict[int, int]:
    """Placements confirmed by each council in the period."""
    placements = _placements(filters).filter(_in_period("confirmed_at", filters))
    return dict(placements.values_list("organisation_id").annotate(n=Count("pk")).order_by())


def _published(council_ids: Iterable[int]) -> dict[int, Any]:
    """The newest published Skills for Care estimate per council: ``{council id: row}``."""
    from carerecruit.workforce.models import PublishedWorkforceEstimate

    latest: dict[int, Any] = {}
    for estimate in PublishedWorkforceEstimate.objects.filter(council_id__in=list(council_ids)).order_by("year"):
        latest[estimate.council_id] = estimate
    return latest


def _workforce(filters: Filters, *, by_role: bool):
    """ASC-WDS figures per council (and job role) on the snapshot date: the workforce
    rollup, or :func:`carerecruit.workforce.aggregates.workforce_figures`."""
    from carerecruit.regional import rollups
    from carerecruit.workforce.aggregates import workforce_figures

    found = rollups.workforce_figures(
        by_role=by_role, as_at=filters.as_at, council_id=filters.council_id, job_role_code=filters.job_role_code,
    )
    if found is not None:
        return found
    return workforce_figures(
        by_council=True, by_job_role=by_role, as_at=filters.as_at,
        councils=[filters.council_id] if filters.council_id is not None else None,
        job_roles=[filters.job_role_code] if filters.job_role_code is not None else None,
    )


# ---------------------------------------------------------------------------------------
# Datasets


COUNCILS_COLUMNS = [
    Column("council_gss", "Council GSS code", "code"),
    Column("council_name", "Council", "text"),
    Column("latitude", "Centroid latitude", "number"),
    Column("longitude", "Centroid longitude", "number"),
    Column("talent_bank_candidates", "Talent-bank candidates", "count"),
    Column("open_vacancy_posts", "Open vacancies (posts)", "count"),
    Column("reported_vacancies", "Reported vacancies (ASC-WDS)", "count"),
    Column("filled_posts", "Filled posts (ASC-WDS)", "count"),
    Column("vacancy_rate", "Vacancy rate (%)", "rate"),
    Column("turnover_rate", "Turnover rate (%)", "rate"),
    Column("applications", "Applications routed", "count"),
    Column("placements", "Placements", "count"),
    Column("published_year", "Skills for Care estimate year", "text"),
    Column("published_filled_posts", "Skills for Care filled posts", "count"),
    Column("published_vacancy_rate", "Skills for Care vacancy rate (%)", "rate"),
    Column("published_turnover_rate", "Skills for Care turnover rate (%)", "rate"),
]


def councils_dataset(viewer, filters: Filters) -> Dataset:
    """One row per council of the region (every council, zeros included): centroid,
    talent-bank candidates and open vacancy posts as at :attr:`Filters.as_at`, ASC-WDS
    figures from the returns counting on that date, applications routed and placements
    confirmed in the period, and the newest published Skills for Care estimate (all
    roles) beside ours."""
    s = _Suppressor(viewer)
    councils = _councils(filters)
    talent = _talent_bank_by_council(filters)
    posts = _open_vacancy_posts(filters, by_role=False)
    workforce = {f.council_id: f for f in _workforce(filters, by_role=False)}
    applications = _applications_by_council(filters)
    placements = _placements_by_council(filters)
    published = _published(c.pk for c in councils)
    rows = []
    for council in councils:
        figures = workforce.get(council.pk)
        shown = suppressed_figures(figures, viewer_org=viewer) if figures else {}
        estimate = published.get(council.pk)
        rows.append({
            "council_gss": council.gss_code,
            "council_name": council.short_name,
            "latitude": council.latitude,
            "longitude": council.longitude,
            "talent_bank_candidates": s.count(talent.get(council.pk, 0), council.pk),
            "open_vacancy_posts": posts.get((council.pk,), 0),
            "reported_vacancies": shown.get("vacancies"),
            "filled_posts": shown.get("filled_posts"),
            "vacancy_rate": shown.get("vacancy_rate"),
            "turnover_rate": shown.get("turnover_rate"),
            "applications": s.count(applications.get(council.pk, 0), council.pk),
            "placements": s.count(placements.get(council.pk, 0), council.pk),
            "published_year": estimate.year if estimate else None,
            "published_filled_posts": estimate.filled_posts if estimate else None,
            "published_vacancy_rate": estimate.vacancy_rate if estimate else None,
            "published_turnover_rate": estimate.turnover_rate if estimate else None,
        })
    return Dataset(
        "councils", "Councils at a glance",
        "Per council: talent-bank candidates (consenting, who named the council's area) and "
        "open vacancy posts on the snapshot date; reported vacancies, filled posts, vacancy "
        "and turnover rates from ASC-WDS returns counting on that date (Skills for Care "
        "definitions); applications routed to and placements confirmed by the council in the "
        "period; the newest published Skills for Care estimate for the council (all roles).",
        COUNCILS_COLUMNS, rows,
    )


SUPPLY_COLUMNS = [
    Column("council_gss", "Council GSS code", "code"),
    Column("council_name", "Council", "text"),
    Column("job_role_code", "Job role code", "code"),
    Column("job_role_name", "Job role", "text"),
    Column("availability", "Availability", "text"),
    Column("hours_wanted", "Hours wanted", "text"),
    Column("candidates", "Talent-bank candidates", "count"),
]


def supply_dataset(viewer, filters: Filters) -> Dataset:
    """Consenting talent-bank candidates by council area, job role, availability and
    hours wanted, as at :attr:`Filters.as_at` (a person counts once per area and role
    they named; availability compares their earliest start date with that date)."""
    from carerecruit.candidates.models import HoursWanted
    from carerecruit.organisations.models import Organisation

    s = _Suppressor(viewer)
    raw = _supply_rows(filters)
    region_councils = {c.pk: c for c in _councils(Filters())}
    councils = {c.pk: c for c in Organisation.objects.filter(pk__in={r["council_id"] for r in raw} - {None})}
    roles = _role_names()
    hours = dict(HoursWanted.choices)
    order = {key: i for i, key in enumerate(AVAILABILITY)}
    hours_order = {key: i for i, key in enumerate(hours)}
    rows = []
    for r in raw:
        council = councils.get(r["council_id"])
        if council is not None and council.pk not in region_councils:
            continue
        owner = council.pk if council else None
        rows.append((
            (council.short_name if council else "~", r["job_role_code"], order[r["availability"]],
             hours_order.get(r["hours_wanted"], 99)),
            {
                "council_gss": council.gss_code if council else "",
                "council_name": council.short_name if council else "No council area named",
                "job_role_code": r["job_role_code"],
                "job_role_name": roles.get(r["job_role_code"], ""),
                "availability": AVAILABILITY[r["availability"]],
                "hours_wanted": hours.get(r["hours_wanted"], HOURS_NOT_GIVEN),
                "candidates": s.count(r["n"], owner),
            },
        ))
    rows.sort(key=lambda pair: pair[0])
    return Dataset(
        "supply", "Supply: the talent bank",
        f"Consenting talent-bank candidates on {filters.as_at:%-d %B %Y} by the council areas "
        "they named, job role (ASC-WDS main job role code), availability (earliest start "
        "date) and hours wanted. A person who named two areas or roles counts in each.",
        SUPPLY_COLUMNS, [row for _key, row in rows],
    )


DEMAND_COLUMNS = [
    Column("council_gss", "Council GSS code", "code"),
    Column("council_name", "Council", "text"),
    Column("job_role_code", "Job role code", "code"),
    Column("job_role_name", "Job role", "text"),
    Column("open_vacancy_posts", "Open vacancies (posts)", "count"),
    Column("reported_vacancies", "Reported vacancies (ASC-WDS)", "count"),
    Column("filled_posts", "Filled posts (ASC-WDS)", "count"),
    Column("vacancy_rate", "Vacancy rate (%)", "rate"),
    Column("turnover_rate", "Turnover rate (%)", "rate"),
    Column("workplaces", "Workplaces reporting", "count"),
    Column("published_vacancy_rate", "Skills for Care vacancy rate, all roles (%)", "rate"),
    Column("published_turnover_rate", "Skills for Care turnover rate, all roles (%)", "rate"),
]


def demand_dataset(viewer, filters: Filters) -> Dataset:
    """Demand by council and job role on :attr:`Filters.as_at`: open vacancy posts
    (our vacancies) and, from the ASC-WDS returns counting on that date, reported
    vacancies, filled posts, vacancy and turnover rates; the council's newest published
    Skills for Care rates (all roles) beside them."""
    councils = {c.pk: c for c in _councils(filters)}
    posts = _open_vacancy_posts(filters, by_role=True)
    workforce = {(f.council_id, f.job_role_code): f for f in _workforce(filters, by_role=True)}
    published = _published(councils)
    roles = _role_names()
    keys = sorted(
        {k for k in set(posts) | set(workforce) if k[0] in councils},
        key=lambda k: (councils[k[0]].short_name, k[1]),
    )
    rows = []
    for council_id, role in keys:
        council = councils[council_id]
        figures = workforce.get((council_id, role))
        shown = suppressed_figures(figures, viewer_org=viewer) if figures else {}
        estimate = published.get(council_id)
        rows.append({
            "council_gss": council.gss_code,
            "council_name": council.short_name,
            "job_role_code": role,
            "job_role_name": roles.get(role, ""),
            "open_vacancy_posts": posts.get((council_id, role), 0),
            "reported_vacancies": shown.get("vacancies"),
            "filled_posts": shown.get("filled_posts"),
            "vacancy_rate": shown.get("vacancy_rate"),
            "turnover_rate": shown.get("turnover_rate"),
            "workplaces": shown.get("workplaces"),
            "published_vacancy_rate": estimate.vacancy_rate if estimate else None,
            "published_turnover_rate": estimate.turnover_rate if estimate else None,
        })
    return Dataset(
        "demand", "Demand: vacancies and the workforce",
        f"By council and job role on {filters.as_at:%-d %B %Y}: posts of open vacancies "
        "advertised here; vacancies, filled posts, vacancy rate (vacancies ÷ all posts) and "
        "turnover rate (leavers in 12 months ÷ permanent and temporary staff) from the "
        "employers' ASC-WDS returns counting on that date (Skills for Care definitions; "
        "\"don't know\" left out); the newest published Skills for Care rates for the "
        "council, all roles, for comparison.",
        DEMAND_COLUMNS, rows,
    )


RETENTION_MONTHS = (3, 6, 12)


def _retention_counts(filters: Filters, keys: list[str]) -> dict[tuple, dict[str, int]]:
    """Retention checkpoints of council placements due in the period, grouped by
    ``keys`` + months: ``{(key values..., months): {"retained": n, "answered": n,
    "due": n}}``. Answered = still in post or left ("not known" and unanswered are
    neither)."""
    from carerecruit.placements.models import RetentionCheckpoint

    checkpoints = RetentionCheckpoint.objects.filter(
        _placement_q(filters, "placement__"), months__in=RETENTION_MONTHS,
    ).filter(_dates_in_period("due_on", filters))
    S = RetentionCheckpoint.Status
    result: dict[tuple, dict[str, int]] = {}
    for row in checkpoints.values(*keys, "months").annotate(
        due=Count("pk"),
        retained=Count("pk", filter=Q(status=S.IN_POST)),
        answered=Count("pk", filter=Q(status__in=[S.IN_POST, S.LEFT])),
    ).order_by():
        result[tuple(row[k] for k in keys) + (row["months"],)] = {
            "due": row["due"], "retained": row["retained"], "answered": row["answered"],
        }
    return result


FLOW_COLUMNS = [
    Column("council_gss", "Council GSS code", "code"),
    Column("council_name", "Council", "text"),
    Column("month", "Month (local)", "text"),
    Column("applications", "Applications routed", "count"),
    Column("placements", "Placements", "count"),
    Column("median_days_to_hire", "Median days to hire", "days"),
] + [
    column
    for m in RETENTION_MONTHS
    for column in (
        Column(f"retained_{m}m", f"Retained at {m} months", "count"),
        Column(f"answered_{m}m", f"Answered at {m} months", "count"),
        Column(f"retention_{m}m", f"Retention at {m} months (%)", "rate"),
    )
]


def flow_dataset(viewer, filters: Filters) -> Dataset:
    """Per council per local month: applications routed to the council (by the local
    month of routing), placements it confirmed (by the local month confirmed), the
    median days from application to placement confirmed (local dates) over those
    placements, and retention at 3, 6 and 12 months of the checkpoints due that month
    (still in post ÷ answered). Councils' own pipelines only: placements made by
    independent providers are not per council."""
    s = _Suppressor(viewer)
    zone = local_zone()
    councils = {c.pk: c for c in _councils(filters)}
    from carerecruit.regional import rollups

    applications = rollups.routes_counts(filters, by_month=True)
    if applications is None:
        applications = {
            (row["organisation_id"], _month(row["month"])): row["n"]
            for row in _routes(filters).filter(_in_period("routed_at", filters))
            .annotate(month=TruncMonth("routed_at", tzinfo=zone))
            .values("organisation_id", "month").annotate(n=Count("pk")).order_by()
        }
    hire_days = ExpressionWrapper(
        TruncDate("confirmed_at", tzinfo=zone) - TruncDate("route__application__submitted_at", tzinfo=zone),
        output_field=DurationField(),
    )
    placements: dict[tuple, int] = defaultdict(int)
    days: dict[tuple, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    histogram = rollups.placement_histogram(filters)
    if histogram is not None:
        days.update(histogram)
        placements.update({key: sum(counts.values()) for key, counts in histogram.items()})
    for row in [] if histogram is not None else (
        _placements(filters).filter(_in_period("confirmed_at", filters))
        .annotate(month=TruncMonth("confirmed_at", tzinfo=zone), days=hire_days)
        .values("organisation_id", "month", "days").annotate(n=Count("pk")).order_by()
    ):
        key = (row["organisation_id"], _month(row["month"]))
        placements[key] += row["n"]
        value = row["days"]
        whole_days = value.days if isinstance(value, datetime.timedelta) else int(value)
        days[key][whole_days] += row["n"]
    retention = rollups.checkpoint_counts(filters, by_month=True)
    if retention is None:
        from carerecruit.placements.models import RetentionCheckpoint

        retention = {}
        checkpoints = RetentionCheckpoint.objects.filter(
            _placement_q(filters, "placement__"), months__in=RETENTION_MONTHS,
        ).filter(_dates_in_period("due_on", filters))
        S = RetentionCheckpoint.Status
        for row in checkpoints.annotate(month=TruncMonth("due_on", output_field=DateField())).values(
            "placement__organisation_id", "month", "months",
        ).annotate(
            retained=Count("pk", filter=Q(status=S.IN_POST)),
            answered=Count("pk", filter=Q(status__in=[S.IN_POST, S.LEFT])),
        ).order_by():
            retention[(row["placement__organisation_id"], _month(row["month"]), row["months"])] = row

    keys = set(applications) | set(placements) | {k[:2] for k in retention}
    keys = sorted((k for k in keys if k[0] in councils), key=lambda k: (councils[k[0]].short_name, k[1]))
    rows = []
    for council_id, month in keys:
        council = councils[council_id]
        placed = placements.get((council_id, month), 0)
        row = {
            "council_gss": council.gss_code,
            "council_name": council.short_name,
            "month": month,
            "applications": s.count(applications.get((council_id, month), 0), council_id),
            "placements": s.count(placed, council_id),
            "median_days_to_hire": s.derived(median_from_counts(days.get((council_id, month), {})), [placed], council_id),
        }
        for m in RETENTION_MONTHS:
            r = retention.get((council_id, month, m))
            retained, answered = (r["retained"], r["answered"]) if r else (0, 0)
            row[f"retained_{m}m"] = s.count(retained, council_id)
            row[f"answered_{m}m"] = s.count(answered, council_id)
            row[f"retention_{m}m"] = s.rate(percentage(retained, answered), [retained, answered], council_id)
        rows.append(row)
    return Dataset(
        "flow", "Flow: applications, placements, time to hire and retention",
        "Per council per Europe/London month: applications routed to the council, "
        "placements the council confirmed, the median days from application to placement "
        "confirmed, and retention at 3, 6 and 12 months (still in post as a share of "
        "checkpoints answered \"in post\" or \"left\", for checkpoints due that month). "
        "Councils' own pipelines; placements by independent providers are not per council.",
        FLOW_COLUMNS, rows,
    )


RETENTION_COLUMNS = [
    Column("council_gss", "Council GSS code", "code"),
    Column("council_name", "Council", "text"),
    Column("job_role_code", "Job role code", "code"),
    Column("job_role_name", "Job role", "text"),
    Column("months", "Months after start", "number"),
    Column("due", "Checkpoints due", "count"),
    Column("answered", "Answered", "count"),
    Column("retained", "Still in post", "count"),
    Column("retention_rate", "Retention (%)", "rate"),
]


def retention_dataset(viewer, filters: Filters) -> Dataset:
    """Retention of council placements by council, job role and checkpoint (3, 6, 12
    months after the start date), for checkpoints due in the period: still in post as a
    percentage of those answered (in post or left)."""
    s = _Suppressor(viewer)
    councils = {c.pk: c for c in _councils(filters)}
    roles = _role_names()
    from carerecruit.regional import rollups

    counts = rollups.checkpoint_counts(filters, by_month=False)
    if counts is None:
        counts = _retention_counts(filters, ["placement__organisation_id", "placement__job_role__code"])
    keys = sorted((k for k in counts if k[0] in councils), key=lambda k: (councils[k[0]].short_name, k[1], k[2]))
    rows = []
    for council_id, role, months in keys:
        c = counts[(council_id, role, months)]
        council = councils[council_id]
        rows.append({
            "council_gss": council.gss_code,
            "council_name": council.short_name,
            "job_role_code": role,
            "job_role_name": roles.get(role, ""),
            "months": months,
            "due": s.count(c["due"], council_id),
            "answered": s.count(c["answered"], council_id),
            "retained": s.count(c["retained"], council_id),
            "retention_rate": s.rate(percentage(c["retained"], c["answered"]), [c["retained"], c["answered"]], council_id),
        })
    return Dataset(
        "retention", "Retention at 3, 6 and 12 months",
        "Councils' placements by council, job role and checkpoint, for checkpoints due in "
        "the period: checkpoints due, answered (still in post or left) and still in post, "
        "and retention as still in post ÷ answered.",
        RETENTION_COLUMNS, rows,
    )


CAMPAIGN_RETURN_COLUMNS = [
    Column("campaign_slug", "Campaign code", "code"),
    Column("campaign_name", "Campaign", "text"),
    Column("channel", "Channel code", "code"),
    Column("channel_name", "Channel", "text"),
    Column("spend_pence", "Spend (pence)", "pence"),
    Column("applications", "Applications", "count"),
    Column("placements", "Placements", "count"),
    Column("retained_6m", "Retained at 6 months", "count"),
    Column("cost_per_application_pence", "Cost per application (pence)", "pence"),
    Column("cost_per_placement_pence", "Cost per placement (pence)", "pence"),
    Column("cost_per_retained_pence", "Cost per retained placement (pence)", "pence"),
]

def _spend(campaign_ids: list[int], filters: Filters) -> dict[tuple[int, str], int]:
    """GBP ad spend (pence) per (campaign, channel) in the period: daily figures inside
    it, and period totals whose whole date range lies inside it (never split; the rule
    of :mod:`carerecruit.insights.funnel`). Other currencies are left out.

    Reads the adstats figures grouped by campaign and channel in the database (two
    queries returning a row per campaign and channel), rather than
    :func:`carerecruit.adstats.queries.ad_totals`' row per day, which at two years of
    daily figures is tens of thousands of rows to add up in Python.
    """
    from carerecruit.adstats.models import AdDailyStat, AdPeriodStat

    spend: dict[tuple[int, str], int] = defaultdict(int)
    daily = AdDailyStat.objects.filter(platform_campaign__campaign_id__in=campaign_ids, currency="GBP")
    if filters.start:
        daily = daily.filter(date__gte=filters.start)
    if filters.end:
        daily = daily.filter(date__lte=filters.end)
    period = AdPeriodStat.objects.filter(platform_campaign__campaign_id__in=campaign_ids, currency="GBP")
    if filters.start:
        period = period.filter(period_start__gte=filters.start)
    if filters.end:
        period = period.filter(period_end__lte=filters.end)
    for rows in (daily, period):
        for row in rows.values("platform_campaign__campaign_id", "platform_campaign__channel").annotate(
            pence=Sum("spend_pence"),
        ).order_by():
            spend[(row["platform_campaign__campaign_id"], row["platform_campaign__channel"] or "")] += row["pence"] or 0
    return spend


def _campaign_outcomes_direct(filters: Filters) -> tuple[dict, dict]:
    """Of the applications submitted in the period, per ``(campaign id, channel)``: how
    many led to a placement, and how many were still in post at 6 months."""
    from carerecruit.placements.models import Placement, RetentionCheckpoint

    # Straight joins from the (few) placements to their applications, filtered on the
    # application's submission time, rather than "IN (the period's applications)".
    placed = Placement.objects.filter(_in_period("route__application__submitted_at", filters))
    placements = {
        (r["route__application__campaign_id"], r["route__application__channel"]): r["n"]
        for r in placed.values("route__application__campaign_id", "route__application__channel")
        .annotate(n=Count("route__application", distinct=True)).order_by()
    }
    retained = {
        (r["placement__route__application__campaign_id"], r["placement__route__application__channel"]): r["n"]
        for r in RetentionCheckpoint.objects.filter(
            _in_period("placement__route__application__submitted_at", filters),
            months=6, status=RetentionCheckpoint.Status.IN_POST,
        ).values("placement__route__application__campaign_id", "placement__route__application__channel")
        .annotate(n=Count("placement__route__application", distinct=True)).order_by()
    }
    return placements, retained


def campaign_return_dataset(viewer, filters: Filters) -> Dataset:
    """Per campaign and channel: ad spend in the period (pence), the applications
    submitted in the period, how many of them led to a placement and how many of those
    were still in post at 6 months, and cost per application, placement and retained
    placement (spend ÷ count, whole pence). Applications, placements and retention are of
    the same applications (the people the period's spend brought). Spend cannot be split
    by council or job role, so those filters do not apply here."""
    from carerecruit.campaigns.models import Campaign
    from carerecruit.candidates.models import Application
    from carerecruit.insights.funnel import channel_label
    from carerecruit.regional import rollups

    s = _Suppressor(viewer)
    by_group = rollups.applications_by_campaign_channel(filters)
    if by_group is None:
        applications = Application.objects.filter(_in_period("submitted_at", filters))
        by_group = {
            (r["campaign_id"], r["channel"]): r["n"]
            for r in applications.values("campaign_id", "channel").annotate(n=Count("pk")).order_by()
        }
    outcomes = rollups.campaign_outcomes(filters)
    if outcomes is not None:
        placements, retained = outcomes
    else:
        placements, retained = _campaign_outcomes_direct(filters)
    campaigns = {c.pk: c for c in Campaign.objects.filter(region__gss_code=settings.CARERECRUIT_REGION_CODE)}
    spend = _spend(list(campaigns), filters)
    keys = sorted(
        {k for k in set(by_group) | set(spend) if k[0] in campaigns},
        key=lambda k: (campaigns[k[0]].name.lower(), k[0], channel_label(k[1]).lower()),
    )
    rows = []
    for campaign_id, channel in keys:
        campaign = campaigns[campaign_id]
        key = (campaign_id, channel)
        n_app, n_placed, n_retained = by_group.get(key, 0), placements.get(key, 0), retained.get(key, 0)
        cost = spend.get(key)
        # A campaign's figures belong to the organisation running it (usually the
        # regional body), as on the campaign dashboards and the API's funnel.
        owner = campaign.owner_id
        rows.append({
            "campaign_slug": campaign.slug,
            "campaign_name": campaign.name,
            "channel": channel,
            "channel_name": channel_label(channel),
            "spend_pence": cost,
            "applications": s.count(n_app, owner),
            "placements": s.count(n_placed, owner),
            "retained_6m": s.count(n_retained, owner),
            "cost_per_application_pence": s.derived(pence_per(cost, n_app) if cost is not None else None, [n_app], owner),
            "cost_per_placement_pence": s.derived(pence_per(cost, n_placed) if cost is not None else None, [n_placed], owner),
            "cost_per_retained_pence": s.derived(
                pence_per(cost, n_retained) if cost is not None else None, [n_retained], owner,
            ),
        })
    return Dataset(
        "campaign-return", "Campaign return: cost per placement",
        "Per campaign and channel: ad-platform spend in the period (GBP, pence; period "
        "totals only when their whole date range is inside the period), the applications "
        "submitted in the period, how many of those applications led to a placement and how "
        "many were still in post at the 6-month checkpoint, and the cost of each (spend ÷ "
        "count, whole pence; empty without spend). Not split by council or job role.",
        CAMPAIGN_RETURN_COLUMNS, rows,
    )


_BUILDERS = {
    "councils": councils_dataset,
    "supply": supply_dataset,
    "demand": demand_dataset,
    "flow": flow_dataset,
    "retention": retention_dataset,
    "campaign-return": campaign_return_dataset,
}
#: Every dataset, in the order the dashboard and exports show them.
DATASET_NAMES: tuple[str, ...] = tuple(_BUILDERS)


def build_dataset(name: str, *, viewer, filters: Filters) -> Dataset:
    """The dataset ``name`` (one of :data:`DATASET_NAMES`) for ``viewer`` (what
    :func:`~carerecruit.workforce.suppression.suppression_viewer` returns) over
    ``filters``. Raises :class:`UnknownDataset` for another name and ValueError when the
    filters' end is before their start."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise UnknownDataset(f"No dataset called {name!r}") from None
    filters.check()
    return builder(viewer, filters)


def build_datasets(*, viewer, filters: Filters) -> dict[str, Dataset]:
    """Every dataset, ``{name: Dataset}`` in :data:`DATASET_NAMES` order."""
    filters.check()
    return {name: _BUILDERS[name](viewer, filters) for name in DATASET_NAMES}
