"""Staff pages: upload → preview → confirm, the list and a return's page; who may use them."""

import datetime
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carerecruit.testing.personas import PASSWORD
from carerecruit.workforce.models import PendingWorkforceUpload, Worker, WorkforceReturn
from carerecruit.workforce.tests.helpers import (
    AS_AT,
    WORKER_BROKEN,
    WORKER_VALID,
    WORKPLACE_BROKEN,
    WORKPLACE_VALID,
    fixture_bytes,
    import_valid,
)

pytestmark = pytest.mark.django_db
UPLOAD = "/staff/workforce/upload/"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def post_upload(client, workplace=WORKPLACE_VALID, worker=WORKER_VALID, *, as_at=AS_AT, **fields):
    data = {
        "as_at_0": str(as_at.day), "as_at_1": str(as_at.month), "as_at_2": str(as_at.year),
        "workplace_file": SimpleUploadedFile(workplace, fixture_bytes(workplace), content_type="text/csv"),
        "worker_file": SimpleUploadedFile(worker, fixture_bytes(worker), content_type="text/csv"),
    }
    data.update(fields)
    return client.post(UPLOAD, data)


def test_council_recruiter_uploads_previews_and_confirms(client, personas):
    login(client, personas.council_a_recruiter)
    page = client.get(UPLOAD).content.decode()
    # A council uploads its own return, in its own area: no organisation or council to choose.
    assert 'name="organisation"' not in page and 'name="council"' not in page
    assert 'name="workplace_file"' in page and 'name="worker_file"' in page

    response = post_upload(client)
    pending = PendingWorkforceUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/workforce/upload/{pending.token}/"
    assert (pending.organisation, pending.council, pending.as_at) == (personas.council_a, personas.council_a, AS_AT)
    assert (pending.workplace_file_name, pending.worker_file_name) == (WORKPLACE_VALID, WORKER_VALID)
    # Only minimised records wait for confirmation: no NI numbers, names, dates of birth
    # or home postcodes.
    payload = zlib.decompress(bytes(pending.payload)).decode()
    for personal in ("QQ 12 34 56 C", "Worker W001", "14/07/1985", "B12 9QL", "W001"):
        assert personal not in payload
    assert WorkforceReturn.objects.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert "<title>Check the workforce return before importing it" in page
    assert ">21.4%</td>" in page and ">47.6%</td>" in page
    assert "Care worker" in page and ">15</td>" in page
    assert "This replaces" not in page
    assert "Import the return</button>" in page

    response = client.post(f"/staff/workforce/upload/{pending.token}/confirm/")
    saved = WorkforceReturn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/workforce/{saved.code}/"
    saved.refresh_from_db()
    assert (saved.organisation, saved.uploaded_by, saved.workplace_count, saved.worker_count) == (
        personas.council_a, personas.council_a_recruiter, 3, 25,
    )
    assert Worker.objects.filter(workforce_return=saved).count() == 25
    assert PendingWorkforceUpload.objects.count() == 0

    page = client.get(response["Location"]).content.decode()
    assert "Workforce return for Birmingham as at 31 March 2026 imported: 3 workplaces, 25 staff records" in page
    assert "Oak Lodge Care Home" in page and "WM-CARE-01, B15 2TT" in page
    assert ">21.4%</td>" in page
    listing = client.get("/staff/workforce/").content.decode()
    assert f'href="/staff/workforce/{saved.code}/"' in listing
    assert "Upload a return" in listing


