"""The dashboard's charts: Vega-Lite specs built with Altair from the (already
suppressed) datasets, and their PNG/SVG renderings.

Every chart has a table beside it with the same numbers, and a text description (its
aria-label). A suppressed value (``"<5"``, ``"withheld"``) is never drawn as a number:
it is left out of the chart and the description says so; the table shows it.

- ``map``: the region's councils as points at their centroids (WGS84), sized by
  talent-bank candidates; the councils table.
- ``supply-demand``: per council, talent-bank candidates beside open vacancy posts and
  ASC-WDS reported vacancies; the councils table.
- ``cost``: cost per placement (pounds) by campaign and channel; the campaign return table.
"""

from __future__ import annotations

import json
from decimal import Decimal

import altair as alt

from carerecruit.regional.datasets import Dataset

CHARTS = ("map", "supply-demand", "cost")
TITLES = {
    "map": "Talent-bank candidates by council",
    "supply-demand": "Supply and demand by council",
    "cost": "Cost per placement by campaign and channel",
}
#: Which dataset each chart draws.
SOURCES = {"map": "councils", "supply-demand": "councils", "cost": "campaign-return"}
DATASET = "values"
DOWNLOAD_WIDTH = 640
POINT_COLOUR = "#1d70b8"
# GOV.UK palette colours, each at least 3:1 against white (WCAG 1.4.11).
MEASURE_COLOURS = {"Talent-bank candidates": "#1d70b8", "Open vacancy posts": "#912b88",
                   "Reported vacancies (ASC-WDS)": "#00703c"}


def _number(value):
    """``value`` when it is a number; None for a suppressed marker, text or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return value


def values(name: str, dataset: Dataset) -> list[dict]:
    """The chart's data rows, numbers only (suppressed values become None)."""
    if name == "map":
        return [
            {
                "council": r["council_name"], "gss": r["council_gss"],
                "latitude": float(r["latitude"]), "longitude": float(r["longitude"]),
                "candidates": _number(r["talent_bank_candidates"]),
                "shown": str(r["talent_bank_candidates"]),
                "vacancies": _number(r["open_vacancy_posts"]),
            }
            for r in dataset.rows if r["latitude"] is not None and r["longitude"] is not None
        ]
    if name == "supply-demand":
        pairs = (("talent_bank_candidates", "Talent-bank candidates"), ("open_vacancy_posts", "Open vacancy posts"),
                 ("reported_vacancies", "Reported vacancies (ASC-WDS)"))
        # Councils with nothing to show (all zero, unknown or suppressed) are left out.
        return [
            {"council": r["council_name"], "measure": label, "value": float(_number(r[key]))}
            for r in dataset.rows if any(_number(r[key]) for key, _label in pairs)
            for key, label in pairs if _number(r[key]) is not None
        ]
    return [
        {"group": f"{r['campaign_name']}: {r['channel_name']}",
         "pounds": float(r["cost_per_placement_pence"]) / 100}
        for r in dataset.rows if _number(r["cost_per_placement_pence"]) is not None
    ]


def describe(name: str, dataset: Dataset) -> str:
    """The chart's text alternative."""
    hidden = ""
    if name == "map":
        small = [r["council_name"] for r in dataset.rows if isinstance(r["talent_bank_candidates"], str)]
        if small:
            hidden = f" Councils with fewer than 5 candidates shown as the smallest point: {', '.join(small)}."
        return (
            "Map of the region's councils, each a circle at its centre, larger for more "
            f"talent-bank candidates.{hidden} The same figures are in the councils table."
        )
    if name == "supply-demand":
        return (
            "Bar chart comparing, for each council with any, talent-bank candidates, open vacancy "
            "posts and vacancies reported in ASC-WDS returns. Suppressed figures are left out. The "
            "same figures are in the councils table."
        )
    return (
        "Bar chart of cost per placement in pounds for each campaign and channel with ad spend and "
        "placements. The same figures are in the campaign return table."
    )


def _configure(chart):
    return (
        chart.configure_view(stroke=None)
        .configure_axis(labelFontSize=14, titleFontSize=14, labelFont="arial", titleFont="arial")
        .configure_legend(labelFontSize=14, labelFont="arial", titleFontSize=14, titleFont="arial")
    )


def build_chart(name: str, dataset: Dataset):
    """The Altair chart ``name`` (one of :data:`CHARTS`) over ``dataset`` (its source,
    :data:`SOURCES`). KeyError for an unknown name."""
    description = describe(name, dataset)
    data = alt.NamedData(name=DATASET)
    if name == "map":
        base = alt.Chart(data, description=description).encode(
            longitude="longitude:Q", latitude="latitude:Q",
            tooltip=[alt.Tooltip("council:N", title="Council"), alt.Tooltip("shown:N", title="Talent-bank candidates"),
                     alt.Tooltip("vacancies:Q", title="Open vacancy posts")],
        )
        points = base.mark_circle(color=POINT_COLOUR, opacity=0.7, stroke="#0b0c0c", strokeWidth=1).encode(
            size=alt.Size("candidates:Q", title="Talent-bank candidates", scale=alt.Scale(range=[40, 1600], zero=True),
                          legend=alt.Legend(orient="bottom", format=",d", tickMinStep=1)),
        )
        chart = points.project(type="mercator").properties(width="container", height=320)
    elif name == "supply-demand":
        measures = list(MEASURE_COLOURS)
        chart = alt.Chart(data, description=description).mark_bar().encode(
            y=alt.Y("council:N", title=None, axis=alt.Axis(labelLimit=160)),
            yOffset=alt.YOffset("measure:N", sort=measures),
            x=alt.X("value:Q", title="Count", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("measure:N", sort=measures, title=None,
                            scale=alt.Scale(domain=measures, range=list(MEASURE_COLOURS.values())),
                            legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
            tooltip=[alt.Tooltip("council:N", title="Council"), alt.Tooltip("measure:N", title="Measure"),
                     alt.Tooltip("value:Q", title="Count", format=",")],
        ).properties(width="container")
    elif name == "cost":
        chart = alt.Chart(data, description=description).mark_bar(color=POINT_COLOUR).encode(
            y=alt.Y("group:N", title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("pounds:Q", title="Cost per placement (£)"),
            tooltip=[alt.Tooltip("group:N", title="Campaign and channel"),
                     alt.Tooltip("pounds:Q", title="Cost per placement (£)", format=",.2f")],
        ).properties(width="container")
    else:
        raise KeyError(name)
    chart = _configure(chart)
    chart.datasets = {DATASET: values(name, dataset)}
    return chart


def chart_spec(name: str, dataset: Dataset) -> dict:
    """The chart's Vega-Lite spec as a JSON-ready dict."""
    return json.loads(json.dumps(build_chart(name, dataset).to_dict(validate=False), default=str))


def render(name: str, dataset: Dataset, fmt: str) -> bytes:
    """The chart drawn on the server as ``"png"`` (2× scale) or ``"svg"``, with a white
    background and a title. ValueError for another format."""
    import vl_convert

    spec = json.loads(json.dumps(chart_spec(name, dataset)).replace('"arial"', '"sans-serif"'))
    spec["width"] = DOWNLOAD_WIDTH - 200
    spec["background"] = "white"
    spec["padding"] = 12
    spec["title"] = {"text": TITLES[name], "font": "sans-serif", "fontSize": 16, "anchor": "start"}
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode()
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    raise ValueError(f"Unknown chart format {fmt!r}")
