import datetime

from carerecruit.insights.charts import build_daily_chart, daily_chart
from carerecruit.insights.funnel import campaign_funnel
from carerecruit.testing.factories import make_campaign

from .helpers import make_events, utc


def test_daily_chart_is_a_valid_vega_lite_spec_with_the_table_numbers(db):
    campaign = make_campaign()
    make_events("click", 3, campaign, utc(2020, 4, 20, 12))
    make_events("application", 1, campaign, utc(2020, 4, 20, 23, 30))
    funnel = campaign_funnel(campaign, datetime.date(2020, 4, 20), datetime.date(2020, 4, 21))

    validated = build_daily_chart(funnel).to_dict()  # raises if the spec breaks the schema
    spec = daily_chart(funnel)
    assert spec == validated
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["datasets"]["daily"] == [
        {"day": "2020-04-20", "series": "Clicks", "count": 3},
        {"day": "2020-04-20", "series": "Visits", "count": 0},
        {"day": "2020-04-20", "series": "Applications", "count": 0},
        {"day": "2020-04-21", "series": "Clicks", "count": 0},
        {"day": "2020-04-21", "series": "Visits", "count": 0},
        {"day": "2020-04-21", "series": "Applications", "count": 1},
    ]
    assert spec["description"] == (
        "Line chart of clicks, visits and applications per local day from 20 April 2020 to "
        "21 April 2020. The same figures are in the table of counts by day."
    )
    # Told apart by dash pattern as well as colour (WCAG 1.4.1).
    assert spec["encoding"]["strokeDash"]["field"] == "series"
    assert spec["encoding"]["color"]["scale"]["range"] == ["#1d70b8", "#912b88", "#00703c"]
