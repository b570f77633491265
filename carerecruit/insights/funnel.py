"""A campaign's funnel (clicks → visits → form starts → applications) over local days.

Plain functions over :func:`carerecruit.tracking.rollups.funnel_rows`, which reads the
rollups plus the live tail of events, so every count here is an exact integer with bots
left out, and every day is a Europe/London local date. Nothing here touches personal
data: the funnel is aggregate counts only.

The steps and the conversion rates between them are declared once (:data:`STEPS`,
:data:`RATES`, plus a field on :class:`Counts`) so later steps (impressions,
shortlisted, placed) and rates slot in without touching the views.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, Channel, TrackedLink
from carerecruit.lib.localtime import local_today
from carerecruit.tracking.rollups import funnel_rows

# The longest period one dashboard shows: a year of daily rows is already plenty, and it
# bounds the work one request can ask for.
MAX_PERIOD_DAYS = 366
# Shown when a campaign has no start date.
DEFAULT_PERIOD_DAYS = 35


@dataclass(frozen=True)
class Step:
    """One funnel step: ``key`` names it in code, templates and data attributes;
    ``kind`` is the tracking event kind it counts."""

    key: str
    kind: str
    label: str
    singular: str
    plural: str


STEPS: tuple[Step, ...] = (
    Step("clicks", "click", "Clicks", "click", "clicks"),
    Step("visits", "visit", "Visits", "visit", "visits"),
    Step("form_starts", "form_start", "Form starts", "form start", "form starts"),
    Step("applications", "application", "Applications", "application", "applications"),
)
STEP_BY_KIND = {step.kind: step for step in STEPS}


@dataclass(frozen=True)
class Rate:
    """A conversion rate: ``numerator`` step count as a percentage of ``denominator``'s."""

    key: str
    label: str
    numerator: str
    denominator: str


RATES: tuple[Rate, ...] = (
    Rate("click_to_visit", "Click to visit", "visits", "clicks"),
    Rate("visit_to_form_start", "Visit to form start", "form_starts", "visits"),
    Rate("form_start_to_application", "Form start to application", "applications", "form_starts"),
    Rate("visit_to_application", "Visit to application", "applications", "visits"),
)
RATE_BY_KEY = {rate.key: rate for rate in RATES}


def percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator`` as a percentage of ``denominator``, rounded half-up to one decimal
    place (2 of 3 → ``Decimal("66.7")``); None when ``denominator`` is 0.

    Rates can pass 100%: people reach a microsite without a tracked link, so visits may
    outnumber clicks.
    """
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class Counts:
    """Exact counts of each funnel step (non-bot events) for one slice of the funnel."""

    clicks: int = 0
    visits: int = 0
    form_starts: int = 0
    applications: int = 0

    def add(self, step_key: str, count: int) -> None:
        setattr(self, step_key, getattr(self, step_key) + count)

    def count(self, step_key: str) -> int:
        return getattr(self, step_key)

    def rate(self, rate_key: str) -> Decimal | None:
        """The conversion rate ``rate_key`` (see :data:`RATES`) in percent, or None."""
        rate = RATE_BY_KEY[rate_key]
        return percent(self.count(rate.numerator), self.count(rate.denominator))

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
    def is_zero(self) -> bool:
        return not any(self.count(step.key) for step in STEPS)

    def summary(self) -> str:
        """A short sentence of the counts, e.g. "3 clicks, 2 visits, 1 form start and 1
        application" — what the dashboard's live region announces when it changes."""
        parts = []
        for step in STEPS:
            n = self.count(step.key)
            parts.append(f"{n:,} {step.singular if n == 1 else step.plural}")
        return ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True)
class StepRow:
    """A row of the funnel table: the step, its count, and the conversion from the step
    before it (None for the first step or when the step before counted 0)."""

    step: Step
    count: int
    previous: Step | None
    from_previous: Decimal | None


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
class LinkRow:
    """One tracked link's counts; ``code`` is None for traffic that came with no link."""

    code: str | None
    label: str
    channel: str
    channel_label: str
    counts: Counts = field(default_factory=Counts)


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


