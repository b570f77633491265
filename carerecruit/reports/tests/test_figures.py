"""The weekly report's figures for the fixed week 2020-W13 (week_fixture.py): exact
counts, money, rates and dates, local-date edges across the start of BST, placements,
retention as at the week's end, supply against demand by council and alerts."""

import pytest

from carerecruit.reports.figures import build_report
from carerecruit.reports.render import render_html, render_pdf, render_text

from .week_fixture import WEEK, build_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(personas):
    build_week(personas.regional_admin)
    return build_report(WEEK)


def column(table, key):
    """``{row key: cell}`` for one column, footer included as "total"."""
    return {row_key: {c.key: v for c, v in cells}[key]
            for row_key, cells in table.body + ([table.foot] if table.foot else [])}


def test_title_dates_and_headline(report):
    assert report.title == "Weekly report for 2020-W13"
    assert report.subtitle == "Monday 23 March 2020 to Sunday 29 March 2020"
    assert "as at the end of Sunday 29 March 2020" in report.as_at
    headline = report.headline
    assert column(headline, "week") == {
        "impressions": "1,000", "clicks": "14", "visits": "10", "form_starts": "3",
        "applications": "3", "shortlisted": "0", "placed": "1", "retained_6m": "0",
        "spend_pence": "£123.45", "cost_per_application": "£41.15", "cost_per_placement": "£123.45",
        "visit_to_application": "30.0%",
    }
    # The week before holds only the application at 23:30 GMT on Sunday 22 March.
    assert headline.cell("applications", "previous") == "1"
    assert headline.cell("clicks", "previous") == "0"
    assert headline.cell("cost_per_application", "previous") is None


def test_funnel_by_campaign_channel_and_day(report):
    campaigns = report.table("campaigns")
    # Sorted by name; the campaign with nothing in the week is left out; bots are not counted.
    assert [key for key, _ in campaigns.body] == ["care-heroes", "come-back-to-care"]
    assert campaigns.rows[1].cells == (
        "Come Back to Care", "10", "7", "3", "2", "28.6%", "1", "£123.45", "£61.73",
    )
    # No ad figures: no spend and no cost (not £0.00).
    assert campaigns.rows[0].cells == ("Care Heroes", "4", "3", "0", "1", "33.3%", "0", None, None)
    assert campaigns.footer.cells == ("All campaigns", "14", "10", "3", "3", "30.0%", "1", "£123.45", "£41.15")

    channels = report.table("channels")
    assert [key for key, _ in channels.body] == ["facebook", "email", "direct"]
    assert column(channels, "applications") == {"facebook": "2", "email": "0", "direct": "1", "total": "3"}
    assert column(channels, "cost_per_application") == {
        "facebook": "£61.73", "email": None, "direct": None, "total": "£41.15",
    }

    days = report.table("days")
    assert [key for key, _ in days.body][0] == "2020-03-23"
    assert len(days.rows) == 7
    # 00:30 UTC on Sunday 29 March is still Sunday (GMT until 01:00 UTC); 23:30 UTC that
    # evening is Monday 30 March in BST and is in the next week.
    assert days.cell("2020-03-29", "visits") == "1"
    assert days.cell("2020-03-29", "applications") == "0"
    assert days.cell("2020-03-25", "applications") == "2"
    assert days.cell("2020-03-28", "applications") == "1"

    councils = report.table("council-preferences")
    assert [(key, cells[0][1], cells[1][1]) for key, cells in councils.body] == [
        ("E08000026", "Coventry City Council", "1"),
    ]


def test_placements_and_retention(report):
    assert column(report.table("placements-by-organisation"), "placements") == {"birmingham": "1", "total": "1"}
    roles = report.table("placements-by-role")
    assert roles.body[0][0] == "15"
    assert roles.cell("total", "placements") == "1"

    retention = report.table("retention")
    # 3 months: answered "in post" in the week. 6 months: one answered "left" in the
    # week; another due 16 March and answered only on 2 April: overdue at the week's end.
    # The 12-month checkpoint closed by that "left" is not due yet and not counted.
    assert retention.rows[0].cells == ("3 months", "1", "0", "0", "100.0%", "0")
    assert retention.rows[1].cells == ("6 months", "0", "1", "0", "0.0%", "1")
    assert retention.rows[2].cells == ("12 months", "0", "0", "0", None, "0")
    assert retention.footer.cells == ("All checkpoints", "1", "1", "0", "50.0%", "1")


def test_supply_demand_by_council_and_alerts(report):
    supply = report.table("supply-demand")
    assert len(supply.rows) == 14  # every council of the West Midlands, zeros included
    assert [key for key, _ in supply.body][:3] == ["E08000025", "E08000026", "E08000027"]
    assert supply.rows[0].cells == ("Birmingham", "0", "0", None, None, "0", "1")
    assert supply.rows[1].cells == ("Coventry", "0", "0", None, None, "1", "0")
    assert [chart.key for chart in report.section("supply-demand").charts] == ["supply-demand"]

    alerts = report.table("alerts")
    assert [key for key, _ in alerts.body] == ["2020-03-27-come-back-to-care-facebook-conversion_sag"]
    assert alerts.rows[0].cells[:3] == ("27 Mar", "Come Back to Care", "Visit-to-application rate fell (Facebook)")
    assert alerts.rows[0].cells[3].startswith("Facebook: 0 applications from 40 visits on 27 March 2020")
    assert report.figures == {
        "clicks": 14, "visits": 10, "applications": 3, "applications_week_before": 1, "placed": 1,
        "spend_pence": 12345, "placements": 1, "checkpoints_answered": 2, "checkpoints_overdue": 1,
        "councils": 14, "alerts": 1,
    }


def test_html_pdf_and_text_show_the_same_figures(report):
    html = render_html(report).decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<title>Weekly report for 2020-W13: Care jobs West Midlands</title>' in html
    assert ('<td class="govuk-table__cell govuk-table__cell--numeric" data-col="cost_per_application">'
            "£61.73</td>") in html
    assert html.count('<img src="data:image/svg+xml;base64,') == 4
    assert "generated" not in html.lower()

    pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF-1.")
    # invariant=1: ReportLab's fixed creation date, not today's.
    assert b"/CreationDate (D:20000101000000+00'00')" in pdf
    assert b"(Weekly report for 2020-W13: Care jobs West Midlands)" in pdf
    assert pdf.count(b"/Subtype /Image") == 4

    text = render_text(report)
    assert "- Applications: 3 (week before: 1)" in text
    assert "- Cost per application: £41.15 (week before: –)" in text
    assert "- Retention checkpoints overdue at the week's end: 1" in text
    assert "- Alerts raised: 1" in text
