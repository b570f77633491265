"""`carerecruit import-ad-stats FILE`: summary on success, every problem and exit 1 on failure."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carerecruit.adstats.models import AdDailyStat, AdImport, AdPeriodStat, AdPlatformCampaign
from carerecruit.adstats.tests.helpers import (
    FIXTURES,
    GOOGLE,
    LINKEDIN,
    META_BY_DAY,
    META_PERIOD,
    fixture_bytes,
    replace_cell,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import-ad-stats", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_google_with_campaign(campaign):
    out, _ = run(str(FIXTURES / GOOGLE), "--campaign", campaign.slug)
    assert out == (
        "Imported google_ads_campaign_report.csv (Google Ads): 7 daily rows, 2020-04-20 to 2020-04-26\n"
        "Skipped 2 total row(s) (sums, not data).\n"
        "  TimeToCare - Search → come-back-to-care, channel google_ads: 7 rows, 2020-04-20 to 2020-04-26, "
        "11,286 impressions, 752 clicks, landing page views not reported, £419.83 spent, 18 results\n"
    )
    assert AdDailyStat.objects.count() == 7
    # Again, with the mapping remembered: same figures.
    run(str(FIXTURES / GOOGLE))
    assert AdDailyStat.objects.count() == 7
    assert AdImport.objects.count() == 2


def test_meta_by_day_summary(campaign):
    out, _ = run(str(FIXTURES / META_BY_DAY), "--campaign", campaign.slug, "--channel", "facebook")
    assert "14 daily rows, 2020-04-20 to 2020-04-26" in out
    assert ("ComeBackToCare - Returners → come-back-to-care, channel facebook: 7 rows, 2020-04-20 to 2020-04-26, "
            "89,163 impressions, 984 clicks, 719 landing page views, £364.81 spent, 55 results") in out
    assert ("StepUpNow - Final year students → come-back-to-care, channel facebook: 7 rows, 2020-04-20 to 2020-04-26, "
            "91,837 impressions, 1,173 clicks, 888 landing page views, £349.49 spent, 56 results") in out


def test_period_totals_summary(campaign):
    out, _ = run(str(FIXTURES / META_PERIOD), "--campaign", campaign.slug)
    assert out.startswith("Imported meta_campaigns_period_totals.csv (Meta): 2 period totals, 2020-05-04 to 2020-05-31\n")
    assert "148,302 impressions" in out and "£612.40 spent" in out
    assert "40,511 impressions" in out and "£151.08 spent" in out
    assert (AdPeriodStat.objects.count(), AdDailyStat.objects.count()) == (2, 0)


def test_unmapped_names_are_listed_and_nothing_imported(campaign):
    err = StringIO()
    with pytest.raises(CommandError, match="2 platform campaign\\(s\\) not mapped; nothing imported"):
        call_command("import-ad-stats", str(FIXTURES / META_BY_DAY), stderr=err)
    assert err.getvalue() == (
        "Not mapped to one of our campaigns: ComeBackToCare - Returners\n"
        "Not mapped to one of our campaigns: StepUpNow - Final year students\n"
    )
    assert AdPlatformCampaign.objects.count() == 0


def test_every_problem_is_printed(campaign, tmp_path):
    data = replace_cell(fixture_bytes(LINKEDIN), 9, 0, "4/31/2020")
    data = replace_cell(data, 12, 7, "twelve")
    path = tmp_path / "broken.csv"
    path.write_bytes(data)
    err = StringIO()
    with pytest.raises(CommandError, match="broken.csv: 2 problems; nothing imported."):
        call_command("import-ad-stats", str(path), "--currency", "GBP", "--campaign", campaign.slug, stderr=err)
    assert err.getvalue() == (
        "Line 9, column “Start Date (in UTC)”: “4/31/2020” is not a real date\n"
        "Line 12, column “Clicks”: “twelve” is not a number\n"
    )
    assert AdDailyStat.objects.count() == 0


def test_linkedin_needs_a_currency(campaign):
    with pytest.raises(CommandError, match="1 problem; nothing imported"):
        run(str(FIXTURES / LINKEDIN), "--campaign", campaign.slug)
    out, _ = run(str(FIXTURES / LINKEDIN), "--currency", "GBP", "--campaign", campaign.slug, "--platform", "linkedin")
    assert "26,769 impressions, 146 clicks, 115 landing page views, £428.22 spent, 13 results" in out


def test_dry_run_and_bad_arguments(campaign):
    out, _ = run(str(FIXTURES / GOOGLE), "--campaign", campaign.slug, "--dry-run")
    assert out.startswith("Would import google_ads_campaign_report.csv (Google Ads): 7 daily rows")
    assert (AdDailyStat.objects.count(), AdPlatformCampaign.objects.count()) == (0, 0)
    with pytest.raises(CommandError, match="No campaign with the slug 'nope'"):
        run(str(FIXTURES / GOOGLE), "--campaign", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(FIXTURES / "missing.csv"))
    with pytest.raises(CommandError, match="--channel needs --campaign"):
        run(str(FIXTURES / GOOGLE), "--channel", "facebook")


def test_a_figure_too_large_for_the_database_is_a_problem_not_a_crash(campaign, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_bytes(replace_cell(fixture_bytes(META_BY_DAY), 3, 11, "999999999999999999999999"))
    err = StringIO()
    with pytest.raises(CommandError, match="huge.csv: 1 problem; nothing imported."):
        call_command("import-ad-stats", str(path), "--platform", "meta", "--campaign", campaign.slug, stderr=err)
    assert err.getvalue() == (
        "Line 3, column “Impressions”: “999999999999999999999999” is too large: one row holds at most 999,999,999,999\n"
    )
    assert (AdDailyStat.objects.count(), AdPlatformCampaign.objects.count(), AdImport.objects.count()) == (0, 0, 0)
