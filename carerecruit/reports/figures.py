"""The weekly report's figures for one ISO week, as plain tables of formatted cells.

Everything the HTML report and the PDF show comes from :func:`build_report`: both
renderers draw the same :class:`Table` rows and the same charts, so the two can never
disagree, and nothing in them depends on the clock, the process or the order a database
happened to return rows in:

- the week's end (Sunday, Europe/London) stands in for "generated at": figures are
  described as at the end of that day, and every "as at" figure (overdue retention
  checkpoints) is computed for that instant, not for now;
- every list is sorted on a full key ending in something unique (a slug, a code, a pk);
- numbers are formatted here, once (``1,234``, ``66.7%``, ``£1,234.56``).

Figures are aggregates only, built for the regional body (unsuppressed; suppression
``UNRESTRICTED``): see ``docs/weekly-report.md`` for why the report goes only to people
who may see every figure unsuppressed.

Sources:

- funnel by campaign and by channel: :func:`carerecruit.insights.overview.build_overview`
  (rollups plus live tail, bots left out; ad figures; period-total ad figures count only
  when their date range lies wholly inside the week, as on the dashboards);
- placements confirmed (``placements.Placement.confirmed_at`` in the week) and retention
  checkpoints answered in the week or overdue at its end
  (``placements.RetentionCheckpoint``);
- supply against demand by council: :mod:`carerecruit.regional.datasets` when it is
  installed;
- alerts: ``insights.Alert`` whose local date is in the week.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q

from carerecruit.campaigns.models import Campaign
from carerecruit.insights import charts as insights_charts
from carerecruit.insights.funnel import Counts, Period, format_money, percent
from carerecruit.insights.overview import build_overview
from carerecruit.organisations.models import Organisation
from carerecruit.reports.weeks import IsoWeek

ZONE_NOTE = "Europe/London local dates"
RETENTION_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class Column:
    """A table column: its heading, and whether it holds numbers (right-aligned)."""

    key: str
    label: str
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    """A table row: ``key`` identifies it (``data-row`` in the HTML; tests read it);
    ``cells`` are formatted strings, one per column, the first being the row header.
    A cell of None is "not available" (nothing to divide by)."""

    key: str
    cells: tuple[str | None, ...]


@dataclass
class Table:
    key: str
    caption: str
    columns: list[Column]
    rows: list[Row]
    footer: Row | None = None
    empty: str = "Nothing this week."

    @property
    def body(self) -> list[tuple[str, list[tuple[Column, str | None]]]]:
        """The rows for templates: ``(row key, [(column, cell), ...])``."""
        return [(row.key, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]

    @property
    def foot(self) -> tuple[str, list[tuple[Column, str | None]]] | None:
        if self.footer is None:
            return None
        return (self.footer.key, list(zip(self.columns, self.footer.cells, strict=True)))

    def cell(self, row_key: str, column_key: str) -> str | None:
        """The formatted cell at row ``row_key`` (or ``"total"`` for the footer) and
        column ``column_key``. Raises KeyError when either is absent."""
        index = next((i for i, c in enumerate(self.columns) if c.key == column_key), None)
        if index is None:
            raise KeyError(column_key)
        rows = self.rows + ([self.footer] if self.footer else [])
        for row in rows:
            if row.key == row_key:
                return row.cells[index]
        raise KeyError(row_key)


@dataclass
class Chart:
    """A chart drawn on the server: PNG for the PDF, SVG for the HTML. ``description``
    is its text alternative; the same numbers are always in a table of the section."""

    key: str
    title: str
    description: str
    png: bytes
    svg: bytes


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class WeeklyReportData:
    """One week's report: ``title``, ``subtitle`` (the dates), ``as_at`` (the sentence
    that stands in for a generation time), the ``headline`` table (this week against the
    week before) and the ``sections`` in order. ``figures`` holds a few raw numbers for
    the plain-text e-mail and the tests (``{"applications": 12, ...}``)."""

    week: IsoWeek
    site_name: str
    region_name: str
    title: str
    subtitle: str
    as_at: str
    headline: Table
    sections: list[Section]
    figures: dict[str, int | None]

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def table(self, key: str) -> Table:
        if key == self.headline.key:
            return self.headline
        return next(t for s in self.sections for t in s.tables if t.key == key)


# --- Formatting (plain text: the PDF and the HTML show exactly these strings) ----------


def fmt_count(value: int | None) -> str | None:
    """``3245`` → ``"3,245"``; None stays None."""
    return None if value is None else f"{int(value):,}"


def fmt_percent(value: Decimal | None) -> str | None:
    """``Decimal("66.7")`` → ``"66.7%"``; None stays None."""
    return None if value is None else f"{value}%"


def fmt_money(pence: int | None) -> str | None:
    """Pence as ``"£1,234.56"``; None stays None."""
    return None if pence is None else format_money(pence)


# Names spelt out rather than taken from strftime, whose %A and %B follow the process's
# locale: the report must read the same whatever LC_TIME the worker started with.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def fmt_date(day: datetime.date) -> str:
    """``"Monday 27 April 2020"``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def fmt_day(day: datetime.date) -> str:
    """``"Monday 27 April"``."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def fmt_short_date(day: datetime.date) -> str:
    """``"27 Apr"``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]}"


