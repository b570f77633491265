"""/staff/talent-bank/ and its exports: who sees what, errors, audit, safe spreadsheets."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.talentbank.tests.builders import add_postcodes, applicant
from carerecruit.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/staff/talent-bank/"
PEOPLE_ROLES = ("regional_admin", "campaign_manager", "council_a_recruiter", "council_b_recruiter",
                "provider_recruiter")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def bank(campaign):
    add_postcodes()
    today = timezone.localdate()
    return {
        "siobhan": applicant(campaign, "Siobhán O’Neill-Smith", postcode="B15 2TT", roles=(6,), swe="SW104233",
                             years=6, start=today),
        "walsall": applicant(campaign, "Wally Walsall", postcode="WS1 1AA", roles=(8,), years=2, start=today),
        "formula": applicant(campaign, "=HYPERLINK(\"http://evil.example\")", postcode="CV1 5FB", roles=(8,),
                             years=1, start=today),
        "refused": applicant(campaign, "Private Person", postcode="B1 1BB", roles=(6,), consent=False),
    }


@pytest.mark.parametrize("persona", PEOPLE_ROLES)
def test_staff_who_may_see_people_search_every_consenting_candidate(client, personas, bank, persona):
    login(client, getattr(personas, persona))
    page = client.get(URL).content.decode()
    assert "3 people found" in page
    assert "Siobhán O’Neill-Smith" in page
    assert "Wally Walsall" in page
    assert "Private Person" not in page
    assert "person" in page  # contact e-mails shown
    lines = PersonalDataAccess.objects.filter(action="search", resource="talent-bank search")
    assert sorted(str(c) for c in lines.values_list("candidate_code", flat=True)) == sorted(
        str(bank[k].code) for k in ("siobhan", "walsall", "formula")
    )
    assert set(lines.values_list("detail", flat=True)) == {"filters: none; 3 found; page 1"}


def test_viewer_sees_counts_only(client, personas, bank):
    login(client, personas.viewer)
    response = client.get(URL, {"job_role": "", "postcode": "B1 1BB", "within_km": "20"})
    page = response.content.decode()
    assert response.status_code == 200
    # 2 is a small number: suppressed for viewers (carerecruit.workforce.suppression).
    assert "Fewer than 5 people found" in page and "2 people found" not in page
    for person in ("siobhan", "walsall", "formula", "refused"):
        assert bank[person].full_name not in page
        assert bank[person].email not in page
    assert 'name="name"' not in page  # no name filter for counting roles
    line = PersonalDataAccess.objects.get(resource="talent-bank search (count)")
    assert (line.action, line.candidate_code, line.subject_count, line.user) == (
        "search", None, 2, personas.viewer
    )
    assert line.detail == "filters: postcode within 20km"
    # A name in the query string is ignored for viewers: still everyone.
    assert "Fewer than 5 people found" in client.get(URL, {"name": "siobhan"}).content.decode()
    assert PersonalDataAccess.objects.filter(resource="talent-bank search (count)").order_by("pk").last().subject_count == 3
    assert client.get("/staff/talent-bank/export.csv").status_code == 403


def test_a_viewers_count_of_one_to_four_is_suppressed_zero_and_five_are_shown(client, personas, bank, campaign):
    login(client, personas.viewer)
    counts = {}
    for years in (28, 6, 2, 1):
        page = client.get(URL, {"min_years": years}).content.decode()
        counts[years] = re.search(r'<h2 class="govuk-heading-m">([^<]* found)</h2>', page).group(1)
    assert counts == {
        28: "0 people found", 6: "Fewer than 5 people found", 2: "Fewer than 5 people found",
        1: "Fewer than 5 people found",
    }
    today = timezone.localdate()
    for n in range(2):
        applicant(campaign, f"Extra {n}", postcode="B15 2TT", roles=(8,), years=3, start=today)
    page = client.get(URL, {"min_years": 1}).content.decode()
    assert "5 people found" in page and "Fewer than" not in page
    # Recruiters, who see the people themselves, keep exact counts.
    client.logout()
    login(client, personas.council_a_recruiter)
    page = client.get(URL, {"min_years": 2}).content.decode()
    assert "4 people found" in page and "Fewer than" not in page
    assert "1 person found" in client.get(URL, {"min_years": 6}).content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_search_filters_and_name_folding_through_the_page(client, personas, bank):
    login(client, personas.provider_recruiter)
    page = client.get(URL, {"name": "oneill"}).content.decode()
    assert "1 person found" in page and "Siobhán O’Neill-Smith" in page
    page = client.get(URL, {"name": "O'Neill"}).content.decode()
    assert "1 person found" in page
    page = client.get(URL, {"postcode": "b1 1bb", "within_km": "15"}).content.decode()
    assert "2 people found" in page
    assert page.index("Siobhán") < page.index("Wally Walsall")
    assert "3.7 km away" in page and "13.0 km away" in page
    page = client.get(URL, {"swe_registered": "on"}).content.decode()
    assert "1 person found" in page
    line = PersonalDataAccess.objects.filter(resource="talent-bank search").order_by("-pk").first()
    assert line.detail == "filters: swe; 1 found; page 1"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"postcode": "B1 1BB"}, "Enter a distance in kilometres, like 10"),
        ({"within_km": "10"}, "Enter a postcode to search by distance"),
        ({"postcode": "nope", "within_km": "10"}, "Enter a full UK postcode, like B1 1AA"),
        ({"postcode": "ZE1 0AA", "within_km": "10"}, "We could not find that postcode. Check it and try again"),
        ({"within_km": "abc", "postcode": "B1 1BB"}, "Distance must be a whole number of kilometres, like 10"),
        ({"min_years": "-1"}, "Years of experience must be 0 or more"),
        ({"job_role": "99999"}, "Select a job role from the list"),
        ({"available_by_0": "31", "available_by_1": "2", "available_by_2": "2027"},
         "The date they can start by must be a real date"),
    ],
)
def test_bad_filters_show_the_error_summary(client, personas, bank, query, message):
    login(client, personas.council_a_recruiter)
    response = client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message in page
    assert "<title>Error: Talent bank" in page
    assert "people found" not in page
    assert not PersonalDataAccess.objects.filter(action="search").exists()
    assert client.get("/staff/talent-bank/export.csv", query).status_code == 400


def test_pagination_25_a_page(client, personas, campaign):
    for n in range(27):
        applicant(campaign, f"Person {n:02d}")
    login(client, personas.regional_admin)
    page = client.get(URL).content.decode()
    assert "27 people found" in page and page.count("<h3 class=\"govuk-summary-card__title\">") == 25
    page2 = client.get(URL, {"page": "2"}).content.decode()
    assert page2.count("<h3 class=\"govuk-summary-card__title\">") == 2
    assert "Page 2 of 2" in page2
    assert client.get(URL, {"page": "x"}).status_code == 200


def test_csv_export_neutralises_formulas_and_holds_only_consenting_people(client, personas, bank):
    login(client, personas.council_b_recruiter)
    response = client.get("/staff/talent-bank/export.csv", {"postcode": "B1 1BB", "within_km": "50"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="talent-bank-{today.isoformat()}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:7] == ["Rank", "Score", "Name", "Email", "Phone", "Postcode district", "Distance (km)"]
    assert [(r[0], r[2], r[5], r[6]) for r in rows[1:]] == [
        ("1", "Siobhán O’Neill-Smith", "B15", "3.7"),
        ("2", "Wally Walsall", "WS1", "13.0"),
        ("3", "'=HYPERLINK(\"http://evil.example\")", "CV1", "27.7"),
    ]
    assert rows[1][7:12] == ["Social worker", "6", "Yes", "Full time (30 hours a week or more)", today.isoformat()]
    exported = PersonalDataAccess.objects.filter(action="export", resource="talent-bank.csv")
    assert sorted(str(c) for c in exported.values_list("candidate_code", flat=True)) == sorted(
        str(bank[k].code) for k in ("siobhan", "walsall", "formula")
    )
    assert set(exported.values_list("detail", flat=True)) == {"filters: postcode within 50km"}


def test_xlsx_export(client, personas, bank):
    login(client, personas.provider_recruiter)
    response = client.get("/staff/talent-bank/export.xlsx", {"name": "hyperlink"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "Talent bank"
    assert values[1][2] == "'=HYPERLINK(\"http://evil.example\")"
    assert values[1][8] == 1
    assert values[1][11] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert len(values) == 2
    assert client.get("/staff/talent-bank/export.pdf").status_code == 404
