"""Matching: each score component, the ranking with its reasons, who is considered."""

import datetime
from decimal import Decimal

import pytest

from carerecruit.candidates.models import Candidate
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.access import talent_bank_visible_to
from carerecruit.talentbank.matching import (
    CandidateFacts,
    Match,
    VacancyTerms,
    availability_points,
    distance_points,
    explain,
    find_matches,
    hours_points,
    match_score,
    max_points,
    reference_date,
    registration_points,
)
from carerecruit.talentbank.tests.builders import add_postcodes, applicant, make_vacancy
from carerecruit.vacancies.models import ContractType

TODAY = datetime.date(2027, 3, 1)


def test_distance_points():
    assert distance_points(0, 25) == 40.0
    assert distance_points(12.5, 25) == 20.0
    assert round(distance_points(3.724736, 25), 3) == 34.040
    assert distance_points(25, 25) == 0.0
    assert distance_points(30, 25) == 0.0
    assert distance_points(1, 0) == 0.0


def test_availability_points_against_the_start_date():
    start = datetime.date(2027, 4, 1)
    assert reference_date(start, TODAY) == start
    assert reference_date(None, TODAY) == TODAY
    assert reference_date(datetime.date(2027, 1, 1), TODAY) == TODAY  # a start date in the past
    assert availability_points(datetime.date(2027, 3, 15), start) == 25
    assert availability_points(start, start) == 25
    assert availability_points(start + datetime.timedelta(days=28), start) == 15
    assert availability_points(start + datetime.timedelta(days=29), start) == 5
    assert availability_points(start + datetime.timedelta(days=91), start) == 5
    assert availability_points(start + datetime.timedelta(days=92), start) == 0
    assert availability_points(None, start) == 0


@pytest.mark.parametrize(
    ("wanted", "hours", "contract", "points"),
    [
        ("full_time", Decimal("37.5"), ContractType.PERMANENT, 20),
        ("full_time", Decimal("30"), ContractType.TEMPORARY, 20),
        ("part_time", Decimal("16"), ContractType.PERMANENT, 20),
        ("part_time", Decimal("37.5"), ContractType.PERMANENT, 0),
        ("full_time", Decimal("29.5"), ContractType.PERMANENT, 0),
        ("flexible", Decimal("37.5"), ContractType.PERMANENT, 10),
        ("flexible", Decimal("12"), ContractType.POOL_BANK, 20),
        ("full_time", Decimal("12"), ContractType.POOL_BANK, 10),
        ("", Decimal("37.5"), ContractType.PERMANENT, 0),
    ],
)
def test_hours_points(wanted, hours, contract, points):
    assert hours_points(wanted, hours, contract) == points


def test_registration_points_only_count_for_roles_that_need_it():
    assert registration_points(True, True) == 15
    assert registration_points(True, False) == 0
    assert registration_points(False, True) == 0


def _terms(**overrides):
    fields = {
        "job_role_id": 1, "job_role_name": "Social worker", "needs_registration": True,
        "latitude": 52.4797, "longitude": -1.9027, "hours_per_week": Decimal("37"),
        "contract_type": ContractType.PERMANENT, "start_date": datetime.date(2027, 4, 1),
    }
    fields.update(overrides)
    return VacancyTerms(**fields)


def test_score_and_reasons_of_one_candidate():
    terms = _terms()
    facts = CandidateFacts(7, 52.4508, -1.9305, datetime.date(2027, 4, 20), "part_time", False, 4)
    match = Match(7, match_score(terms, facts, 3.724736, 25, TODAY), 3.724736, facts)
    assert round(match.score, 1) == 34.0 + 15 + 0 + 0
    assert max_points(terms) == 100
    assert max_points(_terms(needs_registration=False)) == 85
    reasons = explain(terms, match, 25, TODAY)
    assert [(r.label, round(r.points, 1), r.max_points, r.good) for r in reasons] == [
        ("Wants to work as: Social worker", 0, 0, True),
        ("3.7 km away (within 25 km)", 34.0, 40, True),
        ("Can start from 20 April 2027 (19 days after the start date)", 15, 25, False),
        ("Wants: Part time (under 30 hours a week); this job: 37 hours a week", 0, 20, False),
        ("No Social Work England registration number given", 0, 15, False),
    ]
    ready = CandidateFacts(8, 52.4797, -1.9027, TODAY, "full_time", True, 1)
    labels = [r.label for r in explain(terms, Match(8, 100.0, 0.0, ready), 25, TODAY)]
    assert labels[2:] == [
        "Can start by the start date, 1 April 2027",
        "Wants: Full time (30 hours a week or more); this job: 37 hours a week",
        "Gave a Social Work England registration number",
    ]
    no_start = _terms(start_date=None, needs_registration=False, contract_type=ContractType.POOL_BANK)
    labels = [r.label for r in explain(no_start, Match(8, 0.0, 0.0, ready), 25, TODAY)]
    assert labels[2:] == ["Can start now", "Wants: Full time (30 hours a week or more); this job: bank or pool shifts"]


