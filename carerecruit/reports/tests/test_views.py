"""Staff pages: /staff/reports/ (weeks, recipients, finding a week), a week's report
page, its PDF and HTML. Who may see them: the regional body's admins and campaign
managers; only admins choose recipients; a bad week is a 404."""

import datetime

import pytest
from django.urls import reverse

from carerecruit.reports.actions import do_set_report_recipients
from carerecruit.reports.models import ReportSubscription, WeeklyReport
from carerecruit.reports.render import build_files

from .week_fixture import WEEK, build_week

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


def test_urls():
    assert INDEX == "/staff/reports/"
    assert reverse("reports:week", args=["2020-W18"]) == "/staff/reports/2020-W18/"
    assert reverse("reports:week-pdf", args=["2020-W18"]) == "/staff/reports/2020-W18/pdf/"
    assert reverse("reports:week-html", args=["2020-W18"]) == "/staff/reports/2020-W18/html/"


def test_sign_in_needed(client):
    response = client.get(INDEX)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize("who", ["council_a_recruiter", "provider_recruiter", "viewer"])
def test_others_are_refused(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(INDEX).status_code == 403
    assert client.get(reverse("reports:week-pdf", args=["2020-W13"])).status_code == 403
    assert client.post(INDEX, {"recipients": [personas.regional_admin.pk]}).status_code == 403
    assert not ReportSubscription.objects.exists()


def test_admin_sees_recent_weeks_and_chooses_recipients(client, personas):
    client.force_login(personas.regional_admin)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-week="') == 12
    assert 'name="recipients"' in html
    # Only those who may see every figure are offered.
    assert "Campaign Manager (campaign manager)" in html
    assert "Regional Admin (administrator)" in html
    assert "Birmingham Recruiter" not in html

    response = client.post(INDEX, {"recipients": [personas.campaign_manager.pk]})
    assert response.status_code == 302 and response["Location"] == INDEX
    assert list(ReportSubscription.objects.values_list("user_id", "created_by_id")) == [
        (personas.campaign_manager.pk, personas.regional_admin.pk)
    ]
    page = client.get(INDEX).content.decode()
    assert "Recipients saved: 1 added, 0 removed." in page
    assert f'value="{personas.campaign_manager.pk}" checked' in page


def test_choosing_someone_not_offered_shows_the_error_and_keeps_the_list(client, personas):
    do_set_report_recipients([personas.regional_admin], by=personas.regional_admin)
    client.force_login(personas.regional_admin)
    response = client.post(INDEX, {"recipients": [personas.campaign_manager.pk, personas.council_a_recruiter.pk]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Choose people from the list" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Weekly reports" in html
    assert list(ReportSubscription.objects.values_list("user_id", flat=True)) == [personas.regional_admin.pk]


def test_campaign_manager_reads_but_does_not_choose(client, personas):
    do_set_report_recipients([personas.regional_admin], by=personas.regional_admin)
    client.force_login(personas.campaign_manager)
    html = client.get(INDEX).content.decode()
    assert 'name="recipients"' not in html
    assert "Regional Admin" in html
    assert client.post(INDEX, {"recipients": [personas.campaign_manager.pk]}).status_code == 403
    assert list(ReportSubscription.objects.values_list("user_id", flat=True)) == [personas.regional_admin.pk]


def test_finding_a_week(client, personas):
    client.force_login(personas.campaign_manager)
    response = client.get(INDEX, {"week": "2020-w13"})
    assert response.status_code == 302 and response["Location"] == "/staff/reports/2020-W13/"
    for typed, message in (
        ("2021-W53", "2021-W53 does not exist: ISO year 2021 has weeks 1 to 52"),
        ("week 13", "Enter the week as YYYY-Www, like 2020-W18"),
        ("2999-W01", "2999-W01 has not ended yet: choose a week that has"),
        ("9999-W52", "9999-W52 is outside the years reports cover (2000 to 2999)"),
        ("0001-W01", "0001-W01 is outside the years reports cover (2000 to 2999)"),
    ):
        response = client.get(INDEX, {"week": typed})
        assert response.status_code == 200
        html = response.content.decode()
        assert "govuk-error-summary" in html and message in html
        assert f'value="{typed}"' in html  # what was typed is kept


def test_week_page_pdf_and_html(client, personas):
    build_week(personas.regional_admin)
    client.force_login(personas.campaign_manager)
    response = client.get(reverse("reports:week", args=[WEEK.key]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1 class=\"govuk-heading-l\">Weekly report for 2020-W13</h1>" in html
    assert "has not been e-mailed" in html
    assert ('<td class="govuk-table__cell govuk-table__cell--numeric" data-col="cost_per_application">'
            "£61.73</td>") in html

    files = build_files(WEEK)
    pdf = client.get(reverse("reports:week-pdf", args=[WEEK.key]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="weekly-report-2020-W13.pdf"'
    assert pdf.content == files.pdf
    standalone = client.get(reverse("reports:week-html", args=[WEEK.key]))
    assert standalone["Content-Type"] == "text/html; charset=utf-8"
    assert standalone.content == files.html

    # Once e-mailed, the page says so and whether the figures still match.
    WeeklyReport.objects.create(
        key=WEEK.key, week_start=WEEK.start, recipients=2, pdf_sha256=files.pdf_sha256,
        html_sha256=files.html_sha256, sent_at=datetime.datetime(2020, 3, 30, 6, tzinfo=datetime.UTC),
    )
    html = client.get(reverse("reports:week", args=[WEEK.key])).content.decode()
    assert "E-mailed on 30 March 2020 at 07:00 to 2 people." in html
    assert "The figures below are the same as in that e-mail." in html
    WeeklyReport.objects.update(html_sha256="0" * 64)
    html = client.get(reverse("reports:week", args=[WEEK.key])).content.decode()
    assert "The figures have changed since it was sent" in html


@pytest.mark.parametrize("key", [
    "2021-W53", "2020-W54", "2020-W1", "nonsense", "2020-w13", "2999-W01", "9999-W52", "0001-W01", "1-W01",
])
def test_a_bad_or_unfinished_week_is_not_found(client, personas, key):
    client.force_login(personas.regional_admin)
    for name in ("reports:week", "reports:week-pdf", "reports:week-html"):
        assert client.get(reverse(name, args=[key])).status_code == 404


def test_pages_and_files_are_never_cached(client, personas):
    # Unsuppressed figures: no shared or browser cache keeps them.
    build_week(personas.regional_admin)
    client.force_login(personas.regional_admin)
    for url in (INDEX, reverse("reports:week", args=[WEEK.key]), reverse("reports:week-pdf", args=[WEEK.key]),
                reverse("reports:week-html", args=[WEEK.key])):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
