"""ad_totals and ad_period_totals: what the dashboards read, exactly."""

import datetime
from decimal import Decimal

import pytest

from carerecruit.adstats.actions import (
    CampaignMapping,
    do_import_ad_stats,
    do_map_platform_campaign,
)
from carerecruit.adstats.models import AdPlatformCampaign
from carerecruit.adstats.queries import ad_period_totals, ad_totals
from carerecruit.adstats.tests.helpers import (
    GOOGLE,
    LINKEDIN,
    META_BY_DAY,
    META_PERIOD,
    fixture_bytes,
)
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def imported(campaign):
    time_to_care = make_campaign(slug="time-to-care", name="Time to Care")
    do_import_ad_stats(fixture_bytes(META_BY_DAY), META_BY_DAY, mapping={
        "ComeBackToCare - Returners": CampaignMapping(campaign, "facebook"),
        "StepUpNow - Final year students": CampaignMapping(time_to_care, ""),
    })
    do_import_ad_stats(fixture_bytes(LINKEDIN), LINKEDIN, currency="GBP", default_mapping=campaign)
    do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE, default_mapping=time_to_care)
    do_import_ad_stats(fixture_bytes(META_PERIOD), META_PERIOD, default_mapping=time_to_care)
    return campaign, time_to_care


def test_ad_totals_one_day(imported):
    campaign, time_to_care = imported
    rows = ad_totals([campaign.pk, time_to_care.pk], D(2020, 4, 21), D(2020, 4, 21))
    assert rows == [
        {"local_date": D(2020, 4, 21), "campaign_id": campaign.pk, "channel": "facebook", "platform": "meta",
         "currency": "GBP", "impressions": 13774, "clicks": 172, "landing_page_views": 121, "spend_pence": 5244,
         "results": Decimal("4.00")},
        {"local_date": D(2020, 4, 21), "campaign_id": campaign.pk, "channel": "linkedin", "platform": "linkedin",
         "currency": "GBP", "impressions": 3514, "clicks": 19, "landing_page_views": 15, "spend_pence": 6255,
         "results": Decimal("3.00")},
        {"local_date": D(2020, 4, 21), "campaign_id": time_to_care.pk, "channel": "", "platform": "meta",
         "currency": "GBP", "impressions": 13302, "clicks": 151, "landing_page_views": 115, "spend_pence": 5391,
         "results": Decimal("4.00")},
        {"local_date": D(2020, 4, 21), "campaign_id": time_to_care.pk, "channel": "google_ads", "platform": "google",
         "currency": "GBP", "impressions": 2148, "clicks": 156, "landing_page_views": None, "spend_pence": 10700,
         "results": None},
    ]
    assert all("reach" not in row for row in rows)


def test_ad_totals_over_the_week_match_the_files(imported):
    campaign, time_to_care = imported
    rows = ad_totals([campaign.pk], D(2020, 4, 1), D(2020, 4, 30))
    assert len(rows) == 14
    assert sum(r["impressions"] for r in rows if r["platform"] == "meta") == 89_163
    assert sum(r["spend_pence"] for r in rows if r["platform"] == "linkedin") == 42_822
    google = [r for r in ad_totals([time_to_care.pk], D(2020, 4, 20), D(2020, 4, 26)) if r["platform"] == "google"]
    assert (len(google), sum(r["impressions"] for r in google), sum(r["clicks"] for r in google),
            sum(r["spend_pence"] for r in google)) == (7, 11_286, 752, 41_983)
    # Period totals never appear as days.
    assert ad_totals([time_to_care.pk], D(2020, 5, 1), D(2020, 5, 31)) == []
    assert ad_totals([], D(2020, 4, 1), D(2020, 4, 30)) == []


def test_unmapped_platform_campaigns_are_left_out(imported):
    campaign, _ = imported
    do_map_platform_campaign(AdPlatformCampaign.objects.get(name="ComeBackToCare - Social workers"), None)
    assert {r["platform"] for r in ad_totals([campaign.pk], D(2020, 4, 20), D(2020, 4, 26))} == {"meta"}


def test_ad_period_totals(imported):
    _, time_to_care = imported
    rows = ad_period_totals([time_to_care.pk], D(2020, 5, 25), D(2020, 6, 7))
    assert rows == [
        {"period_total": True, "period_start": D(2020, 5, 4), "period_end": D(2020, 5, 31),
         "campaign_id": time_to_care.pk, "channel": "", "platform": "meta", "currency": "GBP",
         "impressions": 148_302 + 40_511, "clicks": 2210 + 603, "landing_page_views": None,
         "spend_pence": 61_240 + 15_108, "results": Decimal("115.00")},
    ]
    assert ad_period_totals([time_to_care.pk], D(2020, 6, 1), D(2020, 6, 30)) == []
    assert ad_period_totals([time_to_care.pk], D(2020, 4, 1), D(2020, 5, 4))[0]["impressions"] == 188_813
