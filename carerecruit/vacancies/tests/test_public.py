"""Public vacancy pages: the list and its filters, a vacancy, applying through it."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from carerecruit.candidates.models import Application, Candidate
from carerecruit.candidates.views import read_done_token
from carerecruit.organisations.models import Organisation
from carerecruit.placements.models import ApplicationRoute
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.tests.builders import add_postcodes, make_vacancy
from carerecruit.tracking.models import DailyVisitor, Event
from carerecruit.vacancies.actions import do_close_vacancy
from carerecruit.vacancies.models import Vacancy, VacancyApplication

pytestmark = pytest.mark.django_db
MOBILE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"


@pytest.fixture
def client():
    return Client(HTTP_USER_AGENT=MOBILE_UA)


def form_data(**overrides):
    start = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "full_name": "Siobhán O’Neill-Smith",
        "email": "siobhan@example.org",
        "phone": "07700 900123",
        "postcode": "b15 2tt",
        "job_roles": [str(JobRole.objects.get(code=8).pk)],
        "swe_registration": "",
        "years_experience": "3",
        "current_role": "Carer",
        "earliest_start_0": str(start.day),
        "earliest_start_1": str(start.month),
        "earliest_start_2": str(start.year),
        "hours_wanted": "full_time",
        "right_to_work": "yes",
        "talent_bank_consent": "on",
    }
    data.update(overrides)
    return data


def test_list_shows_open_vacancies_with_filters_and_pages(client, personas):
    coventry = Organisation.objects.get(gss_code="E08000026")
    make_vacancy(personas.provider, title="Home carer")
    make_vacancy(personas.council_b, title="Social worker, adults", job_role=JobRole.objects.get(code=6),
                 town="Coventry", postcode="CV1 5FB", council_area=coventry)
    make_vacancy(personas.council_a, title="Draft job", open_it=False)
    closed = make_vacancy(personas.council_a, title="Closed job")
    do_close_vacancy(closed)
    expired = make_vacancy(personas.council_a, title="Expired job")
    Vacancy.objects.filter(pk=expired.pk).update(closing_date=timezone.localdate() - datetime.timedelta(days=1))

    page = client.get("/vacancies/").content.decode()
    assert "2 vacancies" in page
    assert "Home carer" in page and "Social worker, adults" in page
    assert "£12.75 to £13.50 per hour" in page and "37.5 hours a week (full time), permanent" in page
    for hidden in ("Draft job", "Closed job", "Expired job"):
        assert hidden not in page
    social_worker = JobRole.objects.get(code=6)
    page = client.get("/vacancies/", {"role": social_worker.pk}).content.decode()
    assert "1 vacancy matches your filters" in page and "Home carer" not in page
    page = client.get("/vacancies/", {"council": coventry.pk}).content.decode()
    assert "Social worker, adults" in page and "Home carer" not in page
    page = client.get("/vacancies/", {"town": "  birmingham "}).content.decode()
    assert "Home carer" in page and "Social worker, adults" not in page
    response = client.get("/vacancies/", {"role": "nonsense"})
    assert response.status_code == 200
    assert "Select a job role from the list" in response.content.decode()

    for n in range(20):
        make_vacancy(personas.provider, title=f"Bank carer {n}")
    page2 = client.get("/vacancies/", {"page": "2"}).content.decode()
    assert "22 vacancies" in page2 and "Page 2 of 2" in page2
    assert page2.count('class="govuk-summary-card"') == 2


def test_region_home_lists_open_vacancies(client, personas, campaign):
    make_vacancy(personas.provider, title="Home carer")
    page = client.get("/").content.decode()
    assert "Vacancies open now" in page
    assert "Home carer" in page and "/vacancies/" in page


def test_vacancy_page_counts_a_visit_to_its_campaign(client, personas):
    vacancy = make_vacancy(personas.provider)
    page = client.get(f"/vacancies/{vacancy.code}/?utm_source=google&utm_medium=jobs").content.decode()
    assert "Care worker (home care)" in page
    assert f'href="/vacancies/{vacancy.code}/apply/?utm_source=google&amp;utm_medium=jobs"' in page
    assert vacancy.campaign.slug == "west-midlands-vacancies"
    visit = Event.objects.get(kind="visit")
    assert (visit.campaign_id, visit.utm_source) == (vacancy.campaign_id, "google")
    client.get(f"/vacancies/{vacancy.code}/")
    assert Event.objects.filter(kind="visit").count() == 1
    assert DailyVisitor.objects.count() == 1


def test_apply_through_a_vacancy(client, personas, django_capture_on_commit_callbacks):
    add_postcodes()
    vacancy = make_vacancy(personas.provider, job_role=JobRole.objects.get(code=46))  # not on public forms
    url = f"/vacancies/{vacancy.code}/apply/?utm_source=google&utm_medium=jobs"
    page = client.get(url).content.decode()
    assert "Apply for Care worker (home care)" in page
    assert "Data analyst" in page  # the vacancy's role is offered and ticked
    assert f'value="{vacancy.job_role_id}" checked' in page
    assert Event.objects.filter(kind="form_start", campaign=vacancy.campaign).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(job_roles=[str(vacancy.job_role_id)]))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/vacancies/{vacancy.code}/apply/done/?ref=")
    application = Application.objects.get()
    assert application.campaign == vacancy.campaign
    assert (application.utm_source, application.channel) == ("google", application.channel)
    assert list(application.job_roles.values_list("code", flat=True)) == [46]
    assert VacancyApplication.objects.get().application == application
    # Routed to the provider so it appears in their pipeline.
    assert ApplicationRoute.objects.filter(application=application, organisation=personas.provider,
                                           reason="vacancy").exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siobhan@example.org"]
    done = client.get(response["Location"]).content.decode()
    assert "Application complete" in done and "Care worker (home care) at Example Home Care Ltd" in done
    # The reference goes by e-mail only: on the page it would be handed to whoever typed
    # the details when the person had applied before.
    assert application.code.hex[:8].upper() not in done
    # It promises only what happens: a repeat within minutes sends no e-mail.
    assert "We are sending an email" not in done
    assert "We email your reference number to the email address you gave." in done
    assert "the first email is the only one" in done
    # The talent profile was built after commit.
    assert Candidate.objects.get().talent_profile.years_experience == 3


def test_applying_again_links_the_existing_application(client, personas):
    first = make_vacancy(personas.provider, title="Day carer")
    second = make_vacancy(personas.provider, title="Night carer")
    client.post(f"/vacancies/{first.code}/apply/", form_data())
    first_done = client.get(
        client.post(f"/vacancies/{second.code}/apply/", form_data(email="other@example.org", phone="07700 900456"))["Location"]
    )
    response = client.post(f"/vacancies/{second.code}/apply/", form_data(email="SIOBHAN@example.org"))
    assert Application.objects.count() == 2
    application = Application.objects.get(candidate__email_normalised="siobhan@example.org")
    assert VacancyApplication.objects.filter(application=application).count() == 2
    # The same page as for a first application: it does not tell whoever typed the
    # details that this person had applied (the token does not say either).
    done = client.get(response["Location"]).content.decode()
    assert "Application complete" in done and "Night carer" in done
    newcomer = client.post(f"/vacancies/{second.code}/apply/", form_data(email="new.person@example.org", full_name="Nia Patel", phone="07700 900456"))
    assert done == client.get(newcomer["Location"]).content.decode()
    assert done.replace("SIOBHAN", "") == first_done.content.decode()
    token = response["Location"].split("ref=")[1]
    assert read_done_token(token)[1] is None


def test_apply_errors_and_expired_confirmation(client, personas):
    vacancy = make_vacancy(personas.provider)
    response = client.post(f"/vacancies/{vacancy.code}/apply/", form_data(postcode="nope", email=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Apply for Care worker" in page
    assert "Enter a full UK postcode, like B1 1AA" in page and "Enter your email address" in page
    assert Application.objects.count() == 0
    response = client.get(f"/vacancies/{vacancy.code}/apply/done/?ref=tampered")
    assert response.status_code == 404 and "This page has expired" in response.content.decode()
    draft = make_vacancy(personas.provider, open_it=False)
    assert client.get(f"/vacancies/{draft.code}/apply/").status_code == 404
    assert client.get(f"/vacancies/{draft.code}/apply/done/").status_code == 404
    assert client.put(f"/vacancies/{vacancy.code}/apply/").status_code == 405


def test_staff_may_preview_a_draft_without_markup(client, personas):
    draft = make_vacancy(personas.council_a, open_it=False)
    client.force_login(personas.council_a_recruiter)
    page = client.get(f"/vacancies/{draft.code}/").content.decode()
    assert "Preview of a draft" in page and "ld+json" not in page
    assert Event.objects.count() == 0
    client.force_login(personas.council_b_recruiter)
    assert client.get(f"/vacancies/{draft.code}/").status_code == 404
