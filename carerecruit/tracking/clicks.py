"""The tracked-link redirect's hot path: find a link cheaply, record its click cheaply.

``/r/<code>`` is the one URL that takes bursts (a post goes viral, a QR code on a bus).
Measured per request (docs/performance.md, "Tracked-link redirect"): looking the link up
with ``select_related("campaign")`` cost 1.36 ms of CPU, most of it compiling a query that
read every campaign column (microsite text, FAQs), and ``Event.objects.create`` 0.77 ms
(model instance and SQL compilation for 16 columns), against 0.16 ms for a whole bare
Django request. So:

* :func:`find_link_target` keeps what the redirect needs of each link (ids, status,
  channel, normalised UTM values, the destination) in a small per-process cache for
  :data:`LINK_TTL_SECONDS`. A change to a link or its campaign clears this process's
  cache at once (signals); other processes see it within the TTL (2 s). A draft
  campaign's link is never cached, so a link works everywhere the moment its campaign
  is published. The worst case is a campaign put back to draft (or a UTM value edited)
  whose links answer as before for up to 2 seconds in another process: acceptable for a
  marketing link (nothing personal is exposed). Under a burst a process reads all the
  links it is serving again in one query every 2 seconds, instead of once per click.
* The click itself is appended to the click spool (:mod:`carerecruit.tracking.spool`),
  a local file the worker moves into the database within about a second, so the
  redirect does no database work at all for a cached link. :func:`append_click` is the
  fallback when the spool is switched off or cannot be written: one INSERT whose SQL is
  built once per database vendor from the model's own fields (so a column added later,
  with its default, is written too), with each value prepared by its field as the ORM
  would.
"""

from __future__ import annotations

import datetime
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db import connection
from django.db.models.signals import post_delete, post_save

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.lib.utm import UTM_FIELDS, normalise_utm
from carerecruit.tracking.models import Event, EventKind

#: How long a process trusts what it read about a link (seconds).
LINK_TTL_SECONDS = 2.0
#: Links remembered per process before the cache is emptied and starts again (a flood of
#: distinct real codes is bounded by the number of links; this only caps memory).
LINK_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class LinkTarget:
    """What the redirect needs of a tracked link: its id, its campaign's id and status,
    its channel, its UTM values normalised as they are stored on events, and the
    destination: the microsite path with the query string (UTM values, no ``cid``) and
    fragment, kept apart so a click id can be added."""

    pk: int
    campaign_id: int
    campaign_status: str
    channel: str
    utm: dict
    path: str
    query: str
    fragment: str

    @property
    def is_draft(self) -> bool:
        return self.campaign_status == Campaign.Status.DRAFT

    def destination(self, click_id: str | None) -> str:
        """``/c/<slug>/<page>?utm_…[&cid=…][#fragment]`` (see
        :func:`carerecruit.tracking.views.destination_url`, which this mirrors)."""
        query = self.query
        if click_id:
            query = f"{query}&cid={click_id}" if query else f"cid={click_id}"
        url = f"{self.path}?{query}" if query else self.path
        return f"{url}#{self.fragment}" if self.fragment else url


