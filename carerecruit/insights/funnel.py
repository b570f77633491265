"""The funnel, from ad impressions to people still in post six months later.

    impressions → platform clicks → tracked clicks → visits → form starts → applications
                → shortlisted → placed → retained at 6 months

Plain functions over two sources, both aggregates (no personal data here):

- our own events: rollups plus the live tail, bots left out
  (:mod:`carerecruit.insights.counts`), so every count is exact and live;
- ad-platform figures (impressions, platform clicks, spend in pence) through
  :mod:`carerecruit.insights.adfigures`, for the campaign and channel each platform
  campaign is mapped to.

Every day is a Europe/London local date; weeks are ISO weeks (Monday to Sunday) of local
dates, so an event at 23:30 UTC on Sunday 29 March 2020 (00:30 BST on Monday) is in the
week of 30 March.

**Period totals** (ad figures a platform gave only for a whole date range) are never put
into days or weeks. They are listed separately on the dashboard, and count in the totals
of a period (the headline figures, the channel rows, costs) only when their date range lies
wholly inside the chosen period: one that only overlaps it cannot be split without
inventing numbers, so it is shown but not counted. The same rule decides whether a period
total counts in the comparison period.

Steps, rates and money are declared once (:data:`STEPS`, :data:`RATES`,
:data:`COSTS`) and the views, tables and charts are driven from them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, Channel, TrackedLink
from carerecruit.insights import adfigures
from carerecruit.insights.counts import grouped_counts
from carerecruit.lib.localtime import local_day_bounds, local_today
from carerecruit.workforce.suppression import (
    UNRESTRICTED,
    WITHHELD,
    is_small,
    suppress,
    suppress_rate,
    viewer_owns,
)

# The longest period one dashboard shows: a year of daily rows is already plenty, and it
# bounds the work one request can ask for.
MAX_PERIOD_DAYS = 366
# Shown when a campaign has no start date, and on the overview by default.
DEFAULT_PERIOD_DAYS = 35

DAY = "day"
WEEK = "week"
GRANULARITIES = (DAY, WEEK)

ADS = "ads"
EVENTS = "events"
GBP = "GBP"


@dataclass(frozen=True)
class Step:
    """One funnel step: ``key`` names it in code, templates and ``data-metric``
    attributes; ``kind`` is the tracking event kind it counts (None for a figure from the
    ad platforms, ``source`` ``"ads"``)."""

    key: str
    kind: str | None
    label: str
    singular: str
    plural: str
    source: str = EVENTS


STEPS: tuple[Step, ...] = (
    Step("impressions", None, "Impressions", "impression", "impressions", ADS),
    Step("platform_clicks", None, "Platform clicks", "platform click", "platform clicks", ADS),
    Step("clicks", "click", "Tracked clicks", "click", "clicks"),
    Step("visits", "visit", "Visits", "visit", "visits"),
    Step("form_starts", "form_start", "Form starts", "form start", "form starts"),
    Step("applications", "application", "Applications", "application", "applications"),
    Step("shortlisted", "shortlisted", "Shortlisted", "shortlisted", "shortlisted"),
    Step("placed", "placed", "Placed", "placed", "placed"),
    Step("retained_6m", "retained_6m", "Retained at 6 months", "retained at 6 months",
         "retained at 6 months"),
)
STEP_BY_KEY = {step.key: step for step in STEPS}
# Steps that count identified people (an application is a named person): outside the
# owning organisation a count of 1 to 4 of these shows as "<5" and every rate or cost
# computed from one is withheld (:mod:`carerecruit.insights.suppression`). Impressions,
# clicks, visits and form starts count anonymous, cookieless events, not people, and
# are never suppressed.
PEOPLE_STEPS = frozenset({"applications", "shortlisted", "placed", "retained_6m"})
STEP_BY_KIND = {step.kind: step for step in STEPS if step.kind}
EVENT_STEPS = tuple(step for step in STEPS if step.source == EVENTS)
AD_STEPS = tuple(step for step in STEPS if step.source == ADS)
# The steps our own live events count, announced by the live summary.
LIVE_STEPS = tuple(STEP_BY_KEY[key] for key in ("clicks", "visits", "form_starts", "applications"))


@dataclass(frozen=True)
class Rate:
    """A conversion rate: ``numerator`` step count as a percentage of ``denominator``'s."""

    key: str
    label: str
    numerator: str
    denominator: str


