"""Vega-Lite chart specs built with Altair on the server, and their PNG/SVG renderings.

The page embeds each spec as JSON and vega-embed draws it; the same numbers are always in
a table next to the chart, which is the accessible equivalent. Downloads render the same
spec on the server with ``vl-convert`` (no browser needed).

Charts:

- ``funnel``: one bar per funnel step (a symmetric log scale, so impressions in the
  hundred thousands and placements in single figures both show), each labelled with its
  count; the funnel table has the same numbers.
- ``trend``: tracked clicks, visits and applications per local day or ISO week; the
  table by day or by week.
- ``channels``: applications per channel, labelled; the table by channel.

A count suppressed for the viewer (``"<5"``, :mod:`carerecruit.insights.suppression`)
is not drawn: its data value is null (no bar, a gap in the line) and the chart's
description says so; the table beside it shows ``<5``.
"""

from __future__ import annotations

import datetime
import functools
import json

import altair as alt

from carerecruit.insights.funnel import STEP_BY_KEY, WEEK, Funnel

# Trend series: step key → colour. GOV.UK palette colours with at least 3:1 contrast on
# white (WCAG 1.4.11); each series also has its own dash pattern so the lines are told
# apart without colour (WCAG 1.4.1).
TREND_SERIES = {
    "clicks": "#1d70b8",
    "visits": "#912b88",
    "applications": "#00703c",
}
TREND_DASHES = {
    "clicks": [1, 0],
    "visits": [6, 3],
    "applications": [2, 2],
}
BAR_COLOUR = "#1d70b8"
DATASET = "values"
# The width drawn for downloads (the page fills its container instead).
DOWNLOAD_WIDTH = 640
CHARTS = ("funnel", "trend", "channels")
CHART_TITLES = {
    "funnel": "Funnel steps",
    "trend": "Tracked clicks, visits and applications over time",
    "channels": "Applications by channel",
}


def _dates(funnel: Funnel) -> str:
    start, end = funnel.period.start, funnel.period.end
    return f"from {start:%-d %B %Y} to {end:%-d %B %Y}"


