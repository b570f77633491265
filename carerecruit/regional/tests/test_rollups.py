"""The rollups give exactly what the raw rows give: after the worker's refresh, and
after writes the worker has not seen yet (new rows in the live tail; deletions and
talent-bank changes, which send the datasets back to the raw rows until the next
refresh)."""

import datetime

import pytest

from carerecruit.candidates.models import Candidate
from carerecruit.placements.models import ApplicationRoute
from carerecruit.regional import rollups
from carerecruit.regional.datasets import DATASET_NAMES, UNRESTRICTED, Filters, build_dataset
from carerecruit.regional.models import (
    ApplicationDayRollup,
    RollupState,
    RouteDayRollup,
    TalentSupplyRollup,
)
from carerecruit.regional.tests import fixtures
from carerecruit.regional.tests.fixtures import CARE_WORKER, END, START, make_region
from carerecruit.talentbank.profiles import refresh_talent_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(personas):
    return make_region(personas)


def filter_sets(region):
    return [
        Filters(), Filters(START, END), Filters(START, None), Filters(START, datetime.date(2026, 10, 31)),
        Filters(START, None, council_id=region.a.pk), Filters(START, None, job_role_code=CARE_WORKER),
        Filters(START, None, council_id=region.b.pk, job_role_code=CARE_WORKER),
        Filters(START, None, job_role_code=25), Filters(datetime.date(2026, 5, 1), None),
    ]


def assert_same_as_direct(region, viewers=(UNRESTRICTED,)):
    for filters in filter_sets(region):
        for viewer in viewers:
            for name in DATASET_NAMES:
                got = build_dataset(name, viewer=viewer, filters=filters).rows
                with rollups.direct_queries():
                    expected = build_dataset(name, viewer=viewer, filters=filters).rows
                assert got == expected, (name, filters, viewer)


def test_rollups_give_the_direct_figures(region, personas):
    assert rollups.refresh_regional_rollups()["supply"] is True
    # The rollups are read (not the raw rows) for these filters.
    open_end = Filters(START, None)
    assert rollups.routes_counts(open_end, by_month=True) == {
        (region.a.pk, "2026-04"): 3, (region.a.pk, "2026-05"): 1, (region.b.pk, "2026-04"): 3}
    assert rollups.applications_by_campaign_channel(open_end) == {
        (region.campaign.pk, "facebook"): 5, (region.campaign.pk, "email"): 2}
    assert rollups.talent_bank_by_council(open_end) == {region.a.pk: 3, region.b.pk: 3}
    assert len(rollups.supply_rows(open_end)) == 3  # as at today, 15 June is "now" too
    assert rollups.placement_histogram(Filters(START, END)) == {
        (region.a.pk, "2026-04"): {10: 1}, (region.b.pk, "2026-04"): {8: 1, 9: 1, 10: 1}}
    to_october = Filters(START, datetime.date(2026, 10, 31))
    assert rollups.checkpoint_counts(to_october, by_month=False)[(region.a.pk, CARE_WORKER, 3)] == {
        "due": 2, "answered": 1, "retained": 1}
    assert rollups.checkpoint_counts(to_october, by_month=True)[(region.b.pk, "2026-07", 3)] == {
        "due": 3, "answered": 3, "retained": 2}
    # A past snapshot date is not the rollup's: the raw rows answer.
    assert rollups.supply_rows(Filters(START, END)) is None
    # Local days: A 10, 20, 30 April and 1 May (23:30 UTC on 30 April); B 5, 6, 7 April.
    assert RouteDayRollup.objects.filter(job_role_code=0).count() == 7
    assert_same_as_direct(region, viewers=(UNRESTRICTED, region.a.pk, None))


def test_new_rows_count_at_once_through_the_live_tail(region):
    rollups.refresh_regional_rollups()
    app = fixtures.application(region.campaign, region.a, "2026-05-03T10:00", "facebook")
    assert rollups.routes_counts(Filters(START, None), by_month=True)[(region.a.pk, "2026-05")] == 2
    assert rollups.applications_by_campaign_channel(Filters(START, None))[(region.campaign.pk, "facebook")] == 6
    assert_same_as_direct(region)
    # The worker folds the tail into the rollup: same figures, watermark moved.
    rollups.refresh_regional_rollups()
    assert RollupState.objects.get(name="routes").source_mark == app.routes.get().pk
    assert ApplicationDayRollup.objects.get(day=datetime.date(2026, 5, 3)).applications == 1
    assert_same_as_direct(region)


