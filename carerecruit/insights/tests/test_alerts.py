"""Alerts: the acceptance scene (ordinary noise raises nothing; a collapse raises exactly
one alert and one e-mail, however often it is evaluated), cost per application against
the target, the command and the dashboard."""

import datetime
import random
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import override_settings

from carerecruit.insights.actions import do_raise_alert, do_set_campaign_target
from carerecruit.insights.alerts import describe, evaluate_alerts, find_sags
from carerecruit.insights.models import Alert
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking.rollups import catch_up

from .helpers import make_ad_day, make_events, utc

D = datetime.date
FIRST_DAY = D(2020, 3, 23)
NOISE_DAYS = 28
COLLAPSE_DAY = D(2020, 4, 20)  # the day after the 28 days of noise


def seed_day(campaign, link, day, visits, applications):
    at = utc(day.year, day.month, day.day, 12)
    make_events("visit", visits, campaign, at, link)
    make_events("application", applications, campaign, at, link)


def binomial(rng, n, p):
    return sum(rng.random() < p for _ in range(n))


@pytest.fixture
def noisy(db, personas):
    """28 days of ordinary day-to-day noise on three channels of a live campaign: visits
    vary ±30% and applications are binomial draws at each channel's own rate (fixed seed,
    so the test is repeatable)."""
    rng = random.Random(20200420)
    campaign = make_campaign()
    channels = {
        # channel: (typical visits a day, visit-to-application rate)
        "facebook": (100, 0.10),
        "linkedin": (80, 0.12),
        "email": (10, 0.10),  # a small channel
    }
    links = {channel: make_link(campaign, channel) for channel in channels}
    for offset in range(NOISE_DAYS):
        day = FIRST_DAY + datetime.timedelta(days=offset)
        for channel, (typical, rate) in channels.items():
            visits = rng.randint(int(typical * 0.7), int(typical * 1.3))
            seed_day(campaign, links[channel], day, visits, binomial(rng, visits, rate))
    catch_up(settle_seconds=0)
    return campaign, links, rng


def test_ordinary_noise_raises_no_alert(noisy):
    # Every one of the last 14 noisy days judged as "today" (and its yesterday).
    for offset in range(14, NOISE_DAYS):
        result = evaluate_alerts(FIRST_DAY + datetime.timedelta(days=offset))
        assert result == {"judged": 1, "raised": 0, "emailed": 0}
    assert Alert.objects.count() == 0
    assert mail.outbox == []


