"""Merging duplicates: applications and history kept, consent, audit; who may merge."""

import datetime

import pytest
from django.utils import timezone

from carerecruit.candidates.actions import do_set_talent_bank_consent
from carerecruit.candidates.models import Application, Candidate, ConsentChange
from carerecruit.organisations.audit import log_access
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.placements.models import ApplicationRoute
from carerecruit.talentbank.actions import MergeError, consent_decision, do_merge_candidates
from carerecruit.talentbank.duplicates import find_duplicates
from carerecruit.talentbank.models import CandidateMerge, DuplicateCandidatePair, TalentProfile
from carerecruit.talentbank.tests.builders import applicant, make_vacancy
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD
from carerecruit.vacancies.actions import do_shortlist_candidate
from carerecruit.vacancies.models import Shortlist, VacancyApplication

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(n):
    return NOW - datetime.timedelta(days=n)


@pytest.fixture
def pair(campaign):
    """Ann Lee applied to the campaign 20 days ago; "Anne Lee" (new e-mail and phone,
    same postcode) applied to it again 5 days ago and to a second campaign 3 days ago."""
    ann = applicant(campaign, "Ann Lee", email="ann@example.org", phone="+447700900001", postcode="B15 2TT",
                    roles=(8,), years=3, councils=("E08000025",), now=days_ago(20))
    anne = applicant(campaign, "Anne Lee", email="anne.lee@example.net", phone="+447700900002",
                     postcode="B15 2TT", roles=(7,), years=4, councils=("E08000025", "E08000026"),
                     now=days_ago(5), consent=False)
    second = make_campaign(slug="time-to-care", name="Time to Care")
    applicant(second, "Anne Lee", email="anne.lee@example.net", phone="+447700900002", postcode="B15 2TT",
              roles=(8,), now=days_ago(3), consent=False)
    assert find_duplicates() == 1
    return DuplicateCandidatePair.objects.get(), ann, anne


def test_merge_keeps_every_application_and_the_history(personas, campaign, pair):
    pair, ann, anne = pair
    earlier = ann.applications.get(campaign=campaign)
    later = anne.applications.get(campaign=campaign)
    second = anne.applications.get(campaign__slug="time-to-care")
    vacancy = make_vacancy(personas.provider)
    VacancyApplication.objects.create(vacancy=vacancy, application=later)
    log_access(personas.regional_admin, "view", "application", candidate_codes=[anne.code])
    routes_before = set(ApplicationRoute.objects.filter(application=later).values_list("organisation__gss_code", flat=True))
    assert routes_before == {"E08000025", "E08000026"}

    merge = do_merge_candidates(pair, survivor=ann, user=personas.regional_admin)

    ann.refresh_from_db()
    assert not Candidate.objects.filter(pk=anne.pk).exists()
    assert set(Application.objects.filter(candidate=ann).values_list("pk", flat=True)) == {earlier.pk, second.pk}
    assert not Application.objects.filter(pk=later.pk).exists()
    # The later application's links and routes moved to the earlier one, except the
    # Birmingham route the earlier one already had.
    assert VacancyApplication.objects.get(vacancy=vacancy).application_id == earlier.pk
    assert sorted(ApplicationRoute.objects.filter(application=earlier).values_list(
        "organisation__gss_code", flat=True)) == ["E08000025", "E08000026"]
    # The earlier application's own answers are unchanged.
    assert list(earlier.job_roles.values_list("code", flat=True)) == [8]
    assert (ann.full_name, ann.email, ann.phone_e164, ann.postcode) == (
        "Ann Lee", "ann@example.org", "+447700900001", "B15 2TT"
    )
    assert ann.created_at == days_ago(20)
    assert ann.last_active_at == days_ago(3)
    assert merge.survivor == ann and merge.merged_code == anne.code and merge.merged_by == personas.regional_admin
    note = merge.note
    assert note["removed"] == {
        "full_name": "Anne Lee", "email": "anne.lee@example.net", "phone": "+447700900002",
        "postcode": "B15 2TT", "created_at": days_ago(5).isoformat(), "last_active_at": days_ago(3).isoformat(),
    }
    assert [(a["code"], a["full_name_given"], a["job_roles"], a["council_areas"], a["years_experience"])
            for a in note["dropped_applications"]] == [
        (str(later.code), "Anne Lee", [7], ["E08000025", "E08000026"], 4)
    ]
    assert note["rows_not_moved"] == {"placements.applicationroute": 1}
    # Consent: Ann's (given 20 days ago) is the only explicit choice.
    assert note["consent"] == {"given": True, "at": days_ago(20).isoformat(), "from": "record"}
    assert (ann.talent_bank_consent, ann.talent_bank_consent_at) == (True, days_ago(20))
    # The audit trail follows the person; the merge itself is audited.
    assert PersonalDataAccess.objects.filter(candidate_code=anne.code).count() == 0
    assert PersonalDataAccess.objects.filter(candidate_code=ann.code, resource="application").count() == 1
    merge_line = PersonalDataAccess.objects.get(action="merge")
    assert (merge_line.user, merge_line.candidate_code, merge_line.resource) == (
        personas.regional_admin, ann.code, "candidate merge"
    )
    assert not DuplicateCandidatePair.objects.exists()
    with pytest.raises(MergeError):
        do_merge_candidates(pair, survivor=ann, user=personas.regional_admin)


