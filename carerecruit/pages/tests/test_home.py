"""Region home ``/``: the deployment region's live campaigns, nothing else."""

import datetime

import pytest
from django.test import override_settings

from carerecruit.campaigns.models import Campaign
from carerecruit.reference.models import Region
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_home_lists_only_live_campaigns_of_the_region(client):
    make_campaign("come-back-to-care", name="Come Back to Care")
    make_campaign("step-up-now", name="Step Up Now", status=Campaign.Status.DRAFT)
    make_campaign("winter-2019", name="Winter 2019", status=Campaign.Status.CLOSED)
    # Still "live" but past its end date (the demo's spring-2020 campaigns): not open.
    make_campaign("spring-2020", name="Spring 2020", ends_on=datetime.date(2020, 5, 24))
    east = Region.objects.create(gss_code="E12000004", name="East Midlands", slug="east-midlands")
    make_campaign("east-care", name="East Care Drive", region=east)

    response = client.get("/")

    assert response.status_code == 200
    assert [c.slug for c in response.context["campaigns"]] == ["come-back-to-care"]
    html = response.content.decode()
    assert "West Midlands" in html
    assert 'href="/c/come-back-to-care/"' in html
    assert "Come Back to Care" in html
    assert "#ComeBackToCare" in html
    assert "Former social workers" in html
    assert "20 April 2020 to 31 May 2030" in html
    for hidden in ("Step Up Now", "Winter 2019", "Spring 2020", "East Care Drive", "/c/step-up-now/"):
        assert hidden not in html
    assert "There are no campaigns open" not in html


def test_title_names_the_region_once(client):
    html = client.get("/").content.decode()
    assert "<title>Care and social work jobs – Care jobs West Midlands</title>" in html


@override_settings(CARERECRUIT_SITE_NAME="Care jobs")
def test_title_names_the_region_when_the_site_name_does_not(client):
    html = client.get("/").content.decode()
    assert "<title>Care and social work jobs – West Midlands – Care jobs</title>" in html


def test_home_shows_an_empty_state_when_nothing_is_live(client):
    make_campaign("step-up-now", status=Campaign.Status.DRAFT)

    response = client.get("/")

    assert response.status_code == 200
    assert list(response.context["campaigns"]) == []
    assert "There are no campaigns open at the moment." in response.content.decode()


def test_simulated_campaigns_are_labelled(client):
    make_campaign("come-back-to-care", name="Come Back to Care", is_simulated=True)
    make_campaign("real-drive", name="Real Drive")

    html = client.get("/").content.decode()

    assert html.count('class="cr-simulated"') == 1
    assert "Simulated demo data" in html


def test_campaign_text_is_escaped(client):
    make_campaign("xss", name="<script>alert(1)</script>", hashtag="#A&B")

    html = client.get("/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "#A&amp;B" in html


@override_settings(CARERECRUIT_REGION_CODE="E12000004")
def test_region_comes_from_settings(client):
    make_campaign("come-back-to-care")
    east = Region.objects.create(gss_code="E12000004", name="East Midlands", slug="east-midlands")
    make_campaign("east-care", name="East Care Drive", region=east)

    response = client.get("/")

    assert [c.slug for c in response.context["campaigns"]] == ["east-care"]
    assert "East Midlands" in response.content.decode()


def test_home_does_not_accept_post(client):
    assert client.post("/").status_code == 405
