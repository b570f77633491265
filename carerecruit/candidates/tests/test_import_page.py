"""The staff upload page /staff/imports/applications/: upload → preview → confirm."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.html import escape

from carerecruit.candidates.models import Application, ApplicationImport, Candidate
from carerecruit.organisations.models import PersonalDataAccess
from carerecruit.testing.personas import PASSWORD

FIXTURES = Path(__file__).parent / "fixtures"
URL = "/staff/imports/applications/"


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(client, campaign, name="expressions_of_interest_valid_utf8_bom.csv", data=None):
    data = data if data is not None else (FIXTURES / name).read_bytes()
    return client.post(URL, {"campaign": campaign.pk, "file": SimpleUploadedFile(name, data, "text/csv")})


@pytest.mark.parametrize("who", ["regional_admin", "campaign_manager"])
def test_upload_preview_confirm(personas, campaign, who):
    user = getattr(personas, who)
    client = signed_in(user)

    page = client.get(URL)
    assert page.status_code == 200
    assert "<title>Import applications" in page.content.decode()

    response = upload(client, campaign)
    pending = ApplicationImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}{pending.code}/"
    assert (pending.status, pending.uploaded_by, len(bytes(pending.content))) == ("pending", user, 1349)
    assert Candidate.objects.count() == 0

    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Check the import" in html
    counts = dict(re.findall(
        r'<dt class="govuk-summary-list__key">([^<]+)</dt><dd class="govuk-summary-list__value">([^<]+)</dd>', html
    ))
    assert counts["Rows"] == "5"
    assert counts["New candidates"] == "4"
    assert counts["Known candidates with a new application"] == "0"
    assert counts["Applications to add"] == "4"
    assert counts["Agreed to the talent bank"] == "4 of 5 rows"
    assert "Same person as line 2: not added again" in html
    assert escape("Siobhán O’Neill-Smith") in html
    assert escape('=HYPERLINK("http://example.invalid","Click")') in html
    assert "Import 4 applications" in html
    assert PersonalDataAccess.objects.filter(resource="applications import preview", user=user).count() == 1

    done = client.post(f"{URL}{pending.code}/confirm/")
    assert done.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, bytes(pending.content), pending.applications_created) == ("imported", b"", 4)
    assert Application.objects.filter(campaign=campaign, import_batch=pending).count() == 4
    assert "4 applications added to Come Back to Care" in client.get(done["Location"]).content.decode()

    # Confirming twice changes nothing.
    client.post(f"{URL}{pending.code}/confirm/")
    assert Application.objects.count() == 4


def test_file_with_problems_lists_every_problem_and_keeps_nothing(personas, campaign):
    client = signed_in(personas.campaign_manager)

    response = upload(client, campaign, "expressions_of_interest_cp1252.csv")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import applications" in html
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    items = re.findall(r'<li><a href="#id_file">(.*?)</a></li>', summary)
    assert items == [
        "The file has 4 problems: nothing has been imported. Fix them and upload the file again",
        escape("Line 7, column “When could you start?”: “31/04/2020” is not a real date (dates are read day first, like 04/05/2020)"),
        escape("Line 8, column “Email address”: “priya.raman@example” is not an email address in the correct format, like name@example.com"),
        escape("Line 8, column “Social Work England registration number (if you have one)”: “999999999” is a placeholder, not a real Social Work England registration number"),
        escape("Line 9, column “Home postcode”: “NOTAPOSTCODE” is not a UK postcode, like B1 1AA"),
    ]
    assert "4 problems in expressions_of_interest_cp1252.csv" in html
    assert not ApplicationImport.objects.exists()
    assert Candidate.objects.count() == 0


def test_form_errors(personas, campaign):
    client = signed_in(personas.campaign_manager)
    response = client.post(URL, {})
    html = response.content.decode()
    assert "Choose the campaign to import into" in html
    assert "Choose a file to upload" in html
    bad = client.post(URL, {"campaign": campaign.pk, "file": SimpleUploadedFile("x.pdf", b"%PDF", "application/pdf")})
    assert "The file must be a CSV or an Excel workbook (.xlsx)" in bad.content.decode()


@pytest.mark.parametrize("who", ["council_a_recruiter", "provider_recruiter", "viewer"])
def test_other_roles_get_403(personas, campaign, who):
    client = signed_in(getattr(personas, who))
    assert client.get(URL).status_code == 403
    assert upload(client, campaign).status_code == 403
    assert not ApplicationImport.objects.exists()


def test_anonymous_is_sent_to_sign_in(campaign):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_someone_elses_upload_is_404_and_discard(personas, campaign):
    upload(signed_in(personas.campaign_manager), campaign)
    pending = ApplicationImport.objects.get()
    other = signed_in(personas.regional_admin)
    assert other.get(f"{URL}{pending.code}/").status_code == 404
    assert other.post(f"{URL}{pending.code}/confirm/").status_code == 404

    owner = signed_in(personas.campaign_manager)
    assert owner.get(f"{URL}{pending.code}/confirm/").status_code == 405
    response = owner.post(f"{URL}{pending.code}/discard/")
    assert response.status_code == 302
    assert not ApplicationImport.objects.exists()
    assert Candidate.objects.count() == 0


def test_preview_shows_known_and_already_applied(personas, campaign):
    client = signed_in(personas.campaign_manager)
    upload(client, campaign)
    client.post(f"{URL}{ApplicationImport.objects.get().code}/confirm/")

    upload(client, campaign, "expressions_of_interest_valid_cp1252.csv")
    second = ApplicationImport.objects.get(status="pending")
    html = client.get(f"{URL}{second.code}/").content.decode()
    assert "Already applied to this campaign: nothing to add" in html
    assert "There is nothing new to import." in html
    assert "Import 0" not in html


def test_staff_home_links_to_the_import_for_managers_only(personas):
    link = f'href="{URL}"'
    assert link in signed_in(personas.campaign_manager).get("/staff/").content.decode()
    assert link in signed_in(personas.regional_admin).get("/staff/").content.decode()
    assert link not in signed_in(personas.council_a_recruiter).get("/staff/").content.decode()
    assert link not in signed_in(personas.viewer).get("/staff/").content.decode()
