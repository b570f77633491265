"""Matching talent-bank candidates to a vacancy: a transparent points score with reasons.

Who is considered: consenting candidates (the access layer decides which the user may
see) who said they want the vacancy's job role (ASC-WDS main job role) and whose
postcode is within the chosen radius of the vacancy (km, haversine, after an indexed
bounding-box pre-filter). People whose postcode cannot be located are not matched.
The database computes the score (:func:`ranked_matches`) from these rules, so only the
page shown is read; :func:`explain` gives the reasons for each person on it.

The score, out of 100 for roles that need Social Work England registration and out of
85 for the rest (it only orders people for one vacancy, so the scale does not matter):

=================  ======  ==========================================================
component          points  how
=================  ======  ==========================================================
distance           0–40    40 × (1 − distance ÷ radius): 40 at the door, 0 at the edge
availability       0–25    can start by the start date (or today if none) 25; within
                           4 weeks after it 15; within 13 weeks 5; later or not given 0
hours              0–20    wants what the job offers (full time = 30 hours a week or
                           more) 20; flexible/bank for a fixed-hours job 10; full or
                           part time for pool/bank work 10; a mismatch or not given 0
registration       0–15    only for roles that need it (social worker): gave a Social
                           Work England registration number 15, otherwise 0
=================  ======  ==========================================================

Ties go to the nearer person, then more years of experience, then the earlier record.
The score suggests whom to contact first; a person decides (UK GDPR Art. 22: no
decision about anyone is made by this function).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from carerecruit.candidates.models import HoursWanted
from carerecruit.talentbank.expressions import (
    choice_points,
    date_points,
    haversine_a,
    haversine_km,
    linear_points,
)
from carerecruit.talentbank.geo import bounding_box, haversine_a_limit
from carerecruit.talentbank.models import TalentRole
from carerecruit.talentbank.paging import ResultPage
from carerecruit.vacancies.models import ContractType, Vacancy

# Ten kilometres by default: most care workers look for work close to home, and the
# nearest people are the ones a recruiter calls first; staff can widen it to 100 km.
DEFAULT_RADIUS_KM = 10
RADIUS_CHOICES_KM = (5, 10, 25, 50, 100)

DISTANCE_POINTS = 40
AVAILABILITY_POINTS = 25
AVAILABILITY_SOON_POINTS = 15
AVAILABILITY_LATER_POINTS = 5
SOON_DAYS = 28
LATER_DAYS = 91
HOURS_POINTS = 20
HOURS_PARTLY_POINTS = 10
REGISTRATION_POINTS = 15
FULL_TIME_HOURS = 30


@dataclass(frozen=True)
class VacancyTerms:
    """What matching needs from a vacancy. ``start_date`` is a local date or None."""

    job_role_id: int
    job_role_name: str
    needs_registration: bool
    latitude: float
    longitude: float
    hours_per_week: Decimal
    contract_type: int
    start_date: datetime.date | None

    @classmethod
    def of(cls, vacancy: Vacancy) -> VacancyTerms | None:
        """The terms of ``vacancy`` (``job_role`` loaded), or None if it has no point."""
        if vacancy.latitude is None or vacancy.longitude is None:
            return None
        return cls(
            job_role_id=vacancy.job_role_id,
            job_role_name=vacancy.job_role.name,
            needs_registration=vacancy.job_role.needs_swe_registration,
            latitude=vacancy.latitude,
            longitude=vacancy.longitude,
            hours_per_week=Decimal(vacancy.hours_per_week),
            contract_type=vacancy.contract_type,
            start_date=vacancy.starts_on,
        )


@dataclass(frozen=True)
class CandidateFacts:
    """A talent-bank candidate as matching sees them (from their TalentProfile)."""

    candidate_id: int
    latitude: float
    longitude: float
    available_from: datetime.date | None
    hours_wanted: str
    swe_registered: bool
    years_experience: int


@dataclass(frozen=True)
class Reason:
    """One line of a match's explanation. ``max_points`` 0 marks a requirement every
    match meets (the job role) rather than a scored component."""

    label: str
    points: float
    max_points: int
    good: bool

    @property
    def points_text(self) -> str:
        """The points to one decimal place, as pages show them (``"34.0"``)."""
        return f"{self.points:.1f}"


@dataclass(frozen=True)
class Match:
    """A ranked candidate: ``score`` (points) and ``distance_km``, both shown to one
    decimal place."""

    candidate_id: int
    score: float
    distance_km: float
    facts: CandidateFacts

    @property
    def score_text(self) -> str:
        """The score to one decimal place, as pages show it (``"79.0"``)."""
        return f"{self.score:.1f}"


# --- The score's components: plain functions, each tested on its own ----------------


def distance_points(distance_km: float, radius_km: float) -> float:
    """40 × (1 − distance ÷ radius); 0 at or beyond the radius. Not rounded: pages show
    one decimal place."""
    if radius_km <= 0 or distance_km >= radius_km:
        return 0.0
    return DISTANCE_POINTS * (1 - distance_km / radius_km)


def reference_date(start_date: datetime.date | None, today: datetime.date) -> datetime.date:
    """The date availability is judged against: the vacancy's start date, or today if it
    has none or it has passed."""
    return max(start_date or today, today)


def availability_points(available_from: datetime.date | None, reference: datetime.date) -> int:
    """25 if they can start by ``reference``; 15 within 28 days after; 5 within 91; else 0."""
    if available_from is None:
        return 0
    late_by = (available_from - reference).days
    if late_by <= 0:
        return AVAILABILITY_POINTS
    if late_by <= SOON_DAYS:
        return AVAILABILITY_SOON_POINTS
    if late_by <= LATER_DAYS:
        return AVAILABILITY_LATER_POINTS
    return 0


def hours_points(hours_wanted: str, hours_per_week: Decimal, contract_type: int) -> int:
    """How well the hours they want fit the job (see the module's table)."""
    if not hours_wanted:
        return 0
    if contract_type == ContractType.POOL_BANK:
        return HOURS_POINTS if hours_wanted == HoursWanted.FLEXIBLE else HOURS_PARTLY_POINTS
    if hours_wanted == HoursWanted.FLEXIBLE:
        return HOURS_PARTLY_POINTS
    full_time_job = hours_per_week >= FULL_TIME_HOURS
    wants_full_time = hours_wanted == HoursWanted.FULL_TIME
    return HOURS_POINTS if full_time_job == wants_full_time else 0


def registration_points(needs_registration: bool, swe_registered: bool) -> int:
    """15 for a registered person when the role needs Social Work England registration."""
    return REGISTRATION_POINTS if needs_registration and swe_registered else 0


def match_score(terms: VacancyTerms, facts: CandidateFacts, distance_km: float, radius_km: float,
                today: datetime.date) -> float:
    """The total points of one candidate for one vacancy (the sum of the components)."""
    return (
        distance_points(distance_km, radius_km)
        + availability_points(facts.available_from, reference_date(terms.start_date, today))
        + hours_points(facts.hours_wanted, terms.hours_per_week, terms.contract_type)
        + registration_points(terms.needs_registration, facts.swe_registered)
    )


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def explain(terms: VacancyTerms, match: Match, radius_km: float, today: datetime.date) -> list[Reason]:
    """The reasons behind ``match``'s score, one per component, in words staff can check."""
    facts = match.facts
    reasons = [Reason(f"Wants to work as: {terms.job_role_name}", 0, 0, True)]
    reasons.append(Reason(
        f"{match.distance_km:.1f} km away (within {radius_km:g} km)",
        distance_points(match.distance_km, radius_km), DISTANCE_POINTS, True,
    ))
    reference = reference_date(terms.start_date, today)
    points = availability_points(facts.available_from, reference)
    by = f"the start date, {_day(reference)}" if reference != today else "today"
    if facts.available_from is None:
        label = "Has not said when they can start"
    elif points == AVAILABILITY_POINTS:
        label = f"Can start by {by}" if reference != today else "Can start now"
    else:
        label = f"Can start from {_day(facts.available_from)}"
        if reference != today:
            label += f" ({(facts.available_from - reference).days} days after the start date)"
    reasons.append(Reason(label, points, AVAILABILITY_POINTS, points == AVAILABILITY_POINTS))

    points = hours_points(facts.hours_wanted, terms.hours_per_week, terms.contract_type)
    wants = HoursWanted(facts.hours_wanted).label if facts.hours_wanted else "Hours not given"
    job = "bank or pool shifts" if terms.contract_type == ContractType.POOL_BANK else (
        f"{terms.hours_per_week.normalize():f} hours a week"
    )
    reasons.append(Reason(f"Wants: {wants}; this job: {job}", points, HOURS_POINTS, points == HOURS_POINTS))

    if terms.needs_registration:
        points = registration_points(True, facts.swe_registered)
        label = (
            "Gave a Social Work England registration number"
            if facts.swe_registered else "No Social Work England registration number given"
        )
        reasons.append(Reason(label, points, REGISTRATION_POINTS, facts.swe_registered))
    return reasons


def max_points(terms: VacancyTerms) -> int:
    """The best possible score for this vacancy: 100 with registration, else 85."""
    top = DISTANCE_POINTS + AVAILABILITY_POINTS + HOURS_POINTS
    return top + (REGISTRATION_POINTS if terms.needs_registration else 0)


def ranked_matches(terms: VacancyTerms, candidates: QuerySet, *, radius_km: float,
                   today: datetime.date) -> QuerySet:
    """Every match for a vacancy, best first, as a queryset of ``TalentRole`` rows
    annotated with ``distance_km`` and ``score`` (the points of :func:`match_score`,
    computed by the database).

    ``candidates`` is a Candidate queryset from the access layer, e.g.
    ``talent_bank_visible_to(user)``: none there, none here. Reads the rows of the
    vacancy's job role inside the bounding box of ``radius_km`` (index
    talentrole_role_lat_long, which holds every column read), keeps those within the
    radius by haversine. TalentRole rows exist only for consenting people (they are
    deleted when consent goes); :func:`find_matches` also re-checks each person shown
    against ``candidates``, so nobody outside it is ever shown.
    """
    box = bounding_box(terms.latitude, terms.longitude, radius_km)
    reference = reference_date(terms.start_date, today)
    availability = date_points("available_from", [
        (reference, AVAILABILITY_POINTS),
        (reference + datetime.timedelta(days=SOON_DAYS), AVAILABILITY_SOON_POINTS),
        (reference + datetime.timedelta(days=LATER_DAYS), AVAILABILITY_LATER_POINTS),
    ])
    hours = choice_points("hours_wanted", {
        value: hours_points(value, terms.hours_per_week, terms.contract_type) for value in HoursWanted.values
    })
    registration = choice_points("swe_registered", {
        flag: registration_points(terms.needs_registration, flag) for flag in (True, False)
    })
    rows = TalentRole.objects.none() if candidates.query.is_empty() else TalentRole.objects.all()
    return (
        rows.filter(
            job_role_id=terms.job_role_id,
            latitude__range=(box.min_latitude, box.max_latitude),
            longitude__range=(box.min_longitude, box.max_longitude),
        )
        .annotate(haversine_a=haversine_a(terms.latitude, terms.longitude))
        .filter(haversine_a__lte=haversine_a_limit(radius_km))
        .annotate(distance_km=haversine_km("haversine_a"))
        .annotate(score=linear_points("distance_km", radius_km, DISTANCE_POINTS) + availability + hours + registration)
        .order_by("-score", "distance_km", "-years_experience", "candidate_id")
    )


_FACT_COLUMNS = (
    "candidate_id", "score", "distance_km", "latitude", "longitude", "available_from", "hours_wanted",
    "swe_registered", "years_experience",
)


def find_matches(
    terms: VacancyTerms, candidates: QuerySet, *, radius_km: float, today: datetime.date,
    page: int = 1, per_page: int | None = None,
) -> ResultPage:
    """The ranked matches for a vacancy (see :func:`ranked_matches`) as a page of
    :class:`Match`: page ``page`` of ``per_page`` (every match with None; a page past
    the end gives the last). Three queries: a count, the page, and the access check of
    the people on it."""
    ranked = ranked_matches(terms, candidates, radius_km=radius_km, today=today)
    total = ranked.count()
    result = ResultPage.clamp(page, per_page or max(total, 1), total)
    rows = list(ranked.values_list(*_FACT_COLUMNS)[result.offset:result.offset + result.per_page])
    visible = set(candidates.filter(pk__in=[row[0] for row in rows]).values_list("pk", flat=True))
    result.rows = [
        Match(pk, score, distance, CandidateFacts(pk, lat, lon, available, hours, registered, years))
        for pk, score, distance, lat, lon, available, hours, registered, years in rows
        if pk in visible
    ]
    return result
