"""The campaign studio in a real browser.

The acceptance journey of issue 3: a campaign manager creates and publishes a campaign
with a bulk set of tracked links; a member of the public opens one link on a phone and
applies; the manager watches that link's row on the link list, and its channel on the
dashboard, rise by exactly one click, one visit and one application without reloading.
Then axe-core (WCAG 2.2 A/AA) and a 320px reflow check on every studio page.
"""

import datetime
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import fill_application, sign_in
from carerecruit.campaigns.actions import do_add_campaign_image
from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.candidates.models import Application
from carerecruit.testing.browser import MOBILE_USER_AGENT, axe_violations, describe_violations
from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.testing.personas import PASSWORD
from carerecruit.testing.spool import moving_spooled_clicks
from carerecruit.tracking import spool

from .helpers import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BULK_ROWS = (
    "channel,label,utm_content,utm_term,destination_path\n"
    "facebook,Nurse video 3 May,video-1,,\n"
    "linkedin,Carousel for managers,carousel-2,,\n"
    "qr,Leaflet for GP surgeries,leaflet-a5,,\n"
)
METRICS = ("clicks", "visits", "applications")

WATCH_ROW = """([selector, expected]) => {
    const row = document.querySelector(selector);
    if (!row) return false;
    const n = (m) => parseInt(row.querySelector(`[data-metric="${m}"]`).textContent.replace(/,/g, ''), 10);
    return n('clicks') === expected.clicks && n('visits') === expected.visits
        && n('applications') === expected.applications;
}"""


