import dataclasses
import datetime

import pytest
from django.test import RequestFactory

from carerecruit.candidates.models import Application, Candidate
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.tracking.actions import (
    Attribution,
    _insert_first_view,
    attribution_for,
    record_application,
    record_click,
    record_form_start,
    record_microsite_view,
)
from carerecruit.tracking.clickids import verify
from carerecruit.tracking.models import DailyVisitor, Event
from carerecruit.tracking.rollups import funnel_rows, roll_up_events
from carerecruit.tracking.visitors import visitor_hash

from .conftest import ANDROID_CHROME, IPHONE_SAFARI

UTC = datetime.UTC
NOON = datetime.datetime(2020, 4, 20, 11, 0, tzinfo=UTC)  # 12:00 BST


def get(path="/c/come-back-to-care/", *, ua=IPHONE_SAFARI, ip="203.0.113.7", **meta):
    return RequestFactory().get(path, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **meta)


def visits(campaign) -> int:
    return Event.objects.filter(campaign=campaign, kind="visit", is_bot=False).count()


# --- visits --------------------------------------------------------------------------


def test_visit_counts_once_per_visitor_per_day_even_on_reload(campaign, at):
    with at(NOON):
        for _ in range(3):
            record_microsite_view(get(), campaign)
    assert visits(campaign) == 1
    visitor = DailyVisitor.objects.get()
    assert (visitor.day, visitor.campaign, visitor.channel, visitor.form_started) == (
        datetime.date(2020, 4, 20), campaign, "direct", False
    )
    event = Event.objects.get()
    assert event.occurred_at == NOON
    assert event.visitor_hash == visitor.visitor_hash
    assert len(event.visitor_hash) == 64


def test_another_browser_or_address_is_another_visitor(campaign, at):
    with at(NOON):
        record_microsite_view(get(), campaign)
        record_microsite_view(get(ua=ANDROID_CHROME), campaign)
        record_microsite_view(get(ip="198.51.100.20"), campaign)
    assert visits(campaign) == 3


def test_same_visitor_counts_again_the_next_day(campaign, at):
    with at(NOON):
        record_microsite_view(get(), campaign)
    with at(NOON + datetime.timedelta(days=1)):
        record_microsite_view(get(), campaign)
        record_microsite_view(get(), campaign)
    assert visits(campaign) == 2
    assert sorted(DailyVisitor.objects.values_list("day", flat=True)) == [
        datetime.date(2020, 4, 20), datetime.date(2020, 4, 21)
    ]


def test_local_midnight_in_summer_is_2300_utc(campaign, at):
    with at(datetime.datetime(2020, 4, 20, 22, 30, tzinfo=UTC)):  # 23:30 BST, 20 April
        record_microsite_view(get(), campaign)
    with at(datetime.datetime(2020, 4, 20, 23, 30, tzinfo=UTC)):  # 00:30 BST, 21 April
        record_microsite_view(get(), campaign)
    assert visits(campaign) == 2
    assert sorted(DailyVisitor.objects.values_list("day", flat=True)) == [
        datetime.date(2020, 4, 20), datetime.date(2020, 4, 21)
    ]


def test_each_campaign_counts_its_own_visit(campaign):
    other = make_campaign(slug="step-up-now", name="Step Up Now")
    record_microsite_view(get(), campaign)
    record_microsite_view(get(), other)
    assert visits(campaign) == 1
    assert visits(other) == 1


def test_bots_record_no_visit(campaign):
    record_microsite_view(get(ua="Mozilla/5.0 (compatible; Googlebot/2.1)"), campaign)
    record_microsite_view(get(ua=""), campaign)
    assert Event.objects.count() == 0
    assert DailyVisitor.objects.count() == 0


def test_a_second_first_view_insert_writes_nothing(campaign):
    """The unique constraint decides a race between two first views."""
    request = get()
    day = datetime.date(2020, 4, 20)
    vh = visitor_hash(request, day)
    assert _insert_first_view(day, campaign, vh, Attribution(), form_start=False) is True
    assert _insert_first_view(day, campaign, vh, Attribution(), form_start=False) is False
    assert visits(campaign) == 1
    assert DailyVisitor.objects.count() == 1


# --- first-touch attribution ---------------------------------------------------------


def test_visit_from_a_tracked_link_click_keeps_the_link(campaign, link):
    cid = record_click(get(f"/r/{link.code}"), link)
    click_id = verify(cid).click_id
    # The click is still in the spool, not the database: the signed cid names its link.
    assert not Event.objects.filter(kind="click").exists()
    record_microsite_view(
        get(f"/c/come-back-to-care/?utm_source=facebook&cid={cid}",
            HTTP_REFERER="https://l.facebook.com/"),
        campaign,
    )
    visitor = DailyVisitor.objects.get()
    assert (visitor.link, visitor.channel, visitor.click_id, visitor.referrer_host) == (
        link, "facebook", click_id, "l.facebook.com"
    )
    assert visitor.utm == {
        "utm_source": "facebook", "utm_medium": "social", "utm_campaign": "come-back-to-care"
    }
    visit = Event.objects.get(kind="visit")
    assert (visit.link, visit.channel, visit.click_id, visit.utm_campaign) == (
        link, "facebook", click_id, "come-back-to-care"
    )