def test_survivor_can_be_the_later_record_and_takes_a_missing_phone(personas, campaign, pair):
    pair, ann, anne = pair
    Candidate.objects.filter(pk=anne.pk).update(phone_e164="")
    anne.refresh_from_db()
    earlier = ann.applications.get(campaign=campaign)
    do_merge_candidates(pair, survivor=anne, user=personas.regional_admin)
    anne.refresh_from_db()
    assert anne.phone_e164 == "+447700900001"
    assert anne.email == "anne.lee@example.net"
    assert anne.applications.get(campaign=campaign).pk == earlier.pk


def test_consent_is_the_most_recent_explicit_choice(campaign):
    a = applicant(campaign, "A Person", now=days_ago(30))
    b = applicant(campaign, "B Person", consent=False, now=days_ago(20))
    assert consent_decision([a, b]) == {"given": True, "at": days_ago(30), "from": "record"}
    do_set_talent_bank_consent(b, True, now=days_ago(10))
    do_set_talent_bank_consent(b, False, now=days_ago(2))
    b.refresh_from_db()
    assert consent_decision([a, b]) == {"given": False, "at": days_ago(2), "from": "history"}
    do_set_talent_bank_consent(a, False, now=days_ago(1))
    do_set_talent_bank_consent(a, True, now=days_ago(0))
    a.refresh_from_db()
    assert consent_decision([a, b]) == {"given": True, "at": days_ago(0), "from": "history"}
    nobody = applicant(campaign, "C Person", consent=False)
    assert consent_decision([nobody]) == {"given": False, "at": None, "from": "none"}


def test_a_withdrawal_on_the_removed_record_wins_over_older_consent(personas, campaign, pair):
    pair, ann, anne = pair
    do_set_talent_bank_consent(anne, True, now=days_ago(2))
    do_set_talent_bank_consent(anne, False, now=days_ago(1))
    do_merge_candidates(pair, survivor=ann, user=personas.regional_admin)
    ann.refresh_from_db()
    assert (ann.talent_bank_consent, ann.talent_bank_consent_at) == (False, None)
    assert ConsentChange.objects.filter(candidate=ann).count() == 2  # the history moved with the person


def test_shortlists_and_other_pairs_follow_the_person(personas, campaign, pair):
    pair, ann, anne = pair
    vacancy = make_vacancy(personas.council_a)
    other_vacancy = make_vacancy(personas.council_a, title="Night care worker")
    do_shortlist_candidate(vacancy, ann, user=None)
    do_shortlist_candidate(vacancy, anne, user=None)
    do_shortlist_candidate(other_vacancy, anne, user=None)
    third = applicant(campaign, "Anne Leigh", postcode="B15 2TT")
    other_pair = DuplicateCandidatePair.objects.create(candidate_a=anne, candidate_b=third, reason="name_postcode",
                                                       similarity=0.9)
    merge = do_merge_candidates(pair, survivor=ann, user=None)
    assert sorted(Shortlist.objects.filter(candidate=ann).values_list("vacancy_id", flat=True)) == sorted(
        [vacancy.pk, other_vacancy.pk]
    )
    assert merge.note["rows_not_moved"]["vacancies.shortlist"] == 1
    other_pair.refresh_from_db()
    assert (other_pair.candidate_a_id, other_pair.candidate_b_id) == (ann.pk, third.pk)
    assert not TalentProfile.objects.filter(candidate_id=anne.pk).exists()
    assert CandidateMerge.objects.filter(survivor=ann).count() == 1


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_regional_admin_reviews_merges_and_dismisses(client, personas, campaign, pair):
    pair, ann, anne = pair
    login(client, personas.regional_admin)
    page = client.get("/staff/duplicates/").content.decode()
    assert "1 pair to review" in page and "Ann Lee" in page and "Anne Lee" in page
    review_url = f"/staff/duplicates/{pair.code}/"
    page = client.get(review_url).content.decode()
    assert "anne.lee@example.net" in page and "Time to Care" in page
    viewed = PersonalDataAccess.objects.filter(resource="possible duplicate")
    assert sorted(str(c) for c in viewed.values_list("candidate_code", flat=True)) == sorted([str(ann.code), str(anne.code)])
    response = client.post(review_url, {})
    assert "Select the record to keep" in response.content.decode()
    response = client.post(review_url, {"keep": str(ann.code)})
    assert response.status_code == 302 and response["Location"] == "/staff/duplicates/"
    assert not Candidate.objects.filter(pk=anne.pk).exists()
    assert client.get(review_url).status_code == 404


def test_dismissing_a_pair(client, personas, pair):
    pair, ann, anne = pair
    login(client, personas.regional_admin)
    response = client.post(f"/staff/duplicates/{pair.code}/dismiss/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.reviewed_by) == ("dismissed", personas.regional_admin)
    assert Candidate.objects.filter(pk__in=[ann.pk, anne.pk]).count() == 2
    assert "There are no possible duplicates" in client.get("/staff/duplicates/").content.decode()
    assert client.get(f"/staff/duplicates/{pair.code}/dismiss/").status_code == 405


@pytest.mark.parametrize(
    "persona", ["campaign_manager", "council_a_recruiter", "council_b_recruiter", "provider_recruiter", "viewer"]
)
def test_other_staff_get_403(client, personas, pair, persona):
    pair, ann, anne = pair
    login(client, getattr(personas, persona))
    assert client.get("/staff/duplicates/").status_code == 403
    assert client.get(f"/staff/duplicates/{pair.code}/").status_code == 403
    assert client.post(f"/staff/duplicates/{pair.code}/", {"keep": str(ann.code)}).status_code == 403
    assert client.post(f"/staff/duplicates/{pair.code}/dismiss/").status_code == 403
    assert Candidate.objects.filter(pk__in=[ann.pk, anne.pk]).count() == 2
    assert DuplicateCandidatePair.objects.get().status == "pending"
