"""The public campaign microsite /c/<slug>/."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.models import Organisation
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD
from carerecruit.tracking.models import Event

MOBILE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def client():
    return Client(HTTP_USER_AGENT=MOBILE_UA)


def visits(campaign):
    return Event.objects.filter(campaign=campaign, kind="visit").count()


def test_live_microsite_shows_the_campaign(client, campaign):
    birmingham = Organisation.objects.get(gss_code="E08000025")
    campaign.partners.set([birmingham])
    campaign.contact_phone = "0121 496 0199"
    campaign.save()

    response = client.get("/c/come-back-to-care/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Come Back to Care – " in html
    assert '<h1 class="govuk-heading-xl">Come back to social work</h1>' in html
    assert "Councils across the region need experienced social workers." in html
    assert '<div class="cr-campaign-hero" style="--cr-brand: #1d3a5f">' in html
    assert '<span class="govuk-caption-l">#ComeBackToCare</span>' in html
    assert "<li>Flexible hours</li>" in html
    assert "<li>Support to return to the register</li>" in html
    assert "<li>Occupational therapist</li>" in html
    assert "<li>Social worker</li>" in html
    assert "<li>Birmingham City Council</li>" in html
    assert '<span class="govuk-details__summary-text">Do I need to be registered?</span>' in html
    assert '<div class="govuk-details__text">We help you return.</div>' in html
    assert 'href="mailto:comeback@example.org"' in html
    assert 'href="tel:01214960199"' in html
    assert html.count('class="govuk-button govuk-button--start') == 2
    assert 'href="/c/come-back-to-care/apply/"' in html
    assert "Applications close on 31 May 2030." in html
    assert "cr-simulated" not in html
    assert "Cache-Control" in response.headers
    assert "no-cache" in response.headers["Cache-Control"]


def test_apply_button_carries_attribution_parameters_only(client, campaign):
    response = client.get(
        f"/c/come-back-to-care/?cid={CID}&utm_source=facebook&utm_medium=social"
        "&utm_campaign=Spring+Push&fbclid=abc&email=ann@example.org"
    )

    html = response.content.decode()
    expected = (
        f'href="/c/come-back-to-care/apply/?cid={CID}&amp;utm_source=facebook'
        '&amp;utm_medium=social&amp;utm_campaign=Spring+Push"'
    )
    assert html.count(expected) == 2
    assert "fbclid" not in html
    assert "ann@example.org" not in html


def test_first_view_of_the_day_counts_one_visit(client, campaign):
    client.get("/c/come-back-to-care/")
    client.get("/c/come-back-to-care/")

    assert visits(campaign) == 1


def test_bot_view_is_not_counted(campaign):
    Client(HTTP_USER_AGENT="facebookexternalhit/1.1").get("/c/come-back-to-care/")
    Client().get("/c/come-back-to-care/")  # no user agent at all

    assert visits(campaign) == 0


def test_head_is_answered_but_not_counted(client, campaign):
    assert client.head("/c/come-back-to-care/").status_code == 200
    assert visits(campaign) == 0


def test_post_is_not_allowed(client, campaign):
    assert client.post("/c/come-back-to-care/").status_code == 405


def test_unknown_campaign_is_404(client, db):
    response = client.get("/c/no-such-campaign/")
    assert response.status_code == 404


def test_draft_is_404_for_the_public(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)

    response = client.get("/c/come-back-to-care/")

    assert response.status_code == 404
    assert "Come back to social work" not in response.content.decode()
    assert visits(campaign) == 0


def test_draft_preview_for_campaign_staff(client, campaign, personas):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    client.login(username=personas.campaign_manager.username, password=PASSWORD)

    response = client.get("/c/come-back-to-care/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft preview" in html
    assert "Apply now" not in html
    assert visits(campaign) == 0


def test_draft_is_404_for_a_council_recruiter(client, campaign, personas):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    client.login(username=personas.council_a_recruiter.username, password=PASSWORD)

    assert client.get("/c/come-back-to-care/").status_code == 404


def test_closed_campaign_says_so_and_lists_live_campaigns(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    make_campaign(slug="time-to-care", name="Time to Care", audience="Care staff of all kinds")
    make_campaign(slug="draft-one", name="Secret Draft", status=Campaign.Status.DRAFT)

    response = client.get("/c/come-back-to-care/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Come Back to Care (closed) – " in html
    assert "This campaign has closed. It is no longer taking applications." in html
    assert "Apply now" not in html
    assert "/apply/" not in html
    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/c/time-to-care/">Time to Care</a>' in html
    assert "Secret Draft" not in html
    assert visits(campaign) == 1


def test_live_campaign_past_its_end_date_is_closed_to_applications(client, campaign):
    # Like the demo's spring-2020 campaigns: still "live", but the dates are over.
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_on=datetime.date(2020, 4, 20), ends_on=datetime.date(2020, 5, 24)
    )
    make_campaign(slug="time-to-care", name="Time to Care")
    ended_yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_campaign(slug="ended", name="Ended Yesterday", starts_on=datetime.date(2020, 1, 1),
                  ends_on=ended_yesterday)

    html = client.get("/c/come-back-to-care/").content.decode()

    assert "<title>Come Back to Care (closed) – " in html
    assert "Applications for this campaign closed on 24 May 2020. It is no longer taking applications." in html
    assert "Apply now" not in html
    assert "/apply/" not in html
    assert "Applications close on" not in html
    assert 'href="/c/time-to-care/">Time to Care</a>' in html
    assert "Ended Yesterday" not in html
    assert visits(campaign) == 1  # its links and pages still count


def test_campaign_ending_today_still_takes_applications(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(ends_on=timezone.localdate())

    html = client.get("/c/come-back-to-care/").content.decode()

    assert "Apply now" in html
    assert "(closed)" not in html


def test_closed_campaign_with_no_live_campaigns(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)

    html = client.get("/c/come-back-to-care/").content.decode()

    assert "There are no live campaigns at the moment." in html


def test_simulated_campaign_is_labelled(client, db):
    make_campaign(slug="step-up-now", is_simulated=True)

    html = client.get("/c/step-up-now/").content.decode()

    assert '<p class="cr-simulated">Simulated demo data</p>' in html


def test_brand_colour_is_only_ever_a_hex_colour(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(brand_colour="red;x")
    html = client.get("/c/come-back-to-care/").content.decode()
    assert 'style="--cr-brand: #1d3a5f"' in html

    Campaign.objects.filter(pk=campaign.pk).update(brand_colour="#4C9F70")
    html = client.get("/c/come-back-to-care/").content.decode()
    assert 'style="--cr-brand: #4C9F70"' in html


def test_campaign_content_is_escaped(client, db):
    make_campaign(
        slug="escaped",
        headline="<script>alert(1)</script>",
        why_join=["<b>bold</b>"],
        faqs=[{"question": "<i>q</i>", "answer": "a"}, {"question": "missing answer"}],
    )

    html = client.get("/c/escaped/").content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;i&gt;q&lt;/i&gt;" in html
    assert "missing answer" not in html