# --- Funnel ------------------------------------------------------------------------------

FUNNEL_COLUMNS = [
    Column("clicks", "Tracked clicks"),
    Column("visits", "Visits"),
    Column("form_starts", "Form starts"),
    Column("applications", "Applications"),
    Column("visit_to_application", "Visit to application"),
    Column("placed", "Placed"),
    Column("spend_pence", "Spend"),
    Column("cost_per_application", "Cost per application"),
]


def _funnel_cells(counts: Counts) -> tuple[str | None, ...]:
    return (
        fmt_count(counts.clicks),
        fmt_count(counts.visits),
        fmt_count(counts.form_starts),
        fmt_count(counts.applications),
        fmt_percent(counts.visit_to_application),
        fmt_count(counts.placed),
        fmt_money(counts.spend_pence) if counts.has_ad_figures else None,
        fmt_money(counts.cost_per_application),
    )


def _headline(funnel) -> Table:
    rows = []
    for change in funnel.changes():
        if change.key in ("platform_clicks", "cost_per_click"):
            continue
        if change.kind == "money":
            current, previous = fmt_money(change.current), fmt_money(change.previous)
        elif change.kind == "rate":
            current, previous = fmt_percent(change.current), fmt_percent(change.previous)
        else:
            current, previous = fmt_count(change.current), fmt_count(change.previous)
        rows.append(Row(change.key, (change.label, current, previous)))
    return Table(
        "headline", "All campaigns: this week against the week before",
        [Column("measure", "Measure", numeric=False), Column("week", "This week"),
         Column("previous", "Week before")],
        rows,
    )


def _campaigns_in(region_code: str) -> list[Campaign]:
    return list(Campaign.objects.filter(region__gss_code=region_code).order_by("pk"))