RATES: tuple[Rate, ...] = (
    Rate("click_through", "Click-through (platform clicks per impression)", "platform_clicks", "impressions"),
    Rate("platform_click_to_click", "Platform click to tracked click", "clicks", "platform_clicks"),
    Rate("click_to_visit", "Click to visit", "visits", "clicks"),
    Rate("visit_to_form_start", "Visit to form start", "form_starts", "visits"),
    Rate("form_start_to_application", "Form start to application", "applications", "form_starts"),
    Rate("application_to_shortlisted", "Application to shortlist", "shortlisted", "applications"),
    Rate("shortlisted_to_placed", "Shortlist to placement", "placed", "shortlisted"),
    Rate("placed_to_retained_6m", "Placement to 6-month retention", "retained_6m", "placed"),
    Rate("visit_to_application", "Visit to application", "applications", "visits"),
    Rate("application_to_placed", "Application to placement", "placed", "applications"),
)
RATE_BY_KEY = {rate.key: rate for rate in RATES}


@dataclass(frozen=True)
class Cost:
    """Money per result: spend (pence) divided by the count of step ``per``."""

    key: str
    label: str
    per: str


COSTS: tuple[Cost, ...] = (
    Cost("cost_per_click", "Cost per platform click", "platform_clicks"),
    Cost("cost_per_application", "Cost per application", "applications"),
    Cost("cost_per_placement", "Cost per placement", "placed"),
)
COST_BY_KEY = {cost.key: cost for cost in COSTS}


def percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator`` as a percentage of ``denominator``, rounded half-up to one decimal
    place (2 of 3 → ``Decimal("66.7")``); None when ``denominator`` is 0. For changes
    between periods too, so it may pass 100%; conversion rates use :func:`conversion`.
    """
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def conversion(numerator: int, denominator: int) -> Decimal | None:
    """A conversion rate: :func:`percent`, but None also when ``numerator`` is more than
    ``denominator``.

    A step that counts more than the step before it is not a share of it: visits
    include people who came without a tracked link (typed address, search, a forwarded
    page), tracked clicks include organic posts no ad platform counted, and outcomes in
    a period can belong to applications of an earlier one. "312%" would read as a rate
    and mean nothing, so no rate is given and the dashboard says why.
    """
    if numerator > denominator:
        return None
    return percent(numerator, denominator)


def pence_per(spend_pence: int, count: int) -> int | None:
    """``spend_pence`` divided by ``count``, rounded half-up to whole pence (1,000p over
    3 → 333p; 1,001p over 2 → 501p); None when ``count`` is 0."""
    if not count:
        return None
    return int((Decimal(spend_pence) / Decimal(count)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def pounds(pence: int | None) -> Decimal | None:
    """Pence as pounds with two decimal places (12345 → ``Decimal("123.45")``)."""
    if pence is None:
        return None
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def format_money(pence: int | None) -> str:
    """Pence as GOV.UK-style money: 123456 → "£1,234.56"; "" for None."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    return f"{sign}£{pounds(abs(pence)):,}"