@pytest.mark.parametrize(
    "cid", ["nonsense", "0" * 32, "'; DROP TABLE tracking_event; --", "%00", "A" * 5000]
)
def test_unknown_or_garbage_click_id_is_ignored(campaign, link, cid):
    record_microsite_view(get("/c/come-back-to-care/", data={"cid": cid}), campaign)
    visit = Event.objects.get(kind="visit")
    assert (visit.link, visit.channel, visit.click_id) == (None, "direct", "")


def test_a_tampered_click_id_is_ignored(campaign, link):
    cid = record_click(get(), link)
    other = make_link(campaign, channel="email", utm_source="email", utm_medium="email")
    forged = cid.replace(f"-{link.pk}.", f"-{other.pk}.")
    record_microsite_view(get(f"/c/come-back-to-care/?cid={forged}"), campaign)
    assert Event.objects.get(kind="visit").link is None


def test_a_click_id_from_before_the_spool_is_found_in_the_database(campaign, link, settings):
    """Links shared before click ids were signed carry a bare 32-hex id: its click is
    read back from the events, as then."""
    settings.CLICK_SPOOL_DIR = ""
    cid = record_click(get(), link)
    bare = verify(cid).click_id
    record_microsite_view(get(f"/c/come-back-to-care/?cid={bare}"), campaign)
    visit = Event.objects.get(kind="visit")
    assert (visit.link, visit.channel, visit.click_id) == (link, "facebook", bare)


def test_another_campaigns_click_id_is_ignored(campaign):
    other = make_campaign(slug="step-up-now", name="Step Up Now")
    click_id = record_click(get(), make_link(other))
    record_microsite_view(get(f"/c/come-back-to-care/?cid={click_id}"), campaign)
    assert Event.objects.get(kind="visit").link is None


def test_a_bots_click_gives_no_click_id(campaign, link):
    assert record_click(get(ua="Twitterbot/1.0"), link) is None


def test_utm_values_without_a_link_are_normalised_and_give_the_channel(campaign, at):
    with at(NOON):
        record_microsite_view(get("/c/come-back-to-care/?utm_source=Facebook&utm_campaign=Spring%20Push"), campaign)
        record_microsite_view(
            get("/c/come-back-to-care/?utm_source=facebook&utm_campaign=Spring+Push", ua=ANDROID_CHROME),
            campaign,
        )
    assert list(Event.objects.values_list("channel", "utm_source", "utm_campaign").distinct()) == [
        ("facebook", "facebook", "Spring Push")
    ]
    assert visits(campaign) == 2


def test_a_5000_character_utm_content_is_stored_truncated(campaign):
    record_microsite_view(get("/c/come-back-to-care/", data={"utm_source": "x", "utm_content": "é" * 5000}), campaign)
    visit = Event.objects.get(kind="visit")
    assert visit.utm_content == "é" * 255
    assert DailyVisitor.objects.get().utm["utm_content"] == "é" * 255


def test_referrer_host_is_kept_but_not_our_own(campaign):
    record_microsite_view(get(HTTP_REFERER="https://www.linkedin.com/feed/update/1"), campaign)
    record_microsite_view(get(ua=ANDROID_CHROME, HTTP_REFERER="http://testserver/"), campaign)
    assert sorted(Event.objects.values_list("referrer_host", "channel")) == [
        ("", "direct"), ("www.linkedin.com", "linkedin")
    ]


# --- form starts ---------------------------------------------------------------------


def test_form_start_once_per_day_after_a_visit(campaign, link):
    cid = record_click(get(), link)
    click_id = verify(cid).click_id
    record_microsite_view(get(f"/c/come-back-to-care/?cid={cid}"), campaign)
    for _ in range(2):
        record_form_start(get("/c/come-back-to-care/apply/"), campaign)
    starts = Event.objects.filter(kind="form_start")
    assert starts.count() == 1
    assert (starts[0].link, starts[0].channel, starts[0].click_id) == (link, "facebook", click_id)
    assert DailyVisitor.objects.get().form_started is True
    assert visits(campaign) == 1


def test_arriving_straight_at_the_form_is_a_visit_and_a_form_start(campaign):
    record_form_start(get("/c/come-back-to-care/apply/?utm_source=Newsletter"), campaign)
    record_form_start(get("/c/come-back-to-care/apply/"), campaign)
    record_microsite_view(get(), campaign)
    assert sorted(Event.objects.values_list("kind", "channel", "utm_source")) == [
        ("form_start", "email", "newsletter"), ("visit", "email", "newsletter")
    ]
    assert DailyVisitor.objects.get().form_started is True


