"""The redirect's hot path: the cached link and the one-INSERT click must give exactly
what the plain ORM path gives, and a change to a link or campaign must take effect."""

import datetime

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from carerecruit.campaigns.models import Campaign
from carerecruit.testing.factories import make_link
from carerecruit.tracking import clicks
from carerecruit.tracking.models import Event
from carerecruit.tracking.views import destination_url

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"


@pytest.fixture(autouse=True)
def _empty_cache():
    clicks.clear_link_cache()
    yield
    clicks.clear_link_cache()


def _row(event: Event) -> dict:
    return {k: v for k, v in model_to_dict(event).items() if k != "id"}


def test_append_click_writes_the_row_the_orm_would(campaign):
    link = make_link(campaign, utm_source=" Facebook ", utm_content="Post 3 ", utm_term="")
    at = datetime.datetime(2020, 4, 26, 23, 30, tzinfo=datetime.UTC)
    target = clicks.find_link_target(link.code)
    clicks.append_click(target, occurred_at=at, is_bot=False, click_id="a" * 32, referrer_host="l.facebook.com")
    fast = Event.objects.get()
    Event.objects.create(
        kind="click", occurred_at=at, campaign=campaign, link=link, channel=link.channel,
        click_id="a" * 32, referrer_host="l.facebook.com", is_bot=False, **target.utm,
    )
    orm = Event.objects.exclude(pk=fast.pk).get()
    assert _row(fast) == _row(orm)
    assert (fast.utm_source, fast.utm_content, fast.detail, fast.visitor_hash, fast.is_simulated) == (
        "facebook", "Post 3", {}, "", False)
    assert fast.occurred_at == at


def test_destination_is_the_one_destination_url_builds(campaign):
    link = make_link(campaign, destination_path="apply/?lang=cy&utm_source=x&cid=old#form",
                     utm_content="spring poster", utm_term="social work")
    target = clicks.find_link_target(link.code.upper())
    assert target.destination("c1d") == destination_url(link, "c1d")
    assert target.destination(None) == destination_url(link, None)
    assert target.destination("c1d") == (
        "/c/come-back-to-care/apply/?lang=cy&utm_source=facebook&utm_medium=social"
        "&utm_campaign=come-back-to-care&utm_content=spring+poster&utm_term=social+work&cid=c1d#form"
    )


def test_a_repeat_click_costs_one_insert_and_no_lookup(client, campaign, settings):
    settings.CLICK_SPOOL_DIR = ""  # the fallback when the spool cannot be written
    link = make_link(campaign)
    assert client.get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) == 1 and statements[0].startswith('INSERT INTO "tracking_event"')
    assert Event.objects.filter(kind="click", link=link).count() == 2


def test_changes_take_effect_at_once_in_this_process(client, campaign):
    link = make_link(campaign)
    assert client.get(f"/r/{link.code}").status_code == 302
    link.utm_content = "new-post"
    link.save()
    assert "utm_content=new-post" in client.get(f"/r/{link.code}")["Location"]
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)  # no signal
    assert client.get(f"/r/{link.code}").status_code == 302  # cached for up to LINK_TTL_SECONDS
    campaign.refresh_from_db()
    campaign.save()  # a save through the studio's actions sends the signal
    assert client.get(f"/r/{link.code}").status_code == 404


def test_cached_entries_expire(monkeypatch, campaign):
    link = make_link(campaign)
    clicks.clear_link_cache()
    now = [1000.0]
    monkeypatch.setattr(clicks.time, "monotonic", lambda: now[0])
    first = clicks.find_link_target(link.code)
    type(link).objects.filter(pk=link.pk).update(channel="linkedin")
    assert clicks.find_link_target(link.code) is first
    now[0] += clicks.LINK_TTL_SECONDS + 0.1
    assert clicks.find_link_target(link.code).channel == "linkedin"
    assert clicks.find_link_target("nosuchcode") is None


def test_a_draft_campaigns_link_is_not_cached_so_publishing_works_at_once(campaign):
    # As another process would see it: no save signal reaches this cache.
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    link = make_link(campaign)
    clicks.clear_link_cache()
    assert clicks.find_link_target(link.code).is_draft
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.LIVE)
    assert not clicks.find_link_target(link.code).is_draft


def test_a_period_s_links_are_read_again_in_one_query(monkeypatch, campaign, django_assert_num_queries):
    links = [make_link(campaign, utm_content=f"post-{n}") for n in range(30)]
    now = [5000.0]
    monkeypatch.setattr(clicks.time, "monotonic", lambda: now[0])
    clicks.clear_link_cache()
    for link in links:
        clicks.find_link_target(link.code.upper())  # as typed off a poster
    type(links[0]).objects.filter(pk=links[0].pk).update(channel="linkedin")
    # As another process would change them: no signal reaches this cache. (A delete
    # would send one; a code no longer found stands for a link deleted elsewhere.)
    type(links[1]).objects.filter(pk=links[1].pk).update(code="gone0000")
    now[0] += clicks.LINK_TTL_SECONDS + 0.1
    with django_assert_num_queries(1):
        targets = [clicks.find_link_target(link.code.upper()) for link in links[2:]]
        first = clicks.find_link_target(links[0].code.upper())
    assert [t.utm["utm_content"] for t in targets] == [f"post-{n}" for n in range(2, 30)]
    assert first.channel == "linkedin"
    assert clicks.find_link_target(links[1].code.upper()) is None
    # Links nobody asked for in a period are forgotten at the refresh after it.
    for _period in range(2):
        now[0] += clicks.LINK_TTL_SECONDS + 0.1
        clicks.find_link_target(links[2].code.upper())
    assert set(clicks._cache.targets) == {links[2].code.upper()}