@dataclass
class Counts:
    """Exact figures for one slice of the funnel: event counts (non-bot), ad-platform
    figures (impressions, platform clicks, spend in pence, GBP) and ``has_ad_figures``,
    True when any ad-platform row (even one of zeros) fell in the slice.

    Costs are None when nothing was divided by (no platform clicks, applications or
    placements) and when the slice has no ad figures at all: an organic channel has no
    cost per application, not one of £0.00.

    Suppression: :meth:`suppress_for` marks the slice with its viewer and owner; from
    then on :meth:`count` gives ``"<5"`` for a people step (:data:`PEOPLE_STEPS`) of 1
    to 4 the viewer does not own, and :meth:`rate` and :meth:`cost` give
    ``"withheld"`` when computed from such a count. The fields themselves always hold
    the exact figures (for adding slices up); read them only through those methods for
    anything shown.
    """

    clicks: int = 0
    visits: int = 0
    form_starts: int = 0
    applications: int = 0
    impressions: int = 0
    platform_clicks: int = 0
    shortlisted: int = 0
    placed: int = 0
    retained_6m: int = 0
    spend_pence: int = 0
    has_ad_figures: bool = False
    # True when some ad spend was in a currency other than GBP: it is left out of
    # ``spend_pence`` and the costs (never converted at a guessed rate), and the page says so.
    other_currency: bool = False
    # Who reads these figures and who owns them (see suppress_for). Plain class
    # attributes, not dataclass fields, so add_counts and comparisons leave them alone;
    # the default shows everything (the figures' own code paths: alerts, reports).
    _viewer = UNRESTRICTED
    _owner = None

    def suppress_for(self, viewer, owner) -> Counts:
        """Mark these figures as read by ``viewer`` and owned by ``owner`` (both as in
        :func:`carerecruit.workforce.suppression.viewer_owns`); returns self."""
        self._viewer = viewer
        self._owner = owner
        return self

    @property
    def hides_small(self) -> bool:
        """True when the viewer does not own these figures (small people counts hidden)."""
        return not viewer_owns(self._viewer, self._owner)

    def raw(self, step_key: str) -> int:
        """The exact count of ``step_key``, never suppressed: for arithmetic only."""
        return getattr(self, step_key)

    def withholds(self, *step_keys: str) -> bool:
        """True when a figure computed from these steps must be withheld from the viewer:
        one of them is a people step counting 1 to 4 the viewer does not own."""
        small = [self.raw(key) for key in step_keys if key in PEOPLE_STEPS]
        return any(is_small(n) for n in small) and self.hides_small

    def add(self, step_key: str, count: int) -> None:
        # Straight to the instance dict: called tens of thousands of times per dashboard.
        self.__dict__[step_key] += count

    def add_ads(self, row: dict) -> None:
        """Add one ad-figures row (see :mod:`carerecruit.insights.adfigures`)."""
        self.impressions += row["impressions"]
        self.platform_clicks += row["clicks"]
        if row.get("currency", GBP) == GBP:
            self.spend_pence += row["spend_pence"]
        elif row["spend_pence"]:
            self.other_currency = True
        self.has_ad_figures = True

    def add_counts(self, other: Counts) -> None:
        for f in fields(self):
            if f.name in ("has_ad_figures", "other_currency"):
                setattr(self, f.name, getattr(self, f.name) or getattr(other, f.name))
            else:
                self.add(f.name, getattr(other, f.name))

    def count(self, step_key: str) -> int | str:
        """The count of ``step_key`` as the viewer may see it: an int, or ``"<5"``."""
        value = getattr(self, step_key)
        if step_key in PEOPLE_STEPS and self._viewer is not UNRESTRICTED:
            return suppress(value, viewer_org=self._viewer, owner_org=self._owner)
        return value

    def rate(self, rate_key: str) -> Decimal | str | None:
        """The conversion rate ``rate_key`` (see :data:`RATES`) in percent, or None
        (nothing to divide by, or more at the step than before it: :func:`conversion`),
        or ``"withheld"`` (computed from a suppressed count)."""
        rate = RATE_BY_KEY[rate_key]
        value = conversion(self.raw(rate.numerator), self.raw(rate.denominator))
        if value is None and self.raw(rate.denominator) and self.withholds(rate.numerator, rate.denominator):
            # "Not a rate" would tell that the hidden count outnumbers the step before.
            return WITHHELD
        return self._withheld(value, rate.numerator, rate.denominator)

    def cost(self, cost_key: str) -> int | str | None:
        """The cost ``cost_key`` (see :data:`COSTS`) in whole pence, or None, or
        ``"withheld"`` (divided by a suppressed count)."""
        if not self.has_ad_figures:
            return None
        per = COST_BY_KEY[cost_key].per
        return self._withheld(pence_per(self.spend_pence, self.raw(per)), per)

    def _withheld(self, value, *step_keys: str):
        if self._viewer is UNRESTRICTED:
            return value
        counts = [self.raw(key) for key in step_keys if key in PEOPLE_STEPS]
        return suppress_rate(value, counts=counts, viewer_org=self._viewer, owner_org=self._owner)

    def figure(self, key: str):
        """Any headline figure by key: a step count, ``spend_pence``, a cost or a rate."""
        if key in STEP_BY_KEY or key == "spend_pence":
            return self.count(key)
        if key in COST_BY_KEY:
            return self.cost(key)
        return self.rate(key)

    @property
    def click_to_visit(self) -> Decimal | None:
        return self.rate("click_to_visit")

    @property
    def visit_to_form_start(self) -> Decimal | None:
        return self.rate("visit_to_form_start")

    @property
    def form_start_to_application(self) -> Decimal | None:
        return self.rate("form_start_to_application")

    @property
    def visit_to_application(self) -> Decimal | None:
        return self.rate("visit_to_application")

    @property
    def cost_per_click(self) -> int | None:
        return self.cost("cost_per_click")

    @property
    def cost_per_application(self) -> int | None:
        return self.cost("cost_per_application")

    @property
    def cost_per_placement(self) -> int | None:
        return self.cost("cost_per_placement")

    @property
    def is_zero(self) -> bool:
        return not any(self.raw(step.key) for step in STEPS) and not self.spend_pence

    def summary(self) -> str:
        """A short sentence of the live counts, e.g. "3 clicks, 2 visits, 1 form start and
        1 application" ("fewer than 5 applications" when suppressed): what the
        dashboard's live region announces when it changes."""
        parts = []
        for step in LIVE_STEPS:
            n = self.count(step.key)
            if isinstance(n, str):
                parts.append(f"fewer than 5 {step.plural}")
                continue
            parts.append(f"{n:,} {step.singular if n == 1 else step.plural}")
        return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class StepRow:
    """A row of the funnel table: the step, its count, and the conversion from the step
    before it (None for the first step, when the step before counted 0, or when this
    step counted more than it: then ``exceeds_previous`` is True)."""

    step: Step
    count: int | str
    previous: Step | None
    from_previous: Decimal | str | None
    exceeds_previous: bool = False

    @property
    def rate_key(self) -> str | None:
        if self.previous is None:
            return None
        for rate in RATES:
            if rate.numerator == self.step.key and rate.denominator == self.previous.key:
                return rate.key
        return None


