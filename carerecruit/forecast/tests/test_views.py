"""The forecast page, its downloads, stored-run reading and suppression."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from carerecruit.forecast.actions import do_compute_forecasts
from carerecruit.forecast.models import ForecastRun, ForecastSeries
from carerecruit.forecast.read import ALL, forecast_rows
from carerecruit.forecast.tests.helpers import routed_application, stored_series
from carerecruit.organisations.models import User
from carerecruit.testing.personas import make_user
from carerecruit.workforce.suppression import UNRESTRICTED

URL = "/staff/regional/forecast/"


@pytest.fixture
def birmingham_series(personas):
    a = personas.council_a
    return stored_series(
        council=a, role_code=3, owner=a, history=[12, 3, 0, 9, 8, 10, 11],
        estimates=[(10.4, 6.2, 14.7), (3.6, 0.0, 8.9), (10.4, 4.1, 16.0)],
        backtest_points=3, zero_actuals=1, backtest_small=True,
        mape_model=12.345, mape_baseline=20.0, mae_model=1.5, mae_baseline=2.25,
    )


def test_url_name():
    assert reverse("forecast:index") == URL


def test_forecast_rows_reads_the_stored_run_and_suppresses(personas, birmingham_series):
    a, b = personas.council_a, personas.council_b
    own = forecast_rows(viewer=a.pk, council_id=a.pk, job_role_code=3, measure="applications")
    assert [r["kind"] for r in own] == ["history"] * 7 + ["forecast"] * 3
    assert [r["value"] for r in own] == [12, 3, 0, 9, 8, 10, 11, 10, 4, 10]
    assert own[0]["month"] == datetime.date(2020, 1, 1)
    assert own[7]["month"] == datetime.date(2020, 8, 1) and own[7]["is_estimate"] is True
    assert (own[7]["lower"], own[7]["upper"]) == (6, 15)
    assert own[0]["mape_model"] == 12.3 and own[0]["beats_baseline"] is True
    assert own[0]["council_gss"] == "E08000025" and own[0]["job_role_code"] == 3

    other = forecast_rows(viewer=b.pk, council_id=a.pk, measure="applications")
    assert [r["value"] for r in other] == [12, "<5", 0, 9, 8, 10, 11, 10, "<5", 10]
    assert (other[8]["lower"], other[8]["upper"]) == (0, 9)
    assert (other[9]["lower"], other[9]["upper"]) == ("<5", 16)
    # Back-tested months included a 3: the errors are withheld outside the owner.
    assert other[0]["mape_model"] == "withheld" and other[0]["beats_baseline"] == "withheld"
    assert [r["value"] for r in forecast_rows(viewer=UNRESTRICTED)] == [12, 3, 0, 9, 8, 10, 11, 10, 4, 10]
    assert forecast_rows(viewer=a.pk, council_id=ALL) == []
    assert forecast_rows(viewer=a.pk, measure="vacancies") == []
    with pytest.raises(ValueError):
        forecast_rows(viewer=a.pk, measure="nonsense")


def test_open_vacancy_posts_are_not_suppressed(personas):
    stored_series(measure="vacancies", council=personas.council_a, owner=personas.council_a, history=[2] * 6,
                  estimates=[(2, 1, 3)] * 3)
    rows = forecast_rows(viewer=personas.council_b.pk, measure="vacancies")
    assert [r["value"] for r in rows] == [2] * 9


def test_page_shows_estimate_and_suppresses_for_another_council(client, personas, birmingham_series):
    query = {"council": "E08000025", "job_role": "3", "measure": "applications"}
    client.force_login(personas.council_b_recruiter)
    response = client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Estimate" in html and "Range (80%)" in html
    history = response.context["history"]
    assert [r["value"] for r in history] == [12, "<5", 0, 9, 8, 10, 11]
    assert [(r["value"], r["lower"], r["upper"]) for r in response.context["estimates"]] == [
        (10, 6, 15), ("<5", 0, 9), (10, "<5", 16)]
    assert "&lt;5" in html
    # Estimates follow the latest month of data (July 2020), long before today: said plainly.
    assert "Estimate for the 3 months after the latest data (July 2020)</caption>" in html
    assert ("The latest data is from July 2020, so these estimates are for months that have already "
            "passed, not the coming months.") in html
    assert "the next 3 months" not in html
    assert "the 3 months after the latest data (July 2020) as a dashed line" in html  # the chart's description
    # The chart leaves suppressed months out; the estimate line starts at the last history month.
    data = response.context["chart"]["spec"]["datasets"]["values"]
    assert [d["value"] for d in data if d["line"] == "History"] == [12, 0, 9, 8, 10, 11]
    assert [d["month"] for d in data if d["line"] == "Estimate"] == ["2020-07-01", "2020-08-01", "2020-10-01"]

    client.force_login(personas.council_a_recruiter)
    response = client.get(URL, query)
    assert [r["value"] for r in response.context["history"]] == [12, 3, 0, 9, 8, 10, 11]
    assert response.context["accuracy"][0]["mape_model"] == 12.3


def test_page_too_short_and_nothing_computed(client, personas):
    client.force_login(personas.viewer)
    response = client.get(URL)
    assert "No forecasts have been computed yet" in response.content.decode()
    stored_series(history=[1, 2, 3], status="too_short")
    response = client.get(URL)
    html = response.content.decode()
    assert "Not enough history to forecast" in html
    assert "There are 3 months of history; a forecast needs at least 6" in html
    assert response.context["estimates"] == []


def test_bad_filter_shows_error_summary(client, personas, birmingham_series):
    client.force_login(personas.council_a_recruiter)
    response = client.get(URL, {"council": "E99999999", "job_role": "abc", "measure": "applications"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose a council area from the list" in html and "Choose a job role from the list" in html
    assert "<title>Error: " in html
    assert "chosen" not in response.context  # no series is read for a bad filter
    bad = client.get(reverse("forecast:download", args=["series", "csv"]), {"measure": "weather"})
    assert bad.status_code == 400


def test_audience(client, personas, db):
    assert client.get(URL).status_code == 302
    loner = make_user("no_organisation", None, User.Role.VIEWER)
    client.force_login(loner)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("forecast:download", args=["series", "pdf"])).status_code == 404


def test_downloads(client, personas, birmingham_series):
    query = {"council": "E08000025", "job_role": "3", "measure": "applications"}
    client.force_login(personas.council_b_recruiter)
    response = client.get(reverse("forecast:download", args=["series", "csv"]), query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="forecast-series-applications-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == ["Council GSS code", "Council", "Job role code", "Job role", "Measure", "Month",
                           "History or estimate", "Value"]
    assert [r[7] for r in rows[1:]] == ["12", "<5", "0", "9", "8", "10", "11", "10", "<5", "10"]
    assert rows[9][5:10] == ["2020-09-01", "Estimate", "<5", "0", "9"]

    client.force_login(personas.council_a_recruiter)
    response = client.get(reverse("forecast:download", args=["accuracy", "xlsx"]), query)
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][9] == "MAPE model (%)"
    assert values[1][1] == "Birmingham" and values[1][9] == 12.3 and values[1][13] == "Yes"


def test_download_neutralises_formulas(client, personas, birmingham_series):
    personas.council_a.short_name = "=HYPERLINK(\"http://example.com\")"
    personas.council_a.save()
    client.force_login(personas.regional_admin)
    response = client.get(reverse("forecast:download", args=["series", "csv"]),
                          {"council": "E08000025", "job_role": "3", "measure": "applications"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=")


def test_compute_and_store_applications(campaign, personas):
    a = personas.council_a
    # Eight months of Birmingham applications for role 3: 2, 3, 2, 3, 2, 3, 2, 3.
    for month in range(1, 9):
        for day in range(2 if month % 2 else 3):
            routed_application(campaign, datetime.datetime(2020, month, 10 + day, 12, tzinfo=datetime.UTC), a, (3,))
    (run,) = do_compute_forecasts(["applications"], today=datetime.date(2020, 9, 20))
    assert run.status == ForecastRun.Status.COMPLETE
    assert run.history_end == datetime.date(2020, 8, 1)
    # Birmingham × role 3, Birmingham × all roles, region × role 3, region × all roles.
    assert run.series_count == 4
    series = ForecastSeries.objects.get(run=run, council=a, job_role_id=3)
    assert series.status == "ok" and series.method == "ets_ann" and series.history_months == 8
    assert series.backtest_points == 3 and series.backtest_small is True
    rows = forecast_rows(viewer=a.pk, council_id=a.pk, job_role_code=3)
    assert [r["value"] for r in rows[:8]] == [2, 3, 2, 3, 2, 3, 2, 3]
    assert [r["month"] for r in rows[8:]] == [datetime.date(2020, 9, 1), datetime.date(2020, 10, 1),
                                              datetime.date(2020, 11, 1)]
    assert all(2 <= r["value"] <= 3 for r in rows[8:])
    # A second run replaces the first.
    (again,) = do_compute_forecasts(["applications"], today=datetime.date(2020, 9, 20))
    assert list(ForecastRun.objects.values_list("pk", flat=True)) == [again.pk]


def test_a_failed_measure_keeps_the_previous_run(personas, birmingham_series, monkeypatch):
    previous = birmingham_series.run

    def broken(measure, today=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr("carerecruit.forecast.actions.build_series", broken)
    (run,) = do_compute_forecasts(["applications"])
    assert run.status == ForecastRun.Status.FAILED
    assert run.error == "RuntimeError: database went away"
    assert set(ForecastRun.objects.values_list("pk", "status")) == {(previous.pk, "complete"), (run.pk, "failed")}
    assert [r["value"] for r in forecast_rows(viewer=personas.council_a.pk)][:2] == [12, 3]
    with pytest.raises(ValueError):
        do_compute_forecasts(["weather"])


def test_page_and_downloads_are_never_cached(client, personas, birmingham_series):
    # Suppressed per viewer: a shared cache must not hand one organisation's view to another.
    query = {"council": "E08000025", "job_role": "3", "measure": "applications"}
    client.force_login(personas.council_a_recruiter)
    for url in (URL, reverse("forecast:download", args=["series", "csv"]),
                reverse("forecast:download", args=["accuracy", "xlsx"])):
        response = client.get(url, query)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_estimates_for_coming_months_are_not_called_past(client, personas):
    from carerecruit.forecast.series import add_months
    from carerecruit.lib.localtime import local_today

    start = add_months(local_today().replace(day=1), -7)  # history ends last month
    stored_series(council=personas.council_a, role_code=3, owner=personas.council_a, start=start,
                  history=[5, 6, 7, 8, 9, 10, 11], estimates=[(12, 8, 16), (13, 8, 18), (14, 9, 19)])
    client.force_login(personas.council_a_recruiter)
    html = client.get(URL, {"council": "E08000025", "job_role": "3", "measure": "applications"}).content.decode()
    assert f"Estimate for the 3 months after the latest data ({add_months(start, 6):%B %Y})</caption>" in html
    assert "already passed" not in html
