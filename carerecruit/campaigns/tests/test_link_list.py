"""The tracked-link list: each link's clicks, visits, applications and conversion, exact
and live (rollups + tail), refreshed by htmx and complete without JavaScript."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_link
from carerecruit.tracking import spool
from carerecruit.tracking.models import Event
from carerecruit.tracking.rollups import catch_up

from .helpers import MOBILE_UA, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, personas):
    login(client, personas.viewer)  # every staff role may read the link list
    return client


def person(n: int) -> Client:
    """A member of the public on a phone; a different address per person, so each is a
    different visitor."""
    return Client(HTTP_USER_AGENT=MOBILE_UA, REMOTE_ADDR=f"192.0.2.{n}")


def apply_data(n: int) -> dict:
    start = datetime.date.today() + datetime.timedelta(days=30)
    return {
        "full_name": f"Person {n}", "email": f"person{n}@example.org", "phone": f"07700 900{n:03d}",
        "postcode": "B1 1AA", "job_roles": [str(JobRole.objects.get(code=15).pk)],
        "swe_registration": "", "years_experience": "3", "current_role": "Carer",
        "earliest_start_0": str(start.day), "earliest_start_1": str(start.month),
        "earliest_start_2": str(start.year), "hours_wanted": "part_time",
        "council_areas": [str(Organisation.objects.get(gss_code="E08000025").pk)],
        "right_to_work": "yes", "talent_bank_consent": "on",
    }


def click_visit_apply(n: int, link, *, visit=True, apply=False) -> None:
    public = person(n)
    response = public.get(f"/r/{link.code}")
    assert response.status_code == 302
    if visit:
        landing = response["Location"]
        assert public.get(landing).status_code == 200
        if apply:
            query = urlsplit(landing).query
            done = public.post(f"/c/{link.campaign.slug}/apply/?{query}", apply_data(n))
            assert done.status_code == 302, done.content.decode()[:2000]


def cells(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr class="govuk-table__row" id="link-{code}" data-link="{code}">(.*?)</tr>', html, re.S).group(1)
    values = dict(re.findall(r'data-(?:metric|rate)="(\w+)">(.*?)</td>', row, re.S))
    return {key: re.sub(r"<[^>]+>", "", value).strip() for key, value in values.items()}


def test_counts_are_exact_after_real_clicks_visits_and_applications(staff, campaign):
    facebook = make_link(campaign, "facebook")
    linkedin = make_link(campaign, "linkedin")
    quiet = make_link(campaign, "email")
    # Facebook: 5 people click, 4 of them land, 2 apply. LinkedIn: 3 click, 3 land, 1 applies.
    for n in range(1, 6):
        click_visit_apply(n, facebook, visit=n <= 4, apply=n <= 2)
    for n in range(6, 9):
        click_visit_apply(n, linkedin, apply=n == 6)
    # A link-preview bot is not counted.
    Client(HTTP_USER_AGENT="facebookexternalhit/1.1").get(f"/r/{facebook.code}")
    spool.ingest()  # the worker moves spooled clicks in within a second

    html = staff.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()

    assert cells(html, facebook.code) == {"clicks": "5", "visits": "4", "applications": "2", "conversion": "40.0%"}
    assert cells(html, linkedin.code) == {"clicks": "3", "visits": "3", "applications": "1", "conversion": "33.3%"}
    assert cells(html, quiet.code) == {"clicks": "0", "visits": "0", "applications": "0", "conversion": "–no clicks yet"}
    assert '<tr class="govuk-table__row" data-link="all">' in html
    footer = html[html.index('data-link="all"'):]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-metric="clicks">8</td>' in footer
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-metric="applications">3</td>' in footer
    assert "37.5%" in footer

    # The same after the worker has folded the events into rollups (no double counting),
    # and after one more click that only the live tail holds.
    catch_up(settle_seconds=0)
    person(9).get(f"/r/{facebook.code}")
    spool.ingest()
    html = staff.get(f"/staff/campaigns/{campaign.slug}/links/live/").content.decode()
    assert cells(html, facebook.code) == {"clicks": "6", "visits": "4", "applications": "2", "conversion": "33.3%"}
    assert Event.objects.filter(kind="click", is_bot=True).count() == 1


def test_links_of_other_campaigns_are_not_counted(staff, campaign):
    from carerecruit.testing.factories import make_campaign

    link = make_link(campaign)
    other = make_campaign("other-campaign")
    other_link = make_link(other)
    person(1).get(f"/r/{other_link.code}")
    spool.ingest()
    html = staff.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()
    assert cells(html, link.code)["clicks"] == "0"
    assert other_link.code not in html


def test_page_polls_its_live_table_and_keeps_row_ids(staff, campaign, settings):
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 7
    link = make_link(campaign)
    html = staff.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()
    assert ('<div id="cr-links-live" hx-get="/staff/campaigns/come-back-to-care/links/live/" '
            'hx-trigger="every 7s" hx-swap="outerHTML">') in html
    assert "/static/build/htmx.min.js" in html
    assert f'<tr class="govuk-table__row" id="link-{link.code}" data-link="{link.code}">' in html
    assert 'href="/staff/campaigns/come-back-to-care/links/"' in html  # Refresh without JS
    assert f'href="/staff/campaigns/come-back-to-care/links/{link.code}/qr.png" download' in html
    assert f'href="/staff/campaigns/come-back-to-care/links/{link.code}/qr.svg" download' in html

    partial = staff.get(f"/staff/campaigns/{campaign.slug}/links/live/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200
    assert '<div id="cr-links-live"' in body
    assert "<html" not in body
    assert "no-cache" in partial["Cache-Control"]


def test_expired_session_on_a_poll_redirects_the_window(client, campaign):
    response = client.get(
        f"/staff/campaigns/{campaign.slug}/links/live/", HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver/staff/campaigns/{campaign.slug}/links/",
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/staff/login/?next=/staff/campaigns/come-back-to-care/links/"


def test_unknown_campaign_is_404(staff):
    assert staff.get("/staff/campaigns/nope/links/").status_code == 404
    assert staff.get("/staff/campaigns/nope/links/live/").status_code == 404


def test_create_buttons_only_for_managers(client, personas, campaign):
    login(client, personas.viewer)
    html = client.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()
    assert "/links/bulk/" not in html
    login(client, personas.campaign_manager)
    html = client.get(f"/staff/campaigns/{campaign.slug}/links/").content.decode()
    assert 'href="/staff/campaigns/come-back-to-care/links/bulk/"' in html


def test_conversion_is_withheld_when_applications_outnumber_clicks():
    from decimal import Decimal

    from carerecruit.campaigns.link_stats import LinkCounts

    assert LinkCounts(clicks=4, visits=4, applications=1).conversion == Decimal("25.0")
    assert LinkCounts(clicks=2, visits=2, applications=2).conversion == Decimal("100.0")
    # A forwarded link's page carries the first person's click: 3 applications, 2 clicks.
    assert LinkCounts(clicks=2, visits=3, applications=3).conversion is None
    assert LinkCounts(clicks=0, visits=1, applications=1).conversion is None
