"""do_import_ad_stats: the right answers stored exactly, replace-not-add, all or nothing,
remembered mappings."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from carerecruit.adstats.actions import CampaignMapping, do_import_ad_stats
from carerecruit.adstats.models import AdDailyStat, AdImport, AdPeriodStat, AdPlatformCampaign
from carerecruit.adstats.parsers import Problem
from carerecruit.adstats.tests.helpers import (
    GOOGLE,
    LINKEDIN,
    META_BY_DAY,
    META_PERIOD,
    fixture_bytes,
    replace_cell,
    semicolon_decimal_comma_meta,
)
from carerecruit.adstats.tests.test_parsers import linkedin_workbook
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def step_up(db):
    return make_campaign(slug="step-up-now", name="Step Up Now", hashtag="#StepUpNow")


@pytest.fixture
def time_to_care(db):
    return make_campaign(slug="time-to-care", name="Time to Care", hashtag="#TimeToCare")


def daily_totals():
    """{platform campaign name: (rows, impressions, clicks, lpv, pence, results)} stored."""
    rows = (
        AdDailyStat.objects.values("platform_campaign__name")
        .annotate(n=Count("id"), i=Sum("impressions"), c=Sum("clicks"), lpv=Sum("landing_page_views"),
                  p=Sum("spend_pence"), r=Sum("results"))
        .order_by("platform_campaign__name")
    )
    return {r["platform_campaign__name"]: (r["n"], r["i"], r["c"], r["lpv"], r["p"], r["r"]) for r in rows}


META_STORED = {
    "ComeBackToCare - Returners": (7, 89_163, 984, 719, 36_481, Decimal("55")),
    "StepUpNow - Final year students": (7, 91_837, 1_173, 888, 34_949, Decimal("56")),
}


def import_meta(campaign, step_up, data=None, **kwargs):
    return do_import_ad_stats(
        data or fixture_bytes(META_BY_DAY), META_BY_DAY,
        mapping={
            "ComeBackToCare - Returners": CampaignMapping(campaign, "facebook"),
            "StepUpNow - Final year students": CampaignMapping(step_up, "instagram"),
        },
        **kwargs,
    )


def test_meta_by_day(campaign, step_up, personas):
    result = import_meta(campaign, step_up, user=personas.campaign_manager)
    assert result.ok and result.committed
    assert (result.platform, result.rows, result.daily_rows, result.period_rows) == ("meta", 14, 14, 0)
    assert (result.first_date, result.last_date) == (datetime.date(2020, 4, 20), datetime.date(2020, 4, 26))
    assert AdDailyStat.objects.count() == 14
    assert AdPlatformCampaign.objects.count() == 2
    assert AdPeriodStat.objects.count() == 0
    assert daily_totals() == META_STORED
    returners = AdPlatformCampaign.objects.get(name="ComeBackToCare - Returners")
    assert (returners.platform, returners.campaign, returners.channel, returners.mapped_by) == (
        "meta", campaign, "facebook", personas.campaign_manager,
    )
    day = AdDailyStat.objects.get(platform_campaign=returners, date=datetime.date(2020, 4, 20))
    # Reach stays per day, as reported.
    assert (day.ad_name, day.impressions, day.reach, day.clicks, day.landing_page_views, day.spend_pence, day.currency, day.results) == (
        "", 11652, 9212, 137, 96, 5068, "GBP", Decimal("4.00"),
    )
    audit = AdImport.objects.get()
    assert (audit.file_name, audit.platform, audit.rows, audit.daily_rows, audit.period_rows, audit.imported_by) == (
        META_BY_DAY, "meta", 14, 14, 0, personas.campaign_manager,
    )
    assert (audit.first_date, audit.last_date) == (datetime.date(2020, 4, 20), datetime.date(2020, 4, 26))
    assert len(audit.sha256) == 64
    summaries = {t.name: (t.rows, t.impressions, t.clicks, t.landing_page_views, t.spend_pence, t.results) for t in result.totals}
    assert summaries == META_STORED


def test_reimport_replaces_never_adds(campaign, step_up):
    import_meta(campaign, step_up)
    again = do_import_ad_stats(fixture_bytes(META_BY_DAY), META_BY_DAY)  # mapping remembered
    assert again.committed
    assert [t.remembered for t in again.totals] == [True, True]
    assert AdDailyStat.objects.count() == 14
    assert AdPlatformCampaign.objects.count() == 2
    assert daily_totals() == META_STORED
    assert AdImport.objects.count() == 2
    assert [i.pk for i in do_import_ad_stats(fixture_bytes(META_BY_DAY), "x.csv", dry_run=True).previous_imports] == list(
        AdImport.objects.order_by("-imported_at").values_list("pk", flat=True)
    )


def test_a_corrected_file_replaces_the_day(campaign, step_up):
    import_meta(campaign, step_up)
    corrected = replace_cell(fixture_bytes(META_BY_DAY), 2, 11, "11700")  # impressions of line 2
    import_meta(campaign, step_up, data=corrected)
    assert AdDailyStat.objects.count() == 14
    assert daily_totals()["ComeBackToCare - Returners"][1] == 89_163 + 48


def test_meta_period_totals(time_to_care):
    result = do_import_ad_stats(fixture_bytes(META_PERIOD), META_PERIOD, default_mapping=time_to_care)
    assert result.committed
    assert (result.rows, result.daily_rows, result.period_rows) == (2, 0, 2)
    assert AdDailyStat.objects.count() == 0
    stored = list(
        AdPeriodStat.objects.order_by("platform_campaign__name").values_list(
            "platform_campaign__name", "period_start", "period_end", "impressions", "spend_pence", "clicks", "reach", "results",
        )
    )
    may4, may31 = datetime.date(2020, 5, 4), datetime.date(2020, 5, 31)
    assert stored == [
        ("TimeToCare - Care staff", may4, may31, 148_302, 61_240, 2210, 61_240, Decimal("97")),
        ("TimeToCare - Care staff (retargeting)", may4, may31, 40_511, 15_108, 603, 9_120, Decimal("18")),
    ]
    do_import_ad_stats(fixture_bytes(META_PERIOD), META_PERIOD)
    assert AdPeriodStat.objects.count() == 2
    assert AdPeriodStat.objects.aggregate(s=Sum("spend_pence"))["s"] == 76_348


def test_linkedin(campaign):
    result = do_import_ad_stats(fixture_bytes(LINKEDIN), LINKEDIN, currency="GBP", mapping={"ComeBackToCare - Social workers": campaign})
    assert result.committed
    assert list(AdDailyStat.objects.order_by("date").values_list("date", flat=True)) == [
        datetime.date(2020, 4, d) for d in range(20, 27)
    ]
    assert daily_totals() == {"ComeBackToCare - Social workers": (7, 26_769, 146, 115, 42_822, Decimal("13"))}
    assert set(AdDailyStat.objects.values_list("currency", flat=True)) == {"GBP"}
    # A bare campaign takes the platform's usual channel.
    assert AdPlatformCampaign.objects.get().channel == "linkedin"


def test_linkedin_xlsx(campaign):
    result = do_import_ad_stats(linkedin_workbook(), "linkedin.xlsx", currency="GBP", default_mapping=campaign)
    assert result.committed
    assert daily_totals() == {"ComeBackToCare - Social workers": (7, 26_769, 146, 115, 42_822, Decimal("13"))}
    # The same figures as CSV replace the XLSX's.
    do_import_ad_stats(fixture_bytes(LINKEDIN), LINKEDIN, currency="GBP")
    assert AdDailyStat.objects.count() == 7


def test_google(time_to_care):
    result = do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE, default_mapping=time_to_care)
    assert result.committed
    assert result.skipped_total_rows == 2
    assert daily_totals() == {"TimeToCare - Search": (7, 11_286, 752, None, 41_983, Decimal("18"))}
    unknown = AdDailyStat.objects.filter(results__isnull=True).order_by("date").values_list("date", flat=True)
    assert list(unknown) == [datetime.date(2020, 4, 21), datetime.date(2020, 4, 24), datetime.date(2020, 4, 25), datetime.date(2020, 4, 26)]
    assert AdPlatformCampaign.objects.get().channel == "google_ads"
    do_import_ad_stats(fixture_bytes(GOOGLE), GOOGLE)
    assert daily_totals() == {"TimeToCare - Search": (7, 11_286, 752, None, 41_983, Decimal("18"))}


def test_semicolon_variant_imports_the_same_figures(campaign, step_up):
    result = import_meta(campaign, step_up, data=semicolon_decimal_comma_meta())
    assert result.committed
    assert daily_totals() == META_STORED


def test_a_broken_file_imports_nothing_and_names_every_problem(campaign, step_up):
    data = replace_cell(fixture_bytes(META_BY_DAY), 5, 0, "2020-13-01")
    data = replace_cell(data, 11, 13, "12O")  # a letter O typed for a zero
    result = import_meta(campaign, step_up, data=data)
    assert not result.ok and not result.committed
    assert result.problems == [
        Problem(5, "Reporting starts", "“2020-13-01” is not a real date"),
        Problem(11, "Link clicks", "“12O” is not a number"),
    ]
    assert (AdDailyStat.objects.count(), AdPlatformCampaign.objects.count(), AdImport.objects.count()) == (0, 0, 0)


def test_a_bad_file_leaves_earlier_figures_alone(campaign, step_up):
    import_meta(campaign, step_up)
    data = replace_cell(fixture_bytes(META_BY_DAY), 2, 11, "99999")
    data = replace_cell(data, 3, 10, "£")
    result = import_meta(campaign, step_up, data=data)
    assert result.problems == [Problem(3, "Amount spent (GBP)", "“£” is not an amount of money")]
    assert daily_totals() == META_STORED


def test_unmapped_platform_campaigns_import_nothing(campaign):
    result = do_import_ad_stats(fixture_bytes(META_BY_DAY), META_BY_DAY, mapping={"ComeBackToCare - Returners": campaign})
    assert result.unmapped == ["StepUpNow - Final year students"]
    assert not result.ok and not result.committed
    assert (AdDailyStat.objects.count(), AdPlatformCampaign.objects.count()) == (0, 0)


def test_dry_run_writes_nothing(campaign, step_up):
    result = import_meta(campaign, step_up, dry_run=True)
    assert result.ok and not result.committed
    assert result.rows == 14
    assert (AdDailyStat.objects.count(), AdPlatformCampaign.objects.count(), AdImport.objects.count()) == (0, 0, 0)


def test_mapping_can_change_on_a_later_import(campaign, step_up):
    import_meta(campaign, step_up)
    do_import_ad_stats(
        fixture_bytes(META_BY_DAY), META_BY_DAY,
        mapping={"StepUpNow - Final year students": CampaignMapping(campaign, "")},
    )
    pc = AdPlatformCampaign.objects.get(name="StepUpNow - Final year students")
    assert (pc.campaign, pc.channel) == (campaign, "")


def test_ad_level_file_replaces_campaign_level_days(campaign, step_up):
    """A day stored for the whole platform campaign and then imported per ad (or the
    other way round) is replaced, never counted twice."""
    import_meta(campaign, step_up)
    ad_level = (
        b"Reporting starts,Reporting ends,Campaign name,Ad name,Impressions,Link clicks,Amount spent (GBP)\r\n"
        b"2020-04-20,2020-04-20,ComeBackToCare - Returners,Video 1,6000,70,25.00\r\n"
        b"2020-04-20,2020-04-20,ComeBackToCare - Returners,Video 2,5652,67,25.68\r\n"
    )
    result = do_import_ad_stats(ad_level, "ads.csv")
    assert result.committed
    returners = AdDailyStat.objects.filter(platform_campaign__name="ComeBackToCare - Returners", date=datetime.date(2020, 4, 20))
    assert sorted(returners.values_list("ad_name", "impressions", "reach", "landing_page_views", "results")) == [
        ("Video 1", 6000, None, None, None), ("Video 2", 5652, None, None, None),
    ]
    assert AdDailyStat.objects.count() == 15
    import_meta(campaign, step_up)
    assert AdDailyStat.objects.count() == 14
    assert daily_totals() == META_STORED


def test_mapping_must_use_a_real_channel(campaign):
    with pytest.raises(ValueError):
        CampaignMapping(campaign, "direct")


def test_an_empty_file_below_the_header():
    result = do_import_ad_stats(fixture_bytes(META_BY_DAY).split(b"\r\n")[0] + b"\r\n", "empty.csv")
    assert result.problems == [Problem(None, "", "The file has no rows of figures below its header")]


def test_deleting_a_platform_campaign_deletes_its_figures(campaign, step_up, time_to_care):
    import_meta(campaign, step_up)
    do_import_ad_stats(fixture_bytes(META_PERIOD), META_PERIOD, default_mapping=time_to_care)
    AdPlatformCampaign.objects.filter(name__in=["ComeBackToCare - Returners", "TimeToCare - Care staff"]).delete()
    assert AdDailyStat.objects.count() == 7
    assert AdPeriodStat.objects.count() == 1
    # Deleting one of our campaigns keeps the figures; the platform campaign is unmapped.
    step_up.delete()
    assert AdDailyStat.objects.count() == 7
    assert AdPlatformCampaign.objects.get(name="StepUpNow - Final year students").campaign is None


def test_an_overlapping_file_replaces_its_days_and_adds_new_ones(campaign):
    do_import_ad_stats(fixture_bytes(LINKEDIN), LINKEDIN, currency="GBP", default_mapping=campaign)
    lines = fixture_bytes(LINKEDIN).split(b"\r\n")
    later = b"\r\n".join(lines[:6] + [
        b"4/26/2020,Regional Employers Recruitment,ComeBackToCare,ComeBackToCare - Social workers,Sponsored Content,70.00,5200,26,21,2,2860",
        b"4/27/2020,Regional Employers Recruitment,ComeBackToCare,ComeBackToCare - Social workers,Sponsored Content,10.00,1000,5,4,0,900",
    ]) + b"\r\n"
    assert do_import_ad_stats(later, "later.csv", currency="GBP").committed
    stored = dict(AdDailyStat.objects.values_list("date", "spend_pence"))
    assert len(stored) == 8
    assert (stored[datetime.date(2020, 4, 25)], stored[datetime.date(2020, 4, 26)], stored[datetime.date(2020, 4, 27)]) == (3494, 7000, 1000)
    assert daily_totals() == {"ComeBackToCare - Social workers": (8, 26_769 - 5197 + 5200 + 1000, 146 - 25 + 26 + 5, 115 - 20 + 21 + 4, 42_822 - 6826 + 7000 + 1000, Decimal("14"))}
