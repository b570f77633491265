"""Talent bank search: filters, the ranking score, and the rows shown or exported.

Filters (all optional, all must hold): name (every word of the folded query appears in
the folded name, so "oneill", "O'Neill" and "O’Neill" all find Siobhán O’Neill-Smith);
job role (any application named it); Social Work England number given; at least N
years of experience; can start by a date; hours wanted; within N km of a postcode
(bounding box on the indexed profile point, then haversine); council area chosen on
any application; active since a local date.

Ranking score (higher first), documented on the page too:

- distance, only when searching by distance: 40 × (1 − distance ÷ radius);
- last active: within 30 days 30, 90 days 20, a year 10, otherwise 0;
- can start: now 20, within 4 weeks 10, later or not given 0;
- experience: 1 point a year, up to 10.

Ties: nearer first, then more recently active, then the earlier record. The database
computes the score (:func:`ranked`) from these rules, so only the page shown is read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Least

from carerecruit.lib.localtime import local_day_bounds
from carerecruit.lib.names import fold_name
from carerecruit.talentbank.expressions import date_points, haversine_a, haversine_km, linear_points
from carerecruit.talentbank.geo import Point, bounding_box, haversine_a_limit
from carerecruit.talentbank.models import TalentProfile, TalentRole
from carerecruit.talentbank.paging import ResultPage

DISTANCE_POINTS = 40
ACTIVE_POINTS = ((30, 30), (90, 20), (365, 10))  # (within days, points)
START_NOW_POINTS = 20
START_SOON_POINTS = 10
START_SOON_DAYS = 28
EXPERIENCE_POINTS_MAX = 10


@dataclass(frozen=True)
class TalentSearch:
    """A search as the form cleaned it. ``origin`` is the point of the postcode searched
    from (None = no distance filter) and ``within_km`` its radius; dates are local."""

    name: str = ""
    job_role_id: int | None = None
    swe_registered: bool = False
    min_years: int | None = None
    available_by: datetime.date | None = None
    hours_wanted: str = ""
    origin: Point | None = None
    within_km: int | None = None
    council_area_id: int | None = None
    active_since: datetime.date | None = None

    def audit_detail(self) -> str:
        """Which filters were used, for the audit log: never the name or postcode typed
        (personal data), only that they were used."""
        parts = []
        if self.name:
            parts.append("name")
        if self.job_role_id:
            parts.append(f"role={self.job_role_id}")
        if self.swe_registered:
            parts.append("swe")
        if self.min_years is not None:
            parts.append(f"years>={self.min_years}")
        if self.available_by:
            parts.append(f"start<={self.available_by.isoformat()}")
        if self.hours_wanted:
            parts.append(f"hours={self.hours_wanted}")
        if self.origin is not None:
            parts.append(f"postcode within {self.within_km}km")
        if self.council_area_id:
            parts.append(f"council={self.council_area_id}")
        if self.active_since:
            parts.append(f"active>={self.active_since.isoformat()}")
        return "filters: " + (", ".join(parts) if parts else "none")


@dataclass(frozen=True)
class Ranked:
    """One result: candidate pk, score (points) and distance in km (None without a
    distance filter)."""

    candidate_id: int
    score: int | float
    distance_km: float | None = field(default=None)


def active_points(last_active: datetime.date, today: datetime.date) -> int:
    """30 if active within 30 days, 20 within 90, 10 within 365, else 0."""
    days = (today - last_active).days
    for within, points in ACTIVE_POINTS:
        if days <= within:
            return points
    return 0


def start_points(available_from: datetime.date | None, today: datetime.date) -> int:
    """20 if they can start today, 10 within 4 weeks, else (or not given) 0."""
    if available_from is None:
        return 0
    if available_from <= today:
        return START_NOW_POINTS
    if (available_from - today).days <= START_SOON_DAYS:
        return START_SOON_POINTS
    return 0


def experience_points(years: int) -> int:
    """One point per year of experience, at most 10."""
    return min(max(years, 0), EXPERIENCE_POINTS_MAX)


def distance_points(distance_km: float | None, radius_km: float | None) -> float:
    """40 × (1 − distance ÷ radius); 0 without a distance search or beyond the radius."""
    if distance_km is None or not radius_km or distance_km >= radius_km:
        return 0.0
    return DISTANCE_POINTS * (1 - distance_km / radius_km)


def search_score(*, distance_km: float | None, radius_km: float | None, last_active: datetime.date,
                 available_from: datetime.date | None, years: int, today: datetime.date) -> float:
    """The ranking score of one result (see the module docstring)."""
    return (
        distance_points(distance_km, radius_km)
        + active_points(last_active, today)
        + start_points(available_from, today)
        + experience_points(years)
    )


def ranked(candidates: QuerySet, search: TalentSearch, today: datetime.date) -> QuerySet:
    """Every person matching ``search`` among ``candidates`` (a Candidate queryset from
    the access layer), best first, as ``TalentRole`` rows (when searching by job role:
    one index range scan) or ``TalentProfile`` rows, annotated with ``score`` (the
    points of :func:`search_score`, computed by the database) and, for a distance
    search, ``distance_km``. People beyond the radius are left out by haversine, after
    the bounding box on the indexed point. Profiles and roles exist only for consenting
    people; :func:`rank` re-checks each person shown against ``candidates``."""
    if search.job_role_id:
        rows = TalentRole.objects.filter(job_role_id=search.job_role_id)
        councils = "candidate__talent_profile__council_areas"
    else:
        rows = TalentProfile.objects.all()
        councils = "council_areas"
    if candidates.query.is_empty():
        rows = rows.none()
    for word in fold_name(search.name).split():
        rows = rows.filter(candidate__name_folded__contains=word)
    if search.swe_registered:
        rows = rows.filter(swe_registered=True)
    if search.min_years is not None:
        rows = rows.filter(years_experience__gte=search.min_years)
    if search.available_by is not None:
        rows = rows.filter(available_from__lte=search.available_by)
    if search.hours_wanted:
        rows = rows.filter(hours_wanted=search.hours_wanted)
    if search.council_area_id:
        rows = rows.filter(**{councils: search.council_area_id})
    if search.active_since is not None:
        rows = rows.filter(last_active_at__gte=local_day_bounds(search.active_since)[0])
    score = (
        date_points("last_active_at", [
            (local_day_bounds(today - datetime.timedelta(days=within))[0], points)
            for within, points in ACTIVE_POINTS
        ], on_or_after=True)
        + date_points("available_from", [
            (today, START_NOW_POINTS), (today + datetime.timedelta(days=START_SOON_DAYS), START_SOON_POINTS),
        ])
        + Least(F("years_experience"), Value(EXPERIENCE_POINTS_MAX), output_field=FloatField())
    )
    order = ["-score", F("last_active_at").desc(nulls_last=True), "candidate_id"]
    if search.origin is not None and search.within_km:
        origin, radius = search.origin, search.within_km
        box = bounding_box(origin.latitude, origin.longitude, radius)
        rows = (
            rows.filter(
                latitude__range=(box.min_latitude, box.max_latitude),
                longitude__range=(box.min_longitude, box.max_longitude),
            )
            .annotate(haversine_a=haversine_a(origin.latitude, origin.longitude))
            .filter(haversine_a__lte=haversine_a_limit(radius))
            .annotate(distance_km=haversine_km("haversine_a"))
        )
        score = linear_points("distance_km", radius, DISTANCE_POINTS) + score
        order.insert(1, "distance_km")
    return rows.annotate(score=score).order_by(*order)


def rank(candidates: QuerySet, search: TalentSearch, today: datetime.date, *, page: int = 1,
         per_page: int | None = None) -> ResultPage:
    """The results of ``search`` (see :func:`ranked`) as a page of
    :class:`~carerecruit.talentbank.search.Ranked`: page ``page`` of ``per_page`` (all
    results with None; a page past the end gives the last). Three queries: a count, the
    page, and the access check of the people on it."""
    rows = ranked(candidates, search, today)
    total = rows.count()
    result = ResultPage.clamp(page, per_page or max(total, 1), total)
    columns = ["candidate_id", "score"] + (["distance_km"] if search.origin is not None and search.within_km else [])
    page_rows = list(rows.values_list(*columns)[result.offset:result.offset + result.per_page])
    visible: set[int] = set()
    for start in range(0, len(page_rows), 500):
        ids = [row[0] for row in page_rows[start:start + 500]]
        visible |= set(candidates.filter(pk__in=ids).values_list("pk", flat=True))
    result.rows = [Ranked(*row) for row in page_rows if row[0] in visible]
    return result
