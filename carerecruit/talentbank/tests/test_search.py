"""Talent bank search: filters, name folding, distance, ranking, consent."""

import datetime

import pytest
from django.utils import timezone

from carerecruit.candidates.models import Candidate
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.access import applications_visible_to, talent_bank_visible_to
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.geo import Point
from carerecruit.talentbank.search import (
    TalentSearch,
    active_points,
    experience_points,
    rank,
    search_score,
    start_points,
)
from carerecruit.talentbank.tests.builders import POSTCODES, add_postcodes, applicant

pytestmark = pytest.mark.django_db

BIRMINGHAM = Point(*POSTCODES["B1 1BB"][:2])


def names(ranked):
    people = Candidate.objects.in_bulk([r.candidate_id for r in ranked])
    return [people[r.candidate_id].full_name for r in ranked]


def test_score_components():
    today = datetime.date(2027, 3, 1)
    assert [active_points(today - datetime.timedelta(days=d), today) for d in (0, 30, 31, 90, 91, 365, 366)] == [
        30, 30, 20, 20, 10, 10, 0
    ]
    assert [start_points(d, today) for d in (
        today - datetime.timedelta(days=5), today, today + datetime.timedelta(days=28),
        today + datetime.timedelta(days=29), None,
    )] == [20, 20, 10, 0, 0]
    assert [experience_points(y) for y in (0, 4, 10, 25)] == [0, 4, 10, 10]
    assert search_score(distance_km=5, radius_km=10, last_active=today, available_from=today, years=3,
                        today=today) == 20.0 + 30 + 20 + 3
    assert round(search_score(distance_km=3.724736, radius_km=4, last_active=today, available_from=None,
                              years=0, today=today), 3) == 2.753 + 30
    assert search_score(distance_km=None, radius_km=None, last_active=today - datetime.timedelta(days=100),
                        available_from=None, years=12, today=today) == 10 + 0 + 10


def test_name_search_folds_accents_apostrophes_and_case(campaign):
    siobhan = applicant(campaign, "Siobhán O’Neill-Smith")
    applicant(campaign, "Sean Oneil")
    everyone = Candidate.objects.filter(talent_bank_consent=True)
    today = local_today()
    for query in ("oneill", "O'Neill", "O’Neill", "ONEILL", "siobhan", "Siobhán o'neill", "smith", "neill-smith"):
        assert [r.candidate_id for r in rank(everyone, TalentSearch(name=query), today)] == [siobhan.pk], query
    assert rank(everyone, TalentSearch(name="oneill jones"), today).rows == []
    assert len(rank(everyone, TalentSearch(name="o"), today)) == 2


def test_filters(campaign):
    add_postcodes()
    today = local_today()
    social_worker = applicant(campaign, "Social Worker", roles=(6,), swe="SW104233", years=8,
                              start=today + datetime.timedelta(days=60), hours="part_time",
                              councils=("E08000030",))
    care_worker = applicant(campaign, "Care Worker", roles=(8,), years=1, start=today, hours="full_time")
    old_timer = applicant(campaign, "Old Timer", roles=(8,), years=20, start=today, hours="flexible",
                          now=timezone.now() - datetime.timedelta(days=400))
    everyone = Candidate.objects.filter(talent_bank_consent=True)

    def found(**filters):
        return {r.candidate_id for r in rank(everyone, TalentSearch(**filters), today)}

    assert found() == {social_worker.pk, care_worker.pk, old_timer.pk}
    assert found(job_role_id=JobRole.objects.get(code=6).pk) == {social_worker.pk}
    assert found(job_role_id=JobRole.objects.get(code=8).pk) == {care_worker.pk, old_timer.pk}
    assert found(swe_registered=True) == {social_worker.pk}
    assert found(min_years=8) == {social_worker.pk, old_timer.pk}
    assert found(min_years=9) == {old_timer.pk}
    assert found(available_by=today) == {care_worker.pk, old_timer.pk}
    assert found(available_by=today + datetime.timedelta(days=60)) == {social_worker.pk, care_worker.pk, old_timer.pk}
    assert found(hours_wanted="part_time") == {social_worker.pk}
    assert found(hours_wanted="flexible") == {old_timer.pk}
    walsall = Organisation.objects.get(gss_code="E08000030")
    assert found(council_area_id=walsall.pk) == {social_worker.pk}
    assert found(active_since=today - datetime.timedelta(days=30)) == {social_worker.pk, care_worker.pk}
    assert found(active_since=today + datetime.timedelta(days=1)) == set()
    # With a job role the search reads TalentRole rows: every other filter still holds.
    care = JobRole.objects.get(code=8).pk
    assert found(job_role_id=care, min_years=2) == {old_timer.pk}
    assert found(job_role_id=care, hours_wanted="full_time", available_by=today, name="care") == {care_worker.pk}
    assert found(job_role_id=JobRole.objects.get(code=6).pk, council_area_id=walsall.pk, swe_registered=True,
                 active_since=today) == {social_worker.pk}
    assert found(job_role_id=care, council_area_id=walsall.pk) == set()
    assert found(job_role_id=care, active_since=today - datetime.timedelta(days=30)) == {care_worker.pk}


