"""The dashboards' tables: their columns, declared once, and their rows for downloads.

Each table here has exactly the columns and rows the page shows (the templates loop over
the same :class:`Column` lists and the same :class:`~carerecruit.insights.funnel.Funnel`),
so a download is what the user saw. In downloads, counts are integers, money is pounds
with two decimal places (a number, so it adds up in a spreadsheet), rates are
percentages to one decimal place; a figure that cannot be worked out is blank. A figure
suppressed for the viewer (:mod:`carerecruit.insights.suppression`) is the text ``<5``
or ``withheld``, exactly as on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carerecruit.insights.funnel import (
    COSTS,
    EVENT_STEPS,
    RATE_BY_KEY,
    STEPS,
    Counts,
    Funnel,
    pounds,
)

COUNT = "count"
MONEY = "money"
RATE = "rate"


@dataclass(frozen=True)
class Column:
    """A figure column: ``key`` is its ``data-metric`` (counts, money) or ``data-rate``
    (rates) attribute; ``kind`` is "count", "money" (pence) or "rate" (percent)."""

    key: str
    label: str
    kind: str

    def value(self, counts: Counts):
        """The figure for ``counts``: int, pence (int) or percent (Decimal), or None;
        ``"<5"`` or ``"withheld"`` when suppressed for the viewer."""
        if self.kind == COUNT:
            return counts.count(self.key)
        if self.kind == MONEY:
            return counts.spend_pence if self.key == "spend_pence" else counts.cost(self.key)
        return counts.rate(self.key)

    @property
    def header(self) -> str:
        """The download's column title, with its unit."""
        if self.kind == MONEY:
            return f"{self.label} (£)"
        if self.kind == RATE:
            return f"{self.label} (%)"
        return self.label

    def download_value(self, counts: Counts):
        value = self.value(counts)
        return _pounds(value) if self.kind == MONEY else value

    @property
    def attribute(self) -> str:
        return "data-rate" if self.kind == RATE else "data-metric"


# The two rates shown on every breakdown row; the funnel table shows every step's.
BREAKDOWN_RATES = ("click_to_visit", "visit_to_application")

STEP_COLUMNS = [Column(step.key, step.label, COUNT) for step in STEPS]
EVENT_COLUMNS = [Column(step.key, step.label, COUNT) for step in EVENT_STEPS]
MONEY_COLUMNS = [Column("spend_pence", "Spend", MONEY)] + [Column(c.key, c.label, MONEY) for c in COSTS]
RATE_COLUMNS = [Column(key, RATE_BY_KEY[key].label, RATE) for key in BREAKDOWN_RATES]

# Channels, days, weeks, campaigns, audiences: every step, money, two rates.
BREAKDOWN_COLUMNS = STEP_COLUMNS + MONEY_COLUMNS + RATE_COLUMNS
# Links: our own events only (ad platforms report no figures per tracked link).
LINK_COLUMNS = EVENT_COLUMNS + RATE_COLUMNS


@dataclass(frozen=True)
class Table:
    """A downloadable table: ``name`` is its URL name, ``title`` its sheet title."""

    name: str
    title: str
    header: list[str]
    rows: list[list]


def _pounds(value):
    """Pence as pounds; a suppression marker (text) as it is."""
    return value if isinstance(value, str) else pounds(value)


def _cells(counts: Counts, columns: list[Column]) -> list:
    return [column.download_value(counts) for column in columns]


def _headers(columns: list[Column]) -> list[str]:
    return [column.header for column in columns]


def funnel_table(funnel: Funnel) -> Table:
    rows = [
        [row.step.label, row.count, row.from_previous, funnel.previous.count(row.step.key)]
        for row in funnel.steps
    ]
    return Table(
        "funnel", "Funnel",
        ["Step", "Count", "Conversion from previous step (%)", "Previous period"],
        rows,
    )


def comparison_table(funnel: Funnel) -> Table:
    rows = []
    for change in funnel.changes():
        convert = _pounds if change.kind == "money" else (lambda v: v)
        rows.append([
            change.label + (" (£)" if change.kind == "money" else " (%)" if change.kind == "rate" else ""),
            convert(change.current), convert(change.previous), convert(change.difference),
            change.percent_change,
        ])
    prev = funnel.previous_period
    return Table(
        "comparison", "Comparison",
        ["Figure", "This period", f"Previous period ({prev.start} to {prev.end})", "Change",
         "Change (%)"],
        rows,
    )


def channels_table(funnel: Funnel) -> Table:
    rows = [[row.label, *_cells(row.counts, BREAKDOWN_COLUMNS)] for row in funnel.channels]
    rows.append(["All channels", *_cells(funnel.totals, BREAKDOWN_COLUMNS)])
    return Table("channels", "By channel", ["Channel", *_headers(BREAKDOWN_COLUMNS)], rows)


