import re

import pytest
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.testing.factories import make_link
from carerecruit.tracking import spool
from carerecruit.tracking.clickids import verify
from carerecruit.tracking.models import Event
from carerecruit.tracking.rollups import funnel_rows

# ?cid= is the click id (32 hex), the link's id and a signature (tracking/clickids.py).
CID = re.compile(r"cid=(([0-9a-f]{32})-([0-9]+)\.[A-Za-z0-9_-]{43})$")


def clicks(campaign) -> int:
    spool.ingest()  # as the worker does, within a second
    return sum(r["count"] for r in funnel_rows([campaign.pk], None, None) if r["kind"] == "click")


def test_click_is_recorded_and_redirected_with_utm_and_click_id(phone, campaign):
    link = make_link(campaign, utm_campaign="Spring Push", utm_content="Video A")
    before = timezone.now()
    response = phone.get(f"/r/{link.code}", HTTP_REFERER="https://l.facebook.com/l.php?u=x")

    assert response.status_code == 302
    location = response["Location"]
    cid, click_id, link_id = CID.search(location).groups()
    assert location == (
        "/c/come-back-to-care/?utm_source=facebook&utm_medium=social&utm_campaign=Spring+Push"
        f"&utm_content=Video+A&cid={cid}"
    )
    assert int(link_id) == link.pk
    assert verify(cid).click_id == click_id
    # The redirect wrote nothing to the database: the click waits in the spool.
    assert Event.objects.count() == 0
    assert spool.ingest() == 1
    event = Event.objects.get()
    assert (event.kind, event.campaign, event.link, event.channel) == ("click", campaign, link, "facebook")
    assert (event.utm_source, event.utm_medium, event.utm_campaign, event.utm_content, event.utm_term) == (
        "facebook", "social", "Spring Push", "Video A", ""
    )
    assert event.click_id == click_id
    assert event.referrer_host == "l.facebook.com"
    assert event.visitor_hash == ""
    assert event.is_bot is False
    assert before <= event.occurred_at <= timezone.now()
    assert clicks(campaign) == 1


def test_redirect_is_not_cacheable_and_keeps_referrer_to_an_origin(phone, link):
    response = phone.get(f"/r/{link.code}")
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Robots-Tag"] == "noindex"


def test_each_click_counts_with_its_own_click_id(phone, link):
    ids = {CID.search(phone.get(f"/r/{link.code}")["Location"]).group(2) for _ in range(3)}
    assert len(ids) == 3
    spool.ingest()
    assert set(Event.objects.values_list("click_id", flat=True)) == ids
    assert Event.objects.filter(kind="click", is_bot=False).count() == 3
    assert clicks(link.campaign) == 3


def test_link_preview_bot_is_redirected_but_not_counted(client, link):
    response = client.get(f"/r/{link.code}", HTTP_USER_AGENT="facebookexternalhit/1.1")
    assert response.status_code == 302
    assert response["Location"] == (
        "/c/come-back-to-care/?utm_source=facebook&utm_medium=social&utm_campaign=come-back-to-care"
    )
    spool.ingest()
    event = Event.objects.get()
    assert event.is_bot is True
    assert event.click_id == ""
    assert clicks(link.campaign) == 0


def test_no_user_agent_is_a_bot(client, link):
    assert client.get(f"/r/{link.code}").status_code == 302
    spool.ingest()
    assert Event.objects.get().is_bot is True


@pytest.mark.parametrize("code", ["nosuchcd", "zzzzzzzzzzzzzzzzzzzzz", "bad%00code", "a b", "x.y"])
def test_unknown_code_is_a_404_page_and_records_nothing(phone, link, code):
    response = phone.get(f"/r/{code}")
    assert response.status_code == 404
    assert Event.objects.count() == 0


def test_unknown_code_shows_the_not_found_page(phone, db):
    response = phone.get("/r/nosuchcd")
    assert response.status_code == 404
    assert "pages/404.html" in [t.name for t in response.templates]


def test_draft_campaign_link_is_a_404(phone, campaign, link):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.DRAFT)
    assert phone.get(f"/r/{link.code}").status_code == 404
    assert Event.objects.count() == 0


def test_closed_campaign_link_still_redirects_and_counts(phone, campaign, link):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.CLOSED)
    response = phone.get(f"/r/{link.code}")
    assert response.status_code == 302
    assert response["Location"].startswith("/c/come-back-to-care/?")
    assert clicks(campaign) == 1


