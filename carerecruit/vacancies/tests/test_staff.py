"""Staff vacancy pages: who may post, read, change, open and close; the form's rules."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.models import Organisation, PersonalDataAccess
from carerecruit.reference.models import JobRole
from carerecruit.talentbank.tests.builders import add_postcodes, make_vacancy
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD
from carerecruit.vacancies.models import Vacancy, VacancyApplication

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def post_data(**overrides):
    closing = timezone.localdate() + datetime.timedelta(days=21)
    data = {
        "title": "Care worker (home care)",
        "reference": "WAL-2026-0142",
        "job_role": str(JobRole.objects.get(code=8).pk),
        "contract_type": "1",
        "hours_per_week": "37.5",
        "pay_min": "£12.75",
        "pay_max": "13.50",
        "pay_unit": "HOUR",
        "street_address": "",
        "town": "Walsall",
        "postcode": "ws1  1aa",
        "council_area": str(Organisation.objects.get(gss_code="E08000030").pk),
        "closing_date_0": str(closing.day),
        "closing_date_1": str(closing.month),
        "closing_date_2": str(closing.year),
        "starts_on_0": "", "starts_on_1": "", "starts_on_2": "",
        "number_of_posts": "2",
        "description": "Visit people at home.\n\nWe pay travel time.",
        "campaign": "",
    }
    data.update(overrides)
    return data


def test_provider_recruiter_posts_opens_and_closes_a_vacancy(client, personas):
    add_postcodes()
    login(client, personas.provider_recruiter)
    page = client.get("/staff/vacancies/new/").content.decode()
    assert "Example Home Care Ltd" in page and 'name="organisation"' not in page
    response = client.post("/staff/vacancies/new/", post_data())
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/vacancies/{vacancy.code}/"
    assert (vacancy.organisation, vacancy.status, vacancy.created_by) == (
        personas.provider, "draft", personas.provider_recruiter
    )
    assert (vacancy.pay_min_pence, vacancy.pay_max_pence, vacancy.pay_unit) == (1275, 1350, "HOUR")
    assert (vacancy.hours_per_week, vacancy.postcode, vacancy.reference) == (Decimal("37.5"), "WS1 1AA", "WAL-2026-0142")
    assert (vacancy.latitude, vacancy.longitude) == (52.5862, -1.9829)
    assert vacancy.campaign.slug == "west-midlands-vacancies"
    assert vacancy.campaign.owner == personas.regional_body
    assert len(vacancy.code) == 10
    assert Client().get(f"/vacancies/{vacancy.code}/").status_code == 404  # not public yet

    response = client.post(f"/staff/vacancies/{vacancy.code}/open/")
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == "open" and vacancy.published_at is not None
    first_published = vacancy.published_at
    assert Client().get(f"/vacancies/{vacancy.code}/").status_code == 200
    page = client.get(f"/staff/vacancies/{vacancy.code}/").content.decode()
    assert f"http://testserver/vacancies/{vacancy.code}/" in page and "Close the vacancy" in page

    client.post(f"/staff/vacancies/{vacancy.code}/close/")
    vacancy.refresh_from_db()
    assert vacancy.status == "closed" and vacancy.closed_at is not None
    assert client.get(f"/vacancies/{vacancy.code}/").status_code == 410
    client.post(f"/staff/vacancies/{vacancy.code}/open/")
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.published_at, vacancy.closed_at) == ("open", first_published, None)
    # Opening twice is refused with a message.
    response = client.post(f"/staff/vacancies/{vacancy.code}/open/", follow=True)
    assert "This vacancy is already open" in response.content.decode()
    assert client.get(f"/staff/vacancies/{vacancy.code}/open/").status_code == 405


def test_regional_admin_chooses_the_organisation_and_a_campaign(client, personas):
    campaign = make_campaign()
    login(client, personas.regional_admin)
    page = client.get("/staff/vacancies/new/").content.decode()
    assert 'name="organisation"' in page and "Come Back to Care" in page
    client.post("/staff/vacancies/new/", post_data(organisation=str(personas.council_b.pk), campaign=str(campaign.pk)))
    vacancy = Vacancy.objects.get()
    assert (vacancy.organisation, vacancy.campaign) == (personas.council_b, campaign)
    response = client.post("/staff/vacancies/new/", post_data(organisation=str(personas.regional_body.pk)))
    assert "Select an organisation from the list" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the job title"),
        ({"hours_per_week": "37.25"}, "hours_per_week", "Hours per week must be in steps of 0.5, like 37.5"),
        ({"hours_per_week": "0"}, "hours_per_week", "Hours per week must be more than 0"),
        ({"hours_per_week": "200"}, "hours_per_week", "Hours per week must be 168 or fewer"),
        ({"hours_per_week": "lots"}, "hours_per_week", "Hours per week must be a number, like 12.75"),
        ({"pay_min": ""}, "pay_min", "Enter the pay"),
        ({"pay_min": "12.755"}, "pay_min", "Pay must be in pounds and pence, like 12.75"),
        ({"pay_min": "300000"}, "pay_min", "Pay must be £250,000 or less"),
        ({"pay_max": "11"}, "pay_max", "Highest pay must be the same as or more than the lowest pay"),
        ({"pay_unit": "FORTNIGHT"}, "pay_unit", "Select whether pay is per hour, day, week, month or year"),
        # A decimal comma is not read as a thousands separator (£11,50 is not £1,150).
        ({"pay_min": "£11,50", "pay_max": ""}, "pay_min",
         "Pay must use a full stop for pence, like 11.50, and commas only between thousands, like 28,000"),
        ({"pay_min": "12", "pay_max": "1,15,000", "pay_unit": "YEAR"}, "pay_max",
         "Highest pay must use a full stop for pence, like 11.50, and commas only between thousands, like 28,000"),
        ({"pay_min": "12", "pay_max": "13,5"}, "pay_max",
         "Highest pay must use a full stop for pence, like 11.50, and commas only between thousands, like 28,000"),
        ({"hours_per_week": "37,5"}, "hours_per_week", "Hours per week must use a full stop for half hours, like 37.5"),
        # Pay per unit is capped (see VacancyForm's docstring).
        ({"pay_min": "1,150", "pay_max": ""}, "pay_min", "Pay must be £500 or less per hour"),
        ({"pay_max": "500.01"}, "pay_max", "Highest pay must be £500 or less per hour"),
        ({"pay_min": "2000.01", "pay_max": "", "pay_unit": "DAY"}, "pay_min", "Pay must be £2,000 or less per day"),
        ({"pay_min": "10000.01", "pay_max": "", "pay_unit": "WEEK"}, "pay_min", "Pay must be £10,000 or less per week"),
        ({"pay_min": "25,000.01", "pay_max": "", "pay_unit": "MONTH"}, "pay_min", "Pay must be £25,000 or less per month"),
        ({"postcode": "W1"}, "postcode", "Enter a full UK postcode, like WS1 1AA"),
        ({"council_area": str(999999)}, "council_area", "Select a council area from the list"),
        ({"contract_type": "5"}, "contract_type", "Select the contract type"),
        ({"closing_date_0": "1", "closing_date_1": "1", "closing_date_2": "2020"}, "closing_date",
         "The closing date must be today or in the future"),
        ({"closing_date_0": "31", "closing_date_1": "2", "closing_date_2": "2030"}, "closing_date",
         "The closing date must be a real date"),
        ({"number_of_posts": "0"}, "number_of_posts", "Number of posts must be 1 or more"),
        ({"description": ""}, "description", "Enter a description"),
    ],
)
def test_form_errors(client, personas, overrides, field, message):
    login(client, personas.council_a_recruiter)
    response = client.post("/staff/vacancies/new/", post_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Post a vacancy" in page
    assert message in page
    assert f'href="#id_{field}' in page
    assert Vacancy.objects.count() == 0


@pytest.mark.parametrize(("pay_min", "unit", "pence"), [
    ("500", "HOUR", 50000), ("2,000", "DAY", 200000), ("£10,000.00", "WEEK", 1000000),
    ("25000", "MONTH", 2500000), ("250,000", "YEAR", 25000000), ("1,204.50", "YEAR", 120450),
])
def test_pay_at_the_caps_and_with_thousands_separators_is_saved(client, personas, pay_min, unit, pence):
    login(client, personas.council_a_recruiter)
    response = client.post("/staff/vacancies/new/", post_data(pay_min=pay_min, pay_max="", pay_unit=unit))
    assert response.status_code == 302
    assert (Vacancy.objects.get().pay_min_pence, Vacancy.objects.get().pay_unit) == (pence, unit)


def test_equal_pay_is_one_rate(client, personas):
    login(client, personas.council_a_recruiter)
    client.post("/staff/vacancies/new/", post_data(pay_min="28,000", pay_max="28000", pay_unit="YEAR"))
    vacancy = Vacancy.objects.get()
    assert (vacancy.pay_min_pence, vacancy.pay_max_pence, vacancy.pay_text) == (2800000, None, "£28,000 per year")


def test_edit_keeps_values_and_saves(client, personas):
    vacancy = make_vacancy(personas.council_a)
    login(client, personas.council_a_recruiter)
    page = client.get(f"/staff/vacancies/{vacancy.code}/edit/").content.decode()
    assert 'value="12.75"' in page and 'value="13.50"' in page and 'value="37.5"' in page
    response = client.post(f"/staff/vacancies/{vacancy.code}/edit/", post_data(title="Senior care worker", hours_per_week="16"))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert (vacancy.title, vacancy.hours_per_week, vacancy.town, vacancy.organisation) == (
        "Senior care worker", Decimal("16.0"), "Walsall", personas.council_a
    )
    assert vacancy.hours_text == "16 hours a week (part time)"


def test_roles_other_organisations_and_viewers(client, personas):
    mine = make_vacancy(personas.council_a)
    make_vacancy(personas.provider, title="Provider job")
    # Council B's recruiter: 404 for Birmingham's vacancy, everything.
    login(client, personas.council_b_recruiter)
    for path in ("", "edit/", "matches/"):
        assert client.get(f"/staff/vacancies/{mine.code}/{path}").status_code == 404
    for path in ("open/", "close/"):
        assert client.post(f"/staff/vacancies/{mine.code}/{path}").status_code == 404
    page = client.get("/staff/vacancies/").content.decode()
    assert "There are no vacancies" in page and "Post a vacancy" in page
    # A viewer at the regional body reads every vacancy but changes none.
    login(client, personas.viewer)
    page = client.get("/staff/vacancies/").content.decode()
    assert "2 vacancies" in page and "Post a vacancy" not in page
    assert client.get(f"/staff/vacancies/{mine.code}/").status_code == 200
    assert client.get(f"/staff/vacancies/{mine.code}/edit/").status_code == 403
    assert client.post(f"/staff/vacancies/{mine.code}/close/").status_code == 403
    assert client.get("/staff/vacancies/new/").status_code == 403
    mine.refresh_from_db()
    assert mine.status == "open"
    # The campaign manager may change any vacancy.
    login(client, personas.campaign_manager)
    assert client.get(f"/staff/vacancies/{mine.code}/edit/").status_code == 200
    client.logout()
    assert client.get("/staff/vacancies/")["Location"].startswith("/staff/login/")


def test_detail_shows_applicants_to_the_owner_and_counts_to_viewers(client, personas, campaign):
    from carerecruit.talentbank.tests.builders import applicant

    vacancy = make_vacancy(personas.provider)
    person = applicant(campaign, "Ann Lee")
    VacancyApplication.objects.create(vacancy=vacancy, application=person.applications.get())
    login(client, personas.provider_recruiter)
    page = client.get(f"/staff/vacancies/{vacancy.code}/").content.decode()
    assert "Applicants (1)" in page and "Ann Lee" in page
    line = PersonalDataAccess.objects.get(resource="vacancy people")
    assert (line.action, line.candidate_code, line.detail) == ("view", person.code, f"vacancy {vacancy.code}")
    # A provider viewer sees the count, not the person.
    from carerecruit.testing.personas import make_user

    provider_viewer = make_user("provider_viewer", personas.provider, "viewer")
    login(client, provider_viewer)
    page = client.get(f"/staff/vacancies/{vacancy.code}/").content.decode()
    assert "Applicants (1)" in page and "Ann Lee" not in page
    assert PersonalDataAccess.objects.count() == 1
    assert Campaign.objects.filter(slug="west-midlands-vacancies").count() == 1
    assert client.get("/staff/vacancies/?status=open").status_code == 200


def test_a_double_clicked_new_vacancy_is_created_once(personas):
    add_postcodes()
    by = personas.provider_recruiter
    first = make_vacancy(personas.provider, open_it=False, created_by=by, title="Night carer")
    again = make_vacancy(personas.provider, open_it=False, created_by=by, title="Night carer")
    assert again.pk == first.pk
    other = make_vacancy(personas.provider, open_it=False, created_by=by, title="Day carer")
    assert other.pk != first.pk
    assert Vacancy.objects.filter(organisation=personas.provider).count() == 2