@pytest.mark.django_db
def test_find_matches_ranks_with_reasons_and_keeps_out_who_must_be_kept_out(personas, campaign):
    add_postcodes()
    today = local_today()
    near_registered = applicant(campaign, "Near Registered", postcode="B15 2TT", roles=(6,), swe="SW104233",
                                years=3, start=today)
    near_unregistered = applicant(campaign, "Near Unregistered", postcode="B15 2TT", roles=(6,), years=9,
                                  start=today)
    farther = applicant(campaign, "Walsall Person", postcode="WS1 1AA", roles=(6,), swe="SW5", years=1,
                        start=today)
    part_timer = applicant(campaign, "Part Timer", postcode="B1 1BB", roles=(6,), swe="SW6", hours="part_time",
                           start=today + datetime.timedelta(days=10))
    # Kept out: wrong role, too far, no consent.
    applicant(campaign, "Occupational Therapist", postcode="B1 1BB", roles=(15,))
    applicant(campaign, "Coventry Person", postcode="CV1 5FB", roles=(6,), swe="SW7")
    refused = applicant(campaign, "No Consent", postcode="B1 1BB", roles=(6,), swe="SW8", consent=False)

    vacancy = make_vacancy(personas.council_a, job_role=_role(6), title="Social worker")
    terms = VacancyTerms.of(vacancy)
    pool = talent_bank_visible_to(personas.provider_recruiter)
    matches = find_matches(terms, pool, radius_km=25, today=today)
    assert [(Candidate.objects.get(pk=m.candidate_id).full_name, round(m.score, 1), round(m.distance_km, 2))
            for m in matches] == [
        ("Near Registered", 34.0 + 25 + 20 + 15, 3.72),
        ("Walsall Person", 19.2 + 25 + 20 + 15, 13.03),
        ("Near Unregistered", 34.0 + 25 + 20 + 0, 3.72),
        ("Part Timer", 40.0 + 15 + 0 + 15, 0.0),
    ]
    assert [m.candidate_id for m in matches] == [
        near_registered.pk, farther.pk, near_unregistered.pk, part_timer.pk
    ]
    assert matches.count == 4
    for match in matches:  # the database's score is the Python rules' score
        assert match.score == pytest.approx(match_score(terms, match.facts, match.distance_km, 25, today), abs=1e-9)
    assert refused.pk not in {m.candidate_id for m in find_matches(
        terms, talent_bank_visible_to(personas.regional_admin), radius_km=100, today=today)}
    # 50 km reaches Coventry; limit keeps the best only.
    assert find_matches(terms, pool, radius_km=50, today=today).count == 5
    best = find_matches(terms, pool, radius_km=50, today=today, per_page=1)
    assert (best.count, [m.candidate_id for m in best]) == (5, [near_registered.pk])
    second_page = find_matches(terms, pool, radius_km=50, today=today, page=2, per_page=1)
    assert [m.candidate_id for m in second_page] == [farther.pk]
    beyond = find_matches(terms, pool, radius_km=50, today=today, page=99, per_page=2)
    assert (beyond.number, beyond.num_pages, len(beyond)) == (3, 3, 1)
    # Viewers get nobody from the access layer.
    assert find_matches(terms, talent_bank_visible_to(personas.viewer), radius_km=25, today=today).rows == []


def _role(code):
    from carerecruit.reference.models import JobRole

    return JobRole.objects.get(code=code)


@pytest.mark.django_db
def test_a_stale_talent_role_is_never_matched(personas, campaign):
    add_postcodes()
    kept = applicant(campaign, "Kept Person", postcode="B1 1BB", roles=(8,))
    gone = applicant(campaign, "Gone Person", postcode="B1 1BB", roles=(8,))
    Candidate.objects.filter(pk=gone.pk).update(talent_bank_consent=False)  # no signal: stale rows
    terms = VacancyTerms.of(make_vacancy(personas.council_a))
    page = find_matches(terms, talent_bank_visible_to(personas.council_a_recruiter), radius_km=25,
                        today=local_today())
    assert [m.candidate_id for m in page] == [kept.pk]