def days_table(funnel: Funnel) -> Table:
    rows = [[row.day, *_cells(row.counts, BREAKDOWN_COLUMNS)] for row in funnel.days]
    rows.append(["All days", *_cells(funnel.dated_totals, BREAKDOWN_COLUMNS)])
    return Table("days", "By day", ["Local date", *_headers(BREAKDOWN_COLUMNS)], rows)


def weeks_table(funnel: Funnel) -> Table:
    rows = [
        [row.week_start, row.iso_week, row.first_day, row.last_day, *_cells(row.counts, BREAKDOWN_COLUMNS)]
        for row in funnel.weeks
    ]
    rows.append(["All weeks", "", "", "", *_cells(funnel.dated_totals, BREAKDOWN_COLUMNS)])
    return Table(
        "weeks", "By week",
        ["Week beginning (Monday)", "ISO week", "First day", "Last day", *_headers(BREAKDOWN_COLUMNS)],
        rows,
    )


def links_table(funnel: Funnel) -> Table:
    rows = [
        [row.code or "", row.label, row.channel_label, *_cells(row.counts, LINK_COLUMNS)]
        for row in funnel.links
    ]
    rows.append(["", "All links", "", *_cells(funnel.totals, LINK_COLUMNS)])
    return Table("links", "By tracked link", ["Link code", "Label", "Channel", *_headers(LINK_COLUMNS)], rows)


def councils_table(funnel: Funnel) -> Table:
    rows = [[row.name, row.applications, row.placed] for row in funnel.councils]
    return Table(
        "councils", "By council preference",
        ["Council area preferred", "Applications", "Placed"], rows,
    )


def period_totals_table(funnel: Funnel) -> Table:
    rows = [
        [
            row.campaign_name, row.platform, row.channel_label, row.period_start, row.period_end,
            row.counts.impressions, row.counts.platform_clicks, pounds(row.counts.spend_pence),
            row.included,
        ]
        for row in funnel.period_totals
    ]
    return Table(
        "period-totals", "Period totals",
        ["Campaign", "Platform", "Channel", "From", "To", "Impressions", "Platform clicks",
         "Spend (£)", "Counted in this period's totals"],
        rows,
    )


TABLES: dict[str, Callable[[Funnel], Table]] = {
    "funnel": funnel_table,
    "comparison": comparison_table,
    "channels": channels_table,
    "days": days_table,
    "weeks": weeks_table,
    "links": links_table,
    "councils": councils_table,
    "period-totals": period_totals_table,
}


def live_table(panel) -> Table:
    """The live panel's buckets (times in UK local time, ``HH:MM``)."""
    from carerecruit.lib.localtime import local_zone

    zone = local_zone()
    rows = [
        [
            bucket.start.astimezone(zone).strftime("%H:%M"),
            bucket.end.astimezone(zone).strftime("%H:%M:%S"),
            *[bucket.counts.count(c.key) for c in LIVE_COLUMNS],
        ]
        for bucket in panel.buckets
    ]
    rows.append(["Last 30 minutes", "", *[panel.totals.count(c.key) for c in LIVE_COLUMNS]])
    return Table("live", "Last 30 minutes", ["From (UK time)", "To (UK time)", *_headers(LIVE_COLUMNS)], rows)


LIVE_COLUMNS = [Column(key, label, COUNT) for key, label in (
    ("clicks", "Tracked clicks"), ("visits", "Visits"), ("form_starts", "Form starts"),
    ("applications", "Applications"),
)]


def overview_campaigns_table(overview) -> Table:
    rows = [
        [row.campaign.name, row.campaign.get_status_display(), row.campaign.audience,
         *_cells(row.counts, BREAKDOWN_COLUMNS)]
        for row in overview.campaign_rows
    ]
    rows.append(["All campaigns", "", "", *_cells(overview.funnel.totals, BREAKDOWN_COLUMNS)])
    return Table(
        "campaigns", "By campaign",
        ["Campaign", "Status", "Audience", *_headers(BREAKDOWN_COLUMNS)], rows,
    )


def overview_audiences_table(overview) -> Table:
    rows = [
        [row.audience, row.campaigns, *_cells(row.counts, BREAKDOWN_COLUMNS)]
        for row in overview.audience_rows
    ]
    rows.append(["All audiences", len(overview.campaign_rows), *_cells(overview.funnel.totals, BREAKDOWN_COLUMNS)])
    return Table("audiences", "By audience", ["Audience", "Campaigns", *_headers(BREAKDOWN_COLUMNS)], rows)


OVERVIEW_TABLES = {
    "campaigns": overview_campaigns_table,
    "audiences": overview_audiences_table,
}
OVERVIEW_FUNNEL_TABLES = ("funnel", "comparison", "channels", "days", "weeks", "councils", "period-totals")
