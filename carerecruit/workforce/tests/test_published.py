"""Published Skills for Care estimates: the CSV reader and the all-or-nothing import."""

from decimal import Decimal
from pathlib import Path

import pytest

from carerecruit.workforce.actions import do_import_published_estimates
from carerecruit.workforce.models import PublishedWorkforceEstimate

pytestmark = pytest.mark.django_db
HEADER = b"gss_code,year,filled_posts,vacancy_rate,turnover_rate,source\n"
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "published_estimates.csv"


def test_the_shipped_sample_loads_and_every_row_cites_a_source(personas):
    result = do_import_published_estimates(SAMPLE.read_bytes(), user=personas.regional_admin)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.replaced) == (8, 0)
    rows = {(e.gss_code, e.year): e for e in PublishedWorkforceEstimate.objects.all()}
    walsall = rows[("E08000030", "2023/24")]
    assert (walsall.area_kind, walsall.council.short_name, walsall.filled_posts) == ("council", "Walsall", 7700)
    assert (walsall.vacancy_rate, walsall.turnover_rate) == (Decimal("9.40"), None)
    region = rows[("E12000005", "2019/20")]
    assert (region.area_kind, region.region.name) == ("region", "West Midlands")
    assert (region.filled_posts, region.vacancy_rate, region.turnover_rate) == (151000, Decimal("6.20"), Decimal("30.10"))
    england = rows[("E92000001", "2023/24")]
    assert (england.area_kind, england.council, england.region) == ("country", None, None)
    assert england.imported_by == personas.regional_admin
    assert all("domain.md 2.6" in e.source for e in rows.values())


def test_reimport_replaces_the_same_area_and_year():
    assert do_import_published_estimates(HEADER + b"E08000030,2023/24,7700,9.4,,First source\n").ok
    result = do_import_published_estimates(HEADER + b"e08000030,2023/24,\"7,800\",9.2%,20.5,Corrected source\n")
    assert (result.created, result.replaced) == (0, 1)
    estimate = PublishedWorkforceEstimate.objects.get()
    assert (estimate.filled_posts, estimate.vacancy_rate, estimate.turnover_rate, estimate.source) == (
        7800, Decimal("9.20"), Decimal("20.50"), "Corrected source",
    )


def test_every_problem_with_its_line_and_nothing_loaded():
    data = HEADER + (
        "E08000030,2023/24,7700,9.4,,Fine\n"
        "E99999999,2023/24,100,,,Unknown area\n"
        "E08000025,2023-24,100,,,Bad year\n"
        "E08000025,2023/25,100,,,Not consecutive\n"
        "E08000025,2022/23,lots,,,Bad count\n"
        "E08000025,2021/22,,101,,Bad rate\n"
        "E08000025,2020/21,,6.255,,Too precise\n"
        "E08000025,2019/20,,,-1,Negative\n"
        "E08000025,2018/19,100,,,\n"
        "E08000025,2017/18,,,,Nothing\n"
        "E08000030,2023/24,7700,9.4,,Twice\n"
        "E08000025,2016/17,100\n"
    ).encode("cp1252")
    result = do_import_published_estimates(data)
    assert [str(p) for p in result.problems] == [
        "Line 3, gss_code: GSS code “E99999999” is not a council, region or country we know",
        "Line 4, year: year must be a financial year like 2023/24, not “2023-24”",
        "Line 5, year: year must be a financial year like 2023/24, not “2023/25”",
        "Line 6, filled_posts: filled_posts must be a whole number, like 7700",
        "Line 7, vacancy_rate: vacancy_rate must be a percentage from 0 to 100",
        "Line 8, vacancy_rate: vacancy_rate must have no more than two decimal places",
        "Line 9, turnover_rate: turnover_rate must be a percentage from 0 to 999.99",
        "Line 10, source: Enter where the figures were published",
        "Line 11: Give at least one of filled_posts, vacancy_rate and turnover_rate",
        "Line 12, gss_code: E08000030 2023/24 is also on line 2",
        "Line 13: This line has 3 values but the header has 6 columns",
    ]
    assert PublishedWorkforceEstimate.objects.count() == 0


@pytest.mark.parametrize(("data", "expected"), [
    (b"", "The file: The file is empty"),
    (HEADER, "The file: The file has no rows of figures"),
    (b"gss,year,filled_posts,vacancy_rate,turnover_rate,source\n", "Line 1: The header must name the columns gss_code, year, filled_posts, vacancy_rate, turnover_rate, source (missing gss_code; unknown gss)"),
    (b"\x81\x8d", "The file: The file is not text in UTF-8 or Windows-1252"),
])
def test_file_problems(data, expected):
    assert [str(p) for p in do_import_published_estimates(data).problems] == [expected]


def test_dry_run_writes_nothing():
    result = do_import_published_estimates(HEADER + b"E08000030,2023/24,7700,9.4,,Source\n", dry_run=True)
    assert result.ok and result.created == 1
    assert PublishedWorkforceEstimate.objects.count() == 0