@dataclass
class Funnel:
    """A campaign's funnel over ``period``.

    ``totals`` are the whole period's counts; ``channels`` (in :class:`Channel` order),
    ``days`` (every local day of the period, zeros included) and ``links`` (each of the
    campaign's tracked links, then a "no tracked link" row when it has counts) each add up
    to ``totals``. ``generated_at`` is the UTC time the counts were read.
    """

    campaign: Campaign
    period: Period
    totals: Counts
    channels: list[ChannelRow]
    days: list[DayRow]
    links: list[LinkRow]
    generated_at: datetime.datetime

    @property
    def steps(self) -> list[StepRow]:
        rows = []
        previous = None
        for step in STEPS:
            count = self.totals.count(step.key)
            rate = None if previous is None else percent(count, self.totals.count(previous.key))
            rows.append(StepRow(step, count, previous, rate))
            previous = step
        return rows


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


def _channel_label(value: str) -> str:
    try:
        return Channel(value).label
    except ValueError:
        return value or "Unknown"


_CHANNEL_ORDER = {value: i for i, value in enumerate(Channel.values)}


def _channel_sort_key(channel: str) -> tuple[int, str]:
    return (_CHANNEL_ORDER.get(channel, len(_CHANNEL_ORDER)), channel)


def campaign_funnel(
    campaign: Campaign,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Funnel:
    """Return ``campaign``'s :class:`Funnel` from local date ``start`` to ``end``
    (inclusive; both default to :func:`default_period`).

    Raises ValueError when ``end`` is before ``start``. Counts come from
    ``tracking.rollups.funnel_rows`` (rollups plus live tail; bots excluded).
    """
    if start is None or end is None:
        default = default_period(campaign)
        start = start or default.start
        end = end or default.end
    period = Period(start, end)
    generated_at = timezone.now()

    totals = Counts()
    by_channel: dict[str, Counts] = defaultdict(Counts)
    by_day: dict[datetime.date, Counts] = defaultdict(Counts)
    by_link: dict[int | None, Counts] = defaultdict(Counts)
    for row in funnel_rows([campaign.pk], period.start, period.end):
        step = STEP_BY_KIND.get(row["kind"])
        if step is None or row["campaign_id"] != campaign.pk:
            continue
        count = int(row["count"])
        totals.add(step.key, count)
        by_channel[row["channel"]].add(step.key, count)
        by_day[row["local_date"]].add(step.key, count)
        by_link[row["link_id"]].add(step.key, count)

    links = list(
        TrackedLink.objects.filter(
            Q(campaign=campaign) | Q(pk__in=[pk for pk in by_link if pk is not None])
        ).only("code", "label", "channel", "created_at")
    )
    links.sort(key=lambda link: (_channel_sort_key(link.channel), link.created_at, link.code))

    # A channel appears when it has counts or the campaign has a link on it, so a channel
    # that is posted on but brings nobody shows as a row of zeros.
    channels = set(by_channel) | {link.channel for link in links}
    channel_rows = [
        ChannelRow(channel, _channel_label(channel), by_channel.get(channel, Counts()))
        for channel in sorted(channels, key=_channel_sort_key)
    ]
    day_rows = [DayRow(day, by_day.get(day, Counts())) for day in period]
    link_rows = [
        LinkRow(
            link.code, link.label, link.channel, _channel_label(link.channel),
            by_link.get(link.pk, Counts()),
        )
        for link in links
    ]
    if None in by_link:
        link_rows.append(LinkRow(None, "No tracked link", "", "", by_link[None]))

    return Funnel(
        campaign=campaign,
        period=period,
        totals=totals,
        channels=channel_rows,
        days=day_rows,
        links=link_rows,
        generated_at=generated_at,
    )
