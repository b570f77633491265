"""Parsing the real shapes of ad-platform exports: the four samples' right answers
(../shared/cases/README.md), variants of them, and every kind of bad cell."""

import codecs
import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import Workbook

from carerecruit.adstats.parsers import (
    CellError,
    Problem,
    decode,
    normalise_header,
    parse_ad_file,
    read_count,
    read_date,
    read_money,
)
from carerecruit.adstats.tests.helpers import (
    GOOGLE,
    LINKEDIN,
    META_BY_DAY,
    META_PERIOD,
    fixture_bytes,
    fixture_records,
    replace_cell,
    semicolon_decimal_comma_meta,
)


def totals(parsed):
    """{campaign name: (rows, impressions, clicks, landing page views, pence, results)}."""
    out = defaultdict(lambda: [0, 0, 0, None, 0, None])
    for row in parsed.rows:
        t = out[row.campaign_name]
        t[0] += 1
        t[1] += row.impressions
        t[2] += row.clicks
        if row.landing_page_views is not None:
            t[3] = (t[3] or 0) + row.landing_page_views
        t[4] += row.spend_pence
        if row.results is not None:
            t[5] = (t[5] or 0) + row.results
    return {name: tuple(t) for name, t in out.items()}


META_BY_DAY_TOTALS = {
    "ComeBackToCare - Returners": (7, 89_163, 984, 719, 36_481, Decimal("55")),
    "StepUpNow - Final year students": (7, 91_837, 1_173, 888, 34_949, Decimal("56")),
}


def test_meta_by_day():
    parsed = parse_ad_file(fixture_bytes(META_BY_DAY))
    assert parsed.problems == []
    assert (parsed.platform, parsed.encoding, parsed.delimiter, parsed.header_line) == ("meta", "utf-8", ",", 1)
    assert len(parsed.rows) == 14
    assert all(r.is_daily and r.currency == "GBP" and r.ad_name == "" for r in parsed.rows)
    assert totals(parsed) == META_BY_DAY_TOTALS
    first = parsed.rows[0]
    assert (first.line, first.start, first.reach, first.impressions, first.spend_pence) == (
        2, datetime.date(2020, 4, 20), 9212, 11652, 5068,
    )


def test_meta_period_totals_are_not_daily():
    parsed = parse_ad_file(fixture_bytes(META_PERIOD))
    assert parsed.problems == []
    assert parsed.platform == "meta"
    assert [(r.campaign_name, r.start, r.end, r.is_daily, r.impressions, r.spend_pence, r.reach) for r in parsed.rows] == [
        ("TimeToCare - Care staff", datetime.date(2020, 5, 4), datetime.date(2020, 5, 31), False, 148_302, 61_240, 61_240),
        ("TimeToCare - Care staff (retargeting)", datetime.date(2020, 5, 4), datetime.date(2020, 5, 31), False, 40_511, 15_108, 9_120),
    ]


def test_linkedin_preamble_us_dates_currency_given_at_upload():
    parsed = parse_ad_file(fixture_bytes(LINKEDIN), currency="GBP")
    assert parsed.problems == []
    assert (parsed.platform, parsed.header_line) == ("linkedin", 6)
    assert [r.start for r in parsed.rows] == [datetime.date(2020, 4, d) for d in range(20, 27)]
    assert [r.line for r in parsed.rows] == list(range(7, 14))
    assert totals(parsed) == {"ComeBackToCare - Social workers": (7, 26_769, 146, 115, 42_822, Decimal("13"))}
    assert {r.currency for r in parsed.rows} == {"GBP"}


def test_linkedin_without_a_currency_is_a_problem():
    parsed = parse_ad_file(fixture_bytes(LINKEDIN))
    assert parsed.problems == [Problem(
        None, "Total Spent",
        "The file does not say which currency the amounts are in: give the account currency (for example GBP)",
    )]


def test_default_currency_is_used_only_where_the_file_says_nothing():
    linkedin = parse_ad_file(fixture_bytes(LINKEDIN), default_currency="EUR")
    assert {r.currency for r in linkedin.rows} == {"EUR"}
    meta = parse_ad_file(fixture_bytes(META_BY_DAY), default_currency="EUR")
    assert meta.problems == []
    assert {r.currency for r in meta.rows} == {"GBP"}