def test_deletions_and_talent_changes_fall_back_until_the_worker_rebuilds(region):
    rollups.refresh_regional_rollups()
    # An erasure deletes a candidate's applications and routes.
    route = ApplicationRoute.objects.filter(organisation=region.b).order_by("pk").first()
    route.application.candidate.delete()
    assert rollups.routes_counts(Filters(), by_month=False) is None
    assert rollups.applications_by_campaign_channel(Filters()) is None
    # A talent-bank change (consent withdrawn, through the talent bank's refresh).
    person = Candidate.objects.filter(talent_profile__council_areas=region.b).first()
    Candidate.objects.filter(pk=person.pk).update(talent_bank_consent=False)
    refresh_talent_profile(person.pk)
    assert rollups.supply_rows(Filters(START, None)) is None
    assert_same_as_direct(region)
    councils = {r["council_gss"]: r for r in build_dataset("councils", viewer=UNRESTRICTED, filters=Filters(START, None)).rows}
    assert (councils["E08000026"]["applications"], councils["E08000026"]["talent_bank_candidates"]) == (2, 2)
    # The worker rebuilds: the rollups answer again, with the same figures.
    rollups.refresh_regional_rollups()
    assert rollups.routes_counts(Filters(), by_month=False) == {(region.a.pk,): 4, (region.b.pk,): 2}
    assert rollups.talent_bank_by_council(Filters(START, None)) == {region.a.pk: 3, region.b.pk: 2}
    assert_same_as_direct(region)


def test_changed_job_roles_and_bulk_inserts(region):
    from carerecruit.talentbank.models import TalentRole

    rollups.refresh_regional_rollups()
    app = ApplicationRoute.objects.filter(organisation=region.a).order_by("pk").first().application
    app.job_roles.add(25)  # pk 25 is not code 25; whatever it is, rows follow the code
    assert rollups.routes_counts(Filters(), by_month=False) is None
    assert_same_as_direct(region)
    rollups.refresh_regional_rollups()
    # bulk_create sends no signal: the talent bank's newest row id gives it away.
    person = fixtures.talent(region.a, datetime.date(2026, 4, 1), "full_time")
    TalentRole.objects.filter(candidate=person).delete()
    TalentRole.objects.bulk_create([TalentRole(candidate=person, job_role_id=3)])
    assert rollups.supply_rows(Filters(START, None)) is None
    assert_same_as_direct(region)
    assert rollups.refresh_supply() is True
    assert rollups.refresh_supply() is False  # nothing changed since
    assert TalentSupplyRollup.objects.filter(job_role_code=0, council=region.a).get().candidates == 4
    assert_same_as_direct(region)


def test_campaign_outcomes_follow_answered_checkpoints(region):
    from carerecruit.placements.models import RetentionCheckpoint

    rollups.refresh_regional_rollups()
    facebook = (region.campaign.pk, "facebook")
    assert rollups.campaign_outcomes(Filters(START, END)) == ({facebook: 5}, {facebook: 1})
    assert rollups.campaign_outcomes(Filters(datetime.date(2026, 4, 11), END)) == ({facebook: 1}, {})  # a2 only
    # Birmingham's first placement: its 6-month checkpoint said "left"; now "in post".
    checkpoint = RetentionCheckpoint.objects.get(placement__organisation=region.a, months=6)
    checkpoint.status = "in_post"
    checkpoint.save()
    assert rollups.campaign_outcomes(Filters(START, END)) is None
    assert_same_as_direct(region)
    rollups.refresh_regional_rollups()
    assert rollups.campaign_outcomes(Filters(START, END)) == ({facebook: 5}, {facebook: 2})
    assert_same_as_direct(region)
    # A new placement moves the fingerprint (no signal needed).
    app = fixtures.application(region.campaign, region.b, "2026-04-25T10:00", "email")
    fixtures.place(app, "2026-04-28T10:00", datetime.date(2026, 5, 4), {})
    assert rollups.campaign_outcomes(Filters(START, END)) is None
    assert_same_as_direct(region)


def test_workforce_rollup_matches_workforce_figures(region):
    from carerecruit.workforce.aggregates import workforce_figures
    from carerecruit.workforce.tests.helpers import import_valid

    rollups.refresh_regional_rollups()
    for by_role in (False, True):
        for kwargs in ({}, {"council_id": region.a.pk}, {"job_role_code": CARE_WORKER}):
            found = rollups.workforce_figures(by_role=by_role, as_at=END, **kwargs)
            direct = workforce_figures(
                by_council=True, by_job_role=by_role, as_at=END,
                councils=[kwargs["council_id"]] if "council_id" in kwargs else None,
                job_roles=[kwargs["job_role_code"]] if "job_role_code" in kwargs else None,
            )
            assert found == direct and found
    # A re-upload replaces Birmingham's return: the rollup steps aside until rebuilt.
    assert import_valid(organisation=region.a).ok
    assert rollups.workforce_figures(by_role=False, as_at=END) is None
    assert_same_as_direct(region)
    rollups.refresh_regional_rollups()
    assert rollups.workforce_figures(by_role=True, as_at=END) == workforce_figures(
        by_council=True, by_job_role=True, as_at=END)