def go(page, locator) -> None:
    """Click ``locator`` and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        locator.click()


def counts(page, selector: str) -> dict[str, int]:
    row = page.locator(selector).first
    if not row.count():
        return dict.fromkeys(METRICS, 0)
    return {
        metric: int(row.locator(f'[data-metric="{metric}"]').first.inner_text().replace(",", ""))
        for metric in METRICS
    }


def test_create_publish_bulk_links_and_watch_an_application_arrive(browser, live_server, personas, settings):
    settings.CARERECRUIT_LIVE_REFRESH_SECONDS = 1
    today = datetime.date.today()
    ends = today + datetime.timedelta(days=60)
    base = live_server.url

    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    staff.set_default_timeout(15_000)
    sign_in(staff, base, personas.campaign_manager.username, PASSWORD)

    # Create the campaign in the studio.
    staff.goto(f"{base}/staff/")
    go(staff, staff.get_by_role("link", name="Campaign studio"))
    go(staff, staff.get_by_role("button", name="Create a campaign").or_(staff.get_by_role("link", name="Create a campaign")).first)
    staff.get_by_label("Campaign name").fill("Social Work Returners")
    staff.get_by_label("Web address").fill("social-work-returners")
    staff.get_by_label("Hashtag").fill("#BackToSocialWork")
    staff.get_by_label("Who is the campaign for?").fill("Social workers who have left the profession")
    for prefix, day in (("starts_on", today), ("ends_on", ends)):
        staff.locator(f"#id_{prefix}_0").fill(str(day.day))
        staff.locator(f"#id_{prefix}_1").fill(str(day.month))
        staff.locator(f"#id_{prefix}_2").fill(str(day.year))
    staff.get_by_label("Social worker", exact=True).check()
    staff.get_by_label("Birmingham City Council").check()
    staff.get_by_label("Headline").fill("Come back to social work")
    staff.get_by_label("Introduction").fill("Councils across the West Midlands need you.\n\nWe support your return.")
    staff.get_by_label("Why join").fill("Flexible hours\nPaid return-to-practice course")
    staff.get_by_label("Question 1").fill("Do I need to be registered?")
    staff.get_by_label("Answer 1").fill("No: we help you return to the register.")
    go(staff, staff.get_by_role("button", name="Save as a draft"))
    assert urlparse(staff.url).path == "/staff/campaigns/social-work-returners/edit/"
    campaign = Campaign.objects.get(slug="social-work-returners")
    assert campaign.status == "draft"

    # A bulk set of tracked links: preview, then create.
    go(staff, staff.get_by_role("link", name="Create many tracked links"))
    staff.get_by_label("Paste rows").fill(BULK_ROWS)
    go(staff, staff.get_by_role("button", name="Check the links"))
    assert staff.locator("#table-bulk tbody tr").count() == 3
    go(staff, staff.get_by_role("button", name="Create 3 links"))
    assert urlparse(staff.url).path == "/staff/campaigns/social-work-returners/links/"
    assert TrackedLink.objects.filter(campaign=campaign).count() == 3
    link = TrackedLink.objects.get(campaign=campaign, channel="facebook")

    # Publish it.
    staff.goto(f"{base}/staff/campaigns/social-work-returners/edit/")
    go(staff, staff.get_by_role("link", name="Publish Social Work Returners"))
    go(staff, staff.get_by_role("button", name="Publish campaign"))
    assert "Social Work Returners is live at" in staff.locator(".govuk-notification-banner--success").inner_text()
    campaign.refresh_from_db()
    assert campaign.status == "live"

    # The manager keeps the link list and the dashboard open.
    links_page = staff
    links_page.goto(f"{base}/staff/campaigns/social-work-returners/links/")
    row = f'[data-link="{link.code}"]'
    assert counts(links_page, row) == {"clicks": 0, "visits": 0, "applications": 0}
    links_page.evaluate("window.__notReloaded = true")
    dashboard = staff_context.new_page()
    dashboard.set_default_timeout(15_000)
    dashboard.goto(f"{base}/staff/campaigns/social-work-returners/")
    channel = '[data-channel="facebook"]'
    before = counts(dashboard, channel)
    dashboard.evaluate("window.__notReloaded = true")

    # A member of the public taps the Facebook link on a phone and applies.
    public_context = browser.new_context(user_agent=MOBILE_USER_AGENT, viewport={"width": 390, "height": 844})
    public = public_context.new_page()
    public.set_default_timeout(15_000)
    public.goto(f"{base}/r/{link.code}")
    assert urlparse(public.url).path == "/c/social-work-returners/"
    assert public.get_by_role("heading", level=1).inner_text() == "Come back to social work"
    go(public, public.get_by_role("button", name="Apply now").or_(public.get_by_role("link", name="Apply now")).first)
    fill_application(public)
    go(public, public.get_by_role("button", name="Submit application"))
    assert urlparse(public.url).path == "/c/social-work-returners/apply/done/"
    application = Application.objects.get()
    assert (application.campaign_id, application.link_id, application.channel) == (campaign.pk, link.pk, "facebook")

    # Both pages catch up by themselves, without a reload, once the worker's click-spool
    # thread (run here as `carerecruit worker` runs it) has moved the click in.
    with moving_spooled_clicks():
        expected = {"clicks": 1, "visits": 1, "applications": 1}
        links_page.wait_for_function(WATCH_ROW, arg=[row, expected], timeout=20_000)
        assert counts(links_page, row) == expected
        assert links_page.locator(f"{row} [data-rate=conversion]").inner_text() == "100.0%"
        assert links_page.evaluate("window.__notReloaded") is True
        others = TrackedLink.objects.filter(campaign=campaign).exclude(pk=link.pk)
        for other in others:
            assert counts(links_page, f'[data-link="{other.code}"]') == {"clicks": 0, "visits": 0, "applications": 0}

        expected_channel = {metric: before[metric] + 1 for metric in METRICS}
        dashboard.wait_for_function(WATCH_ROW, arg=[channel, expected_channel], timeout=20_000)
    assert counts(dashboard, channel) == expected_channel
    assert dashboard.evaluate("window.__notReloaded") is True

    public_context.close()
    staff_context.close()


# --- Accessibility and reflow -------------------------------------------------------------


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"


def assert_fits_320(phone, url: str, what: str) -> None:
    """At 320 CSS pixels nothing may need horizontal scrolling (WCAG 1.4.10 Reflow)."""
    phone.goto(url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{what} is {width}px wide at a 320px viewport"


def assert_current_page_fits_320(page, what: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 320, f"{what} is {width}px wide at a 320px viewport"


def test_every_studio_page_is_accessible_and_fits_a_phone(browser, page, live_server, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    campaign = make_campaign()
    draft = make_campaign("spring-draft", status=Campaign.Status.DRAFT, name="Spring draft")
    make_link(campaign)
    make_link(campaign, "linkedin", label="A much longer label for a LinkedIn carousel advert")
    image = do_add_campaign_image(
        campaign, upload=SimpleUploadedFile("x.png", png_bytes(600, 400)), image_format="png",
        alt_text="A social worker talking with a family", is_decorative=False,
    )

    sign_in(page, base, personas.campaign_manager.username, PASSWORD)
    phone_context = browser.new_context(
        viewport={"width": 320, "height": 640}, storage_state=page.context.storage_state(),
    )
    phone = phone_context.new_page()
    pages = {
        "studio list": "/staff/campaigns/",
        "new campaign": "/staff/campaigns/new/",
        "edit campaign": f"/staff/campaigns/{campaign.slug}/edit/",
        "edit draft": f"/staff/campaigns/{draft.slug}/edit/",
        "preview": f"/staff/campaigns/{campaign.slug}/preview/",
        "preview of a draft": f"/staff/campaigns/{draft.slug}/preview/",
        "publish confirmation": f"/staff/campaigns/{draft.slug}/publish/",
        "close confirmation": f"/staff/campaigns/{campaign.slug}/close/",
        "images": f"/staff/campaigns/{campaign.slug}/images/",
        "change an image": f"/staff/campaigns/{campaign.slug}/images/{image.pk}/",
        "tracked links": f"/staff/campaigns/{campaign.slug}/links/",
        "bulk links": f"/staff/campaigns/{campaign.slug}/links/bulk/",
        "microsite with images": f"/c/{campaign.slug}/",
    }
    for what, path in pages.items():
        page.goto(base + path)
        assert_accessible(page, what)
        assert_fits_320(phone, base + path, what)
    phone_context.close()

    # Forms with errors.
    page.goto(f"{base}/staff/campaigns/new/")
    page.get_by_label("Brand colour").fill("#ffdd00")
    page.get_by_label("Question 1").fill("A question with no answer")
    go(page, page.get_by_role("button", name="Save as a draft"))
    assert page.title().startswith("Error:")
    assert "#ffdd00 has a contrast of 1.34:1 against white" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "new campaign with errors")
    assert_current_page_fits_320(page, "new campaign with errors")

    page.goto(f"{base}/staff/campaigns/{campaign.slug}/edit/")
    page.get_by_label("Campaign name").fill("")
    go(page, page.get_by_role("button", name="Save changes"))
    assert page.title().startswith("Error:")
    assert_accessible(page, "edit campaign with errors")
    assert_current_page_fits_320(page, "edit campaign with errors")

    page.goto(f"{base}/staff/campaigns/{draft.slug}/edit/")
    page.get_by_label("Headline").fill("")
    go(page, page.get_by_role("button", name="Save changes"))
    page.goto(f"{base}/staff/campaigns/{draft.slug}/publish/")
    expect(page.locator("#publish-problems")).to_be_visible()
    assert_accessible(page, "publish page listing problems")

    page.goto(f"{base}/staff/campaigns/{campaign.slug}/images/")
    go(page, page.get_by_role("button", name="Add image"))
    assert page.title().startswith("Error:")
    assert_accessible(page, "images with errors")
    assert_current_page_fits_320(page, "images with errors")

    page.goto(f"{base}/staff/campaigns/{campaign.slug}/links/bulk/")
    page.get_by_label("Paste rows").fill(BULK_ROWS)
    go(page, page.get_by_role("button", name="Check the links"))
    expect(page.get_by_role("button", name="Create 3 links")).to_be_visible()
    assert_accessible(page, "bulk links preview")
    assert_current_page_fits_320(page, "bulk links preview")

    page.goto(f"{base}/staff/campaigns/{campaign.slug}/links/bulk/")
    page.get_by_label("Paste rows").fill("channel,label\nmyspace,Old post\nfacebook,\n")
    go(page, page.get_by_role("button", name="Check the links"))
    assert page.title().startswith("Error:")
    assert "No links were created: 2 problems to fix" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "bulk links with errors")
    assert_current_page_fits_320(page, "bulk links with errors")


def test_link_list_and_studio_work_without_javascript(browser, live_server, personas, client):
    campaign = make_campaign()
    link = make_link(campaign)
    client.force_login(personas.campaign_manager)
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value, "domain": "localhost", "path": "/",
    }])
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/campaigns/{campaign.slug}/links/")
    assert page.locator(f'[data-link="{link.code}"] [data-metric="clicks"]').inner_text() == "0"
    public = browser.new_context(user_agent=MOBILE_USER_AGENT).new_page()
    public.goto(f"{live_server.url}/r/{link.code}")
    spool.ingest()  # as the worker does within a second
    go(page, page.get_by_role("link", name="Refresh the figures"))
    assert page.locator(f'[data-link="{link.code}"] [data-metric="clicks"]').inner_text() == "1"
    assert page.locator(f'[data-link="{link.code}"] [data-metric="visits"]').inner_text() == "1"
    public.context.close()
    context.close()
