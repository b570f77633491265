"""Test helpers: funnel events made directly, and a reader for the dashboard's figures."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

from carerecruit.tracking.models import Event

UTC = datetime.UTC
ROW_ATTRIBUTES = (
    "data-channel", "data-day", "data-week", "data-link", "data-step", "data-bucket",
    "data-council", "data-campaign", "data-audience", "data-period-total",
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def make_events(kind, n, campaign, at, link=None, channel=None, is_bot=False):
    """Create ``n`` events of ``kind`` at UTC time ``at`` (channel from the link, else
    "direct")."""
    channel = channel or (link.channel if link else "direct")
    Event.objects.bulk_create(
        Event(kind=kind, occurred_at=at, campaign=campaign, link=link, channel=channel, is_bot=is_bot)
        for _ in range(n)
    )


class _FigureReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.figures: dict[tuple, str] = {}
        self._capturing: list[tuple[tuple, list[str], int]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        self.stack.append((tag, attrs))
        key = attrs.get("data-metric") or attrs.get("data-rate")
        if not key and attrs.get("data-previous"):
            key = "previous:" + attrs["data-previous"]
        if not key and attrs.get("data-change"):
            key = "change:" + attrs["data-change"]
        if key:
            row = ()
            for _, ancestor in reversed(self.stack[:-1]):
                found = [(a, ancestor[a]) for a in ROW_ATTRIBUTES if a in ancestor]
                if found:
                    row = found[0]
                    break
            self._capturing.append((row + (key,), [], len(self.stack)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        depth = len(self.stack)
        if self._capturing and self._capturing[-1][2] == depth:
            key, parts, _ = self._capturing.pop()
            self.figures[key] = " ".join("".join(parts).split())
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, parts, _ in self._capturing:
            parts.append(data)


def figures(html: str | bytes) -> dict[tuple, str]:
    """Every element with ``data-metric``/``data-rate`` → its visible text, keyed by the
    nearest row attribute: ``("data-channel", "facebook", "clicks") → "3"``; headline
    figures have no row: ``("clicks",) → "3"``; the previous period's figure and the change
    are ``("previous:clicks",)`` and ``("change:clicks",)``. Visually hidden text is
    included."""
    if isinstance(html, bytes):
        html = html.decode()
    reader = _FigureReader()
    reader.feed(html)
    return reader.figures


def ad_campaign(campaign, channel="facebook", platform="meta", name=None):
    """The adstats platform campaign ``name`` mapped to ``campaign`` and ``channel``."""
    from carerecruit.adstats.models import AdPlatformCampaign

    platform_campaign, _ = AdPlatformCampaign.objects.get_or_create(
        platform=platform, name=name or f"{campaign.slug} {platform} {channel or 'unmapped'}",
        defaults={"campaign": campaign, "channel": channel},
    )
    return platform_campaign


def make_ad_day(campaign, day, impressions, clicks, spend_pence, channel="facebook",
                platform="meta", currency="GBP", name=None):
    """One day's ad-platform figures, as an import would store them."""
    from carerecruit.adstats.models import AdDailyStat

    return AdDailyStat.objects.create(
        platform_campaign=ad_campaign(campaign, channel, platform, name), date=day,
        impressions=impressions, clicks=clicks, spend_pence=spend_pence, currency=currency,
    )


def make_ad_period(campaign, start, end, impressions, clicks, spend_pence, channel="linkedin",
                   platform="linkedin", name=None):
    """A period total (a platform export with no daily breakdown)."""
    from carerecruit.adstats.models import AdPeriodStat

    return AdPeriodStat.objects.create(
        platform_campaign=ad_campaign(campaign, channel, platform, name), period_start=start,
        period_end=end, impressions=impressions, clicks=clicks, spend_pence=spend_pence,
        currency="GBP",
    )


_people = iter(range(1, 10**6))


def make_application(campaign, at, councils=(), channel="direct", link=None):
    """An application (with its candidate) submitted at UTC ``at`` naming ``councils``."""
    from carerecruit.candidates.models import Application, Candidate

    n = next(_people)
    candidate = Candidate.objects.create(
        full_name=f"Test Person {n}", email=f"person{n}@example.org",
        email_normalised=f"person{n}@example.org", phone_e164=f"+447700{n:06d}",
        postcode="B1 1AA",
    )
    application = Application.objects.create(
        candidate=candidate, campaign=campaign, submitted_at=at, years_experience=3,
        earliest_start=datetime.date(2020, 6, 1), hours_wanted="full_time",
        right_to_work="yes", channel=channel, link=link,
    )
    application.council_areas.set(councils)
    return application