def test_a_given_currency_must_agree_with_the_file():
    parsed = parse_ad_file(fixture_bytes(META_BY_DAY), currency="EUR")
    assert parsed.problems == [Problem(1, "Amount spent (GBP)", "The file's currency is GBP, not EUR as given")]
    assert parse_ad_file(fixture_bytes(META_BY_DAY), currency="XYZ").problems == [
        Problem(None, "", "“XYZ” is not an ISO 4217 currency code, like GBP")
    ]


def test_google_bom_title_lines_quoted_thousands_unknowns_and_footers():
    data = fixture_bytes(GOOGLE)
    assert data.startswith(codecs.BOM_UTF8) and b"\r\n" in data
    parsed = parse_ad_file(data)
    assert parsed.problems == []
    assert (parsed.platform, parsed.encoding, parsed.header_line, parsed.skipped_total_rows) == ("google", "utf-8-sig", 3, 2)
    assert totals(parsed) == {"TimeToCare - Search": (7, 11_286, 752, None, 41_983, Decimal("18"))}
    # `--` conversions are unknown (None), not zero.
    assert [r.results for r in parsed.rows] == [Decimal("5.00"), None, Decimal("7.00"), Decimal("6.00"), None, None, None]
    assert [r.impressions for r in parsed.rows][:2] == [1438, 2148]
    assert all(r.reach is None and r.landing_page_views is None for r in parsed.rows)


def test_semicolons_decimal_commas_and_cp1252():
    data = semicolon_decimal_comma_meta()
    assert b";50,68;11.652;" in data
    parsed = parse_ad_file(data)
    assert parsed.problems == []
    assert (parsed.delimiter, parsed.encoding) == (";", "utf-8")  # plain ASCII decodes as UTF-8
    assert totals(parsed) == META_BY_DAY_TOTALS
    accented = data.replace(b"ComeBackToCare - Returners", "ComeBackToCare – Returners £".encode("cp1252"))
    parsed = parse_ad_file(accented)
    assert parsed.encoding == "cp1252"
    assert parsed.rows[0].campaign_name == "ComeBackToCare – Returners £"


def test_utf16_tab_separated():
    """Google Ads' "Excel CSV" and Excel's "Unicode text" are UTF-16 with tabs."""
    records = fixture_records(GOOGLE)
    text = "\r\n".join("\t".join(r) for r in records) + "\r\n"
    parsed = parse_ad_file(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert parsed.problems == []
    assert (parsed.platform, parsed.delimiter, parsed.encoding) == ("google", "\t", "utf-16")
    assert totals(parsed)["TimeToCare - Search"][:5] == (7, 11_286, 752, None, 41_983)


def test_currency_in_the_cell():
    records = fixture_records(GOOGLE)
    header = records[2]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    drop = header.index("Currency code")
    cost = header.index("Cost")
    for i, row in enumerate(records):
        if i >= 3 and row[1]:
            row[cost] = "£" + row[cost]
        writer.writerow([c for j, c in enumerate(row) if j != drop] if i >= 2 else row)
    parsed = parse_ad_file(out.getvalue().encode("cp1252"))
    assert parsed.problems == []
    assert {r.currency for r in parsed.rows} == {"GBP"}
    assert sum(r.spend_pence for r in parsed.rows) == 41_983


def test_a_broken_copy_names_every_problem_with_line_and_column():
    data = fixture_bytes(META_BY_DAY)
    data = replace_cell(data, 4, 0, "2020-04-31")  # line 4: a date that does not exist
    data = replace_cell(data, 9, 11, "lots")  # line 9: Impressions not a number
    data = replace_cell(data, 12, 10, "-3.00")  # line 12: negative spend
    parsed = parse_ad_file(data)
    assert parsed.problems == [
        Problem(4, "Reporting starts", "“2020-04-31” is not a real date"),
        Problem(9, "Impressions", "“lots” is not a number"),
        Problem(12, "Amount spent (GBP)", "“-3.00” is negative"),
    ]
    assert str(parsed.problems[0]) == "Line 4, column “Reporting starts”: “2020-04-31” is not a real date"
    assert len(parsed.rows) == 11


def test_linkedin_dates_are_month_first():
    data = replace_cell(fixture_bytes(LINKEDIN), 8, 0, "21/4/2020")
    parsed = parse_ad_file(data, currency="GBP")
    assert parsed.problems == [Problem(8, "Start Date (in UTC)", "“21/4/2020” is not a real date")]
    data = replace_cell(fixture_bytes(LINKEDIN), 8, 0, "2020-04-21")
    assert parse_ad_file(data, currency="GBP").problems == []


def test_missing_values():
    data = replace_cell(fixture_bytes(GOOGLE), 5, 6, "--")  # Clicks unknown: cannot import
    data = replace_cell(data, 6, 5, "")  # Impr. empty
    parsed = parse_ad_file(data)
    assert parsed.problems == [
        Problem(5, "Clicks", "Clicks is missing: the import needs a number here"),
        Problem(6, "Impr.", "Impr. is missing: the import needs a number here"),
    ]
    # Meta leaves zero cells empty.
    data = replace_cell(fixture_bytes(META_BY_DAY), 2, 13, "")
    parsed = parse_ad_file(data)
    assert parsed.problems == []
    assert parsed.rows[0].clicks == 0


def test_duplicate_rows_and_mixed_levels():
    lines = fixture_bytes(META_BY_DAY).split(b"\r\n")
    duplicated = b"\r\n".join(lines[:3] + [lines[1]] + lines[3:])
    parsed = parse_ad_file(duplicated)
    assert parsed.problems == [Problem(4, "Campaign name", "Line 2 has the same platform campaign, and day")]

    text = fixture_bytes(META_BY_DAY).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[0].append("Ad name")
    for i, row in enumerate(rows[1:], start=1):
        row.append("Video 1" if i == 1 else "")
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    parsed = parse_ad_file(out.getvalue().encode())
    assert parsed.problems == []  # different days: fine
    rows.insert(2, list(rows[1]))
    rows[2][-1] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    parsed = parse_ad_file(out.getvalue().encode())
    assert parsed.problems == [Problem(
        3, "Ad name",
        "Line 2 has figures for the whole platform campaign on the same day and this line for one ad: export one level only",
    )]


def test_header_not_found_and_wrong_platform():
    assert parse_ad_file(b"").problems[0].message.startswith("No header row found")
    assert parse_ad_file(b"a,b,c\r\n1,2,3\r\n").problems[0].line is None
    parsed = parse_ad_file(fixture_bytes(GOOGLE), platform="meta")
    assert parsed.problems == [Problem(None, "", "No Meta header row found in the first 50 lines. It looks like a Google Ads export.")]
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "old Excel (.xls)" in parse_ad_file(old_excel).problems[0].message


def test_missing_required_column():
    records = fixture_records(META_BY_DAY)
    keep = [i for i, h in enumerate(records[0]) if h != "Link clicks"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[r[i] for i in keep] for r in records])
    parsed = parse_ad_file(out.getvalue().encode())
    assert parsed.problems == [Problem(1, "", "The header has no “link clicks” column")]


