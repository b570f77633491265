"""Workforce figures by council and job role, from the imported ASC-WDS returns.

These are what the regional dashboard, exports and API read. They are aggregates only,
never staff records, and are computed in the database from
:class:`~carerecruit.workforce.models.WorkplaceJobRoleFigure` rows (one per workplace and
role), so a national region (20,000 workplaces) is one grouped query.

Which returns count: for each organisation, its newest *current* return whose as-at date
is on or before the date asked about (:func:`effective_returns`). An employer that sent
a return in March and another in September is counted once, with September's figures
from September on. Rates follow :mod:`carerecruit.workforce.rates` (Skills for Care's
definitions; "don't know" left out). Before showing figures outside the organisation
that owns them, pass them through :func:`carerecruit.workforce.suppression.suppressed_figures`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Sum,
    Value,
    When,
)

from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.workforce.models import (
    PublishedWorkforceEstimate,
    WorkforceReturn,
    WorkplaceJobRoleFigure,
)
from carerecruit.workforce.rates import FigureTotals


@dataclass(frozen=True)
class WorkforceFigures:
    """Figures for one group: a council (or the whole region when ``council_id`` is
    None) and a job role (or all roles when ``job_role_code`` is None).

    ``totals`` holds the counts and gives the rates (:class:`FigureTotals`).
    ``workplaces`` counts the workplaces contributing. ``sole_owner_id`` is the id of the
    organisation whose returns make up every figure here, None when several did: figures
    are unsuppressed only for their owner. ``latest_as_at`` is the newest as-at date
    among the returns counted.
    """

    council_id: int | None
    council_gss: str
    council_name: str
    job_role_code: int | None
    job_role_name: str
    workplaces: int
    totals: FigureTotals = field(default_factory=FigureTotals)
    sole_owner_id: int | None = None
    latest_as_at: datetime.date | None = None

    @property
    def filled_posts(self) -> int:
        return self.totals.filled_posts

    @property
    def directly_employed(self) -> int:
        return self.totals.directly_employed

    @property
    def vacancies(self) -> int | None:
        return self.totals.vacancies

    @property
    def starters(self) -> int | None:
        return self.totals.starters

    @property
    def leavers(self) -> int | None:
        return self.totals.leavers

    @property
    def vacancy_rate(self) -> Decimal | None:
        return self.totals.vacancy_rate

    @property
    def turnover_rate(self) -> Decimal | None:
        return self.totals.turnover_rate

    @property
    def contract_mix(self) -> dict[int, int]:
        return self.totals.contract_mix


def effective_returns(as_at: datetime.date | None = None):
    """Current returns that count on local date ``as_at`` (default today): for each
    organisation, the newest with an as-at date on or before it. A queryset."""
    day = as_at or local_today()
    newer = WorkforceReturn.objects.filter(
        organisation=OuterRef("organisation"), status=WorkforceReturn.Status.CURRENT,
        as_at__gt=OuterRef("as_at"), as_at__lte=day,
    )
    return WorkforceReturn.objects.filter(status=WorkforceReturn.Status.CURRENT, as_at__lte=day).exclude(Exists(newer))


def _int_case(condition: str, then) -> Case:
    return Case(When(**{condition: False}, then=then), default=Value(0), output_field=IntegerField())


_AGGREGATES = {
    "n_permanent": Sum("permanent"),
    "n_temporary": Sum("temporary"),
    "n_pool_bank": Sum("pool_bank"),
    "n_agency": Sum("agency"),
    "n_other": Sum("other_contract"),
    "n_starters": Sum("starters"),
    "n_leavers": Sum("leavers"),
    "n_vacancies": Sum("vacancies"),
    # The rates' denominators: posts whose workplace knew its vacancies (leavers).
    "n_vacancy_base": Sum(_int_case("vacancies__isnull", F("filled_posts"))),
    "n_turnover_base": Sum(_int_case("leavers__isnull", F("permanent") + F("temporary"))),
    "n_workplaces": Count("workplace", distinct=True),
    "owner_min": Min("workplace__workforce_return__organisation_id"),
    "owner_max": Max("workplace__workforce_return__organisation_id"),
    "latest": Max("workplace__workforce_return__as_at"),
}


def _totals(row: dict) -> FigureTotals:
    return FigureTotals(
        row["n_permanent"] or 0, row["n_temporary"] or 0, row["n_pool_bank"] or 0, row["n_agency"] or 0,
        row["n_other"] or 0, row["n_starters"], row["n_leavers"], row["n_vacancies"],
        row["n_vacancy_base"] or 0, row["n_turnover_base"] or 0,
    )


def workforce_figures(
    *, by_council: bool = True, by_job_role: bool = False, as_at: datetime.date | None = None,
    councils: Iterable[Organisation | int] | None = None, job_roles: Iterable[int] | None = None,
) -> list[WorkforceFigures]:
    """Figures grouped by council and/or job role, for the returns that count on
    ``as_at`` (see :func:`effective_returns`), optionally only for some ``councils``
    (organisations or ids) and ``job_roles`` (BUDI codes). Groups without any figures are
    left out. Sorted by council name, then job role code. With neither grouping, one
    group for the whole region (empty when nothing has been imported)."""
    figures = WorkplaceJobRoleFigure.objects.filter(workplace__workforce_return__in=effective_returns(as_at))
    if councils is not None:
        ids = [c.pk if isinstance(c, Organisation) else int(c) for c in councils]
        figures = figures.filter(workplace__council_id__in=ids)
    if job_roles is not None:
        figures = figures.filter(job_role_id__in=list(job_roles))
    keys = (["workplace__council_id"] if by_council else []) + (["job_role_id"] if by_job_role else [])
    if keys:
        rows = list(figures.values(*keys).annotate(**_AGGREGATES).order_by())
    else:
        row = figures.aggregate(**_AGGREGATES)
        rows = [row] if row["n_workplaces"] else []
    council_names = {
        o.pk: (o.gss_code, o.short_name)
        for o in Organisation.objects.filter(pk__in={r["workplace__council_id"] for r in rows if "workplace__council_id" in r})
    }
    role_names = dict(JobRole.objects.values_list("code", "name")) if by_job_role else {}
    result = []
    for row in rows:
        council_id = row.get("workplace__council_id")
        gss, council_name = council_names.get(council_id, ("", "")) if council_id else ("", "")
        role = row.get("job_role_id")
        result.append(WorkforceFigures(
            council_id=council_id, council_gss=gss, council_name=council_name,
            job_role_code=role, job_role_name=role_names.get(role, "") if role is not None else "",
            workplaces=row["n_workplaces"], totals=_totals(row),
            sole_owner_id=row["owner_min"] if row["owner_min"] == row["owner_max"] else None,
            latest_as_at=row["latest"],
        ))
    result.sort(key=lambda f: (f.council_name, f.job_role_code or 0))
    return result


def figures_by_council(**kwargs) -> list[WorkforceFigures]:
    """All job roles together, one group per council. Keyword arguments as
    :func:`workforce_figures` (``as_at``, ``councils``, ``job_roles``)."""
    return workforce_figures(by_council=True, by_job_role=False, **kwargs)


def figures_by_council_and_role(**kwargs) -> list[WorkforceFigures]:
    """One group per council and job role."""
    return workforce_figures(by_council=True, by_job_role=True, **kwargs)


def figures_by_role(**kwargs) -> list[WorkforceFigures]:
    """One group per job role across the region."""
    return workforce_figures(by_council=False, by_job_role=True, **kwargs)


def region_figures(**kwargs) -> WorkforceFigures | None:
    """The whole region in one group, None when no return counts."""
    found = workforce_figures(by_council=False, by_job_role=False, **kwargs)
    return found[0] if found else None


def published_estimates(*, year: str | None = None, gss_codes: Iterable[str] | None = None):
    """Published Skills for Care estimates (a queryset), optionally for one financial
    ``year`` ("2023/24") and some areas' GSS codes."""
    qs = PublishedWorkforceEstimate.objects.select_related("council", "region")
    if year is not None:
        qs = qs.filter(year=year)
    if gss_codes is not None:
        qs = qs.filter(gss_code__in=list(gss_codes))
    return qs


def latest_published_estimates() -> dict[str, PublishedWorkforceEstimate]:
    """The most recent published estimate for each area: ``{GSS code: estimate}``."""
    latest: dict[str, PublishedWorkforceEstimate] = {}
    for estimate in published_estimates().order_by("gss_code", "year"):
        latest[estimate.gss_code] = estimate
    return latest