def test_a_collapse_raises_exactly_one_alert_and_one_email(noisy, personas, django_capture_on_commit_callbacks):
    campaign, links, rng = noisy
    # LinkedIn collapses: 85 visits, no applications (10.2 expected). Facebook carries on
    # as usual; the small email channel also has none, but 1 expected is no evidence.
    seed_day(campaign, links["facebook"], COLLAPSE_DAY, 104, binomial(rng, 104, 0.10))
    seed_day(campaign, links["linkedin"], COLLAPSE_DAY, 85, 0)
    seed_day(campaign, links["email"], COLLAPSE_DAY, 9, 0)

    with django_capture_on_commit_callbacks(execute=True):
        first = evaluate_alerts(COLLAPSE_DAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = evaluate_alerts(COLLAPSE_DAY)
    assert first == {"judged": 1, "raised": 1, "emailed": 1}
    assert second == {"judged": 1, "raised": 0, "emailed": 0}

    alert = Alert.objects.get()
    assert (alert.campaign, alert.channel, alert.kind, alert.local_date) == (
        campaign, "linkedin", "conversion_sag", COLLAPSE_DAY,
    )
    assert alert.detail["visits"] == 85
    assert alert.detail["applications"] == 0
    assert alert.detail["baseline_days"] == 14
    assert alert.detail["day_is_complete"] is False
    assert alert.detail["p_value"] < 0.01
    assert alert.emailed_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["campaign_manager@example.org", "regional_admin@example.org"]
    assert message.subject == "Alert: Come Back to Care: visit-to-application rate fell"
    assert "LinkedIn: 0 applications from 85 visits so far today (0.0%)" in message.body
    # Absolute links (CARERECRUIT_BASE_URL): a mail client has no site to resolve a path on.
    assert "See the campaign dashboard: http://127.0.0.1:8000/staff/campaigns/come-back-to-care/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert 'href="http://127.0.0.1:8000/staff/campaigns/come-back-to-care/"' in message.alternatives[0][0]

    # The next evaluation of the same day, by the worker or cron, adds nothing either.
    evaluate_alerts(COLLAPSE_DAY)
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_collapse_is_judged_again_when_its_day_is_complete(noisy):
    campaign, links, _ = noisy
    seed_day(campaign, links["linkedin"], COLLAPSE_DAY, 85, 0)
    findings = find_sags([campaign], COLLAPSE_DAY + datetime.timedelta(days=1))
    assert [(f.channel, f.local_date, f.detail["day_is_complete"]) for f in findings] == [
        ("linkedin", COLLAPSE_DAY, True),
    ]


def test_only_live_campaigns_are_judged(noisy):
    campaign, links, _ = noisy
    seed_day(campaign, links["linkedin"], COLLAPSE_DAY, 85, 0)
    campaign.status = campaign.Status.CLOSED
    campaign.save()
    assert evaluate_alerts(COLLAPSE_DAY) == {"judged": 0, "raised": 0, "emailed": 0}


def test_campaigns_past_their_end_date_are_not_judged(noisy):
    # Their links still bring visits, but the form is closed: no applications is no sag.
    campaign, links, _ = noisy
    seed_day(campaign, links["linkedin"], COLLAPSE_DAY, 85, 0)
    campaign.starts_on, campaign.ends_on = FIRST_DAY, COLLAPSE_DAY - datetime.timedelta(days=1)
    campaign.save()
    assert evaluate_alerts(COLLAPSE_DAY) == {"judged": 0, "raised": 0, "emailed": 0}
    campaign.ends_on = COLLAPSE_DAY
    campaign.save()
    assert evaluate_alerts(COLLAPSE_DAY)["raised"] == 1


@override_settings(CARERECRUIT_BASE_URL="https://jobs.example.org")
def test_alert_email_links_to_the_configured_site(noisy, django_capture_on_commit_callbacks):
    campaign, links, _ = noisy
    seed_day(campaign, links["linkedin"], COLLAPSE_DAY, 85, 0)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_alerts(COLLAPSE_DAY)
    assert "https://jobs.example.org/staff/campaigns/come-back-to-care/" in mail.outbox[0].body


def test_unique_per_campaign_channel_kind_and_day(db):
    campaign = make_campaign()
    do_raise_alert(campaign, "facebook", "conversion_sag", D(2020, 4, 20), {})
    with pytest.raises(IntegrityError), transaction.atomic():
        do_raise_alert(campaign, "facebook", "conversion_sag", D(2020, 4, 20), {})
    do_raise_alert(campaign, "facebook", "conversion_sag", D(2020, 4, 21), {})
    do_raise_alert(campaign, "linkedin", "conversion_sag", D(2020, 4, 20), {})
    assert Alert.objects.count() == 3


@pytest.fixture
def costly(db, personas):
    """A live campaign with a £10 target: over the 7 days before 20 April, Facebook spent
    £150 for 10 applications (£15 each); LinkedIn £40 for 8 (£5 each); Google (no channel)
    £30 for none."""
    campaign = make_campaign()
    do_set_campaign_target(campaign, target_cost_per_application_pence=1000, by=personas.campaign_manager)
    facebook = make_link(campaign, "facebook")
    linkedin = make_link(campaign, "linkedin")
    for offset in range(1, 6):
        day = COLLAPSE_DAY - datetime.timedelta(days=offset)
        make_ad_day(campaign, day, 1000, 30, 3000)  # facebook: £30 a day × 5
    make_ad_day(campaign, D(2020, 4, 14), 1000, 30, 4000, channel="linkedin", platform="linkedin")
    make_ad_day(campaign, D(2020, 4, 15), 1000, 30, 3000, channel="", platform="google")
    make_ad_day(campaign, D(2020, 4, 12), 1000, 30, 99999)  # before the 7 days
    make_ad_day(campaign, COLLAPSE_DAY, 1000, 30, 99999)  # today: not judged
    make_events("application", 10, campaign, utc(2020, 4, 16, 12), facebook)
    make_events("application", 8, campaign, utc(2020, 4, 16, 12), linkedin)
    return campaign


def test_cost_per_application_above_target(costly):
    assert evaluate_alerts(COLLAPSE_DAY)["raised"] == 2
    alerts = {a.channel: a for a in Alert.objects.filter(kind="cost_per_application")}
    assert sorted(alerts) == ["", "facebook"]
    assert alerts["facebook"].local_date == COLLAPSE_DAY
    assert alerts["facebook"].detail == {
        "window_start": "2020-04-13", "window_end": "2020-04-19", "spend_pence": 15000,
        "applications": 10, "cost_per_application_pence": 1500, "target_pence": 1000,
    }
    # The whole campaign: £220 for 18 applications is £12.22 each.
    assert alerts[""].detail["spend_pence"] == 22000
    assert alerts[""].detail["cost_per_application_pence"] == 1222
    assert describe(alerts["facebook"]) == (
        "Facebook: £150.00 spent for 10 applications from 13 April to 19 April 2020 "
        "(£15.00 per application), above the target of £10.00."
    )
    assert describe(alerts[""]).startswith("All channels: £220.00 spent for 18 applications")
    assert len(mail.outbox) == 2


def test_no_target_no_cost_alert(costly, personas):
    do_set_campaign_target(costly, target_cost_per_application_pence=None, by=personas.campaign_manager)
    assert evaluate_alerts(COLLAPSE_DAY)["raised"] == 0


def test_spend_below_one_target_is_not_judged(db, personas):
    campaign = make_campaign()
    do_set_campaign_target(campaign, target_cost_per_application_pence=5000, by=personas.campaign_manager)
    make_ad_day(campaign, D(2020, 4, 19), 100, 3, 4999)  # under £50 spent, no applications yet
    assert evaluate_alerts(COLLAPSE_DAY)["raised"] == 0


def test_command_for_cron(costly):
    out = StringIO()
    call_command("evaluate-alerts", "--date", "2020-04-20", stdout=out)
    assert out.getvalue() == "Judged 1 live campaigns; raised 2 alerts; sent 2 e-mails.\n"
    out = StringIO()
    call_command("evaluate-alerts", "--date", "2020-04-20", stdout=out)
    assert out.getvalue() == "Judged 1 live campaigns; raised 0 alerts; sent 0 e-mails.\n"


def test_command_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date must be a date"):
        call_command("evaluate-alerts", "--date", "20/04/2020")


def test_worker_schedules_the_evaluation():
    from carerecruit.tracking.management.commands import worker

    assert worker.ALERTS_EVERY_SECONDS <= 600
    assert worker.evaluate_alerts_task.name == "evaluate_alerts_task"


def test_alerts_show_on_the_dashboard(client, costly, personas):
    evaluate_alerts(COLLAPSE_DAY)
    Alert.objects.update(local_date=datetime.date.today())  # within the last 7 days
    client.force_login(personas.viewer)
    html = client.get("/staff/campaigns/come-back-to-care/").content.decode()
    assert 'data-alert="cost_per_application" data-alert-channel="facebook"' in html
    assert 'data-alert="cost_per_application" data-alert-channel="all"' in html
    assert "above the target of £10.00." in html
    overview = client.get("/staff/insights/").content.decode()
    assert 'data-alert="cost_per_application" data-alert-channel="facebook"' in overview