class _LinkCache:
    """This process's links by code as requested (any case). Every
    :data:`LINK_TTL_SECONDS` the links requested since the last refresh are read again
    in one query (:func:`_load_many`) and the rest forgotten, so a burst over hundreds of
    links costs one query per period instead of one per link per period (measured: 300
    links read one by one every 2 seconds took a third of a process's CPU)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.targets: dict[str, LinkTarget] = {}
        self.used: set[str] = set()
        self.fresh_until = 0.0

    def clear(self) -> None:
        with self.lock:
            self.targets = {}
            self.used = set()
            self.fresh_until = 0.0

    def get(self, code: str, now: float) -> LinkTarget | None:
        if now >= self.fresh_until:
            self.refresh(now)
        target = self.targets.get(code)
        if target is not None:
            self.used.add(code)
        return target

    def refresh(self, now: float) -> None:
        # One thread refreshes; the others go on with what they have (at most one period
        # old) rather than queue behind the query.
        if not self.lock.acquire(blocking=False):
            return
        try:
            if now < self.fresh_until:
                return
            used, self.used = self.used, set()
            loaded = _load_many(used)
            self.targets = {code: target for code, target in loaded.items() if not target.is_draft}
            self.fresh_until = now + LINK_TTL_SECONDS
        finally:
            self.lock.release()

    def put(self, code: str, target: LinkTarget) -> None:
        with self.lock:
            if len(self.targets) >= LINK_CACHE_SIZE:
                self.targets = {}
            self.targets = {**self.targets, code: target}
            self.used.add(code)


_cache = _LinkCache()


def clear_link_cache(**_kwargs) -> None:
    """Forget every cached link in this process (connected to link and campaign saves
    and deletes)."""
    _cache.clear()


post_save.connect(clear_link_cache, sender=TrackedLink, dispatch_uid="clicks-link-saved")
post_delete.connect(clear_link_cache, sender=TrackedLink, dispatch_uid="clicks-link-deleted")
post_save.connect(clear_link_cache, sender=Campaign, dispatch_uid="clicks-campaign-saved")
post_delete.connect(clear_link_cache, sender=Campaign, dispatch_uid="clicks-campaign-deleted")

_COLUMNS = ("pk", "code", "campaign_id", "campaign__status", "campaign__slug", "channel",
            "destination_path", *UTM_FIELDS)


_built: dict[tuple, LinkTarget] = {}


def _target(row: tuple) -> LinkTarget:
    # Building a target (the destination URL through reverse()) costs 0.2 ms; a refresh
    # of hundreds of unchanged links reuses the targets built from the same row.
    target = _built.get(row)
    if target is None:
        if len(_built) >= LINK_CACHE_SIZE:
            _built.clear()
        target = _built[row] = _build(row)
    return target


def _build(row: tuple) -> LinkTarget:
    pk, _code, campaign_id, status, slug, channel, destination_path, *utm_values = row
    raw_utm = dict(zip(UTM_FIELDS, utm_values, strict=True))
    path, query, fragment = destination_parts(Campaign(slug=slug).get_absolute_url(), destination_path, raw_utm)
    return LinkTarget(
        pk=pk, campaign_id=campaign_id, campaign_status=status, channel=channel,
        utm=normalise_utm(raw_utm), path=path, query=query, fragment=fragment,
    )


def _load(code: str) -> LinkTarget | None:
    return _load_many({code}).get(code)


def _load_many(codes: set[str]) -> dict[str, LinkTarget]:
    """``{code as requested: target}`` for the links among ``codes`` (any case) that
    still exist, in one query per 500 codes."""
    # Codes are lower case; people type them off posters in capitals too: a code is
    # looked up as requested and in lower case.
    by_stored: dict[str, set[str]] = {}
    for code in codes:
        by_stored.setdefault(code, set()).add(code)
        by_stored.setdefault(code.lower(), set()).add(code)
    wanted = sorted(by_stored)
    found: dict[str, LinkTarget] = {}
    for start in range(0, len(wanted), 500):
        rows = (TrackedLink.objects.filter(code__in=wanted[start:start + 500]).order_by()
                .values_list(*_COLUMNS))
        for row in rows:
            target = _target(row)
            for requested in by_stored.get(row[1], ()):
                found.setdefault(requested, target)
    return found


def destination_parts(microsite_url: str, destination_path: str, utm: dict) -> tuple[str, str, str]:
    """``(path, query string, fragment)`` of a link's destination: ``microsite_url``
    (``/c/<slug>/``) plus ``destination_path`` kept inside the microsite (leading slashes,
    any scheme or host dropped), the destination's own query without UTM values or
    ``cid``, then the link's non-empty ``utm`` values (as stored on the link). The one
    rule for :func:`carerecruit.tracking.views.destination_url` and the redirect."""
    parts = urlsplit(destination_path.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in UTM_FIELDS and key != "cid"
    ]
    query += [(name, utm[name]) for name in UTM_FIELDS if utm.get(name)]
    return microsite_url + parts.path.lstrip("/\\"), urlencode(query), parts.fragment


def find_link_target(code: str) -> LinkTarget | None:
    """The link with ``code`` (any case), from this process's cache when read in the last
    :data:`LINK_TTL_SECONDS`; None for an unknown code. Neither an unknown code nor a
    draft campaign's link is cached: a link made or published a moment later must work
    at once, in every process."""
    target = _cache.get(code, time.monotonic())
    if target is not None:
        return target
    target = _load(code)
    if target is not None and not target.is_draft:
        _cache.put(code, target)
    return target


_FIELDS = [f for f in Event._meta.concrete_fields if not f.primary_key]
_sql_by_vendor: dict[str, str] = {}


def _columns() -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(f.column) for f in _FIELDS)


def _insert_sql() -> str:
    sql = _sql_by_vendor.get(connection.vendor)
    if sql is None:
        placeholders = ", ".join(["%s"] * len(_FIELDS))
        sql = _sql_by_vendor[connection.vendor] = (
            f"INSERT INTO {connection.ops.quote_name(Event._meta.db_table)} ({_columns()}) VALUES ({placeholders})"  # noqa: S608 (names from the model)
        )
    return sql


def insert_clicks(events: list[dict]) -> None:
    """Insert click events given as ``{Event attname: value}`` (``occurred_at`` aware,
    UTC): the rows ``Event.objects.create`` would write, every other column taking its
    field default, each value prepared for the database as the ORM would. One INSERT for
    one event (the redirect's fallback); ``COPY`` for several on PostgreSQL and one
    ``executemany`` on SQLite (the worker moving the click spool in: model instances and
    ``bulk_create`` cost three times the CPU per click, one INSERT per row three times the
    database's, measured in docs/performance.md)."""
    defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in _FIELDS}
    occurred_at = Event._meta.get_field("occurred_at")
    order = [f.attname for f in _FIELDS]
    rows = []
    for event in events:
        row = {**defaults, **event}
        row["occurred_at"] = occurred_at.get_db_prep_save(event["occurred_at"], connection)
        rows.append([row[name] for name in order])
    if connection.vendor == "postgresql" and len(rows) > 1:
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(
            f"COPY {connection.ops.quote_name(Event._meta.db_table)} ({_columns()}) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(_insert_sql(), rows[0])
        else:
            cursor.executemany(_insert_sql(), rows)


def utm_of(target: LinkTarget | TrackedLink) -> dict[str, str]:
    """The five UTM values of a link, normalised as events store them."""
    if isinstance(target, LinkTarget):
        return target.utm
    return normalise_utm({name: getattr(target, name) for name in UTM_FIELDS})


def append_click(target: LinkTarget | TrackedLink, *, occurred_at: datetime.datetime,
                 is_bot: bool, click_id: str, referrer_host: str) -> None:
    """Append one ``click`` event for ``target`` (a :class:`LinkTarget`, or a
    TrackedLink) at ``occurred_at`` (aware, UTC) with the link's channel and normalised
    UTM values: the row ``Event.objects.create`` would write (every other column takes
    its field default), in one INSERT."""
    insert_clicks([{
        "kind": EventKind.CLICK.value, "occurred_at": occurred_at, "campaign_id": target.campaign_id,
        "link_id": target.pk, "channel": target.channel, "click_id": click_id,
        "referrer_host": referrer_host, "is_bot": is_bot, **utm_of(target),
    }])
