"""`carerecruit demo`: exact, deterministic figures; only simulated, unreachable data."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.candidates.models import Application, Candidate
from carerecruit.demo import content
from carerecruit.demo.simulation import delete_demo
from carerecruit.lib.names import fold_name
from carerecruit.lib.phones import normalise_phone
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.organisations.models import Organisation, User
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking.models import Event, FunnelRollup

SLUGS = ["come-back-to-care", "step-up-now", "time-to-care"]
DRAMA_PHONE = re.compile(r"^\+44(7700900|1214960|2079460|1134960|1614960)\d{3}$")
DEMO_EMAIL = re.compile(r"^[a-z0-9.]+@example\.(org|com|net)$")
WM_POSTCODE_AREAS = {"B", "CV", "DY", "WS", "WV", "ST", "WR", "HR", "TF", "SY"}


def run_demo(*args, forecast_history: bool = False) -> str:
    """The demo command's output. The forecast history (a separate, labelled campaign)
    is left out unless asked for, so the figures here are the five weeks' alone."""
    out = StringIO()
    if not forecast_history:
        args = (*args, "--no-forecast-history")
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def funnel_by_campaign() -> dict[str, tuple[int, int, int, int, int]]:
    """(clicks, visits, form starts, applications, bot clicks) per campaign slug."""
    figures = {}
    for slug in SLUGS:
        events = Event.objects.filter(campaign__slug=slug)
        human = dict(
            events.filter(is_bot=False).values_list("kind").annotate(n=Count("id")).order_by()
        )
        figures[slug] = (
            human.get("click", 0), human.get("visit", 0), human.get("form_start", 0),
            human.get("application", 0), events.filter(is_bot=True).count(),
        )
    return figures


def demo_counts() -> dict:
    return {
        "campaigns": Campaign.objects.filter(is_simulated=True).count(),
        "links": TrackedLink.objects.filter(is_simulated=True).count(),
        "providers": Organisation.objects.filter(is_simulated=True).count(),
        "candidates": Candidate.objects.count(),
        "applications": Application.objects.count(),
        "events": Event.objects.count(),
        "funnels": funnel_by_campaign(),
        "link_codes": sorted(TrackedLink.objects.values_list("code", flat=True)),
        "pipeline": pipeline_counts(),
    }


def pipeline_counts() -> dict:
    """The simulated pipeline (placements app): routes, placements, funnel outcomes."""
    from carerecruit.placements.models import ApplicationRoute, Placement, RetentionCheckpoint

    outcomes = Event.objects.filter(kind__in=["shortlisted", "placed", "retained_6m"])
    return {
        "routes": ApplicationRoute.objects.count(),
        "placed": ApplicationRoute.objects.filter(stage="placed").count(),
        "placements": Placement.objects.count(),
        "overdue_checkpoints": RetentionCheckpoint.objects.filter(status="pending").count(),
        "outcomes": dict(outcomes.values_list("kind").annotate(n=Count("id")).order_by()),
    }


@pytest.mark.django_db
def test_default_demo_has_exact_figures_and_reset_reproduces_them():
    output = run_demo()

    counts = demo_counts()
    # The three spring-2020 campaigns and the live one (test_live_campaign.py), with its
    # four links and no events.
    assert counts["campaigns"] == 4
    assert counts["links"] == 27 + 4
    assert counts["providers"] == 5
    assert counts["candidates"] == 606
    assert counts["applications"] == 629
    # ... plus the simulated pipeline's outcomes: shortlisted, placed, retained at 6 months.
    assert counts["events"] == 10_057 + 392 + 7_862 + 1_947 + 629 + 205 + 77 + 69
    assert counts["pipeline"] == {
        "routes": 818, "placed": 77, "placements": 77, "overdue_checkpoints": 19,
        "outcomes": {"shortlisted": 205, "placed": 77, "retained_6m": 69},
    }
    # (clicks, visits, form starts, applications, bot clicks)
    assert counts["funnels"] == {
        "come-back-to-care": (3_074, 2_506, 693, 236, 115),
        "step-up-now": (2_303, 1_694, 402, 135, 92),
        "time-to-care": (4_680, 3_662, 852, 258, 185),
    }
    assert "  Total               27  10,057   7,862        1,947           629         392" in output
    assert "demo-password-2020" in output
    assert "LOCAL DEMO ONLY" in output
    assert "http://127.0.0.1:8000/c/come-back-to-care/" in output
    assert "impressions" in output.lower()
    # Rolled up: the rollups hold every human event.
    assert FunnelRollup.objects.aggregate(n=Sum("count"))["n"] == 10_057 + 7_862 + 1_947 + 629 + 351

    again = run_demo()
    assert "already loaded" in again
    assert demo_counts() == counts
    # `make demo` runs the command on every start: the logins and addresses come again.
    assert "demo-password-2020" in again
    assert "campaign.manager" in again and "regional.viewer" in again
    assert "http://127.0.0.1:8000/staff/" in again
    assert "its campaigns have ended, so their microsites say applications are closed" in again

    run_demo("--reset")
    assert demo_counts() == counts
    assert FunnelRollup.objects.aggregate(n=Sum("count"))["n"] == 10_057 + 7_862 + 1_947 + 629 + 351