def test_problems_are_listed_and_nothing_is_kept(client, personas):
    login(client, personas.council_a_recruiter)
    response = post_upload(client, WORKPLACE_BROKEN, WORKER_BROKEN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Upload a workforce return" in page
    assert "There are problems in the files: nothing has been imported" in page
    assert "9 problems" in page
    assert "The code you have entered for ESTTYPE is incorrect (ESTTYPE must be 1, 3, 6, 7 or 8)" in page
    assert "LOCALESTID “NOWHERE-99” is not in the workplace file" in page
    assert page.count('<tr class="govuk-table__row" id="problem-') == 9
    assert PendingWorkforceUpload.objects.count() == WorkforceReturn.objects.count() == 0


def test_form_errors(client, personas):
    login(client, personas.council_a_recruiter)
    page = client.post(UPLOAD, {}).content.decode()
    assert "<title>Error: Upload a workforce return" in page
    for message in ("Enter the date the figures are as at", "Choose the workplace file", "Choose the worker file"):
        assert message in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = post_upload(client, as_at=tomorrow).content.decode()
    assert "The date the figures are as at must be today or in the past" in page
    assert PendingWorkforceUpload.objects.count() == 0


def test_provider_chooses_its_council_area(client, personas):
    login(client, personas.provider_recruiter)
    page = client.get(UPLOAD).content.decode()
    assert 'name="organisation"' not in page and 'name="council"' in page
    assert "Choose the council area the provider&#x27;s workplaces are in" in post_upload(client).content.decode()
    response = post_upload(client, council="coventry")
    pending = PendingWorkforceUpload.objects.get()
    assert response.status_code == 302
    assert (pending.organisation, pending.council) == (personas.provider, personas.council_b)


def test_regional_admin_uploads_for_any_organisation(client, personas):
    login(client, personas.regional_admin)
    page = client.get(UPLOAD).content.decode()
    assert '<option value="coventry">Coventry (council)</option>' in page
    assert '<option value="example-home-care">Example Home Care (independent care provider)</option>' in page
    assert "wm-regional-employers" not in page
    assert "Choose the organisation whose return this is" in post_upload(client).content.decode()
    assert "Choose the council area" in post_upload(client, organisation="example-home-care").content.decode()
    response = post_upload(client, organisation="coventry", council="birmingham")
    pending = PendingWorkforceUpload.objects.get()
    # A council's return counts in its own area, whatever was chosen.
    assert (pending.organisation, pending.council) == (personas.council_b, personas.council_b)
    client.post(f"/staff/workforce/upload/{pending.token}/confirm/")
    assert WorkforceReturn.objects.get().organisation == personas.council_b
    assert response.status_code == 302


def test_reupload_through_the_pages_replaces(client, personas):
    first = import_valid(organisation=personas.council_a).workforce_return
    login(client, personas.council_a_recruiter)
    response = post_upload(client)
    page = client.get(response["Location"]).content.decode()
    assert "This replaces the return for 31 March 2026 uploaded on" in page
    assert "Replace the return</button>" in page
    response = client.post(response["Location"] + "confirm/")
    page = client.get(response["Location"]).content.decode()
    assert "replaced the return uploaded earlier" in page
    first.refresh_from_db()
    assert first.status == "replaced"
    page = client.get(f"/staff/workforce/{first.code}/").content.decode()
    assert "This return has been replaced" in page


def test_viewers_get_403(client, personas):
    saved = import_valid(organisation=personas.council_a).workforce_return
    login(client, personas.viewer)
    assert client.get("/staff/workforce/").status_code == 403
    assert client.get(UPLOAD).status_code == 403
    assert post_upload(client).status_code == 403
    assert client.get(f"/staff/workforce/{saved.code}/").status_code == 403
    assert PendingWorkforceUpload.objects.count() == 0


def test_campaign_managers_read_but_do_not_upload(client, personas):
    saved = import_valid(organisation=personas.council_a).workforce_return
    login(client, personas.campaign_manager)
    listing = client.get("/staff/workforce/").content.decode()
    assert f"/staff/workforce/{saved.code}/" in listing and "Upload a return" not in listing
    assert client.get(f"/staff/workforce/{saved.code}/").status_code == 200
    assert client.get(UPLOAD).status_code == 403


def test_another_organisations_return_and_upload_are_404(client, personas):
    birmingham = import_valid(organisation=personas.council_a).workforce_return
    login(client, personas.council_a_recruiter)
    response = post_upload(client)
    token = PendingWorkforceUpload.objects.get().token
    client.logout()

    login(client, personas.council_b_recruiter)
    assert client.get(f"/staff/workforce/{birmingham.code}/").status_code == 404
    assert str(birmingham.code) not in client.get("/staff/workforce/").content.decode()
    assert client.get(f"/staff/workforce/upload/{token}/").status_code == 404
    assert client.post(f"/staff/workforce/upload/{token}/confirm/").status_code == 404
    assert client.get("/staff/workforce/not-a-uuid/").status_code == 404
    assert client.get("/staff/workforce/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert WorkforceReturn.objects.count() == 1
    assert response.status_code == 302


def test_confirm_is_post_only_and_expires(client, personas):
    login(client, personas.council_a_recruiter)
    response = post_upload(client)
    pending = PendingWorkforceUpload.objects.get()
    assert client.get(response["Location"] + "confirm/").status_code == 405
    PendingWorkforceUpload.objects.filter(pk=pending.pk).update(uploaded_at=timezone.now() - datetime.timedelta(hours=25))
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"] + "confirm/").status_code == 404
    # The next upload clears uploads older than a day.
    post_upload(client)
    assert not PendingWorkforceUpload.objects.filter(pk=pending.pk).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/staff/workforce/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_staff_home_links_to_workforce_returns_except_for_viewers(client, personas):
    login(client, personas.provider_recruiter)
    assert 'href="/staff/workforce/"' in client.get("/staff/").content.decode()
    client.logout()
    login(client, personas.viewer)
    assert 'href="/staff/workforce/"' not in client.get("/staff/").content.decode()