def linkedin_workbook(bad_impressions: bool = False) -> bytes:
    """The LinkedIn sample as an XLSX: preamble, header, typed dates and numbers."""
    workbook = Workbook()
    sheet = workbook.active
    records = fixture_records(LINKEDIN)
    for i, record in enumerate(records):
        if i < 6:
            sheet.append(record)
            continue
        month, day, year = (int(x) for x in record[0].split("/"))
        row = [datetime.datetime(year, month, day)] + record[1:5] + [float(record[5])] + [int(x) for x in record[6:]]
        if bad_impressions and i == 8:
            row[6] = "n/a"
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_same_logic_on_the_sheet_rows():
    parsed = parse_ad_file(linkedin_workbook(), currency="GBP")
    assert parsed.problems == []
    assert (parsed.platform, parsed.file_format, parsed.header_line) == ("linkedin", "xlsx", 6)
    assert totals(parsed) == {"ComeBackToCare - Social workers": (7, 26_769, 146, 115, 42_822, Decimal("13"))}
    assert [r.start for r in parsed.rows][0] == datetime.date(2020, 4, 20)
    bad = parse_ad_file(linkedin_workbook(bad_impressions=True), currency="GBP")
    assert bad.problems == [Problem(9, "Impressions", "“n/a” is not a number")]


def test_damaged_xlsx():
    parsed = parse_ad_file(b"PK\x03\x04" + b"\0" * 64)
    assert len(parsed.problems) == 1 and parsed.problems[0].line is None


@pytest.mark.parametrize(("cell", "currency", "comma", "expected"), [
    ("12.30", "GBP", False, (1230, "")),
    ("£12.30", "GBP", False, (1230, "GBP")),
    ("£1,204.50", "", False, (120450, "GBP")),
    ("12,30 €", "", True, (1230, "EUR")),
    ("1.204,5", "EUR", True, (120450, "")),
    ("GBP 7", "", False, (700, "GBP")),
    ("0.005", "GBP", False, (1, "")),  # more decimals than pence: half up
    ("1200", "JPY", False, (1200, "")),  # yen have no minor unit
    (364.80999999999995, "GBP", False, (36481, "")),  # a spreadsheet float
    (50, "GBP", False, (5000, "")),
])
def test_read_money(cell, currency, comma, expected):
    assert read_money(cell, currency, decimal_comma=comma) == expected


