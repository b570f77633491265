"""The demo's live campaign: live on the day the demo is loaded, with tracked links and no
simulated history, so a newcomer can apply and see only their own figures."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.candidates.models import Application
from carerecruit.demo import content
from carerecruit.demo.simulation import ensure_live_campaign
from carerecruit.lib.localtime import local_today
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.testing.factories import make_campaign
from carerecruit.tracking import spool
from carerecruit.tracking.models import Event, FunnelRollup

SLUG = "care-jobs-now-demo"
# Its link codes come from their own fixed seed: the same on every machine and every load.
CODES = {"facebook": "5cjzjpwz", "linkedin": "5x9xnnkf", "email": "umkvstth", "qr": "ttmg92n4"}
BROWSER_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", "--scale", "0.1", "--no-forecast-history", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_live_campaign_takes_applications_today_with_links_and_no_history():
    output = run_demo()

    campaign = Campaign.objects.get(slug=SLUG)
    today = local_today()
    assert (campaign.name, campaign.status, campaign.is_simulated) == (
        "Care Jobs Now (demo, live)", "live", True)
    assert (campaign.starts_on, campaign.ends_on) == (
        today - datetime.timedelta(days=7), today + datetime.timedelta(days=60))
    assert campaign.takes_applications
    assert list(Campaign.objects.taking_applications().values_list("slug", flat=True)) == [SLUG]
    assert campaign.owner.kind == "regional"
    assert sorted(campaign.job_roles.values_list("code", flat=True)) == [7, 8, 34, 52]
    assert sorted(campaign.partners.values_list("slug", flat=True)) == [
        "birmingham", "brindley-homecare", "coventry", "kingfisher-lane-care", "sandwell",
        "wolverhampton"]

    links = {link.channel: link for link in campaign.links.all()}
    assert {channel: link.code for channel, link in links.items()} == CODES
    assert {(link.utm_source, link.utm_medium) for link in links.values()} == {
        ("facebook", "social"), ("linkedin", "social"), ("newsletter", "email"), ("poster", "print")}
    for link in links.values():
        assert (link.utm_campaign, link.is_simulated) == (SLUG, True)
        assert link.created_at < timezone.now()

    # No simulated history: its dashboard starts empty.
    assert not Event.objects.filter(campaign=campaign).exists()
    assert not Application.objects.filter(campaign=campaign).exists()
    assert not FunnelRollup.objects.filter(campaign=campaign).exists()

    # Where to go: its microsite, one tracked link and the advice about bots.
    assert f"http://127.0.0.1:8000/c/{SLUG}/" in output
    assert f"http://127.0.0.1:8000/r/{CODES['facebook']}" in output
    assert f"http://127.0.0.1:8000/staff/campaigns/{SLUG}/" in output
    assert "recorded as bots and not counted" in output


@pytest.mark.django_db
def test_running_again_keeps_it_and_reset_makes_it_afresh():
    run_demo()
    first = Campaign.objects.get(slug=SLUG)

    again = run_demo()
    assert "nothing was changed" in again
    assert Campaign.objects.filter(slug=SLUG).get().pk == first.pk
    assert TrackedLink.objects.filter(campaign__slug=SLUG).count() == 4
    assert f"http://127.0.0.1:8000/r/{CODES['facebook']}" in again

    run_demo("--reset")
    fresh = Campaign.objects.filter(slug=SLUG).get()
    assert fresh.pk != first.pk
    assert dict(fresh.links.values_list("channel", "code")) == CODES


@pytest.mark.django_db
def test_a_demo_loaded_before_the_live_campaign_gets_it_on_the_next_run():
    run_demo()
    Campaign.objects.filter(slug=SLUG).delete()

    output = run_demo()

    assert "already loaded; added its live campaign, Care Jobs Now (demo, live)" in output
    assert Campaign.objects.get(slug=SLUG).takes_applications
    assert ensure_live_campaign() == (Campaign.objects.get(slug=SLUG), False)


@pytest.mark.django_db
def test_dates_count_from_the_local_date(monkeypatch):
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC))

    campaign, created = ensure_live_campaign()

    assert created
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2026, 6, 24), datetime.date(2026, 8, 30))
    # Published at 09:00 London time on its first day.
    assert campaign.published_at == datetime.datetime(2026, 6, 24, 8, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_an_ended_live_campaign_is_kept_and_the_command_says_how_to_renew_it():
    run_demo()
    Campaign.objects.filter(slug=SLUG).update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 3, 1))

    output = run_demo()

    assert "Care Jobs Now (demo, live) ended on 1 March 2020" in output
    assert "carerecruit demo --reset" in output
    assert Campaign.objects.filter(slug=SLUG).count() == 1


@pytest.mark.django_db
def test_a_real_campaign_with_its_slug_stops_the_demo_and_is_never_touched():
    real = make_campaign(slug=SLUG)
    with pytest.raises(CommandError, match=SLUG):
        run_demo()
    assert ensure_live_campaign() == (None, False)
    assert list(Campaign.objects.values_list("pk", "is_simulated")) == [(real.pk, False)]


@pytest.mark.django_db
def test_a_newcomer_clicks_applies_and_sees_only_their_own_figures(client):
    run_demo()
    campaign = Campaign.objects.get(slug=SLUG)
    facebook = campaign.links.get(channel="facebook")
    browser = Client(HTTP_USER_AGENT=BROWSER_UA)

    # A browser's click is counted; curl's is recorded as a bot's.
    response = browser.get(f"/r/{facebook.code}")
    assert response.status_code == 302
    landing = response["Location"]
    assert landing.startswith(f"/c/{SLUG}/?utm_source=facebook&utm_medium=social")
    assert Client(HTTP_USER_AGENT="curl/8.5.0").get(f"/r/{facebook.code}").status_code == 302
    assert "Apply" in browser.get(landing).content.decode()
    assert browser.get(f"/c/{SLUG}/apply/").status_code == 200

    start = local_today() + datetime.timedelta(days=30)
    response = browser.post(f"/c/{SLUG}/apply/", {
        "full_name": "Ann Lee", "email": "ann.lee@example.org", "phone": "07700 900123",
        "postcode": "B1 1AA", "job_roles": [str(JobRole.objects.get(code=8).pk)],
        "swe_registration": "", "years_experience": "0", "current_role": "Retail assistant",
        "earliest_start_0": str(start.day), "earliest_start_1": str(start.month),
        "earliest_start_2": str(start.year), "hours_wanted": "part_time",
        "council_areas": [str(Organisation.objects.get(gss_code="E08000025").pk)],
        "right_to_work": "yes",
    })
    assert response.status_code == 302, response.content.decode()[:2000]

    spool.ingest()
    application = Application.objects.get(campaign=campaign)
    assert (application.link, application.channel, application.is_simulated) == (facebook, "facebook", False)
    clicks = Event.objects.filter(campaign=campaign, kind="click")
    assert sorted(clicks.values_list("is_bot", flat=True)) == [False, True]
    assert Event.objects.filter(campaign=campaign, kind="application", is_bot=False).count() == 1

    # Its dashboard opens for the demo's campaign manager.
    assert client.login(username="campaign.manager", password=content.DEMO_PASSWORD)
    dashboard = client.get(f"/staff/campaigns/{SLUG}/")
    assert dashboard.status_code == 200
    assert "Care Jobs Now (demo, live)" in dashboard.content.decode()