@pytest.mark.django_db
def test_small_scale_demo_figures():
    run_demo("--scale", "0.1")

    assert funnel_by_campaign() == {
        "come-back-to-care": (303, 260, 82, 27, 12),
        "step-up-now": (236, 182, 44, 10, 8),
        "time-to-care": (463, 335, 84, 26, 20),
    }
    assert Candidate.objects.count() == 62
    assert Application.objects.count() == 63


@pytest.mark.django_db
def test_every_demo_row_is_simulated_and_its_people_unreachable():
    run_demo("--scale", "0.1")

    for model in (Campaign, TrackedLink, Event, Candidate, Application):
        assert model.objects.count() > 0
        assert not model.objects.filter(is_simulated=False).exists(), model
    assert not Organisation.objects.filter(kind="provider", is_simulated=False).exists()
    assert Event.objects.filter(is_bot=True, kind="click").count() == 40

    candidates = list(Candidate.objects.all())
    assert len({c.email_normalised for c in candidates}) == len(candidates)
    assert len({c.phone_e164 for c in candidates}) == len(candidates)
    for c in candidates:
        assert DEMO_EMAIL.match(c.email_normalised), c.email_normalised
        assert c.email.lower() == c.email_normalised
        assert DRAMA_PHONE.match(c.phone_e164), c.phone_e164
        assert normalise_phone(c.phone_e164) == c.phone_e164
        assert normalise_postcode(c.postcode) == c.postcode
        assert re.match(r"^[A-Z]+", c.postcode).group() in WM_POSTCODE_AREAS
        assert c.name_folded == fold_name(c.full_name)
        assert c.talent_bank_consent == (c.talent_bank_consent_at is not None)


@pytest.mark.django_db
def test_applications_carry_their_link_attribution_and_have_one_event_each():
    run_demo("--scale", "0.1")

    events = {
        (e.campaign_id, e.occurred_at, e.click_id)
        for e in Event.objects.filter(kind="application")
    }
    assert len(events) == Application.objects.count()
    for app in Application.objects.select_related("link", "campaign", "candidate"):
        assert (app.campaign_id, app.submitted_at, app.click_id) in events
        assert app.full_name_given == app.candidate.full_name
        assert app.job_roles.exists()
        assert app.council_areas.exists()
        assert set(app.job_roles.values_list("code", flat=True)) <= set(
            app.campaign.job_roles.values_list("code", flat=True)
        )
        assert not app.council_areas.exclude(kind="council").exists()
        if app.link is None:
            assert (app.channel, app.utm_source, app.click_id) == ("direct", "", "")
        else:
            link = app.link
            assert (app.channel, app.utm_source, app.utm_medium, app.utm_campaign,
                    app.utm_content) == (link.channel, link.utm_source, link.utm_medium,
                                         app.campaign.slug, link.utm_content)
            # The click that started the journey carries the same click id.
            assert Event.objects.filter(kind="click", click_id=app.click_id, link=link).count() == 1
        start = app.campaign.starts_on
        assert datetime.date(2020, 4, 20) <= start <= app.submitted_at.date()