@pytest.mark.parametrize("cell", ["12.3.4", "£", "abc", "1e5", "NaN", "12 30", "£12 GBP", "1_000", "-5"])
def test_read_money_refuses(cell):
    with pytest.raises(CellError):
        read_money(cell, "GBP")


def test_read_count_and_dates():
    assert read_count("1,204") == 1204
    assert read_count("1.204", decimal_comma=True) == 1204
    assert read_count(11652.0) == 11652
    assert read_count("12.00") == 12
    for bad in ("12.5", "-3", "", "１２"):
        with pytest.raises(CellError):
            read_count(bad)
    assert read_date("4/20/2020", us=True) == datetime.date(2020, 4, 20)
    assert read_date(datetime.datetime(2020, 4, 20, 0, 0)) == datetime.date(2020, 4, 20)
    with pytest.raises(CellError, match="not a date written as year-month-day"):
        read_date("4/20/2020")
    with pytest.raises(CellError, match="not a real date"):
        read_date("2020-02-30")
    with pytest.raises(CellError):
        read_date("20200420")


def test_decode_and_headers():
    assert decode("£".encode("cp1252")) == ("£", "cp1252")
    assert decode(codecs.BOM_UTF8 + "£".encode()) == ("£", "utf-8-sig")
    assert decode(b"\x81") == ("\x81", "latin-1")
    assert normalise_header("Amount spent (GBP)") == ("amount spent", "GBP")
    assert normalise_header("CPM (cost per 1,000 impressions) (GBP)") == ("cpm (cost per 1,000 impressions)", "GBP")
    assert normalise_header("\ufeffStart Date (in UTC)") == ("start date (in utc)", "")
    assert normalise_header("Start date (UTC)") == ("start date (utc)", "")


HUGE = "999999999999999999999999"  # 10**24 - 1: past a 64-bit integer column


@pytest.mark.parametrize(("column", "name"), [
    (11, "Impressions"), (13, "Link clicks"), (7, "Reach"), (17, "Landing page views"),
    (10, "Amount spent (GBP)"), (5, "Results"),
])
def test_a_figure_too_large_for_its_column_is_a_problem_of_its_line_and_column(column, name):
    # Plain digits take the parser's fast path, so this is checked there too.
    parsed = parse_ad_file(replace_cell(fixture_bytes(META_BY_DAY), 4, column, HUGE), platform="meta")
    most = "9,999,999,999.99" if column == 10 else "999,999,999,999.99" if column == 5 else "999,999,999,999"
    assert parsed.problems == [Problem(4, name, f"“{HUGE}” is too large: one row holds at most {most}")]
    assert len(parsed.rows) == 13


@pytest.mark.parametrize("cell", ["1000000000000", "1,000,000,000,000", "1000000000000.00", 1e12, 10**19, float("inf")])
def test_read_count_bound(cell):
    with pytest.raises(CellError, match="too large"):
        read_count(cell)
    assert read_count("999999999999") == 10**12 - 1


@pytest.mark.parametrize("cell", ["10000000000", "£10,000,000,000.00", 1e10, "9999999999.995"])
def test_read_money_bound(cell):
    with pytest.raises(CellError, match="too large"):
        read_money(cell, "GBP")
    assert read_money("9999999999.99", "GBP") == (10**12 - 1, "")
    # Currencies with more minor digits get the same bound in minor units.
    with pytest.raises(CellError, match="too large"):
        read_money("100000000", "CLF")


def test_results_that_round_past_the_bound_are_too_large():
    parsed = parse_ad_file(replace_cell(fixture_bytes(META_BY_DAY), 4, 5, "999999999999.995"), platform="meta")
    assert parsed.problems == [Problem(4, "Results", "“999999999999.995” is too large: one row holds at most 999,999,999,999.99")]


def test_a_figure_in_range_still_reads():
    parsed = parse_ad_file(replace_cell(fixture_bytes(META_BY_DAY), 4, 11, "999999999999"), platform="meta")
    assert parsed.problems == []
    assert parsed.rows[2].impressions == 999_999_999_999