def test_distance_filter_uses_haversine_after_the_box(campaign):
    add_postcodes()
    today = local_today()
    for name, postcode in (("Edgbaston", "B15 2TT"), ("Walsall", "WS1 1AA"), ("Wolverhampton", "WV1 1AA"),
                           ("Coventry", "CV1 5FB"), ("Stoke", "ST1 1AA"), ("Nowhere", "ZE1 0AA")):
        applicant(campaign, name, postcode=postcode, start=today, years=0)
    everyone = Candidate.objects.filter(talent_bank_consent=True)

    def within(km):
        ranked = rank(everyone, TalentSearch(origin=BIRMINGHAM, within_km=km), today)
        for result in ranked:  # the database's score is the Python rules' score
            person = Candidate.objects.get(pk=result.candidate_id)
            assert result.score == pytest.approx(search_score(
                distance_km=result.distance_km, radius_km=km, last_active=today,
                available_from=person.talent_profile.available_from, years=0, today=today,
            ), abs=1e-9)
        return [(name, round(r.distance_km, 2), round(r.score, 1))
                for name, r in zip(names(ranked), ranked, strict=True)]

    assert within(3) == []
    assert within(4) == [("Edgbaston", 3.72, round(40 * (1 - 3.724736 / 4), 1) + 30 + 20)]
    assert within(20) == [
        ("Edgbaston", 3.72, 32.6 + 50), ("Walsall", 13.03, 13.9 + 50), ("Wolverhampton", 19.34, 1.3 + 50),
    ]
    # Wolverhampton, 19.34 km away, is not within 19 km.
    assert [n for n, _d, _s in within(19)] == ["Edgbaston", "Walsall"]
    assert [n for n, _d, _s in within(30)] == ["Edgbaston", "Walsall", "Wolverhampton", "Coventry"]
    assert len(rank(everyone, TalentSearch(), today)) == 6  # without a distance: everyone, Nowhere too


def test_ranking_order_and_ties(campaign):
    today = local_today()
    recent = applicant(campaign, "Recent Starter", years=2, start=today)
    stale = applicant(campaign, "Stale Veteran", years=10, start=today,
                      now=timezone.now() - datetime.timedelta(days=200))
    later = applicant(campaign, "Later Starter", years=2, start=today + datetime.timedelta(days=40))
    tie_older = applicant(campaign, "Tie Older", years=2, start=today,
                          now=timezone.now() - datetime.timedelta(days=5))
    ranked = rank(Candidate.objects.filter(talent_bank_consent=True), TalentSearch(), today)
    assert [(r.candidate_id, round(r.score, 1)) for r in ranked] == [
        (recent.pk, 30 + 20 + 2),
        (tie_older.pk, 30 + 20 + 2),  # same score, less recently active
        (stale.pk, 10 + 20 + 10),
        (later.pk, 30 + 0 + 2),
    ]


def test_a_candidate_who_did_not_consent_is_never_in_the_talent_bank(personas, campaign):
    add_postcodes()
    today = local_today()
    refused = applicant(campaign, "Private Person", postcode="B1 1BB", councils=("E08000025",), consent=False)
    application = refused.applications.get()
    # Their application still reaches the council it was routed to: that is the pipeline.
    assert application in applications_visible_to(personas.council_a_recruiter)
    assert application not in applications_visible_to(personas.council_b_recruiter)
    # The talent bank excludes them for everyone, whatever the filters.
    for persona in ("regional_admin", "campaign_manager", "council_a_recruiter", "council_b_recruiter",
                    "provider_recruiter", "viewer"):
        user = getattr(personas, persona)
        for identities in (True, False):
            pool = talent_bank_visible_to(user, identities=identities)
            assert not pool.filter(pk=refused.pk).exists()
            assert rank(pool, TalentSearch(name="private person"), today).count == 0
            assert rank(pool, TalentSearch(origin=BIRMINGHAM, within_km=5), today).count == 0
            assert rank(pool, TalentSearch(job_role_id=JobRole.objects.get(code=8).pk), today).count == 0


def test_a_stale_profile_is_never_shown(personas, campaign, client):
    """Consent withdrawn by a bulk update sends no signal, so the person's profile stays
    until the next refresh: they may still be counted, but are never shown or exported."""
    add_postcodes()
    today = local_today()
    kept = applicant(campaign, "Kept Person", postcode="B1 1BB", roles=(8,))
    gone = applicant(campaign, "Gone Person", postcode="B1 1BB", roles=(8,))
    Candidate.objects.filter(pk=gone.pk).update(talent_bank_consent=False)
    pool = talent_bank_visible_to(personas.council_a_recruiter)
    care = JobRole.objects.get(code=8).pk
    for search in (TalentSearch(), TalentSearch(job_role_id=care), TalentSearch(origin=BIRMINGHAM, within_km=5)):
        page = rank(pool, search, today)
        assert [r.candidate_id for r in page] == [kept.pk]
    client.force_login(personas.council_a_recruiter)
    assert "Gone Person" not in client.get("/staff/talent-bank/").content.decode()
    assert "Gone Person" not in client.get("/staff/talent-bank/export.csv").content.decode("utf-8-sig")
