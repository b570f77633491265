"""Vega-Lite chart specs built with Altair on the server.

The page embeds the spec as JSON and vega-embed draws it; the same numbers are always in
a table next to the chart, which is the accessible equivalent.
"""

from __future__ import annotations

import altair as alt

from carerecruit.insights.funnel import STEPS, Funnel

# Daily chart series: step key → colour. GOV.UK palette colours with at least 3:1
# contrast on white (WCAG 1.4.11); each series also has its own dash pattern so the
# lines are told apart without colour (WCAG 1.4.1).
DAILY_SERIES = {
    "clicks": "#1d70b8",
    "visits": "#912b88",
    "applications": "#00703c",
}
DATASET = "daily"
DAILY_DASHES = {
    "clicks": [1, 0],
    "visits": [6, 3],
    "applications": [2, 2],
}


def daily_chart_description(funnel: Funnel) -> str:
    """The chart's text alternative (used as its aria-label and Vega description)."""
    start, end = funnel.period.start, funnel.period.end
    labels = [step.label.lower() for step in STEPS if step.key in DAILY_SERIES]
    return (
        f"Line chart of {', '.join(labels[:-1])} and {labels[-1]} per local day "
        f"from {start:%-d %B %Y} to {end:%-d %B %Y}. "
        "The same figures are in the table of counts by day."
    )


def daily_values(funnel: Funnel) -> list[dict]:
    """The daily chart's data, one row per local day and series:
    ``{"day": "YYYY-MM-DD", "series": "Clicks", "count": 3}``."""
    steps = [step for step in STEPS if step.key in DAILY_SERIES]
    return [
        {"day": row.day.isoformat(), "series": step.label, "count": row.counts.count(step.key)}
        for row in funnel.days
        for step in steps
    ]


def daily_chart(funnel: Funnel) -> dict:
    """The daily chart's Vega-Lite spec as a dict ready for JSON (see
    :func:`build_daily_chart`), its data in the top-level dataset ``daily``.

    Altair builds the encoding; the data rows are put in afterwards and the spec is not
    re-validated on every live refresh, because Altair walks and checks every data row
    (over half a second for a year of days). The tests validate the full chart.
    """
    spec = build_daily_chart(funnel, with_data=False).to_dict(validate=False)
    spec["datasets"] = {DATASET: daily_values(funnel)}
    return spec


def build_daily_chart(funnel: Funnel, with_data: bool = True) -> alt.Chart:
    """An Altair chart (Vega-Lite v6) of clicks, visits and applications per local day,
    reading the named dataset ``daily`` (:func:`daily_values`; left out when
    ``with_data`` is False). Days are plotted in UTC so a browser in another time zone
    does not shift a local date by one.
    """
    steps = [step for step in STEPS if step.key in DAILY_SERIES]
    labels = [step.label for step in steps]
    # Two columns of legend entries so the legend fits a 320px-wide phone.
    legend = alt.Legend(
        title=None, orient="bottom", columns=2, symbolType="stroke", symbolStrokeWidth=3
    )
    chart = (
        alt.Chart(alt.NamedData(name=DATASET), description=daily_chart_description(funnel))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "utcyearmonthdate(day):T",
                title="Local date",
                axis=alt.Axis(format="%-d %b", labelOverlap=True),
            ),
            y=alt.Y("count:Q", title="Count", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=[DAILY_SERIES[s.key] for s in steps]),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=labels,
                scale=alt.Scale(domain=labels, range=[DAILY_DASHES[s.key] for s in steps]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("utcyearmonthdate(day):T", title="Day", format="%-d %B %Y"),
                alt.Tooltip("series:N", title="Measure"),
                alt.Tooltip("count:Q", title="Count", format=","),
            ],
        )
        .properties(width="container", height=260)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=14, titleFontSize=14, labelFont="arial", titleFont="arial")
        .configure_legend(labelFontSize=14, labelFont="arial")
    )
    if with_data:
        chart.datasets = {DATASET: daily_values(funnel)}
    return chart
