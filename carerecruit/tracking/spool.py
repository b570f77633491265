"""The click spool: the redirect appends each click to a local file; the worker moves the
clicks into :class:`~carerecruit.tracking.models.Event` rows a moment later.

Why. ``/r/<code>`` takes bursts (a post goes viral, a QR code on a bus). Measured on the
2-core benchmark machine (docs/performance.md, "Tracked-link redirect"), one durable
INSERT per click held the redirect at 24–33% of a bare Django 302's throughput with a
p95 of 86–800 ms: SQLite has one writer at a time and PostgreSQL commits each click. An
``os.write`` of one line to a file opened with ``O_APPEND`` costs a few microseconds and
no lock is shared between requests, so the redirect no longer waits for the database.

Why no click is lost.

* Each click is one ``write(2)`` of one whole line. On a local file system Linux
  appends it atomically at the end of the file (the inode lock is held for the write),
  so lines from the threads and processes of the web server never interleave.
* Once ``write(2)`` returns, the line is in the kernel's page cache: it survives the
  death of the web server process (a crash, a deploy, ``kill -9``). Only a crash of the
  whole machine before the kernel writes the page out (normally within 5 seconds, the
  ``dirty_writeback`` interval) could lose lines; PostgreSQL with ``synchronous_commit``
  would keep them, which is the price named in docs/performance.md.
* If the spool cannot be written (no such directory and it cannot be made, disk full,
  read-only), the click is written straight to the database instead, as before
  (:func:`carerecruit.tracking.clicks.append_click`), and a warning is logged.
* The worker (:func:`ingest`) reads each file from the byte offset it has reached, stored
  in :class:`~carerecruit.tracking.models.ClickSpoolFile` and moved forward **in the
  same transaction** as the inserted events: a worker that dies mid-way leaves neither
  events nor a moved offset, so the next run inserts those clicks exactly once. Two
  workers take turns on the file's row (its UPDATE comes first and locks it).
* A file is deleted only when it is two rotation periods old (no process still writes to
  it) and every byte of it has been moved into the database.

Where the spool lives. ``settings.CLICK_SPOOL_DIR`` (environment ``CLICK_SPOOL_DIR``;
default ``<data dir>/click-spool``). It must be on a local disk of the machine that runs
the web server, and ``carerecruit worker`` must run on that machine (``carerecruit
serve`` starts one beside gunicorn). Set ``CLICK_SPOOL_DIR=`` (empty) to write each click
to the database inside the request instead.

File names: ``clicks-<period>-<host>-<pid>.jsonl``, where ``<period>`` is the Unix time
divided by :data:`ROTATE_SECONDS` (so names sort by age). Each line is a JSON array:
``[1, occurred_at (Unix microseconds, UTC), campaign_id, link_id, channel, utm_source,
utm_medium, utm_campaign, utm_content, utm_term, click_id, referrer_host, is_bot]``; the
leading ``1`` is the line format's version.

Attribution does not wait for the worker: the click id handed to the microsite is signed
and names its link (:mod:`carerecruit.tracking.clickids`), so a visit a few milliseconds
after the redirect is credited to its link before the click is in the database.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import socket
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, TrackedLink
from carerecruit.tracking.clicks import insert_clicks
from carerecruit.tracking.models import ClickSpoolFile, EventKind

logger = logging.getLogger(__name__)

#: A process starts a new spool file every this many seconds.
ROTATE_SECONDS = 60
#: One ingest transaction reads at most this many bytes of one file (about 20,000
#: clicks), so a long backlog is moved in bounded transactions.
CHUNK_BYTES = 4 * 1024 * 1024
LINE_VERSION = 1
_NAME = re.compile(r"clicks-(\d+)-[A-Za-z0-9._-]+-\d+\.jsonl")
_HOST = re.sub(r"[^A-Za-z0-9._-]", "_", socket.gethostname())[:64] or "host"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class SpoolUnavailable(OSError):
    """The spool is switched off (``CLICK_SPOOL_DIR`` empty)."""


_dirs: dict[str, Path] = {}


def spool_dir() -> Path | None:
    """The spool directory from ``settings.CLICK_SPOOL_DIR``; None when switched off."""
    value = getattr(settings, "CLICK_SPOOL_DIR", "")
    if not value:
        return None
    path = _dirs.get(value)
    if path is None:
        path = _dirs[value] = Path(value)
    return path


class _Writer:
    """This process's open spool file. Rotated by period; reopened after a fork (the
    name carries the pid) or when the configured directory changes (tests)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple[str, int, int] | None = None
        self.fd: int | None = None
        self.retired: list[int] = []

    def fd_for(self, directory: Path, now: float) -> int:
        period = int(now // ROTATE_SECONDS)
        key = (str(directory), period, os.getpid())
        if key == self.key and self.fd is not None:
            return self.fd
        with self.lock:
            if key != self.key or self.fd is None:
                directory.mkdir(parents=True, exist_ok=True)
                path = directory / f"clicks-{period}-{_HOST}-{os.getpid()}.jsonl"
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
                old, self.fd, self.key = self.fd, fd, key
                # Another thread may have taken the old descriptor a moment ago and be
                # about to write with it; closing it at once could lose that click
                # (EBADF) or send it into a file opened later under the same number. So
                # a descriptor is closed only at the rotation after the one that retired
                # it, a whole period later.
                for stale in self.retired:
                    os.close(stale)
                self.retired = [old] if old is not None else []
            return self.fd


_writer = _Writer()


def append(*, occurred_at: datetime.datetime, campaign_id: int, link_id: int, channel: str,
           utm: dict, click_id: str, referrer_host: str, is_bot: bool) -> None:
    """Append one click to this process's spool file (one ``write(2)`` of one line).

    ``occurred_at`` is aware (UTC); ``utm`` holds the five normalised UTM values.
    Raises :class:`SpoolUnavailable` when the spool is switched off and ``OSError`` when
    it cannot be written; the caller then writes the click to the database.
    """
    directory = spool_dir()
    if directory is None:
        raise SpoolUnavailable("CLICK_SPOOL_DIR is empty")
    micros = (occurred_at - _EPOCH) // datetime.timedelta(microseconds=1)
    line = json.dumps(
        [LINE_VERSION, micros, campaign_id, link_id, channel, utm["utm_source"], utm["utm_medium"],
         utm["utm_campaign"], utm["utm_content"], utm["utm_term"], click_id, referrer_host,
         bool(is_bot)],
        separators=(",", ":"),
    ).encode() + b"\n"
    fd = _writer.fd_for(directory, time.time())
    written = os.write(fd, line)
    if written != len(line):  # a full disk mid-line; the reader skips the torn line
        raise OSError(f"short write to the click spool ({written} of {len(line)} bytes)")


def _event(values: list) -> dict:
    """One spool line's values as ``{column attname: value}`` for the click event."""
    (version, micros, campaign_id, link_id, channel, source, medium, name, content, term,
     click_id, referrer, is_bot) = values
    if version != LINE_VERSION:
        raise ValueError(f"line format {version!r}")
    if not isinstance(campaign_id, int) or not isinstance(link_id, int | None) or not isinstance(micros, int):
        raise TypeError("ids and time must be whole numbers")
    return {
        "kind": EventKind.CLICK.value,
        "occurred_at": _EPOCH + datetime.timedelta(microseconds=micros),
        "campaign_id": campaign_id, "link_id": link_id, "channel": str(channel),
        "utm_source": str(source), "utm_medium": str(medium), "utm_campaign": str(name),
        "utm_content": str(content), "utm_term": str(term), "click_id": str(click_id),
        "referrer_host": str(referrer), "is_bot": bool(is_bot),
    }


def _still_linked(events: list[dict], name: str) -> list[dict]:
    """``events`` without those whose campaign was deleted since the click (its events
    went with it: ``on_delete=CASCADE``), and with ``link`` cleared where the link was
    deleted (``SET_NULL``), as if the click had been in the database already. Without
    this one such click would make its whole chunk fail at every run."""
    campaign_ids = {event["campaign_id"] for event in events}
    link_ids = {event["link_id"] for event in events if event["link_id"] is not None}
    live_campaigns = set(Campaign.objects.filter(pk__in=campaign_ids).values_list("pk", flat=True))
    live_links = set(TrackedLink.objects.filter(pk__in=link_ids).values_list("pk", flat=True))
    kept = []
    for event in events:
        if event["campaign_id"] not in live_campaigns:
            continue
        if event["link_id"] is not None and event["link_id"] not in live_links:
            event["link_id"] = None
        kept.append(event)
    if len(kept) < len(events):
        logger.info("click spool %s: %d clicks of deleted campaigns left out",
                    name, len(events) - len(kept))
    return kept


def _period(name: str) -> int | None:
    match = _NAME.fullmatch(name)
    return int(match.group(1)) if match else None


def _ingest_chunk(path: Path, record: ClickSpoolFile) -> tuple[int, bool]:
    """Move the next chunk of complete lines of ``path`` into events, in one transaction
    with the file's offset; return ``(events inserted, more to read)``."""
    with transaction.atomic():
        # The UPDATE first: it takes the row's lock (PostgreSQL) or the write lock
        # (SQLite), so the offset read next is the one every other worker sees.
        if not ClickSpoolFile.objects.filter(pk=record.pk).update(checked_at=timezone.now()):
            return 0, False  # another worker read the file to its end and retired it
        record.refresh_from_db(fields=["offset", "bad_lines"])
        with path.open("rb") as handle:
            handle.seek(record.offset)
            data = handle.read(CHUNK_BYTES)
        end = data.rfind(b"\n") + 1
        if end == 0:
            return 0, False
        events: list[dict] = []
        bad = 0
        for number, line in enumerate(data[:end].splitlines(), start=1):
            try:
                events.append(_event(json.loads(line)))
            except (ValueError, TypeError) as exc:
                # A torn line (a full disk mid-write) or a hand-edited file: keep the
                # rest, say where, keep count on the file's row.
                bad += 1
                logger.error("click spool %s: unreadable line %d after byte %d (%s); skipped",
                             path.name, number, record.offset, exc)
        events = _still_linked(events, path.name)
        if events:
            insert_clicks(events)
        ClickSpoolFile.objects.filter(pk=record.pk).update(
            offset=record.offset + end, bad_lines=record.bad_lines + bad
        )
        record.offset += end
        record.bad_lines += bad
        return len(events), len(data) == CHUNK_BYTES


def ingest(directory: Path | None = None, *, now: float | None = None) -> int:
    """Move every complete spooled click into the database; return the clicks inserted.

    Safe to run from any number of workers at once (each file's row is locked while its
    chunk moves) and after any crash (offsets move with the events). Files at least two
    rotation periods old whose every byte has been read are deleted, with their rows. A
    last line without its newline in such a file (a write cut off by a full disk) is
    logged and dropped. Returns 0 when the spool is switched off or absent.
    """
    directory = directory or spool_dir()
    if directory is None or not directory.is_dir():
        return 0
    now = time.time() if now is None else now
    current = int(now // ROTATE_SECONDS)
    inserted = 0
    failure: Exception | None = None
    for path in sorted(directory.iterdir()):
        period = _period(path.name)
        if period is None:
            continue
        try:
            inserted += _ingest_file(path, period <= current - 2)
        except Exception as exc:  # noqa: BLE001 (one bad file must not hold up the rest)
            logger.exception("click spool %s: could not move its clicks; retrying next run", path.name)
            failure = failure or exc
    if failure is not None:
        raise failure
    return inserted


def _ingest_file(path: Path, old: bool) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:  # another worker finished and deleted it
        return 0
    record, _ = ClickSpoolFile.objects.get_or_create(name=path.name)
    inserted = 0
    more = record.offset < size
    while more:
        try:
            count, more = _ingest_chunk(path, record)
        except FileNotFoundError:
            break
        inserted += count
    if old:
        _retire(path, record)
    return inserted


def _retire(path: Path, record: ClickSpoolFile) -> None:
    """Delete an old spool file that has been read to its end, and its row (under the
    row's lock, so a worker still moving its last chunk finishes first)."""
    with transaction.atomic():
        if not ClickSpoolFile.objects.filter(pk=record.pk).update(checked_at=timezone.now()):
            return  # another worker retired it
        record.refresh_from_db(fields=["offset"])
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = record.offset
        if record.offset < size:
            # Only a torn last line can be left in a file nobody writes to any more.
            logger.error("click spool %s: %d bytes without a line end at the end; dropped",
                         path.name, size - record.offset)
        ClickSpoolFile.objects.filter(pk=record.pk).delete()
        path.unlink(missing_ok=True)


def pending_bytes(directory: Path | None = None) -> int:
    """Bytes spooled but not yet in the database (for the worker's log and health)."""
    directory = directory or spool_dir()
    if directory is None or not directory.is_dir():
        return 0
    offsets = dict(ClickSpoolFile.objects.values_list("name", "offset"))
    total = 0
    for path in directory.iterdir():
        if _period(path.name) is not None:
            try:
                total += max(0, path.stat().st_size - offsets.get(path.name, 0))
            except FileNotFoundError:
                continue
    return total


#: Unread clicks whose file nobody has read for this long mean no worker is moving them.
STALE_AFTER_SECONDS = 60


def clicks_waiting(directory: Path | None = None, *, now: float | None = None) -> bool:
    """True when this machine's spool holds clicks that no worker has read for
    :data:`STALE_AFTER_SECONDS` (a file with unread bytes, begun over a minute ago, that
    no worker has looked at for a minute): staff pages then say that recent clicks are
    not counted yet because the worker is not running. With a worker running, every file
    with unread bytes is looked at every half second."""
    directory = directory or spool_dir()
    if directory is None or not directory.is_dir():
        return False
    now = time.time() if now is None else now
    records = {r.name: r for r in ClickSpoolFile.objects.all()}
    for path in directory.iterdir():
        period = _period(path.name)
        if period is None or period * ROTATE_SECONDS >= now - STALE_AFTER_SECONDS:
            continue
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            continue
        record = records.get(path.name)
        offset = record.offset if record else 0
        checked = record.checked_at.timestamp() if record and record.checked_at else None
        if size > offset and (checked is None or checked < now - STALE_AFTER_SECONDS):
            return True
    return False