def _funnel_section(week: IsoWeek, campaigns: list[Campaign]) -> tuple[Section, Table, dict]:
    """The funnel section, the headline table and raw figures for the plain-text e-mail."""
    overview = build_overview(campaigns, Period(week.start, week.end))
    funnel = overview.funnel
    columns = [Column("campaign", "Campaign", numeric=False), *FUNNEL_COLUMNS]
    campaign_rows = sorted(
        (row for row in overview.campaign_rows if not row.counts.is_zero),
        key=lambda row: (row.campaign.name.lower(), row.campaign.slug),
    )
    by_campaign = Table(
        "campaigns", "Funnel by campaign",
        columns,
        [Row(row.campaign.slug, (row.campaign.name, *_funnel_cells(row.counts))) for row in campaign_rows],
        Row("total", ("All campaigns", *_funnel_cells(funnel.totals))),
        empty="No campaign had any activity this week.",
    )
    by_channel = Table(
        "channels", "Funnel by channel",
        [Column("channel", "Channel", numeric=False), *FUNNEL_COLUMNS],
        # build_funnel orders channels by the Channel choices, then unmapped ad spend.
        [Row(row.channel or "unmapped", (row.label, *_funnel_cells(row.counts)))
         for row in funnel.channels if not row.counts.is_zero],
        Row("total", ("All channels", *_funnel_cells(funnel.totals))),
        empty="No channel had any activity this week.",
    )
    by_day = Table(
        "days", "Tracked clicks, visits and applications by day",
        [Column("day", "Day", numeric=False), Column("clicks", "Tracked clicks"),
         Column("visits", "Visits"), Column("form_starts", "Form starts"),
         Column("applications", "Applications")],
        [Row(day.day.isoformat(), (
            fmt_day(day.day), fmt_count(day.counts.clicks),
            fmt_count(day.counts.visits), fmt_count(day.counts.form_starts),
            fmt_count(day.counts.applications),
        )) for day in funnel.days],
    )
    gss = dict(
        Organisation.objects.filter(pk__in=[r.council_id for r in funnel.councils if r.council_id])
        .values_list("pk", "gss_code")
    )
    councils = Table(
        "council-preferences", "Applications by council area chosen",
        [Column("council", "Council area", numeric=False), Column("applications", "Applications")],
        [Row(gss.get(row.council_id, "none"), (row.name, fmt_count(row.applications)))
         for row in funnel.councils],
        empty="No applications this week.",
    )
    paragraphs = [
        "Tracked clicks, visits, form starts and applications are counted on the local date "
        "they happened, with crawlers and link-preview bots left out. Placed counts "
        "placements confirmed in the week, whenever the person applied.",
        "An application naming several council areas counts once under each, so the table "
        "by council area adds up to more than the applications.",
    ]
    if any(not row.included for row in funnel.period_totals):
        paragraphs.append(
            "Some ad figures were given by a platform only as a total over a longer period; "
            "they cannot be split into weeks and are not counted here."
        )
    if funnel.totals.other_currency:
        paragraphs.append("Ad spend in currencies other than pounds is left out of spend and costs.")
    charts = [
        _insights_chart(funnel, "funnel"),
        _insights_chart(funnel, "trend"),
        _insights_chart(funnel, "channels"),
    ]
    section = Section(
        "funnel", "Campaign funnel", paragraphs,
        [by_campaign, by_channel, by_day, councils], charts,
    )
    figures = {
        "clicks": funnel.totals.clicks,
        "visits": funnel.totals.visits,
        "applications": funnel.totals.applications,
        "applications_week_before": funnel.previous.applications,
        "placed": funnel.totals.placed,
        "spend_pence": funnel.totals.spend_pence if funnel.totals.has_ad_figures else None,
    }
    return section, _headline(funnel), figures


def _insights_chart(funnel, name: str) -> Chart:
    return Chart(
        name, insights_charts.CHART_TITLES[name], insights_charts.describe(funnel, name),
        png=insights_charts.render(funnel, name, "png"),
        svg=insights_charts.render(funnel, name, "svg"),
    )


# --- Placements and retention ------------------------------------------------------------


