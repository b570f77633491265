"""The first end-to-end journey in a real browser (Playwright + Debian's Chromium).

A person opens a tracked link, lands on the microsite with its UTM parameters, makes a
mistake on the form, corrects it in place and sees the confirmation; meanwhile campaign
staff watch the dashboard's clicks, visits and applications for that channel each rise by
exactly one without reloading the page.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from carerecruit.browser_tests.journey import fill_application, sign_in
from carerecruit.candidates.models import Application, Candidate
from carerecruit.testing.personas import PASSWORD
from carerecruit.testing.spool import moving_spooled_clicks
from carerecruit.tracking.clickids import verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def channel_counts(page, channel: str) -> dict[str, int]:
    row = page.locator(f'[data-channel="{channel}"]').first
    return {
        metric: int(row.locator(f'[data-metric="{metric}"]').first.inner_text().replace(",", ""))
        for metric in ("clicks", "visits", "applications")
    }


def test_tracked_link_to_counted_application(browser, live_server, personas, campaign, link):
    # Staff open the dashboard first and keep it open.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    sign_in(staff, live_server.url, personas.campaign_manager.username, PASSWORD)
    staff.goto(f"{live_server.url}/staff/campaigns/{campaign.slug}/")
    staff.evaluate("window.__notReloaded = true")
    before = channel_counts(staff, "facebook") if staff.locator('[data-channel="facebook"]').count() else {
        "clicks": 0, "visits": 0, "applications": 0
    }

    # A member of the public taps the Facebook link on a phone.
    from carerecruit.testing.browser import MOBILE_USER_AGENT

    public_context = browser.new_context(user_agent=MOBILE_USER_AGENT, viewport={"width": 390, "height": 844})
    public = public_context.new_page()
    public.goto(f"{live_server.url}/r/{link.code}")
    landed = urlparse(public.url)
    params = parse_qs(landed.query)
    assert landed.path == f"/c/{campaign.slug}/"
    assert params["utm_source"] == ["facebook"]
    assert params["utm_medium"] == ["social"]
    assert params["utm_campaign"] == [campaign.slug]
    token = verify(params["cid"][0])  # the click id, signed with its link's id
    assert token is not None and token.link_id == link.pk

    public.get_by_role("button", name="Apply now").or_(public.get_by_role("link", name="Apply now")).first.click()
    assert urlparse(public.url).path == f"/c/{campaign.slug}/apply/"

    # A mistake: the postcode is not a postcode. The error is shown, nothing typed is lost.
    fill_application(public, postcode="NOTAPOSTCODE")
    public.get_by_role("button", name="Submit application").click()
    summary = public.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "postcode" in summary.inner_text().lower()
    assert public.title().startswith("Error:")
    assert public.get_by_label("Full name").input_value() == "Siobhán O’Neill-Smith"
    assert public.get_by_label("Email address").input_value() == "siobhan@example.org"

    # Correct it in place and submit.
    public.get_by_label("Postcode").fill("b1  1aa")
    public.get_by_role("button", name="Submit application").click()
    assert urlparse(public.url).path == f"/c/{campaign.slug}/apply/done/"
    expect(public.locator(".govuk-panel")).to_be_visible()

    application = Application.objects.get()
    assert application.candidate.full_name == "Siobhán O’Neill-Smith"
    assert application.candidate.postcode == "B1 1AA"
    assert application.candidate.phone_e164 == "+447700900123"
    assert (application.link_id, application.channel, application.utm_source) == (link.id, "facebook", "facebook")
    assert Candidate.objects.count() == 1

    # The staff dashboard catches up by itself (htmx polling), without a reload, once
    # the worker's click-spool thread (run here as `carerecruit worker` runs it) has
    # moved the click in.
    with moving_spooled_clicks():
        expected = {k: v + 1 for k, v in before.items()}
        staff.wait_for_function(
            """([expected]) => {
                const row = document.querySelector('[data-channel="facebook"]');
                if (!row) return false;
                const n = (m) => parseInt(row.querySelector(`[data-metric="${m}"]`).textContent.replace(/,/g, ''), 10);
                return n('clicks') === expected.clicks && n('visits') === expected.visits
                    && n('applications') === expected.applications;
            }""",
            arg=[expected],
            timeout=20_000,
        )
        assert channel_counts(staff, "facebook") == expected
        assert staff.evaluate("window.__notReloaded") is True

    public_context.close()
    staff_context.close()