def _list(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


SUPPRESSED_NOTE = " Counts of 1 to 4 people are not drawn; the table shows them as <5."


def _plotted(value):
    """A count as drawn: None (not drawn) for a suppressed one."""
    return None if isinstance(value, str) else value


def describe(funnel: Funnel, name: str) -> str:
    """The chart's text alternative (its aria-label and Vega description)."""
    text = _describe(funnel, name)
    if any(row.get(_VALUE_KEY[name]) is None for row in values(funnel, name)):
        text += SUPPRESSED_NOTE
    return text


_VALUE_KEY = {"funnel": "count", "trend": "count", "channels": "applications"}


def _describe(funnel: Funnel, name: str) -> str:
    if name == "funnel":
        return (
            f"Bar chart of the count at each funnel step {_dates(funnel)}, on a logarithmic "
            "scale. The same figures are in the funnel table."
        )
    if name == "trend":
        labels = [STEP_BY_KEY[key].label.lower() for key in TREND_SERIES]
        unit = "ISO week (Monday to Sunday)" if funnel.granularity == WEEK else "local day"
        table = "by week" if funnel.granularity == WEEK else "by day"
        return (
            f"Line chart of {_list(labels)} per {unit} {_dates(funnel)}. "
            f"The same figures are in the table of counts {table}."
        )
    return (
        f"Bar chart of applications by channel {_dates(funnel)}. "
        "The same figures are in the table by channel."
    )


def values(funnel: Funnel, name: str) -> list[dict]:
    """The chart's data rows.

    - funnel: ``{"step": "Visits", "order": 3, "count": 4}``
    - trend: ``{"day": "YYYY-MM-DD", "series": "Visits", "count": 3}`` (``day`` is the
      Monday for weeks)
    - channels: ``{"channel": "Facebook", "applications": 1, "visits": 2}``
    """
    if name == "funnel":
        return [
            {"step": row.step.label, "order": i, "count": _plotted(row.count)}
            for i, row in enumerate(funnel.steps)
        ]
    if name == "trend":
        steps = [STEP_BY_KEY[key] for key in TREND_SERIES]
        if funnel.granularity == WEEK:
            rows = [(row.week_start, row.counts) for row in funnel.weeks]
        else:
            rows = [(row.day, row.counts) for row in funnel.days]
        return [
            {"day": day.isoformat(), "series": step.label, "count": _plotted(counts.count(step.key))}
            for day, counts in rows
            for step in steps
        ]
    return [
        {"channel": row.label, "applications": _plotted(row.counts.count("applications")),
         "visits": row.counts.count("visits")}
        for row in funnel.channels
    ]


def _configure(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure_view(stroke=None)
        .configure_axis(labelFontSize=14, titleFontSize=14, labelFont="arial", titleFont="arial")
        .configure_legend(labelFontSize=14, labelFont="arial")
    )


def _funnel_chart(description: str, order: tuple[str, ...], weekly: bool) -> alt.Chart:
    order = list(order)
    base = alt.Chart(alt.NamedData(name=DATASET), description=description).encode(
        y=alt.Y("step:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        # Each bar carries its count, so the axis keeps only its title: tick labels on a
        # symmetric log scale ("0k", "300k") read worse than the numbers themselves.
        x=alt.X("count:Q", title="Count (logarithmic scale)", scale=alt.Scale(type="symlog"),
                axis=alt.Axis(labels=False, ticks=False, grid=False)),
        tooltip=[alt.Tooltip("step:N", title="Step"), alt.Tooltip("count:Q", title="Count", format=",")],
    )
    bars = base.mark_bar(color=BAR_COLOUR)
    labels = base.mark_text(align="left", dx=4, fontSize=14, font="arial", color="#0b0c0c").encode(
        text=alt.Text("count:Q", format=",")
    )
    return (bars + labels).properties(width="container", height=28 * len(order))


def _trend_chart(description: str, order: tuple, weekly: bool) -> alt.Chart:
    steps = [STEP_BY_KEY[key] for key in TREND_SERIES]
    labels = [step.label for step in steps]
    # Two columns of legend entries so the legend fits a 320px-wide phone.
    legend = alt.Legend(title=None, orient="bottom", columns=2, symbolType="stroke", symbolStrokeWidth=3)
    return (
        alt.Chart(alt.NamedData(name=DATASET), description=description)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            # Dates are plotted in UTC so a browser in another time zone does not shift a
            # local date by one.
            x=alt.X(
                "utcyearmonthdate(day):T",
                title="Week beginning (Monday)" if weekly else "Local date",
                # Weekly: one tick per Monday (Vega's own week intervals start on Sunday).
                axis=alt.Axis(format="%-d %b", labelOverlap=True, values=list(order) or alt.Undefined),
            ),
            y=alt.Y("count:Q", title="Count", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N", sort=labels,
                scale=alt.Scale(domain=labels, range=[TREND_SERIES[s.key] for s in steps]),
                legend=legend,
            ),
            strokeDash=alt.StrokeDash(
                "series:N", sort=labels,
                scale=alt.Scale(domain=labels, range=[TREND_DASHES[s.key] for s in steps]),
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("utcyearmonthdate(day):T", title="Week beginning" if weekly else "Day",
                            format="%-d %B %Y"),
                alt.Tooltip("series:N", title="Measure"),
                alt.Tooltip("count:Q", title="Count", format=","),
            ],
        )
        .properties(width="container", height=260)
    )


def _channels_chart(description: str, order: tuple[str, ...], weekly: bool) -> alt.Chart:
    order = list(order)
    base = alt.Chart(alt.NamedData(name=DATASET), description=description).encode(
        y=alt.Y("channel:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("applications:Q", title="Applications", axis=alt.Axis(tickMinStep=1)),
        tooltip=[
            alt.Tooltip("channel:N", title="Channel"),
            alt.Tooltip("applications:Q", title="Applications", format=","),
            alt.Tooltip("visits:Q", title="Visits", format=","),
        ],
    )
    bars = base.mark_bar(color=BAR_COLOUR)
    labels = base.mark_text(align="left", dx=4, fontSize=14, font="arial", color="#0b0c0c").encode(
        text=alt.Text("applications:Q", format=",")
    )
    return (bars + labels).properties(width="container", height=max(28, 28 * len(order)))


_BUILDERS = {"funnel": _funnel_chart, "trend": _trend_chart, "channels": _channels_chart}


def build_chart(funnel: Funnel, name: str, with_data: bool = True) -> alt.TopLevelMixin:
    """The Altair chart ``name`` (one of :data:`CHARTS`) reading the named dataset
    ``values`` (:func:`values`; left out when ``with_data`` is False). Raises KeyError
    for an unknown name."""
    chart = _configure(_BUILDERS[name](*_shape(funnel, name)))
    if with_data:
        chart.datasets = {DATASET: values(funnel, name)}
    return chart


def chart_spec(funnel: Funnel, name: str) -> dict:
    """The chart's Vega-Lite spec as a dict ready for JSON (see :func:`build_chart`).

    Altair builds the encoding; the data rows are put in afterwards and the spec is not
    re-validated on every live refresh, because Altair walks and checks every data row
    (over half a second for a year of days). The tests validate the full charts.
    """
    spec = json.loads(_skeleton(name, *_shape(funnel, name)))
    spec["datasets"] = {DATASET: values(funnel, name)}
    return spec


def _shape(funnel: Funnel, name: str) -> tuple[str, tuple[str, ...], bool]:
    """What a chart's spec depends on besides its data: (description, category order,
    weekly)."""
    if name == "funnel":
        order = tuple(row.step.label for row in funnel.steps)
    elif name == "channels":
        order = tuple(row.label for row in funnel.channels)
    elif funnel.granularity == WEEK:
        # The trend's axis ticks: each Monday as a UTC timestamp in milliseconds.
        order = tuple(
            int(datetime.datetime.combine(row.week_start, datetime.time(), datetime.UTC).timestamp() * 1000)
            for row in funnel.weeks
        )
    else:
        order = ()
    return describe(funnel, name), order, funnel.granularity == WEEK


@functools.lru_cache(maxsize=256)
def _skeleton(name: str, description: str, order: tuple, weekly: bool) -> str:
    # Building a spec with Altair takes tens of milliseconds; a dashboard polled every few
    # seconds asks for the same three skeletons again and again, so they are kept (as
    # JSON, so no caller can change a cached one).
    chart = _configure(_BUILDERS[name](description, order, weekly))
    return json.dumps(chart.to_dict(validate=False))


def render(funnel: Funnel, name: str, fmt: str) -> bytes:
    """The chart drawn on the server as ``"png"`` (2× scale) or ``"svg"`` bytes, at
    :data:`DOWNLOAD_WIDTH` pixels wide with a white background and the chart's title.
    Raises KeyError for an unknown chart, ValueError for an unknown format."""
    import vl_convert

    # The page asks for Arial (GOV.UK's fallback font); the server-side renderer knows
    # fonts only by their generic name, and silently draws no text for one it lacks.
    spec = json.loads(json.dumps(chart_spec(funnel, name)).replace('"arial"', '"sans-serif"'))
    spec["width"] = DOWNLOAD_WIDTH - 160
    spec["background"] = "white"
    spec["padding"] = 12
    spec["title"] = {"text": CHART_TITLES[name], "subtitle": "F" + _dates(funnel)[1:], "font": "sans-serif",
                     "fontSize": 16, "subtitleFontSize": 13, "anchor": "start"}
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode()
    if fmt == "png":
        return vl_convert.vegalite_to_png(spec, scale=2)
    raise ValueError(f"Unknown chart format {fmt!r}")
