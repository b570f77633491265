"""Monthly history per council and ASC-WDS job role, counted in the database.

Each measure (:class:`carerecruit.forecast.models.Measure`) is built for four kinds of
series: each council and job role; each council, all roles; the region and each role;
the region, all roles. Councils are those of the deployment's region
(``settings.CARERECRUIT_REGION_CODE``). Months are local months (Europe/London), keyed
by their first day.

- **applications**: applications routed to the council (``placements.ApplicationRoute``)
  counted by the local month of ``Application.submitted_at``; an application for two job
  roles counts once for each role and once in "all roles"; one routed to two councils
  counts once for each and once for the region. Withdrawn applications still count:
  they were applications.
- **vacancies**: posts (``Vacancy.number_of_posts``) of vacancies open at the end of
  each local month: published before the month ended, still open or closed only after
  it ended, and with a closing date on or after the month's last day (the rule of the
  regional dashboard's open posts). By the vacancy's council area.
- **reported_vacancies**: vacancies in the ASC-WDS returns that count at the end of each
  month (:func:`carerecruit.workforce.aggregates.effective_returns`: each employer's
  newest return on or before that day, carried forward until replaced), by the
  workplaces' council, up to the month of the region's newest return (not carried
  forward past it). Returns are snapshots, so this series moves only when returns do.

The history window: from each series' first month with a non-zero value to the last
*complete* local month (never the current one) in which the region recorded anything
of that measure. A region whose data stop (the demo's 2020 weeks) is not forecast from
years of invented zeros; a series' own quiet months inside the window are real zeros.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth

from carerecruit.forecast.models import Measure
from carerecruit.lib.localtime import local_day_bounds, local_today, local_zone
from carerecruit.organisations.models import Organisation

# (council id or None for the region, job role code or None for all roles)
SeriesKey = tuple[int | None, int | None]


@dataclass
class MonthlySeries:
    """One series: ``months`` (first days of consecutive local months) and ``values``
    (same length, counts). ``owner_id``: who sees its small numbers unsuppressed (see
    :class:`carerecruit.forecast.models.ForecastSeries`)."""

    council_id: int | None
    job_role_code: int | None
    months: list[datetime.date] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    owner_id: int | None = None


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month ``n`` months after ``month``'s (n may be negative)."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_range(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """First days of every month from ``start``'s to ``end``'s, both included."""
    months, month = [], first_of_month(start)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def last_day(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def month_end_instant(month: datetime.date) -> datetime.datetime:
    """The UTC instant the local month ends (the start of the next local month)."""
    return local_day_bounds(add_months(month, 1))[0]


def last_complete_month(today: datetime.date | None = None) -> datetime.date:
    """The month before the current local month."""
    return add_months(first_of_month(today or local_today()), -1)


def region_councils():
    """The councils of this deployment's region (a queryset)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.COUNCIL, region__gss_code=settings.CARERECRUIT_REGION_CODE,
    )


def _local_month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(local_zone())
        return value.date().replace(day=1)
    return value.replace(day=1)


def _add(counts: dict, key: SeriesKey, month: datetime.date, n) -> None:
    if n:
        counts[key][month] += n


def application_counts(end: datetime.date) -> dict[SeriesKey, dict[datetime.date, int]]:
    """``{(council id | None, role code | None): {month: applications}}`` for months up
    to ``end`` (a first day), four grouped queries. Only non-zero counts are present."""
    from carerecruit.candidates.models import Application

    end_instant = month_end_instant(end)
    month = TruncMonth("submitted_at", tzinfo=local_zone())
    routed = Application.objects.filter(
        submitted_at__lt=end_instant, routes__organisation__in=region_councils(),
    )
    counts: dict = defaultdict(lambda: defaultdict(int))
    # Distinct applications: the joins to routes and roles would repeat them otherwise.
    for row in (routed.annotate(m=month).values("routes__organisation_id", "job_roles__code", "m")
                .annotate(n=Count("pk", distinct=True)).order_by()):
        if row["job_roles__code"] is not None:
            _add(counts, (row["routes__organisation_id"], row["job_roles__code"]), _local_month(row["m"]), row["n"])
    for row in routed.annotate(m=month).values("routes__organisation_id", "m").annotate(
            n=Count("pk", distinct=True)).order_by():
        _add(counts, (row["routes__organisation_id"], None), _local_month(row["m"]), row["n"])
    for row in routed.annotate(m=month).values("job_roles__code", "m").annotate(
            n=Count("pk", distinct=True)).order_by():
        if row["job_roles__code"] is not None:
            _add(counts, (None, row["job_roles__code"]), _local_month(row["m"]), row["n"])
    for row in routed.annotate(m=month).values("m").annotate(n=Count("pk", distinct=True)).order_by():
        _add(counts, (None, None), _local_month(row["m"]), row["n"])
    return counts


def _first_month_of_applications() -> datetime.date | None:
    from carerecruit.candidates.models import Application

    first = (
        Application.objects.filter(routes__organisation__in=region_councils())
        .order_by("submitted_at").values_list("submitted_at", flat=True).first()
    )
    return _local_month(first) if first else None


