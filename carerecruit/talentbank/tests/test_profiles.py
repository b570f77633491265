"""Talent profiles: derived from applications, only for consenting people, kept fresh."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from carerecruit.candidates.actions import do_set_talent_bank_consent, do_submit_application
from carerecruit.candidates.models import Candidate
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.models import TalentProfile, TalentRole
from carerecruit.talentbank.profiles import rebuild_talent_profiles, refresh_talent_profile
from carerecruit.talentbank.tests.builders import add_postcodes, applicant
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


def _snapshot(profile):
    facts = (
        profile.latitude, profile.longitude, profile.hours_wanted, profile.available_from,
        profile.years_experience, profile.swe_registered,
    )
    roles = TalentRole.objects.filter(candidate_id=profile.candidate_id).order_by("job_role__code")
    # Every role row carries the profile's facts (what matching reads).
    for role in roles:
        assert (role.latitude, role.longitude, role.hours_wanted, role.available_from,
                role.years_experience, role.swe_registered) == facts
    return (
        *facts,
        [role.job_role.code for role in roles],
        sorted(profile.council_areas.values_list("gss_code", flat=True)),
    )


def test_profile_is_the_union_and_the_latest_of_a_persons_applications(campaign):
    add_postcodes()
    first = timezone.now() - datetime.timedelta(days=10)
    person = applicant(
        campaign, "Ann Lee", email="ann@example.org", phone="+447700900001", postcode="B15 2TT",
        roles=(6,), swe="SW104233", years=7, hours="full_time", start=datetime.date(2030, 1, 1),
        councils=("E08000025",), now=first,
    )
    other = make_campaign(slug="time-to-care", name="Time to Care")
    applicant(
        other, "Ann Lee", email="ann@example.org", phone="+447700900001", postcode="B15 2TT",
        roles=(8, 7), years=3, hours="part_time", start=datetime.date(2030, 2, 1), councils=("E08000030",),
    )
    profile = TalentProfile.objects.get(candidate=person)
    assert _snapshot(profile) == (
        52.4508, -1.9305, "part_time", datetime.date(2030, 2, 1), 7, True, [6, 7, 8],
        ["E08000025", "E08000030"],
    )


def test_no_profile_without_consent_and_withdrawal_deletes_it(campaign):
    add_postcodes()
    refused = applicant(campaign, "No Consent", consent=False)
    assert refresh_talent_profile(refused.pk) is None
    assert not TalentProfile.objects.filter(candidate=refused).exists()
    person = applicant(campaign, "Yes Consent")
    assert TalentProfile.objects.filter(candidate=person).exists()
    assert TalentRole.objects.filter(candidate=person).count() == 1
    do_set_talent_bank_consent(person, False)
    refresh_talent_profile(person.pk)
    assert not TalentProfile.objects.filter(candidate=person).exists()
    assert not TalentRole.objects.filter(candidate=person).exists()
    assert refresh_talent_profile(999_999) is None


def test_unlocatable_postcode_gives_no_point(campaign):
    person = applicant(campaign, "Shetland Person", postcode="ZE1 0AA")
    profile = TalentProfile.objects.get(candidate=person)
    assert (profile.latitude, profile.longitude) == (None, None)


def test_profile_follows_an_application_after_commit(campaign, django_capture_on_commit_callbacks):
    add_postcodes()
    data = {
        "full_name": "Siobhán O’Neill-Smith", "email": "siobhan@example.org", "phone": "+447700900123",
        "postcode": "B1 1BB", "job_roles": list(JobRole.objects.filter(code=6)), "swe_registration": "",
        "years_experience": 4, "current_role": "", "earliest_start": datetime.date(2030, 5, 1),
        "hours_wanted": "flexible", "council_areas": list(Organisation.objects.filter(gss_code="E08000025")),
        "right_to_work": "yes", "talent_bank_consent": True,
    }
    with django_capture_on_commit_callbacks(execute=True):
        application, _ = do_submit_application(campaign, data, None, send_email=False)
    profile = TalentProfile.objects.get(candidate_id=application.candidate_id)
    assert _snapshot(profile) == (
        52.4797, -1.9027, "flexible", datetime.date(2030, 5, 1), 4, False, [6], ["E08000025"]
    )
    # Withdrawing consent (a save of the candidate) removes the profile after commit.
    with django_capture_on_commit_callbacks(execute=True):
        do_set_talent_bank_consent(application.candidate, False)
    assert not TalentProfile.objects.filter(candidate_id=application.candidate_id).exists()


def test_rebuild_writes_the_same_profiles_as_refresh_and_drops_stale_ones(campaign):
    add_postcodes()
    a = applicant(campaign, "Ann Lee", postcode="WS1 1AA", roles=(8, 6), swe="SW5", years=5,
                  councils=("E08000030", "E08000025"))
    b = applicant(campaign, "Bo Chan", postcode="ZE1 0AA", roles=(7,), hours="part_time")
    c = applicant(campaign, "Cy Dee", consent=False)
    expected = {pk: _snapshot(TalentProfile.objects.get(pk=pk)) for pk in (a.pk, b.pk)}
    # A stale profile for someone who has not consented.
    TalentProfile.objects.create(candidate=c)
    TalentRole.objects.create(candidate=c, job_role=JobRole.objects.get(code=8))
    TalentProfile.objects.all().update(years_experience=0)
    assert rebuild_talent_profiles(batch_size=1) == 2
    assert {p.pk: _snapshot(p) for p in TalentProfile.objects.all()} == expected
    call_command("rebuild-talent-profiles", "--batch-size", "500")
    assert {p.pk: _snapshot(p) for p in TalentProfile.objects.all()} == expected
    assert Candidate.objects.count() == 3
    assert not TalentRole.objects.filter(candidate=c).exists()
