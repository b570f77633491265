import datetime
import io
import xml.etree.ElementTree as ET

import pytest

from carerecruit.insights.charts import CHARTS, build_chart, chart_spec, render
from carerecruit.insights.funnel import campaign_funnel
from carerecruit.testing.factories import make_campaign, make_link

from .helpers import make_events, utc

D = datetime.date


@pytest.fixture
def funnel(db):
    campaign = make_campaign()
    link = make_link(campaign, "facebook")
    make_events("click", 3, campaign, utc(2020, 4, 20, 12), link)
    make_events("visit", 2, campaign, utc(2020, 4, 20, 12), link)
    make_events("application", 1, campaign, utc(2020, 4, 20, 23, 30), link)
    return campaign_funnel(campaign, D(2020, 4, 20), D(2020, 4, 21))


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_is_a_valid_vega_lite_spec(funnel, name):
    validated = build_chart(funnel, name).to_dict()  # raises if the spec breaks the schema
    assert chart_spec(funnel, name) == validated
    assert validated["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert validated["data"] == {"name": "values"}


def test_trend_chart_has_the_day_table_numbers(funnel):
    spec = chart_spec(funnel, "trend")
    assert spec["datasets"]["values"] == [
        {"day": "2020-04-20", "series": "Tracked clicks", "count": 3},
        {"day": "2020-04-20", "series": "Visits", "count": 2},
        {"day": "2020-04-20", "series": "Applications", "count": 0},
        {"day": "2020-04-21", "series": "Tracked clicks", "count": 0},
        {"day": "2020-04-21", "series": "Visits", "count": 0},
        {"day": "2020-04-21", "series": "Applications", "count": 1},
    ]
    assert spec["description"] == (
        "Line chart of tracked clicks, visits and applications per local day from 20 April 2020 "
        "to 21 April 2020. The same figures are in the table of counts by day."
    )
    # Told apart by dash pattern as well as colour (WCAG 1.4.1).
    assert spec["encoding"]["strokeDash"]["field"] == "series"
    assert spec["encoding"]["color"]["scale"]["range"] == ["#1d70b8", "#912b88", "#00703c"]


def test_weekly_trend_uses_mondays(db):
    campaign = make_campaign()
    make_events("visit", 2, campaign, utc(2020, 4, 22, 12))
    make_events("visit", 5, campaign, utc(2020, 4, 27, 12))
    funnel = campaign_funnel(campaign, D(2020, 4, 22), D(2020, 4, 28), "week")
    visits = [v for v in chart_spec(funnel, "trend")["datasets"]["values"] if v["series"] == "Visits"]
    assert visits == [
        {"day": "2020-04-20", "series": "Visits", "count": 2},
        {"day": "2020-04-27", "series": "Visits", "count": 5},
    ]
    assert "per ISO week (Monday to Sunday)" in chart_spec(funnel, "trend")["description"]


def test_funnel_chart_values_in_step_order(funnel):
    assert chart_spec(funnel, "funnel")["datasets"]["values"] == [
        {"step": "Impressions", "order": 0, "count": 0},
        {"step": "Platform clicks", "order": 1, "count": 0},
        {"step": "Tracked clicks", "order": 2, "count": 3},
        {"step": "Visits", "order": 3, "count": 2},
        {"step": "Form starts", "order": 4, "count": 0},
        {"step": "Applications", "order": 5, "count": 1},
        {"step": "Shortlisted", "order": 6, "count": 0},
        {"step": "Placed", "order": 7, "count": 0},
        {"step": "Retained at 6 months", "order": 8, "count": 0},
    ]


def test_channels_chart_values(funnel):
    assert chart_spec(funnel, "channels")["datasets"]["values"] == [
        {"channel": "Facebook", "applications": 1, "visits": 2},
    ]


@pytest.mark.parametrize("name", CHARTS)
def test_render_png_and_svg(funnel, name):
    png = render(funnel, name, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = render(funnel, name, "svg")
    root = ET.parse(io.BytesIO(svg)).getroot()  # noqa: S314 (our own renderer's output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"


def test_render_unknown_format(funnel):
    with pytest.raises(ValueError):
        render(funnel, "funnel", "gif")