def open_vacancy_counts(months: list[datetime.date]) -> dict[SeriesKey, dict[datetime.date, int]]:
    """Posts open at the end of each month in ``months`` (see the module docstring), as
    :func:`application_counts` shapes them. One grouped query per month."""
    from carerecruit.vacancies.models import Vacancy

    counts: dict = defaultdict(lambda: defaultdict(int))
    vacancies = Vacancy.objects.filter(council_area__in=region_councils(), published_at__isnull=False)
    for month in months:
        end = month_end_instant(month)
        # As the regional dashboard counts open posts on a day (regional.datasets):
        # still open now, or closed only after the month ended.
        open_then = vacancies.filter(
            Q(status=Vacancy.Status.OPEN) | Q(closed_at__gte=end),
            published_at__lt=end, closing_date__gte=last_day(month),
        )
        for row in open_then.values("council_area_id", "job_role__code").annotate(n=Sum("number_of_posts")).order_by():
            _add(counts, (row["council_area_id"], row["job_role__code"]), month, row["n"])
            _add(counts, (row["council_area_id"], None), month, row["n"])
            _add(counts, (None, row["job_role__code"]), month, row["n"])
            _add(counts, (None, None), month, row["n"])
    return counts


def _first_month_of_vacancies() -> datetime.date | None:
    from carerecruit.vacancies.models import Vacancy

    first = (
        Vacancy.objects.filter(council_area__in=region_councils(), published_at__isnull=False)
        .order_by("published_at").values_list("published_at", flat=True).first()
    )
    return _local_month(first) if first else None


def reported_vacancy_counts(
    months: list[datetime.date],
) -> tuple[dict[SeriesKey, dict[datetime.date, int]], dict[SeriesKey, set[int | None]]]:
    """ASC-WDS reported vacancies as at the last day of each month, and for each series
    the set of owners seen (``{sole owner id or None}`` per month): a series is owned
    only when one organisation made up all of it. Vacancies an employer did not know
    (999) are left out, as in the workforce figures."""
    from carerecruit.workforce.aggregates import workforce_figures

    councils = list(region_councils().values_list("pk", flat=True))
    counts: dict = defaultdict(lambda: defaultdict(int))
    owners: dict = defaultdict(set)
    for month in months:
        day = last_day(month)
        for by_council, by_role in ((True, True), (True, False), (False, True), (False, False)):
            for figures in workforce_figures(by_council=by_council, by_job_role=by_role, as_at=day, councils=councils):
                key = (figures.council_id if by_council else None, figures.job_role_code if by_role else None)
                if figures.vacancies is None:
                    continue
                counts[key][month] += figures.vacancies
                owners[key].add(figures.sole_owner_id if by_council else None)
    return counts, owners


def _months_of_returns() -> tuple[datetime.date, datetime.date] | None:
    """The months of the region's oldest and newest current returns' as-at dates."""
    from carerecruit.workforce.models import WorkforceReturn

    dates = WorkforceReturn.objects.filter(
        status=WorkforceReturn.Status.CURRENT, council__in=region_councils(),
    ).aggregate(first=Min("as_at"), last=Max("as_at"))
    if dates["first"] is None:
        return None
    return first_of_month(dates["first"]), first_of_month(dates["last"])


def _series(counts: dict, window_end: datetime.date, owner_of) -> list[MonthlySeries]:
    result = []
    for key, by_month in counts.items():
        nonzero = sorted(m for m, n in by_month.items() if n and m <= window_end)
        if not nonzero:
            continue
        months = month_range(nonzero[0], window_end)
        result.append(MonthlySeries(
            council_id=key[0], job_role_code=key[1], months=months,
            values=[float(by_month.get(m, 0)) for m in months], owner_id=owner_of(key),
        ))
    result.sort(key=lambda s: (s.council_id is not None, s.council_id or 0, s.job_role_code is not None,
                               s.job_role_code or 0))
    return result


def _window_end(counts: dict, end: datetime.date) -> datetime.date | None:
    months = [m for by_month in counts.values() for m, n in by_month.items() if n and m <= end]
    return max(months) if months else None


def build_series(measure: str, *, today: datetime.date | None = None) -> list[MonthlySeries]:
    """Every series of ``measure`` (a :class:`Measure` value) with at least one non-zero
    month, history up to the last complete month before ``today`` (local date; default
    today). Raises ValueError for an unknown measure."""
    end = last_complete_month(today)
    if measure == Measure.APPLICATIONS:
        counts = application_counts(end)
        window_end = _window_end(counts, end)
        return _series(counts, window_end, lambda key: key[0]) if window_end else []
    if measure == Measure.VACANCIES:
        start = _first_month_of_vacancies()
        if start is None or start > end:
            return []
        counts = open_vacancy_counts(month_range(start, end))
        window_end = _window_end(counts, end)
        return _series(counts, window_end, lambda key: key[0]) if window_end else []
    if measure == Measure.REPORTED_VACANCIES:
        found = _months_of_returns()
        if found is None or found[0] > end:
            return []
        # Not past the newest return: carrying the last snapshot forward for months
        # nobody reported would be a flat line of invented history.
        start, end = found[0], min(end, found[1])
        counts, owners = reported_vacancy_counts(month_range(start, end))
        window_end = _window_end(counts, end)

        def owner_of(key):
            seen = owners.get(key, set())
            return next(iter(seen)) if len(seen) == 1 else None

        return _series(counts, window_end, owner_of) if window_end else []
    raise ValueError(f"Unknown measure {measure!r}")