@dataclass(frozen=True)
class Change:
    """A headline figure beside the same figure for the comparison period.

    ``difference`` is current − previous (percentage points for a rate; pence for money);
    ``percent_change`` is that as a percentage of ``previous`` (None when previous is 0 or
    either value is None). Either side may be ``"<5"`` or ``"withheld"``
    (suppressed): then there is no difference either, since it would give the hidden
    figure away.
    """

    key: str
    label: str
    kind: str  # "count", "money" or "rate"
    current: int | Decimal | str | None
    previous: int | Decimal | str | None

    @property
    def difference(self) -> int | Decimal | None:
        if self.current is None or self.previous is None:
            return None
        if isinstance(self.current, str) or isinstance(self.previous, str):
            return None
        return self.current - self.previous

    @property
    def percent_change(self) -> Decimal | None:
        if self.difference is None or not self.previous:
            return None
        return percent(self.difference, self.previous)


@dataclass
class ChannelRow:
    channel: str
    label: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class DayRow:
    day: datetime.date
    counts: Counts = field(default_factory=Counts)


@dataclass
class WeekRow:
    """One ISO week (Monday ``week_start``) of local dates, clipped to the period: the
    first and last week may hold fewer than seven days (``first_day``..``last_day``)."""

    week_start: datetime.date
    first_day: datetime.date
    last_day: datetime.date
    counts: Counts = field(default_factory=Counts)

    @property
    def iso_week(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass
class LinkRow:
    """One tracked link's counts; ``code`` is None for traffic that came with no link.
    Ad figures are not kept per link, so only event steps are filled in."""

    code: str | None
    label: str
    channel: str
    channel_label: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class CouncilRow:
    """Applications naming a council area among their preferences, and how many of those
    were placed. ``council_id`` None is "no preference given". An application naming
    three councils counts once under each, so the rows add up to more than the total.
    After suppression (:mod:`carerecruit.insights.suppression`) either count may be
    ``"<5"``."""

    council_id: int | None
    name: str
    applications: int | str = 0
    placed: int | str | None = 0


@dataclass
class PeriodTotalRow:
    """Ad figures a platform gave only as a total over ``period_start``..``period_end``.
    ``included`` says whether they count in the chosen period's totals (the date range
    lies wholly inside the period)."""

    campaign_id: int
    campaign_name: str
    platform: str
    channel: str
    channel_label: str
    period_start: datetime.date
    period_end: datetime.date
    counts: Counts
    included: bool


@dataclass(frozen=True)
class Period:
    """An inclusive range of Europe/London local dates."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __iter__(self) -> Iterator[datetime.date]:
        for offset in range(self.days):
            yield self.start + datetime.timedelta(days=offset)

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        return Period(self.start - datetime.timedelta(days=self.days), self.start - datetime.timedelta(days=1))

    def utc_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """UTC instants ``[start, end)`` covering every local day of the period."""
        return local_day_bounds(self.start)[0], local_day_bounds(self.end)[1]


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Funnel:
    """The funnel of one campaign (or, for the overview, several) over ``period``.

    - ``totals``: the period's figures, including period-total ad figures that lie inside
      it; ``previous``: the same for ``previous_period`` (the same length, just before).
    - ``dated_totals``: the sum of the daily rows only (no period totals); ``days`` (every
      local day, zeros included) and ``weeks`` each add up to it.
    - ``channels`` (in :class:`Channel` order, then ``""`` for ad figures mapped to no
      channel) add up to ``totals``; ``links`` (events only) add up to its event steps.
    - ``period_totals``: every period-total ad row overlapping the period, with whether
      it was counted. ``councils``: applications by council preference.
    - ``generated_at``: the UTC time the figures were read.
    """

    campaigns: list[Campaign]
    period: Period
    granularity: str
    totals: Counts
    dated_totals: Counts
    previous_period: Period
    previous: Counts
    channels: list[ChannelRow]
    days: list[DayRow]
    weeks: list[WeekRow]
    links: list[LinkRow]
    councils: list[CouncilRow]
    period_totals: list[PeriodTotalRow]
    generated_at: datetime.datetime
    # Per campaign id: the period's totals and the comparison period's (the overview).
    campaign_totals: dict[int, Counts] = field(default_factory=dict)
    campaign_previous: dict[int, Counts] = field(default_factory=dict)

    @property
    def campaign(self) -> Campaign | None:
        """The campaign, for a single campaign's funnel; None on the overview."""
        return self.campaigns[0] if len(self.campaigns) == 1 else None

    @property
    def steps(self) -> list[StepRow]:
        rows = []
        previous = None
        totals = self.totals
        for step in STEPS:
            count = totals.raw(step.key)
            before = 0 if previous is None else totals.raw(previous.key)
            if previous is not None and totals.withholds(step.key, previous.key):
                # Neither the rate nor whether one step outnumbers the other is shown.
                rows.append(StepRow(step, totals.count(step.key), previous, WITHHELD))
            else:
                rate = None if previous is None else conversion(count, before)
                rows.append(StepRow(
                    step, totals.count(step.key), previous, rate, exceeds_previous=0 < before < count,
                ))
            previous = step
        return rows

    @property
    def trend(self) -> list[DayRow] | list[WeekRow]:
        """The rows of the chosen granularity: days or weeks."""
        return self.weeks if self.granularity == WEEK else self.days

    @property
    def has_ad_figures(self) -> bool:
        return self.totals.has_ad_figures or bool(self.period_totals)

    def changes(self) -> list[Change]:
        """Each headline figure (steps, spend, costs, visit to application) beside the
        comparison period's."""
        result = [
            Change(step.key, step.label, "count", self.totals.count(step.key), self.previous.count(step.key))
            for step in STEPS
        ]
        result.append(Change("spend_pence", "Spend", "money", self.totals.spend_pence, self.previous.spend_pence))
        for cost in COSTS:
            result.append(Change(cost.key, cost.label, "money", self.totals.cost(cost.key), self.previous.cost(cost.key)))
        result.append(Change(
            "visit_to_application", "Visit to application", "rate",
            self.totals.visit_to_application, self.previous.visit_to_application,
        ))
        return result

    def change(self, key: str) -> Change:
        return next(c for c in self.changes() if c.key == key)


def default_period(campaign: Campaign, today: datetime.date | None = None) -> Period:
    """The period a dashboard shows unless asked otherwise: from the campaign's start
    date to its end date or today, whichever is earlier; the last 35 days when it has no
    start date. Never longer than :data:`MAX_PERIOD_DAYS` (the most recent days are kept)
    and never empty (a campaign that has not started yet shows its first day).
    """
    today = today or local_today()
    end = min(campaign.ends_on, today) if campaign.ends_on else today
    if campaign.starts_on:
        start = campaign.starts_on
        end = max(end, start)
    else:
        start = end - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    start = max(start, end - datetime.timedelta(days=MAX_PERIOD_DAYS - 1))
    return Period(start, end)


def default_overview_period(today: datetime.date | None = None) -> Period:
    """The overview's default: the last 35 local days, today included."""
    today = today or local_today()
    return Period(today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1), today)


