"""Staff tracked-link pages: who may list and create links, and what a link holds."""

import pytest
from django.utils.html import escape

from carerecruit.campaigns.models import TrackedLink
from carerecruit.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_campaign_manager_creates_link_with_normalised_utm(client, personas, campaign):
    login(client, personas.campaign_manager)
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "facebook", "label": "Nurse video, 3 May", "utm_content": "Video  1",
         "utm_term": "", "utm_source": "", "utm_medium": "", "destination_path": ""},
    )
    link = TrackedLink.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/campaigns/{campaign.slug}/links/#link-{link.code}"
    assert (link.channel, link.utm_source, link.utm_medium, link.utm_campaign, link.utm_content) == (
        "facebook", "facebook", "social", "come-back-to-care", "Video 1",
    )
    assert len(link.code) == 8
    assert link.created_by == personas.campaign_manager
    page = client.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()
    assert f"http://testserver/r/{link.code}" in page
    assert "Nurse video, 3 May" in page


def test_explicit_source_is_lower_cased(client, personas, campaign):
    login(client, personas.regional_admin)
    client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "other", "label": "Partner newsletter", "utm_source": "Solihull-News",
         "utm_medium": "Newsletter"},
    )
    link = TrackedLink.objects.get(campaign=campaign)
    assert (link.utm_source, link.utm_medium) == ("solihull-news", "newsletter")


def test_missing_label_shows_error_and_keeps_input(client, personas, campaign):
    login(client, personas.campaign_manager)
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "linkedin", "label": "", "utm_content": "carousel-2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert 'href="#id_label"' in page
    assert 'value="carousel-2"' in page
    assert TrackedLink.objects.count() == 0


@pytest.mark.parametrize(("typed", "message"), [
    ("//evil.example/", "Enter a page of the microsite, like apply/, not a web address"),
    ("//evil", "Enter a page of the microsite, like apply/, not a web address"),
    ("https://evil.example/", "Enter a page of the microsite, like apply/, not a web address"),
    ("/\\evil.example", "Enter a page of the microsite, like apply/, not a web address"),
    ("../staff/", "Enter a path inside the microsite using letters, numbers, hyphens and slashes, like apply/"),
    ("jobs/", "There is no such page on the microsite: leave this blank for its home page, or "
              "enter apply/ for the application form"),
    ("apply/done/", "There is no such page on the microsite: leave this blank for its home page, or "
                    "enter apply/ for the application form"),
])
def test_destination_that_is_not_a_microsite_page_is_refused(client, personas, campaign, typed, message):
    login(client, personas.campaign_manager)
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "email", "label": "Mailshot", "destination_path": typed},
    )
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert TrackedLink.objects.count() == 0


@pytest.mark.parametrize(("typed", "stored"), [("", ""), ("/", ""), ("apply", "apply/"), ("/apply/", "apply/")])
def test_microsite_pages_are_accepted(client, personas, campaign, typed, stored):
    login(client, personas.campaign_manager)
    client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "email", "label": "Mailshot", "destination_path": typed},
    )
    assert TrackedLink.objects.get().destination_path == stored


def test_errors_use_plain_govuk_wording(client, personas, campaign):
    login(client, personas.campaign_manager)
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/",
        {"channel": "", "label": "", "utm_content": "x" * 256, "utm_source": "s" * 101},
    )
    page = response.content.decode()
    for message in ("Select a channel", "Enter what this link is for",
                    "UTM content must be 255 characters or fewer",
                    "UTM source must be 100 characters or fewer"):
        assert message in page
    assert "This field is required" not in page
    assert "Ensure this value" not in page
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/", {"channel": "myspace", "label": "x"},
    )
    assert "Select a channel from the list" in response.content.decode()


def test_admin_refuses_an_address_off_the_microsite(campaign):
    from carerecruit.campaigns.admin import TrackedLinkAdminForm
    from carerecruit.testing.factories import make_link

    link = make_link(campaign)
    data = {field: getattr(link, field) for field in (
        "label", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term",
    )}
    data.update(campaign=campaign.pk, created_at_0="2020-04-20", created_at_1="10:00:00",
                destination_path="//evil.example")
    form = TrackedLinkAdminForm(data, instance=link)
    assert not form.is_valid()
    assert form.errors["destination_path"] == ["Enter a page of the microsite, like apply/, not a web address"]


@pytest.mark.parametrize("persona", ["council_a_recruiter", "provider_recruiter", "viewer"])
def test_other_roles_may_read_but_not_create(client, personas, campaign, persona):
    login(client, getattr(personas, persona))
    assert client.get(f"/staff/campaigns/{campaign.slug}/links/").status_code == 200
    assert client.get(f"/staff/campaigns/{campaign.slug}/links/new/").status_code == 403
    response = client.post(
        f"/staff/campaigns/{campaign.slug}/links/new/", {"channel": "facebook", "label": "x"}
    )
    assert response.status_code == 403
    assert TrackedLink.objects.count() == 0


def test_unknown_campaign_is_404_and_anonymous_is_sent_to_login(client, personas):
    login(client, personas.campaign_manager)
    assert client.get("/staff/campaigns/no-such-campaign/links/").status_code == 404
    client.logout()
    response = client.get("/staff/campaigns/anything/links/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