def _placements_section(week: IsoWeek) -> tuple[Section, dict]:
    from carerecruit.placements.models import Placement, RetentionCheckpoint

    start, end = week.utc_bounds()
    placements = list(
        Placement.objects.filter(confirmed_at__gte=start, confirmed_at__lt=end)
        .values_list("organisation__slug", "organisation__short_name", "job_role__code", "job_role__name")
    )
    by_org = Counter((slug, name) for slug, name, _, _ in placements)
    by_role = Counter((code, name) for _, _, code, name in placements)
    total = fmt_count(len(placements))
    organisations = Table(
        "placements-by-organisation", "Placements confirmed, by placing organisation",
        [Column("organisation", "Organisation", numeric=False), Column("placements", "Placements")],
        [Row(slug, (name, fmt_count(n))) for (slug, name), n in
         sorted(by_org.items(), key=lambda item: (-item[1], item[0][1].lower(), item[0][0]))],
        Row("total", ("All organisations", total)),
        empty="No placements were confirmed this week.",
    )
    roles = Table(
        "placements-by-role", "Placements confirmed, by job role",
        [Column("job_role", "Job role (ASC-WDS)", numeric=False), Column("placements", "Placements")],
        [Row(str(code), (name, fmt_count(n))) for (code, name), n in
         sorted(by_role.items(), key=lambda item: (-item[1], item[0][0]))],
        Row("total", ("All job roles", total)),
        empty="No placements were confirmed this week.",
    )

    Status = RetentionCheckpoint.Status
    # Answered in the week, and due by its end: a checkpoint not yet due that was closed
    # because the person left earlier is counted when it falls due, not now.
    answered = Counter(
        RetentionCheckpoint.objects.filter(
            answered_at__gte=start, answered_at__lt=end, due_on__lte=week.end,
        ).exclude(status=Status.PENDING).values_list("months", "status")
    )
    # Overdue as at the end of the week: due on or before the Sunday and not answered by
    # then (still pending, or answered only later), so a rebuild gives the same figure.
    overdue = Counter(
        RetentionCheckpoint.objects.filter(due_on__lte=week.end)
        .filter(Q(status=Status.PENDING) | Q(answered_at__gte=end))
        .values_list("months", flat=True)
    )
    months = sorted(set(RETENTION_MONTHS) | {m for m, _ in answered} | set(overdue))
    rows = []
    totals = Counter()
    for m in months:
        in_post, left, unknown = (answered[(m, s)] for s in (Status.IN_POST, Status.LEFT, Status.UNKNOWN))
        totals.update({"in_post": in_post, "left": left, "unknown": unknown, "overdue": overdue[m]})
        rows.append(Row(str(m), (
            f"{m} months", fmt_count(in_post), fmt_count(left), fmt_count(unknown),
            fmt_percent(percent(in_post, in_post + left)), fmt_count(overdue[m]),
        )))
    retention = Table(
        "retention", "Retention checkpoints answered this week, and overdue at its end",
        [Column("checkpoint", "Checkpoint", numeric=False), Column("in_post", "Still in post"),
         Column("left", "Left"), Column("unknown", "Not known"),
         Column("retained", "Still in post of those known"), Column("overdue", "Overdue at the week's end")],
        rows,
        Row("total", (
            "All checkpoints", fmt_count(totals["in_post"]), fmt_count(totals["left"]),
            fmt_count(totals["unknown"]), fmt_percent(percent(totals["in_post"], totals["in_post"] + totals["left"])),
            fmt_count(totals["overdue"]),
        )),
    )
    paragraphs = [
        "A placement counts in the week its organisation confirmed it. Retention is asked "
        "3, 6 and 12 months after the start date; \"still in post of those known\" leaves "
        "out the answers \"not known\". A checkpoint is overdue when its date has passed "
        "and the placing organisation has not answered it.",
    ]
    section = Section("placements", "Placements and retention", paragraphs, [organisations, roles, retention])
    figures = {
        "placements": len(placements),
        "checkpoints_answered": totals["in_post"] + totals["left"] + totals["unknown"],
        "checkpoints_overdue": totals["overdue"],
    }
    return section, figures


# --- Supply and demand by council ----------------------------------------------------------


SUPPLY_DEMAND_SERIES = {
    # Dataset column → (chart series label, colour: GOV.UK palette, 3:1 on white).
    "talent_bank_candidates": ("Talent-bank candidates", "#1d70b8"),
    "open_vacancy_posts": ("Open vacancy posts", "#912b88"),
    "reported_vacancies": ("Reported vacancies (ASC-WDS)", "#00703c"),
}


def _dataset_count(value) -> str | None:
    """A count from a regional dataset: int, ``"<5"`` (never for the regional body, but
    shown as is should it appear) or None (not reported)."""
    if value is None or isinstance(value, str):
        return value
    return fmt_count(value)