def channel_label(value: str) -> str:
    """The display name of a channel value; ``""`` is ad spend mapped to no channel."""
    if not value:
        return "Not mapped to a channel"
    try:
        return Channel(value).label
    except ValueError:
        return value


_CHANNEL_ORDER = {value: i for i, value in enumerate(Channel.values)}


def _channel_sort_key(channel: str) -> tuple[int, str]:
    if not channel:
        return (len(_CHANNEL_ORDER) + 1, "")
    return (_CHANNEL_ORDER.get(channel, len(_CHANNEL_ORDER)), channel)


def _council_rows(campaign_ids: list[int], period: Period) -> list[CouncilRow]:
    """Applications submitted in ``period`` by council preference, and how many of them
    were placed (None when the placements app cannot say yet). Aggregates only."""
    from carerecruit.candidates.models import Application
    from carerecruit.organisations.models import Organisation

    start, end = period.utc_bounds()
    applications = Application.objects.filter(
        campaign_id__in=campaign_ids, submitted_at__gte=start, submitted_at__lt=end
    )
    by_council = dict(
        applications.values_list("council_areas").annotate(n=Count("pk", distinct=True)).order_by()
    )
    placed_ids = _placed_application_ids(applications)
    placed_by_council: dict[int | None, int] = {}
    if placed_ids is not None:
        placed_by_council = dict(
            applications.filter(pk__in=placed_ids)
            .values_list("council_areas").annotate(n=Count("pk", distinct=True)).order_by()
        )
    names = dict(
        Organisation.objects.filter(pk__in=[pk for pk in by_council if pk]).values_list("pk", "name")
    )
    rows = [
        CouncilRow(pk, names[pk], n, placed_by_council.get(pk, 0) if placed_ids is not None else None)
        for pk, n in by_council.items()
        if pk is not None
    ]
    rows.sort(key=lambda r: (-r.applications, r.name))
    if None in by_council:
        rows.append(CouncilRow(
            None, "No preference given", by_council[None],
            placed_by_council.get(None, 0) if placed_ids is not None else None,
        ))
    return rows


