"""Staff pages: upload → preview → confirm, problems, mappings, who may use them."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carerecruit.adstats.actions import do_import_ad_stats
from carerecruit.adstats.models import AdDailyStat, AdImport, AdPlatformCampaign, AdUpload
from carerecruit.adstats.tests.helpers import (
    GOOGLE,
    LINKEDIN,
    META_BY_DAY,
    fixture_bytes,
    replace_cell,
)
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def upload(client, name, data, platform="", currency="GBP"):
    return client.post("/staff/ads/import/", {
        "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        "platform": platform, "currency": currency,
    })


def test_upload_preview_confirm(client, personas, campaign):
    step_up = make_campaign(slug="step-up-now", name="Step Up Now", hashtag="#StepUpNow")
    login(client, personas.campaign_manager)
    assert client.get("/staff/ads/import/").status_code == 200
    response = upload(client, META_BY_DAY, fixture_bytes(META_BY_DAY))
    pending = AdUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/ads/import/{pending.token}/"
    assert len(pending.token) == 43
    assert bytes(pending.content) == fixture_bytes(META_BY_DAY)

    page = client.get(response["Location"]).content.decode()
    assert "Meta (Facebook and Instagram)" in page
    assert "14 daily rows" in page
    assert "20 April 2020 to 26 April 2020" in page
    for figure in ("89,163", "984", "719", "£364.81", "55", "91,837", "1,173", "888", "£349.49", "56"):
        assert f">{figure}</td>" in page
    # New platform campaigns are pre-filled with a guess from the campaign's hashtag.
    assert '<option value="come-back-to-care" selected>' in page
    assert '<option value="step-up-now" selected>' in page
    assert AdDailyStat.objects.count() == 0

    response = client.post(response["Location"], {
        "campaign_0": "come-back-to-care", "channel_0": "facebook",
        "campaign_1": "step-up-now", "channel_1": "instagram",
    })
    assert response.status_code == 302
    assert response["Location"] == "/staff/ads/"
    assert AdDailyStat.objects.count() == 14
    assert AdUpload.objects.count() == 0
    mapping = dict(AdPlatformCampaign.objects.values_list("name", "campaign__slug"))
    assert mapping == {"ComeBackToCare - Returners": "come-back-to-care", "StepUpNow - Final year students": step_up.slug}
    assert AdImport.objects.get().imported_by == personas.campaign_manager
    index = client.get("/staff/ads/").content.decode()
    assert "Imported 14 rows of Meta figures" in index
    assert "ComeBackToCare - Returners" in index and "Instagram" in index
    assert "7 rows, 20 Apr 2020 to 26 Apr 2020" in index


def test_remembered_mapping_is_prefilled_and_reimport_says_so(client, personas, campaign):
    do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE, default_mapping=campaign)
    login(client, personas.regional_admin)
    upload(client, GOOGLE, fixture_bytes(GOOGLE))
    page = client.get(f"/staff/ads/import/{AdUpload.objects.get().token}/").content.decode()
    assert "remembered from an earlier file" in page
    assert '<option value="google_ads" selected>' in page
    assert "This exact file was imported before" in page
    assert "2 “Total” rows left out" in page
    assert ">not reported</td>" in page  # Google has no landing page views


def test_linkedin_takes_the_currency_from_the_form(client, personas, campaign):
    login(client, personas.campaign_manager)
    upload(client, LINKEDIN, fixture_bytes(LINKEDIN), platform="linkedin", currency="gbp")
    pending = AdUpload.objects.get()
    assert (pending.platform, pending.currency) == ("linkedin", "GBP")
    page = client.get(f"/staff/ads/import/{pending.token}/").content.decode()
    assert ">£428.22</td>" in page and ">26,769</td>" in page
    client.post(f"/staff/ads/import/{pending.token}/", {"campaign_0": campaign.slug, "channel_0": "linkedin"})
    assert AdDailyStat.objects.count() == 7


def test_a_file_with_problems_shows_them_all_and_cannot_be_confirmed(client, personas, campaign):
    data = replace_cell(fixture_bytes(META_BY_DAY), 3, 1, "2020/04/21")
    data = replace_cell(data, 10, 17, "<b>x</b>")
    login(client, personas.campaign_manager)
    upload(client, "broken.csv", data)
    url = f"/staff/ads/import/{AdUpload.objects.get().token}/"
    page = client.get(url).content.decode()
    assert "<title>Error: Check the figures before importing" in page
    assert "govuk-error-summary" in page
    assert "Line 3, column “Reporting ends”: “2020/04/21” is not a date written as year-month-day, like 2020-04-20" in page
    assert "Line 10, column “Landing page views”: “&lt;b&gt;x&lt;/b&gt;” is not a number" in page
    assert "<b>x</b>" not in page
    assert "Upload a corrected file" in page
    assert "Import 14 rows" not in page
    response = client.post(url, {"campaign_0": campaign.slug, "campaign_1": campaign.slug})
    assert response.status_code == 200
    assert AdDailyStat.objects.count() == 0


def test_a_figure_too_large_for_the_database_is_shown_at_the_preview(client, personas, campaign):
    huge = "999999999999999999999999"
    data = replace_cell(fixture_bytes(META_BY_DAY), 3, 11, huge)
    data = replace_cell(data, 5, 10, "£" + huge)
    login(client, personas.campaign_manager)
    upload(client, "huge.csv", data)
    url = f"/staff/ads/import/{AdUpload.objects.get().token}/"
    page = client.get(url).content.decode()
    assert "govuk-error-summary" in page
    assert f"Line 3, column “Impressions”: “{huge}” is too large: one row holds at most 999,999,999,999" in page
    assert f"Line 5, column “Amount spent (GBP)”: “£{huge}” is too large: one row holds at most 9,999,999,999.99" in page
    response = client.post(url, {"campaign_0": campaign.slug, "campaign_1": campaign.slug})
    assert response.status_code == 200
    assert (AdDailyStat.objects.count(), AdImport.objects.count()) == (0, 0)


def test_confirm_without_choosing_a_campaign(client, personas, campaign):
    login(client, personas.campaign_manager)
    upload(client, "meta.csv", fixture_bytes(META_BY_DAY))
    url = f"/staff/ads/import/{AdUpload.objects.get().token}/"
    response = client.post(url, {"campaign_0": "", "campaign_1": "come-back-to-care"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Choose our campaign for “ComeBackToCare - Returners”") == 2  # summary and field
    assert 'href="#id_campaign_0"' in page
    assert "<title>Error: " in page
    assert AdDailyStat.objects.count() == 0
    assert AdUpload.objects.count() == 1


def test_upload_form_errors(client, personas):
    login(client, personas.campaign_manager)
    page = client.post("/staff/ads/import/", {"currency": "pounds"}).content.decode()
    assert "Choose the file to import" in page
    assert "Enter a three-letter currency code, like GBP" in page
    assert "<title>Error: Import ad-platform figures" in page
    assert AdUpload.objects.count() == 0


def test_unrecognised_file(client, personas):
    login(client, personas.campaign_manager)
    upload(client, "notes.txt", b"hello\r\nworld\r\n")
    page = client.get(f"/staff/ads/import/{AdUpload.objects.get().token}/").content.decode()
    assert "No header row found" in page
    assert "Not recognised" in page


def test_uploads_are_private_and_expire(client, personas):
    login(client, personas.campaign_manager)
    upload(client, GOOGLE, fixture_bytes(GOOGLE))
    pending = AdUpload.objects.get()
    client.logout()
    login(client, personas.regional_admin)
    assert client.get(f"/staff/ads/import/{pending.token}/").status_code == 404
    assert client.post(f"/staff/ads/import/{pending.token}/", {}).status_code == 404
    AdUpload.objects.filter(pk=pending.pk).update(uploaded_at=timezone.now() - datetime.timedelta(hours=25))
    client.logout()
    login(client, personas.campaign_manager)
    assert client.get(f"/staff/ads/import/{pending.token}/").status_code == 404
    # The next upload cleans up the old one.
    upload(client, GOOGLE, fixture_bytes(GOOGLE))
    assert list(AdUpload.objects.values_list("pk", flat=True)) != [pending.pk]
    assert AdUpload.objects.count() == 1


def test_change_mapping(client, personas, campaign):
    other = make_campaign(slug="time-to-care", name="Time to Care")
    do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE, default_mapping=campaign)
    pc = AdPlatformCampaign.objects.get()
    login(client, personas.campaign_manager)
    url = f"/staff/ads/platform-campaigns/{pc.pk}/"
    page = client.get(url).content.decode()
    assert '<option value="come-back-to-care" selected>' in page
    response = client.post(url, {"campaign": "", "channel": "google_ads"})
    assert "Choose a campaign as well, or no channel" in response.content.decode()
    response = client.post(url, {"campaign": other.slug, "channel": "google_ads"})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/ads/#pc-{pc.pk}"
    pc.refresh_from_db()
    assert (pc.campaign, pc.channel, pc.mapped_by) == (other, "google_ads", personas.campaign_manager)
    client.post(url, {"campaign": "", "channel": ""})
    pc.refresh_from_db()
    assert (pc.campaign, pc.channel) == (None, "")
    assert "Not mapped" in client.get("/staff/ads/").content.decode()
    assert client.get("/staff/ads/platform-campaigns/999999/").status_code == 404


@pytest.mark.parametrize("persona", ["council_a_recruiter", "provider_recruiter", "viewer"])
def test_other_roles_get_403(client, personas, campaign, persona):
    do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE, default_mapping=campaign)
    pc = AdPlatformCampaign.objects.get()
    login(client, getattr(personas, persona))
    assert client.get("/staff/ads/").status_code == 403
    assert client.get("/staff/ads/import/").status_code == 403
    assert upload(client, GOOGLE, fixture_bytes(GOOGLE)).status_code == 403
    assert client.get("/staff/ads/import/sometoken/").status_code == 403
    assert client.get(f"/staff/ads/platform-campaigns/{pc.pk}/").status_code == 403
    assert client.post(f"/staff/ads/platform-campaigns/{pc.pk}/", {"campaign": ""}).status_code == 403
    assert AdUpload.objects.count() == 0
    pc.refresh_from_db()
    assert pc.campaign == campaign


def test_signed_out_goes_to_login(client):
    response = client.get("/staff/ads/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_staff_home_links_here_for_campaign_managers_only(client, personas):
    login(client, personas.campaign_manager)
    assert 'href="/staff/ads/"' in client.get("/staff/").content.decode()
    client.logout()
    login(client, personas.council_a_recruiter)
    assert 'href="/staff/ads/"' not in client.get("/staff/").content.decode()