def _dataset_rate(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return fmt_percent(value)


def _supply_demand_section(week: IsoWeek) -> tuple[Section, dict]:
    """Per council of the region (every council, zeros included, by name): talent-bank
    candidates, open vacancy posts on the Sunday, ASC-WDS reported vacancies and vacancy
    rate from the returns counting on the Sunday, applications routed to the council and
    placements it confirmed in the week. From the regional ``councils`` dataset
    (:mod:`carerecruit.regional.datasets`), unsuppressed."""
    from carerecruit.regional.datasets import Filters, build_dataset
    from carerecruit.workforce.suppression import UNRESTRICTED

    dataset = build_dataset(
        "councils", viewer=UNRESTRICTED, filters=Filters(start=week.start, end=week.end),
    )
    rows = sorted(dataset.rows, key=lambda r: (r["council_name"].lower(), r["council_gss"]))
    table = Table(
        "supply-demand", "Supply against demand by council",
        [Column("council", "Council", numeric=False),
         Column("talent_bank_candidates", "Talent-bank candidates"),
         Column("open_vacancy_posts", "Open vacancy posts"),
         Column("reported_vacancies", "Reported vacancies (ASC-WDS)"),
         Column("vacancy_rate", "Vacancy rate (ASC-WDS)"),
         Column("applications", "Applications routed this week"),
         Column("placements", "Placements this week")],
        [Row(r["council_gss"], (
            r["council_name"], _dataset_count(r["talent_bank_candidates"]),
            _dataset_count(r["open_vacancy_posts"]), _dataset_count(r["reported_vacancies"]),
            _dataset_rate(r["vacancy_rate"]), _dataset_count(r["applications"]),
            _dataset_count(r["placements"]),
        )) for r in rows],
        empty="The region has no councils loaded.",
    )
    chart_rows = [
        {"council": r["council_name"], "series": label, "order": i, "count": r[key]}
        for r in rows
        for i, (key, (label, _colour)) in enumerate(SUPPLY_DEMAND_SERIES.items())
        if isinstance(r[key], int)
    ]
    description = (
        f"Bar chart of talent-bank candidates, open vacancy posts and vacancies reported in "
        f"ASC-WDS returns for each council on {fmt_date(week.end)}. The same figures are in "
        "the table of supply against demand by council."
    )
    spec = _supply_demand_spec([r["council_name"] for r in rows], chart_rows, description)
    paragraphs = [
        "Supply is the talent bank: candidates who consented to be found, counted under each "
        "council area they named, as the report was built (the talent bank keeps no history). "
        "Demand is the vacancy posts open on the Sunday, and the vacancies employers reported "
        "in their latest ASC-WDS returns counting on that day, with the vacancy rate "
        "(vacancies as a share of all posts, Skills for Care definition). A dash means the "
        "council's employers have not sent a return.",
    ]
    charts = [Chart(
        "supply-demand", "Supply against demand by council", description,
        png=render_spec(spec, "png"), svg=render_spec(spec, "svg"),
    )]
    section = Section("supply-demand", "Supply against demand by council", paragraphs, [table], charts)
    return section, {"councils": len(rows)}


def _supply_demand_spec(councils: list[str], values: list[dict], description: str) -> dict:
    """A grouped horizontal bar chart (Vega-Lite via Altair) of the supply and demand
    series per council, councils in ``councils`` order."""
    import altair as alt

    labels = [label for label, _ in SUPPLY_DEMAND_SERIES.values()]
    colours = [colour for _, colour in SUPPLY_DEMAND_SERIES.values()]
    chart = (
        alt.Chart(alt.Data(values=values), description=description)
        .mark_bar()
        .encode(
            y=alt.Y("council:N", sort=councils, title=None, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("series:N", sort=labels),
            x=alt.X("count:Q", title="Count", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "series:N", sort=labels, scale=alt.Scale(domain=labels, range=colours),
                legend=alt.Legend(title=None, orient="bottom", columns=1, labelLimit=0),
            ),
        )
        .properties(width=insights_charts.DOWNLOAD_WIDTH - 220, height=alt.Step(8))
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelFont="sans-serif", titleFont="sans-serif")
        .configure_legend(labelFontSize=12, labelFont="sans-serif")
    )
    spec = chart.to_dict(validate=False)
    spec["background"] = "white"
    spec["padding"] = 12
    spec["title"] = {"text": "Supply against demand by council", "font": "sans-serif",
                     "fontSize": 16, "anchor": "start"}
    return spec


def render_spec(spec: dict, fmt: str) -> bytes:
    """A Vega-Lite spec drawn by vl-convert as ``"png"`` (2× scale) or ``"svg"`` bytes.
    Both are the same bytes for the same spec, run after run (tested)."""
    import vl_convert

    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode()
    return vl_convert.vegalite_to_png(spec, scale=2)


# --- Alerts --------------------------------------------------------------------------------


def _alerts_section(week: IsoWeek, campaigns: list[Campaign]) -> tuple[Section, dict]:
    from carerecruit.insights.alerts import describe
    from carerecruit.insights.funnel import channel_label
    from carerecruit.insights.models import Alert

    alerts = sorted(
        Alert.objects.filter(
            campaign__in=campaigns, local_date__gte=week.start, local_date__lte=week.end,
        ).select_related("campaign"),
        key=lambda a: (a.local_date, a.campaign.name.lower(), a.campaign.slug, a.channel, a.kind, a.pk),
    )
    table = Table(
        "alerts", "Alerts raised this week",
        [Column("date", "Date", numeric=False), Column("campaign", "Campaign", numeric=False),
         Column("alert", "Alert", numeric=False), Column("detail", "What happened", numeric=False)],
        # Keyed by what makes an alert unique (its database constraint), not its id,
        # so the same week in another database gives the same document.
        [Row(f"{a.local_date.isoformat()}-{a.campaign.slug}-{a.channel or 'all'}-{a.kind}", (
            fmt_short_date(a.local_date), a.campaign.name,
            f"{a.get_kind_display()} ({channel_label(a.channel) if a.channel else 'all channels'})",
            describe(a),
        )) for a in alerts],
        empty="No alerts were raised this week.",
    )
    paragraphs = [
        "Alerts are raised when a channel's visit-to-application rate falls well below its "
        "own recent rate, or when its cost per application is above the campaign's target.",
    ]
    return Section("alerts", "Alerts", paragraphs, [table]), {"alerts": len(alerts)}


# --- The report ----------------------------------------------------------------------------


def build_report(week: IsoWeek) -> WeeklyReportData:
    """The report for ``week`` (an :class:`~carerecruit.reports.weeks.IsoWeek` of
    Europe/London local dates) over every campaign of the deployment's region
    (``settings.CARERECRUIT_REGION_CODE``), unsuppressed. Charts are drawn here
    (vl-convert), so this takes a second or so. Reads only; writes nothing."""
    from carerecruit.reference.models import Region

    region = Region.objects.filter(gss_code=settings.CARERECRUIT_REGION_CODE).first()
    campaigns = _campaigns_in(settings.CARERECRUIT_REGION_CODE)
    funnel_section, headline, figures = _funnel_section(week, campaigns)
    placements_section, placement_figures = _placements_section(week)
    supply_section, supply_figures = _supply_demand_section(week)
    alerts_section, alert_figures = _alerts_section(week, campaigns)
    site_name = settings.CARERECRUIT_SITE_NAME
    return WeeklyReportData(
        week=week,
        site_name=site_name,
        region_name=region.name if region else "",
        title=f"Weekly report for {week.key}",
        subtitle=f"{fmt_date(week.start)} to {fmt_date(week.end)}",
        as_at=(
            f"ISO week {week.key}, {ZONE_NOTE}. Figures that describe a moment (overdue "
            f"checkpoints, open vacancies) are as at the end of {fmt_date(week.end)}. Made "
            "for the regional body: every figure is shown in full, small numbers included, "
            "so please do not pass it on outside the regional body."
        ),
        headline=headline,
        sections=[funnel_section, placements_section, supply_section, alerts_section],
        figures=figures | placement_figures | supply_figures | alert_figures,
    )