def test_bots_record_no_form_start(campaign):
    record_form_start(get(ua="LinkedInBot/1.0"), campaign)
    assert Event.objects.count() == 0


# --- attribution for an application ---------------------------------------------------


def test_attribution_fields_match_the_application_model():
    fields = set(Attribution().as_model_fields())
    assert fields == {
        "link", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content",
        "utm_term", "referrer_host", "click_id",
    }
    model_fields = {f.name for f in Application._meta.get_fields()}
    assert fields <= model_fields


def test_attribution_from_the_request_query(campaign, link):
    cid = record_click(get(), link)
    attribution = attribution_for(get(f"/c/come-back-to-care/apply/?cid={cid}"), campaign)
    assert attribution == Attribution(
        link=link, channel="facebook", utm_source="facebook", utm_medium="social",
        utm_campaign="come-back-to-care", click_id=verify(cid).click_id,
    )


def test_attribution_from_the_first_touch_today(campaign, at):
    with at(NOON):
        record_microsite_view(get("/c/come-back-to-care/?utm_source=ig&utm_content=Reel 2"), campaign)
    with at(NOON + datetime.timedelta(hours=3)):
        attribution = attribution_for(get("/c/come-back-to-care/apply/"), campaign)
    assert attribution == Attribution(channel="instagram", utm_source="ig", utm_content="Reel 2")


def test_attribution_just_after_midnight_uses_yesterdays_first_touch(campaign, at):
    with at(datetime.datetime(2020, 4, 20, 22, 50, tzinfo=UTC)):  # 23:50 BST
        record_microsite_view(get("/c/come-back-to-care/?utm_source=tiktok"), campaign)
    with at(datetime.datetime(2020, 4, 20, 23, 5, tzinfo=UTC)):  # 00:05 BST next day
        attribution = attribution_for(get("/c/come-back-to-care/apply/"), campaign)
    assert (attribution.channel, attribution.utm_source) == ("tiktok", "tiktok")


def test_attribution_of_someone_else_or_nobody_is_direct(campaign):
    record_microsite_view(get("/c/come-back-to-care/?utm_source=facebook"), campaign)
    assert attribution_for(get(ua=ANDROID_CHROME), campaign) == Attribution(channel="direct")


def test_attribution_from_an_external_referrer_only(campaign):
    attribution = attribution_for(get(HTTP_REFERER="https://t.co/abc"), campaign)
    assert attribution == Attribution(channel="x", referrer_host="t.co")


# --- applications --------------------------------------------------------------------


def make_application(campaign, **attribution) -> Application:
    candidate = Candidate.objects.create(
        full_name="Ann Lee", email="Ann.Lee@Example.org", email_normalised="ann.lee@example.org",
        phone_e164="+447700900123", postcode="B1 1AA",
    )
    return Application.objects.create(
        candidate=candidate, campaign=campaign, years_experience=3,
        earliest_start=datetime.date(2020, 6, 1), hours_wanted="full_time", right_to_work="yes",
        **attribution,
    )


def test_application_event_copies_the_attribution(campaign, link):
    attribution = Attribution(
        link=link, channel="facebook", utm_source="facebook", utm_medium="social",
        utm_campaign="Spring Push", referrer_host="l.facebook.com", click_id="a" * 32,
    )
    application = make_application(campaign, **attribution.as_model_fields())
    event = record_application(application)
    event.refresh_from_db()
    assert (event.kind, event.campaign, event.link, event.channel) == (
        "application", campaign, link, "facebook"
    )
    assert (event.utm_campaign, event.referrer_host, event.click_id, event.is_bot) == (
        "Spring Push", "l.facebook.com", "a" * 32, False
    )


@pytest.mark.parametrize(
    ("occurred_at", "local_day"),
    [
        (datetime.datetime(2020, 4, 20, 23, 30, tzinfo=UTC), datetime.date(2020, 4, 21)),  # BST
        (datetime.datetime(2020, 1, 20, 23, 30, tzinfo=UTC), datetime.date(2020, 1, 20)),  # GMT
    ],
)
def test_application_counts_on_its_local_day(campaign, occurred_at, local_day):
    event = record_application(make_application(campaign), occurred_at=occurred_at)
    assert (event.occurred_at, event.channel, event.link_id) == (occurred_at, "direct", None)
    expected = [{
        "local_date": local_day, "campaign_id": campaign.pk, "channel": "direct",
        "link_id": None, "kind": "application", "count": 1,
    }]
    assert funnel_rows([campaign.pk], None, None) == expected
    roll_up_events()
    assert funnel_rows([campaign.pk], None, None) == expected


def test_attribution_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Attribution().channel = "x"  # type: ignore[misc]


def test_a_repeat_view_costs_one_indexed_read(campaign, django_assert_num_queries):
    record_microsite_view(get(), campaign)
    with django_assert_num_queries(1):
        record_microsite_view(get(), campaign)
