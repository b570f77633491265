"""/staff/vacancies/<code>/matches/: ranked talent-bank matches with reasons, invitations
(one e-mail per person per vacancy) and the shortlist, for each role."""

import pytest
from django.core import mail
from django.utils import timezone

from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.tests.builders import add_postcodes, applicant, make_vacancy
from carerecruit.testing.personas import PASSWORD
from carerecruit.vacancies.actions import do_close_vacancy
from carerecruit.vacancies.models import Shortlist, VacancyInvitation

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def setting(personas, campaign):
    add_postcodes()
    today = timezone.localdate()
    people = {
        "near": applicant(campaign, "Near Carer", postcode="B15 2TT", roles=(8,), start=today),
        "walsall": applicant(campaign, "Walsall Carer", postcode="WS1 1AA", roles=(8,), start=today,
                             hours="part_time"),
        "coventry": applicant(campaign, "Coventry Carer", postcode="CV1 5FB", roles=(8,), start=today),
        "refused": applicant(campaign, "Private Carer", postcode="B1 1BB", roles=(8,), consent=False),
        "nurse": applicant(campaign, "Nurse Nearby", postcode="B1 1BB", roles=(16,)),
    }
    vacancy = make_vacancy(personas.council_a)
    return vacancy, people


def test_owner_sees_ranked_matches_with_reasons(client, personas, setting):
    vacancy, people = setting
    login(client, personas.council_a_recruiter)
    response = client.get(f"/staff/vacancies/{vacancy.code}/matches/", {"within": "25"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 people want to work as care worker within 25 km" in page
    assert "A person makes every decision" in page
    assert page.index("1. Near Carer") < page.index("2. Walsall Carer")
    assert "Near Carer <span class=\"govuk-!-font-weight-regular\">– 79.0 points" in page  # 34.0 + 25 + 20
    assert "3.7 km away (within 25 km)" in page and "13.0 km away (within 25 km)" in page
    assert "Wants: Part time (under 30 hours a week); this job: 37.5 hours a week" in page
    for absent in ("Coventry Carer", "Private Carer", "Nurse Nearby"):
        assert absent not in page
    lines = PersonalDataAccess.objects.filter(resource="vacancy matches")
    assert sorted(str(c) for c in lines.values_list("candidate_code", flat=True)) == sorted(
        [str(people["near"].code), str(people["walsall"].code)]
    )
    assert set(lines.values_list("detail", flat=True)) == {f"vacancy {vacancy.code} within 25km page 1"}
    page = client.get(f"/staff/vacancies/{vacancy.code}/matches/", {"within": "50"}).content.decode()
    assert "3 people" in page and "Coventry Carer" in page
    # No radius, or one not offered, is 10 km: only the person 3.7 km away.
    assert "1 person wants" in client.get(f"/staff/vacancies/{vacancy.code}/matches/").content.decode()
    assert "1 person wants" in client.get(f"/staff/vacancies/{vacancy.code}/matches/", {"within": "7"}).content.decode()


def test_invite_once_and_shortlist(client, personas, setting, django_capture_on_commit_callbacks):
    vacancy, people = setting
    near = people["near"]
    login(client, personas.council_a_recruiter)
    url = f"/staff/vacancies/{vacancy.code}/matches/{near.code}/invite/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"within": "50", "page": "1"})
    assert response["Location"] == f"/staff/vacancies/{vacancy.code}/matches/?within=50&page=1#candidate-{near.code}"
    invitation = VacancyInvitation.objects.get()
    assert (invitation.candidate, invitation.invited_by) == (near, personas.council_a_recruiter)
    assert invitation.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [near.email]
    assert message.subject == "Birmingham invites you to apply: Care worker (home care)"
    assert f"http://testserver/vacancies/{vacancy.code}/" in message.body
    assert "Dear Near Carer" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "was already invited" in response.content.decode()
    assert VacancyInvitation.objects.count() == 1 and len(mail.outbox) == 1
    assert PersonalDataAccess.objects.filter(resource="vacancy invitation").count() == 1

    client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/shortlist/")
    client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/shortlist/")
    assert list(Shortlist.objects.values_list("candidate", "added_by")) == [(near.pk, personas.council_a_recruiter.pk)]
    page = client.get(f"/staff/vacancies/{vacancy.code}/matches/", {"within": "25"}).content.decode()
    assert "from shortlist" in page and "Remove<span" in page and "Invited to apply on" in page
    detail = client.get(f"/staff/vacancies/{vacancy.code}/").content.decode()
    assert "Shortlist (1)" in detail and "Invitations to apply (1)" in detail
    client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/unshortlist/")
    assert Shortlist.objects.count() == 0


def test_no_invitations_to_closed_vacancies_or_people_outside_the_bank(client, personas, setting):
    vacancy, people = setting
    login(client, personas.council_a_recruiter)
    refused = people["refused"]
    assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{refused.code}/invite/").status_code == 404
    assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{refused.code}/shortlist/").status_code == 404
    do_close_vacancy(vacancy)
    response = client.post(f"/staff/vacancies/{vacancy.code}/matches/{people['near'].code}/invite/", follow=True)
    assert "You can only invite people to apply for an open vacancy" in response.content.decode()
    assert VacancyInvitation.objects.count() == 0 and mail.outbox == []


def test_other_organisations_get_404_and_viewers_counts(client, personas, setting):
    vacancy, people = setting
    near = people["near"]
    for persona in ("council_b_recruiter", "provider_recruiter"):
        login(client, getattr(personas, persona))
        assert client.get(f"/staff/vacancies/{vacancy.code}/matches/").status_code == 404
        assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/invite/").status_code == 404
        assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/shortlist/").status_code == 404
    login(client, personas.viewer)
    page = client.get(f"/staff/vacancies/{vacancy.code}/matches/", {"within": "25"}).content.decode()
    assert "2 people want to work as care worker" in page
    assert "Near Carer" not in page and "Walsall Carer" not in page
    assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/invite/").status_code == 403
    assert client.post(f"/staff/vacancies/{vacancy.code}/matches/{near.code}/shortlist/").status_code == 403
    line = PersonalDataAccess.objects.get(resource="vacancy matches (count)")
    assert (line.subject_count, line.candidate_code) == (2, None)
    login(client, personas.regional_admin)
    assert "Near Carer" in client.get(f"/staff/vacancies/{vacancy.code}/matches/").content.decode()
    assert VacancyInvitation.objects.count() == 0 and Shortlist.objects.count() == 0


def test_social_work_vacancy_scores_registration(client, personas, campaign):
    add_postcodes()
    applicant(campaign, "Registered Worker", postcode="B15 2TT", roles=(6,), swe="SW104233")
    applicant(campaign, "Unregistered Worker", postcode="B15 2TT", roles=(6,))
    vacancy = make_vacancy(personas.council_a, title="Social worker", job_role=JobRole.objects.get(code=6))
    login(client, personas.council_a_recruiter)
    page = client.get(f"/staff/vacancies/{vacancy.code}/matches/").content.decode()
    assert page.index("1. Registered Worker") < page.index("2. Unregistered Worker")
    assert "Gave a Social Work England registration number" in page
    assert "No Social Work England registration number given" in page
    assert "points out of 100" in page
