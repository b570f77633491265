"""The ad-figures pages in a real browser: axe-core (WCAG 2.2 A/AA) on every page and
state, on a 320px phone (and one page on a desktop), through upload → preview → confirm."""

import re

import pytest
from playwright.sync_api import expect

from carerecruit.adstats.models import AdDailyStat, AdPlatformCampaign
from carerecruit.adstats.tests.helpers import GOOGLE, META_BY_DAY, fixture_bytes, replace_cell
from carerecruit.browser_tests.journey import sign_in
from carerecruit.testing.browser import axe_violations, describe_violations
from carerecruit.testing.factories import make_campaign
from carerecruit.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}:\n{describe_violations(violations)}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} is {width}px wide at {page.viewport_size['width']}px"


def choose_file(page, name: str, data: bytes) -> None:
    page.get_by_label("Export file").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])


def test_import_pages(browser, phone_page, page, live_server, personas, campaign):
    make_campaign(slug="step-up-now", name="Step Up Now", hashtag="#StepUpNow")
    phone = phone_page
    sign_in(phone, live_server.url, personas.campaign_manager.username, PASSWORD)

    phone.goto(f"{live_server.url}/staff/ads/")
    check(phone, "empty list")
    phone.get_by_role("button", name="Import a file").click()
    check(phone, "upload form")

    phone.get_by_role("button", name="Upload and preview").click()
    expect(phone).to_have_title(re.compile("^" + re.escape("Error: ")))
    check(phone, "upload form with errors")

    broken = replace_cell(fixture_bytes(META_BY_DAY), 4, 0, "2020-04-31")
    broken = replace_cell(broken, 7, 11, "many")
    choose_file(phone, "broken.csv", broken)
    phone.get_by_role("button", name="Upload and preview").click()
    expect(phone).to_have_title(re.compile("^" + re.escape("Error: Check the figures")))
    assert phone.locator(".govuk-error-summary li").all_inner_texts() == [
        "Line 4, column “Reporting starts”: “2020-04-31” is not a real date",
        "Line 7, column “Impressions”: “many” is not a number",
    ]
    check(phone, "preview with problems")

    phone.get_by_role("button", name="Upload a corrected file").click()
    choose_file(phone, META_BY_DAY, fixture_bytes(META_BY_DAY))
    phone.get_by_role("button", name="Upload and preview").click()
    expect(phone).to_have_title(re.compile("^" + re.escape("Check the figures")))
    check(phone, "preview")

    phone.locator("#id_campaign_0").select_option("")
    phone.get_by_role("button", name="Import 14 rows").click()
    expect(phone).to_have_title(re.compile("^" + re.escape("Error: ")))
    check(phone, "preview with a missing mapping")

    phone.locator("#id_campaign_0").select_option("come-back-to-care")
    phone.locator("#id_channel_0").select_option("facebook")
    phone.get_by_role("button", name="Import 14 rows").click()
    assert phone.url == f"{live_server.url}/staff/ads/"
    assert "Imported 14 rows" in phone.locator(".govuk-notification-banner").inner_text()
    check(phone, "list with imports")
    assert AdDailyStat.objects.count() == 14

    phone.get_by_role("link", name="Change mapping of ComeBackToCare - Returners").click()
    check(phone, "mapping form")
    phone.get_by_label("Our campaign").select_option("")
    phone.get_by_role("button", name="Save mapping").click()
    expect(phone).to_have_title(re.compile("^" + re.escape("Error: ")))
    check(phone, "mapping form with errors")
    phone.get_by_label("Channel").select_option("")
    phone.get_by_role("button", name="Save mapping").click()
    assert AdPlatformCampaign.objects.get(name="ComeBackToCare - Returners").campaign is None

    # axe-core's checks hardly depend on the width; one desktop page is enough here.
    sign_in(page, live_server.url, personas.campaign_manager.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/ads/import/")
    choose_file(page, GOOGLE, fixture_bytes(GOOGLE))
    page.get_by_role("button", name="Upload and preview").click()
    assert page.locator("#caption-totals").inner_text() == "Totals per platform campaign"
    check(page, "Google preview (desktop)")
