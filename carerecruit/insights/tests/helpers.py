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