def _placed_application_ids(applications):
    """A subquery of the ids among ``applications`` that led to a placement, or None when
    no placements are recorded in this deployment's schema yet."""
    from carerecruit.insights import outcomes

    return outcomes.placed_application_ids(applications)


def build_funnel(
    campaigns: Iterable[Campaign],
    period: Period,
    granularity: str = DAY,
    *,
    with_links: bool = True,
) -> Funnel:
    """The :class:`Funnel` of ``campaigns`` together over ``period`` (local dates), by
    ``granularity`` ``"day"`` or ``"week"``, with the comparison period just before it.

    Reads: rollups grouped in the database plus the live tail
    (:func:`carerecruit.insights.counts.grouped_counts`) and one call each for daily and
    period-total ad figures, over both periods at once; the links of the campaigns (when
    ``with_links``); application council preferences. No raw event scans beyond the
    rollup tail. Raises ValueError for an unknown granularity.
    """
    if granularity not in GRANULARITIES:
        raise ValueError(f"Unknown granularity {granularity!r}")
    campaigns = list(campaigns)
    campaign_ids = [c.pk for c in campaigns]
    names = {c.pk: c.name for c in campaigns}
    previous_period = period.previous()
    generated_at = timezone.now()

    totals, dated, previous = Counts(), Counts(), Counts()
    by_channel: dict[str, Counts] = defaultdict(Counts)
    by_day: dict[datetime.date, Counts] = defaultdict(Counts)
    by_link: dict[int | None, Counts] = defaultdict(Counts)
    by_campaign: dict[int, Counts] = defaultdict(Counts)
    by_campaign_previous: dict[int, Counts] = defaultdict(Counts)

    counts = grouped_counts(
        campaign_ids, previous_period.start, period.end,
        link_start=period.start if with_links else None,
    )
    for (day, campaign_id, channel, kind), count in counts.dated.items():
        step = STEP_BY_KIND.get(kind)
        if step is None:
            continue
        if day in previous_period:
            previous.add(step.key, count)
            by_campaign_previous[campaign_id].add(step.key, count)
            continue
        totals.add(step.key, count)
        dated.add(step.key, count)
        by_campaign[campaign_id].add(step.key, count)
        by_channel[channel].add(step.key, count)
        by_day[day].add(step.key, count)
    for (link_id, kind), count in counts.links.items():
        step = STEP_BY_KIND.get(kind)
        if step is not None:
            by_link[link_id].add(step.key, count)

    for row in adfigures.daily_rows(campaign_ids, previous_period.start, period.end):
        if row["local_date"] in previous_period:
            previous.add_ads(row)
            by_campaign_previous[row["campaign_id"]].add_ads(row)
            continue
        if row["local_date"] not in period:
            continue
        totals.add_ads(row)
        by_campaign[row["campaign_id"]].add_ads(row)
        dated.add_ads(row)
        by_channel[row["channel"]].add_ads(row)
        by_day[row["local_date"]].add_ads(row)

    period_totals = []
    for row in adfigures.period_total_rows(campaign_ids, previous_period.start, period.end):
        inside = period.start <= row["period_start"] and row["period_end"] <= period.end
        inside_previous = (
            previous_period.start <= row["period_start"] and row["period_end"] <= previous_period.end
        )
        counts = Counts()
        counts.add_ads(row)
        if inside_previous:
            previous.add_ads(row)
            by_campaign_previous[row["campaign_id"]].add_ads(row)
        if row["period_end"] < period.start:
            continue  # Only the comparison period's: not listed with this one's.
        if inside:
            totals.add_ads(row)
            by_campaign[row["campaign_id"]].add_ads(row)
            by_channel[row["channel"]].add_ads(row)
        period_totals.append(PeriodTotalRow(
            row["campaign_id"], names.get(row["campaign_id"], ""), row["platform"],
            row["channel"], channel_label(row["channel"]), row["period_start"],
            row["period_end"], counts, inside,
        ))

    links: list[TrackedLink] = []
    if with_links:
        links = list(
            TrackedLink.objects.filter(
                Q(campaign_id__in=campaign_ids) | Q(pk__in=[pk for pk in by_link if pk is not None])
            ).only("code", "label", "channel", "created_at", "campaign_id")
        )
        links.sort(key=lambda link: (_channel_sort_key(link.channel), link.created_at, link.code))

    # A channel appears when it has figures or a campaign has a link on it, so a channel
    # that is posted on but brings nobody shows as a row of zeros.
    channel_values = set(by_channel) | {link.channel for link in links}
    channel_rows = [
        ChannelRow(channel, channel_label(channel), by_channel.get(channel, Counts()))
        for channel in sorted(channel_values, key=_channel_sort_key)
    ]
    day_rows = [DayRow(day, by_day.get(day, Counts())) for day in period]
    week_rows: list[WeekRow] = []
    for day_row in day_rows:
        monday = week_start(day_row.day)
        if not week_rows or week_rows[-1].week_start != monday:
            week_rows.append(WeekRow(monday, day_row.day, day_row.day))
        week = week_rows[-1]
        week.last_day = day_row.day
        week.counts.add_counts(day_row.counts)
    link_rows = [
        LinkRow(
            link.code, link.label, link.channel, channel_label(link.channel),
            by_link.get(link.pk, Counts()),
        )
        for link in links
    ]
    if with_links and None in by_link:
        link_rows.append(LinkRow(None, "No tracked link", "", "", by_link[None]))

    return Funnel(
        campaigns=campaigns,
        period=period,
        granularity=granularity,
        totals=totals,
        dated_totals=dated,
        previous_period=previous_period,
        previous=previous,
        channels=channel_rows,
        days=day_rows,
        weeks=week_rows,
        links=link_rows,
        councils=_council_rows(campaign_ids, period),
        period_totals=period_totals,
        generated_at=generated_at,
        campaign_totals=dict(by_campaign),
        campaign_previous=dict(by_campaign_previous),
    )


def campaign_funnel(
    campaign: Campaign,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    granularity: str = DAY,
) -> Funnel:
    """Return ``campaign``'s :class:`Funnel` from local date ``start`` to ``end``
    (inclusive; both default to :func:`default_period`).

    Raises ValueError when ``end`` is before ``start`` or the granularity is unknown.
    """
    if start is None or end is None:
        default = default_period(campaign)
        start = start or default.start
        end = end or default.end
    return build_funnel([campaign], Period(start, end), granularity)