@pytest.mark.django_db
def test_campaigns_microsites_and_links():
    run_demo("--scale", "0.1")

    campaigns = {c.slug: c for c in Campaign.objects.all()}
    assert sorted(campaigns) == sorted([*SLUGS, "care-jobs-now-demo"])
    cbtc = campaigns["come-back-to-care"]
    assert (cbtc.hashtag, cbtc.status, cbtc.starts_on, cbtc.ends_on) == (
        "#ComeBackToCare", "live", datetime.date(2020, 4, 20), datetime.date(2020, 5, 24))
    assert (campaigns["step-up-now"].starts_on, campaigns["step-up-now"].ends_on) == (
        datetime.date(2020, 4, 27), datetime.date(2020, 5, 31))
    assert (campaigns["time-to-care"].starts_on, campaigns["time-to-care"].ends_on) == (
        datetime.date(2020, 5, 4), datetime.date(2020, 6, 7))
    assert sorted(cbtc.job_roles.values_list("code", flat=True)) == [6, 15, 17, 35, 39]
    assert sorted(campaigns["time-to-care"].job_roles.values_list("code", flat=True)) == [
        7, 8, 16, 34, 37, 45, 52]
    assert campaigns["time-to-care"].partners.filter(kind="provider").count() == 5
    assert cbtc.partners.filter(kind="council").count() == 7
    for campaign in campaigns.values():
        assert campaign.owner.kind == "regional"
        assert 4 <= len(campaign.why_join) <= 6
        assert 4 <= len(campaign.faqs) <= 6
        assert all(set(faq) == {"question", "answer"} for faq in campaign.faqs)
        assert campaign.contact_email.endswith("@example.org")
    assert "60 days" in str(cbtc.faqs) and "30 days" in str(cbtc.faqs)

    links = TrackedLink.objects.all()
    assert dict(links.values_list("campaign__slug").annotate(n=Count("id")).order_by()) == {
        "come-back-to-care": 9, "step-up-now": 8, "time-to-care": 10, "care-jobs-now-demo": 4}
    assert set(links.values_list("channel", flat=True)) == {
        "facebook", "instagram", "linkedin", "x", "tiktok", "email", "google_ads", "press", "qr"}
    for link in links:
        assert link.utm_campaign == link.campaign.slug
        assert link.utm_source == link.utm_source.lower()
        assert link.utm_medium in {"social", "paid_social", "email", "cpc", "print", "referral"}


@pytest.mark.django_db
def test_staff_logins_for_every_role(client):
    run_demo("--scale", "0.1")

    users = {u.username: u for u in User.objects.select_related("organisation")}
    expected = {
        "regional.admin": ("admin", "regional"),
        "campaign.manager": ("campaign_manager", "regional"),
        "birmingham.recruiter": ("recruiter", "council"),
        "coventry.recruiter": ("recruiter", "council"),
        "provider.recruiter": ("recruiter", "provider"),
        "regional.viewer": ("viewer", "regional"),
    }
    assert {name: (u.role, u.organisation.kind) for name, u in users.items()} == expected
    assert users["birmingham.recruiter"].organisation.gss_code == "E08000025"
    assert users["coventry.recruiter"].organisation.gss_code == "E08000026"
    assert users["provider.recruiter"].organisation.is_simulated
    # One shared password (one hash, as hashing is slow on purpose); it signs in.
    assert len({u.password for u in users.values()}) == 1
    assert client.login(username="campaign.manager", password=content.DEMO_PASSWORD)


@pytest.mark.django_db
def test_reset_deletes_only_the_demo():
    regional_body = Organisation.objects.get(kind="regional")
    User.objects.create(username="real.person", organisation=regional_body, role="admin")
    real_provider = Organisation.objects.create(
        region=regional_body.region, kind="provider", name="Real Care Ltd",
        short_name="Real Care", slug="real-care",
    )
    real = make_campaign(slug="real-campaign")
    real_link = make_link(real)
    Event.objects.create(kind="click", occurred_at=datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC),
                         campaign=real, link=real_link, channel="facebook")
    run_demo("--scale", "0.1", forecast_history=True)
    run_demo("--reset", "--scale", "0.1", forecast_history=True)
    # The three campaigns, the live one, the forecast history's closed campaign and the
    # real one.
    history = Campaign.objects.get(slug="demo-simulated-forecast-history")
    assert (history.is_simulated, history.ends_on < datetime.date(2020, 4, 1)) == (True, True)
    assert Application.objects.filter(campaign=history).count() > 500
    assert Campaign.objects.count() == 6

    delete_demo()

    assert list(Campaign.objects.values_list("slug", flat=True)) == ["real-campaign"]
    assert Event.objects.count() == 1
    assert TrackedLink.objects.get() == real_link
    assert not Organisation.objects.filter(is_simulated=True).exists()
    assert not Candidate.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["real.person"]
    assert Organisation.objects.filter(kind="provider").get() == real_provider


@pytest.mark.django_db
def test_demo_refuses_to_overwrite_a_real_campaign():
    make_campaign()  # a real campaign with the slug come-back-to-care
    with pytest.raises(CommandError, match="come-back-to-care"):
        run_demo("--scale", "0.1")
    assert not Campaign.objects.filter(is_simulated=True).exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_scale_must_be_positive():
    with pytest.raises(CommandError, match="positive"):
        run_demo("--scale", "0")