def test_head_redirects_without_counting(phone, link):
    response = phone.head(f"/r/{link.code}")
    assert response.status_code == 302
    assert "cid=" not in response["Location"]
    assert Event.objects.count() == 0


def test_post_is_not_allowed(phone, link):
    assert phone.post(f"/r/{link.code}").status_code == 405
    assert Event.objects.count() == 0


def test_code_typed_in_capitals_or_with_a_trailing_slash_still_works(phone, link):
    assert phone.get(f"/r/{link.code.upper()}").status_code == 302
    assert phone.get(f"/r/{link.code}/").status_code == 302
    spool.ingest()
    assert Event.objects.filter(kind="click", link=link).count() == 2


def test_destination_path_and_its_query_are_kept(phone, campaign):
    link = make_link(campaign, channel="email", utm_medium="email", destination_path="apply/?role=6")
    location = phone.get(f"/r/{link.code}")["Location"]
    assert location.startswith(
        "/c/come-back-to-care/apply/?role=6&utm_source=email&utm_medium=email"
        "&utm_campaign=come-back-to-care&cid="
    )


@pytest.mark.parametrize("path", ["//evil.example/phish", "https://evil.example/", "/\\evil.example"])
def test_destination_never_leaves_the_microsite(phone, campaign, path):
    link = make_link(campaign, destination_path=path)
    location = phone.get(f"/r/{link.code}")["Location"]
    assert location.startswith("/c/come-back-to-care/")
    assert "//" not in location.split("?")[0]


def test_click_then_microsite_counts_one_click_and_one_visit_from_the_link(phone, link):
    response = phone.get(f"/r/{link.code}", follow=True)
    assert response.status_code == 200
    phone.get(response.redirect_chain[-1][0])  # a reload
    spool.ingest()
    rows = funnel_rows([link.campaign_id], None, None)
    assert [(r["kind"], r["channel"], r["link_id"], r["count"]) for r in rows] == [
        ("click", "facebook", link.pk, 1), ("visit", "facebook", link.pk, 1)
    ]


def test_the_hot_path_is_one_lookup_then_no_query_at_all(phone, link, django_assert_num_queries):
    with django_assert_num_queries(1):  # the link, into this process's cache
        assert phone.get(f"/r/{link.code}").status_code == 302
    with django_assert_num_queries(0):  # cached link; the click goes to the spool
        assert phone.get(f"/r/{link.code}").status_code == 302
    assert spool.ingest() == 2


def test_without_a_spool_the_click_is_one_insert_in_the_request(phone, link, settings,
                                                                django_assert_num_queries):
    settings.CLICK_SPOOL_DIR = ""
    with django_assert_num_queries(2):
        assert phone.get(f"/r/{link.code}").status_code == 302
    assert Event.objects.filter(kind="click", link=link).count() == 1


def test_an_unwritable_spool_falls_back_to_the_database(phone, link, settings, tmp_path, caplog,
                                                        monkeypatch):
    from carerecruit.tracking import actions

    monkeypatch.setitem(actions._spool_warning, "next_at", 0.0)
    monkeypatch.setitem(actions._spool_warning, "clicks", 0)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.CLICK_SPOOL_DIR = str(blocker / "click-spool")
    ids = [CID.search(phone.get(f"/r/{link.code}")["Location"]).group(2) for _ in range(3)]
    assert sorted(Event.objects.filter(kind="click").values_list("click_id", flat=True)) == sorted(ids)
    # One warning, not one per click.
    warnings = [r for r in caplog.records if "Click spool not writable" in r.getMessage()]
    assert len(warnings) == 1
    assert "1 click(s) written to the database instead" in warnings[0].getMessage()


def test_healthz_says_when_clicks_wait_for_a_worker(client, link):
    from carerecruit.testing.spool import write_spooled_click

    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "clicks": "ok"}
    write_spooled_click(link, "d" * 32, periods_ago=3)
    response = client.get("/healthz")
    assert (response.status_code, response.json()["clicks"]) == (200, "waiting")


def test_the_fast_signature_is_djangos_signer(settings):
    from django.core.signing import Signer

    from carerecruit.tracking import clickids

    expected = Signer(salt=clickids.SALT, sep=".", algorithm="sha256").sign(f"{'a' * 32}-42")
    assert clickids.sign("a" * 32, 42) == expected
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert clickids.sign("a" * 32, 42) != expected  # the key follows the setting
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-secret-key-" + "y" * 40
    assert clickids.verify(expected) is None  # signed with neither key
    assert clickids.verify(clickids.sign("a" * 32, 42)).link_id == 42
