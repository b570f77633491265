"""The forecast chart: a Vega-Lite spec built with Altair on the server.

History is a solid line, the estimate a dashed line joined to the last month of
history, with its 80% prediction interval as a shaded band; the legend names them
"History" and "Estimate" (and the band "Estimate range (80%)"). Colours are GOV.UK
palette colours with at least 3:1 contrast on white (WCAG 1.4.11) and the two lines
differ by dash as well as colour (WCAG 1.4.1). Values suppressed for the viewer
(``"<5"``) are not drawn; the table under the chart has every month.
"""

from __future__ import annotations

import altair as alt

HISTORY = "History"
ESTIMATE = "Estimate"
COLOURS = {HISTORY: "#1d70b8", ESTIMATE: "#912b88"}
DASHES = {HISTORY: [1, 0], ESTIMATE: [6, 4]}
DATASET = "values"


def chart_values(rows: list[dict]) -> list[dict]:
    """Chart rows ``{"month": "YYYY-MM-01", "line": "History"|"Estimate", "value": n,
    "lower": n|None, "upper": n|None}`` from the page's month rows; suppressed months
    are left out. The estimate line starts at the last month of history so the two
    lines join."""
    result: list[dict] = []
    last_history = None
    for row in rows:
        if not isinstance(row["value"], int | float):
            continue
        if row["kind"] == "history":
            last_history = row
            result.append({"month": row["month"].isoformat(), "line": HISTORY, "value": row["value"],
                           "lower": None, "upper": None})
        else:
            if last_history is not None:
                result.append({"month": last_history["month"].isoformat(), "line": ESTIMATE,
                               "value": last_history["value"], "lower": last_history["value"],
                               "upper": last_history["value"]})
                last_history = None
            lower = row["lower"] if isinstance(row["lower"], int | float) else None
            upper = row["upper"] if isinstance(row["upper"], int | float) else None
            result.append({"month": row["month"].isoformat(), "line": ESTIMATE, "value": row["value"],
                           "lower": lower, "upper": upper})
    return result


def chart_spec(rows: list[dict], *, description: str, measure_label: str) -> dict:
    """The Vega-Lite spec (a dict ready for JSON) for a series' month rows."""
    lines = [HISTORY, ESTIMATE]
    base = alt.Chart(alt.NamedData(name=DATASET), description=description)
    x = alt.X("utcyearmonth(month):T", title="Month", axis=alt.Axis(format="%b %Y", labelOverlap=True))
    band = base.transform_filter(
        "datum.line === 'Estimate' && datum.lower !== null && datum.upper !== null"
    ).mark_area(opacity=0.2, color=COLOURS[ESTIMATE]).encode(
        x=x, y=alt.Y("lower:Q"), y2=alt.Y2("upper:Q"),
        tooltip=[alt.Tooltip("utcyearmonth(month):T", title="Month", format="%B %Y"),
                 alt.Tooltip("lower:Q", title="Estimate range from", format=",.0f"),
                 alt.Tooltip("upper:Q", title="to", format=",.0f")],
    )
    legend = alt.Legend(title=None, orient="bottom", symbolType="stroke", symbolStrokeWidth=3)
    line = base.mark_line(point=True, strokeWidth=2).encode(
        x=x,
        y=alt.Y("value:Q", title=measure_label, axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("line:N", sort=lines, scale=alt.Scale(domain=lines, range=[COLOURS[k] for k in lines]),
                        legend=legend),
        strokeDash=alt.StrokeDash("line:N", sort=lines,
                                  scale=alt.Scale(domain=lines, range=[DASHES[k] for k in lines]), legend=legend),
        tooltip=[alt.Tooltip("utcyearmonth(month):T", title="Month", format="%B %Y"),
                 alt.Tooltip("line:N", title="Shown as"),
                 alt.Tooltip("value:Q", title=measure_label, format=",.0f")],
    )
    chart = (
        (band + line).properties(width="container", height=260)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=14, titleFontSize=14, labelFont="arial", titleFont="arial")
        .configure_legend(labelFontSize=14, labelFont="arial")
    )
    spec = chart.to_dict(validate=False)
    spec["datasets"] = {DATASET: chart_values(rows)}
    return spec
