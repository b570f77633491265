"""The dashboard's tables as plain rows, for CSV and XLSX downloads.

Each table here has exactly the columns and rows the page shows (the HTML templates
render the same :class:`~carerecruit.insights.funnel.Funnel`), so a download is what the
user saw. Rates are percentages rounded to one decimal place, blank when undefined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carerecruit.insights.funnel import STEPS, Counts, Funnel

# The two rates shown per channel, day and link; the funnel table shows every step's.
BREAKDOWN_RATES = ("click_to_visit", "visit_to_application")
RATE_HEADERS = {"click_to_visit": "Click to visit (%)", "visit_to_application": "Visit to application (%)"}


@dataclass(frozen=True)
class Table:
    """A downloadable table: ``name`` is its URL name, ``title`` its sheet title."""

    name: str
    title: str
    header: list[str]
    rows: list[list]


def _counts_cells(counts: Counts) -> list:
    return [counts.count(step.key) for step in STEPS] + [
        counts.rate(key) for key in BREAKDOWN_RATES
    ]


_COUNT_HEADERS = [step.label for step in STEPS] + [RATE_HEADERS[key] for key in BREAKDOWN_RATES]


def funnel_table(funnel: Funnel) -> Table:
    rows = [[row.step.label, row.count, row.from_previous] for row in funnel.steps]
    return Table("funnel", "Funnel", ["Step", "Count", "Conversion from previous step (%)"], rows)


def channels_table(funnel: Funnel) -> Table:
    rows = [[row.label, *_counts_cells(row.counts)] for row in funnel.channels]
    rows.append(["All channels", *_counts_cells(funnel.totals)])
    return Table("channels", "By channel", ["Channel", *_COUNT_HEADERS], rows)


def days_table(funnel: Funnel) -> Table:
    rows = [[row.day, *_counts_cells(row.counts)] for row in funnel.days]
    rows.append(["All days", *_counts_cells(funnel.totals)])
    return Table("days", "By day", ["Local date", *_COUNT_HEADERS], rows)


def links_table(funnel: Funnel) -> Table:
    rows = [
        [row.code or "", row.label, row.channel_label, *_counts_cells(row.counts)]
        for row in funnel.links
    ]
    rows.append(["", "All links", "", *_counts_cells(funnel.totals)])
    return Table("links", "By tracked link", ["Link code", "Label", "Channel", *_COUNT_HEADERS], rows)


TABLES: dict[str, Callable[[Funnel], Table]] = {
    "funnel": funnel_table,
    "channels": channels_table,
    "days": days_table,
    "links": links_table,
}
