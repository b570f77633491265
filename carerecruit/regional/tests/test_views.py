"""The dashboard page and its downloads: who sees what, formats, bad input."""

import csv
import io
import re
import zipfile
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from carerecruit.regional.tests.fixtures import application, make_region
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db
APRIL = {"start_0": "1", "start_1": "4", "start_2": "2026", "end_0": "30", "end_1": "4", "end_2": "2026"}
TO_OCTOBER = {**APRIL, "end_0": "31", "end_1": "10"}


@pytest.fixture
def region(personas):
    return make_region(personas)


def signed_in(client, user):
    client.force_login(user)
    return client


def cells(html: str, table: str, gss_or_first: str) -> dict:
    """The cells (``data-key`` → text) of the row in ``table`` whose first cell is
    ``gss_or_first``."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.table = None
            self.rows, self.key, self.text = [], None, ""

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "table":
                self.table = attrs.get("data-dataset")
            if tag == "tr" and self.table == table:
                self.rows.append({})
            if tag in ("td", "th") and "data-key" in attrs and self.table == table:
                self.key, self.text = attrs["data-key"], ""

        def handle_data(self, data):
            if self.key:
                self.text += data

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.key:
                self.rows[-1][self.key] = self.text.strip()
                self.key = None
            if tag == "table":
                self.table = None

    reader = Reader()
    reader.feed(html)
    found = [row for row in reader.rows if row and next(iter(row.values())) == gss_or_first]
    assert found, f"no row {gss_or_first} in {table}"
    return found[0]


def test_anonymous_goes_to_sign_in(client):
    response = client.get(reverse("regional:dashboard"))
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"] or "login" in response["Location"]
    assert client.get(reverse("regional:download", args=["councils", "csv"])).status_code == 302


def test_council_a_sees_own_three_and_b_suppressed_on_the_page(client, personas, region):
    response = signed_in(client, personas.council_a_recruiter).get(reverse("regional:dashboard"), TO_OCTOBER)
    assert response.status_code == 200
    html = response.content.decode()
    a = cells(html, "councils", "E08000025")
    b = cells(html, "councils", "E08000026")
    assert (a["talent_bank_candidates"], a["applications"], a["placements"]) == ("3", "4", "2")
    # Screen readers hear "fewer than 5"; the page shows <5.
    assert (b["talent_bank_candidates"], b["applications"]) == ("<5fewer than 5", "<5fewer than 5")
    flow = cells(html, "flow", "E08000026")  # Coventry's first month
    assert flow["applications"] == "<5fewer than 5"
    assert "withheld" in flow["median_days_to_hire"]
    # Aggregates only: no candidate's name or e-mail anywhere on the page.
    assert not re.search(r"Person \d|p\d+@example\.org|B1 1AA", html)


def test_regional_admin_sees_everything(client, personas, region):
    html = signed_in(client, personas.regional_admin).get(reverse("regional:dashboard"), TO_OCTOBER).content.decode()
    b = cells(html, "councils", "E08000026")
    assert (b["talent_bank_candidates"], b["applications"], b["placements"]) == ("3", "3", "3")
    assert "You see every figure in full" in html


def test_viewer_and_provider_may_read(client, personas, region):
    for user in (personas.viewer, personas.provider_recruiter):
        client.force_login(user)
        html = client.get(reverse("regional:dashboard"), APRIL).content.decode()
        assert cells(html, "councils", "E08000025")["applications"] == "<5fewer than 5"


def test_default_period_and_map_spec(client, personas, region):
    response = signed_in(client, personas.regional_admin).get(reverse("regional:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="cr-regional-map-spec"' in html and '"mercator"' in html
    assert reverse("regional:open-data") in html


def test_bad_filters_show_error_summary_not_500(client, personas, region):
    client.force_login(personas.council_a_recruiter)
    response = client.get(reverse("regional:dashboard"), {**APRIL, "end_0": "31", "end_1": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "The end date must be the same as or after the start date" in html
    assert "<title>Error:" in html
    response = client.get(reverse("regional:dashboard"), {"start_0": "32", "start_1": "13", "start_2": "x",
                                                            "council": "banana", "job_role": "9999"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Choose a council from the list" in html and "Choose a job role from the list" in html
    # The typed value is kept.
    assert 'value="32"' in html
    # A download with bad filters is a 400, not a 500.
    assert client.get(reverse("regional:download", args=["councils", "csv"]), {"council": "banana"}).status_code == 400


def test_unknown_dataset_chart_or_format_is_404(client, personas, region):
    client.force_login(personas.regional_admin)
    assert client.get("/staff/regional/download/people.csv").status_code == 404
    assert client.get("/staff/regional/download/councils.json").status_code == 404
    assert client.get("/staff/regional/chart/people.png").status_code == 404


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_downloads_suppress_as_the_page(client, personas, region):
    client.force_login(personas.council_a_recruiter)
    url = "/staff/regional/download/councils.{}"

    response = client.get(url.format("csv"), APRIL)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="regional-councils-from-2026-04-01-to-2026-04-30.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    header = rows[0]
    assert header[:2] == ["Council GSS code", "Council"]
    by_gss = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert (by_gss["E08000025"]["Applications routed"], by_gss["E08000026"]["Applications routed"]) == ("3", "<5")
    assert by_gss["E08000025"]["Vacancy rate (%)"] == "21.4"

    sheet = load_workbook(io.BytesIO(client.get(url.format("xlsx"), APRIL).content)).active
    values = list(sheet.values)
    header = list(values[0])
    xlsx = {row[0]: dict(zip(header, row, strict=True)) for row in values[1:]}
    assert (xlsx["E08000025"]["Applications routed"], xlsx["E08000026"]["Applications routed"]) == (3, "<5")

    table = pq.read_table(io.BytesIO(client.get(url.format("parquet"), APRIL).content)).to_pylist()
    parquet = {row["council_gss"]: row for row in table}
    assert (parquet["E08000025"]["applications"], parquet["E08000026"]["applications"]) == ("3", "<5")
    assert parquet["E08000025"]["vacancy_rate"] == Decimal("21.40")

    flow = pq.read_table(io.BytesIO(client.get(
        reverse("regional:download", args=["flow", "parquet"]), TO_OCTOBER).content)).to_pylist()
    b_july = next(r for r in flow if r["council_gss"] == "E08000026" and r["month"] == "2026-07")
    assert (b_july["answered_3m"], b_july["retention_3m"]) == ("<5", "withheld")


def test_unrestricted_parquet_keeps_types(client, personas, region):
    client.force_login(personas.regional_admin)
    table = pq.read_table(io.BytesIO(client.get(
        reverse("regional:download", args=["campaign-return", "parquet"]), APRIL).content))
    assert str(table.schema.field("spend_pence").type) == "int64"
    assert str(table.schema.field("applications").type) == "int64"
    facebook = next(r for r in table.to_pylist() if r["channel"] == "facebook")
    assert (facebook["spend_pence"], facebook["applications"], facebook["cost_per_placement_pence"]) == (30_000, 5, 6_000)


def test_downloads_neutralise_formulas(client, personas, region):
    evil = make_campaign(slug="evil", name="=HYPERLINK(\"http://x\")")
    application(evil, personas.council_a, "2026-04-11T10:00", "facebook")
    client.force_login(personas.regional_admin)
    url = "/staff/regional/download/campaign-return.{}"
    rows = _csv_rows(client.get(url.format("csv"), APRIL).content)
    assert "'=HYPERLINK(\"http://x\")" in [row[1] for row in rows]
    sheet = load_workbook(io.BytesIO(client.get(url.format("xlsx"), APRIL).content)).active
    names = [row[1] for row in sheet.values]
    assert "'=HYPERLINK(\"http://x\")" in names
    assert not any(isinstance(n, str) and n.startswith("=") for n in names)
    table = pq.read_table(io.BytesIO(client.get(url.format("parquet"), APRIL).content)).to_pylist()
    assert "'=HYPERLINK(\"http://x\")" in [r["campaign_name"] for r in table]


def test_charts_render(client, personas, region):
    client.force_login(personas.council_b_recruiter)
    svg = client.get(reverse("regional:chart", args=["map", "svg"]), APRIL)
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("regional:chart", args=["supply-demand", "png"]), APRIL)
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_open_data_zip_is_public_suppression(client, personas, region):
    client.force_login(personas.regional_admin)  # unrestricted, yet the open data is not
    response = client.get(reverse("regional:open-data"), APRIL)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "metadata.json", "councils.csv", "councils.parquet", "campaign-return.parquet"} <= names
    rows = _csv_rows(archive.read("councils.csv"))
    by_gss = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert (by_gss["E08000025"]["Applications routed"], by_gss["E08000026"]["Applications routed"]) == ("<5", "<5")


def test_default_period_moves_back_to_the_latest_activity(client, personas):
    """With activity only in spring 2020 (as the demo), the default is the 12 months
    ending on its newest local date, said so on the page; with recent activity, the last
    12 months."""
    import datetime

    from carerecruit.regional.views import default_filters, latest_activity_date

    assert default_filters(datetime.date(2026, 11, 29)) == (
        default_filters(datetime.date(2026, 11, 29))[0], False)  # nothing at all: the usual
    campaign = make_campaign()
    # 23:30 UTC on 30 April 2020 is 00:30 BST on 1 May.
    application(campaign, personas.council_a, "2020-03-02T10:00", "facebook")
    application(campaign, personas.council_a, "2020-04-30T23:30", "facebook")
    assert latest_activity_date() == datetime.date(2020, 5, 1)
    filters, moved = default_filters(datetime.date(2026, 11, 29))
    assert (filters.start, filters.end, moved) == (datetime.date(2019, 6, 1), datetime.date(2020, 5, 1), True)
    assert default_filters()[1] is True  # today (the page's default)
    html = signed_in(client, personas.regional_admin).get(reverse("regional:dashboard")).content.decode()
    assert "the latest 12 months with activity" in html and "1 June 2019" in html and "1 May 2020" in html
    assert cells(html, "councils", "E08000025")["applications"] == "2"

    from carerecruit.lib.localtime import local_today

    today = local_today()
    recent = today - datetime.timedelta(days=40)
    application(campaign, personas.council_a, f"{recent.isoformat()}T12:00", "email")
    filters, moved = default_filters(today)
    assert (filters.end, moved) == (today, False)
    assert filters.start == default_filters(today)[0].start and (today - filters.start).days < 366
    html = client.get(reverse("regional:dashboard")).content.decode()
    assert "the latest 12 months with activity" not in html


def test_council_filter_is_the_gss_code_and_long_open_periods_are_refused(client, personas, region):
    client.force_login(personas.regional_admin)
    response = client.get(reverse("regional:dashboard"), {**APRIL, "council": "E08000026"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in html
    assert cells(html, "councils", "E08000026") and "E08000025" not in html.split('data-dataset="councils"')[1].split("</table>")[0]
    # The download links keep the filter in the same, shareable form.
    assert "council=E08000026" in html
    response = client.get(reverse("regional:dashboard"), {"start_0": "1", "start_1": "1", "start_2": "1990"})
    assert "The period must be 10 years or shorter" in response.content.decode()


def test_a_filter_given_twice_is_an_error_not_the_last_value(client, personas, region):
    client.force_login(personas.regional_admin)
    response = client.get(reverse("regional:dashboard"), {"council": ["E08000025", "E08000026"]})
    assert "Choose one council, not several" in response.content.decode()
    assert client.get(reverse("regional:download", args=["flow", "csv"]),
                      {"council": ["E08000025", "E08000026"]}).status_code == 400
    html = client.get(reverse("regional:dashboard"), {"council": "E08000025"}).content.decode()
    assert "over <strong>all dates</strong>" in html
