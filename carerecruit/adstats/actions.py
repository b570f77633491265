"""Writes of ad-platform figures: the import, platform-campaign mappings, pending uploads.

Views, the ``import-ad-stats`` command and tests all go through these functions; nothing
else writes the adstats models.
"""

from __future__ import annotations

import datetime
import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from carerecruit.adstats.models import (
    DEFAULT_CHANNEL,
    AdDailyStat,
    AdImport,
    AdPeriodStat,
    AdPlatformCampaign,
    AdUpload,
)
from carerecruit.adstats.parsers import (
    AdRow,
    ParsedFile,
    Problem,
    gc_paused,
    parse_ad_file,
    sort_problems,
)
from carerecruit.campaigns.models import Campaign, Channel

# How long an upload may wait for its confirmation before clean-up deletes it.
UPLOAD_MAX_AGE = datetime.timedelta(hours=24)
MAPPABLE_CHANNELS = frozenset(c.value for c in Channel if c != Channel.DIRECT)
# Rows per INSERT statement on SQLite: large enough that per-statement costs vanish,
# small enough for its limit on bound parameters (checked at run time too).
UPSERT_BATCH_ROWS = 1000


@dataclass(frozen=True)
class CampaignMapping:
    """Which of our campaigns (and optionally which channel, "" for none) a platform
    campaign's figures belong to."""

    campaign: Campaign
    channel: str = ""

    def __post_init__(self):
        if self.channel and self.channel not in MAPPABLE_CHANNELS:
            raise ValueError(f"Not a channel for ad figures: {self.channel!r}")


@dataclass
class PlatformCampaignSummary:
    """One platform campaign's figures in a file (all its rows, daily and period).

    ``landing_page_views`` and ``results`` are None when no row reported them; reach is
    left out because it cannot be summed. ``campaign``/``channel`` are the mapping the
    import uses (given, or remembered from earlier files); ``remembered`` says it came
    from an earlier file; ``known`` says the platform campaign was seen before.
    """

    name: str
    first_line: int
    rows: int = 0
    daily_rows: int = 0
    period_rows: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    impressions: int = 0
    clicks: int = 0
    landing_page_views: int | None = None
    spend_pence: int = 0
    currency: str = ""
    results: Decimal | None = None
    ads: int = 0
    campaign: Campaign | None = None
    channel: str = ""
    known: bool = False
    remembered: bool = False


@dataclass
class ImportResult:
    """What an import did or, with ``dry_run`` or when it failed, would have done.

    ``problems`` lists every bad cell (line, column, message); ``unmapped`` names the
    platform campaigns that need mapping to one of our campaigns. When either is non-empty
    nothing was written. ``ad_import`` is the audit record of a committed import (None for
    a dry run or a failure). ``previous_imports`` are earlier imports of the same bytes.
    """

    file_name: str
    sha256: str
    dry_run: bool
    platform: str | None = None
    rows: int = 0
    daily_rows: int = 0
    period_rows: int = 0
    skipped_total_rows: int = 0
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    totals: list[PlatformCampaignSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    ad_import: AdImport | None = None
    previous_imports: list[AdImport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be (or was) imported as it stands."""
        return not self.problems and not self.unmapped

    @property
    def committed(self) -> bool:
        return self.ad_import is not None


def summarise(rows: Iterable[AdRow]) -> tuple[list[PlatformCampaignSummary], tuple]:
    """Totals per platform campaign in file order, and ``(daily rows, period rows, first
    date, last date)`` over the whole file."""
    by_name: dict[str, PlatformCampaignSummary] = {}
    ads: dict[str, set[str]] = {}
    daily = period = 0
    first = last = None
    for row in rows:
        summary = by_name.get(row.campaign_name)
        if summary is None:
            summary = by_name[row.campaign_name] = PlatformCampaignSummary(row.campaign_name, row.line, currency=row.currency)
            ads[row.campaign_name] = set()
        summary.rows += 1
        if row.start == row.end:
            summary.daily_rows += 1
            daily += 1
        else:
            summary.period_rows += 1
            period += 1
        if summary.first_date is None or row.start < summary.first_date:
            summary.first_date = row.start
        if summary.last_date is None or row.end > summary.last_date:
            summary.last_date = row.end
        summary.impressions += row.impressions
        summary.clicks += row.clicks
        summary.spend_pence += row.spend_pence
        if row.landing_page_views is not None:
            summary.landing_page_views = (summary.landing_page_views or 0) + row.landing_page_views
        if row.results is not None:
            summary.results = (summary.results or 0) + row.results
        if row.ad_name:
            ads[row.campaign_name].add(row.ad_name)
    for name, summary in by_name.items():
        summary.ads = len(ads[name])
        if first is None or summary.first_date < first:
            first = summary.first_date
        if last is None or summary.last_date > last:
            last = summary.last_date
    return list(by_name.values()), (daily, period, first, last)


def do_import_ad_stats(
    file_bytes: bytes,
    filename: str,
    *,
    platform: str | None = None,
    currency: str | None = None,
    mapping: Mapping[str, CampaignMapping | Campaign] | None = None,
    user=None,
    dry_run: bool = False,
    default_mapping: CampaignMapping | Campaign | None = None,
    default_currency: str | None = None,
) -> ImportResult:
    """Import an ad-platform export (CSV or XLSX bytes): all or nothing, in one transaction.

    - ``platform`` (meta/linkedin/google), ``currency`` (ISO 4217: the account currency,
      which must agree with the file's if it names one) and ``default_currency`` (used
      only where the file names none) go to :func:`carerecruit.adstats.parsers.parse_ad_file`.
    - ``mapping`` maps platform campaign names to our campaigns (a :class:`CampaignMapping`
      or a Campaign, channel then unchanged); it is remembered for later files. Platform
      campaigns neither given nor remembered take ``default_mapping`` when it is given
      (the command's ``--campaign``), else come back in ``unmapped``.
    - Figures REPLACE what is stored for the same platform campaign, ad and day (or
      period), so importing a file twice leaves the same figures. A platform campaign's
      day stored at the other level (campaign-level vs per-ad) is deleted too, so it is
      never counted twice.
    - Any problem in the file, or any unmapped platform campaign, writes nothing.
    - ``dry_run`` checks everything and writes nothing (the staff preview).

    Returns an :class:`ImportResult`. Raises ValueError only for a bad ``platform`` or
    ``mapping`` argument (caller's bugs), never for a bad file.
    """
    with gc_paused():
        return _import(
            file_bytes, filename, platform=platform, currency=currency, mapping=mapping, user=user,
            dry_run=dry_run, default_mapping=default_mapping, default_currency=default_currency,
        )


def _import(file_bytes, filename, *, platform, currency, mapping, user, dry_run, default_mapping, default_currency) -> ImportResult:
    sha256 = hashlib.sha256(file_bytes).hexdigest()
    result = ImportResult(file_name=filename, sha256=sha256, dry_run=dry_run)
    result.previous_imports = list(AdImport.objects.filter(sha256=sha256).select_related("imported_by")[:5])
    parsed = parse_ad_file(file_bytes, platform=platform, currency=currency, default_currency=default_currency)
    result.platform = parsed.platform
    result.skipped_total_rows = parsed.skipped_total_rows
    if parsed.problems:
        result.problems = sort_problems(parsed.problems)
        return result
    if not parsed.rows:
        result.problems = [Problem(None, "", "The file has no rows of figures below its header")]
        return result

    totals, (daily, period, first, last) = summarise(parsed.rows)
    result.rows, result.daily_rows, result.period_rows = len(parsed.rows), daily, period
    result.first_date, result.last_date, result.totals = first, last, totals

    known = _platform_campaigns(parsed.platform, [t.name for t in totals])
    mapping = dict(mapping or {})
    for summary in totals:
        existing = known.get(summary.name)
        summary.known = existing is not None
        chosen = mapping.get(summary.name)
        if chosen is None and default_mapping is not None and (existing is None or existing.campaign_id is None):
            chosen = default_mapping
        if chosen is not None:
            summary.campaign = chosen.campaign if isinstance(chosen, CampaignMapping) else chosen
            summary.channel = chosen.channel if isinstance(chosen, CampaignMapping) else ""
            if not isinstance(chosen, CampaignMapping):
                # A bare Campaign keeps the channel already set, or takes the platform's
                # usual one (LinkedIn → linkedin, Google Ads → google_ads).
                summary.channel = existing.channel if existing else DEFAULT_CHANNEL[parsed.platform]
        elif existing is not None and existing.campaign_id is not None:
            summary.campaign, summary.channel, summary.remembered = existing.campaign, existing.channel, True
        else:
            result.unmapped.append(summary.name)
    if dry_run or result.unmapped:
        return result

    with transaction.atomic():
        ids = _save_platform_campaigns(parsed, totals, known, user)
        _replace_daily(parsed.rows, ids)
        _replace_period(parsed.rows, ids)
        result.ad_import = AdImport.objects.create(
            file_name=filename[:255], sha256=sha256, platform=parsed.platform,
            rows=result.rows, daily_rows=daily, period_rows=period,
            first_date=first, last_date=last, imported_by=user,
        )
    return result


def _platform_campaigns(platform: str, names: Sequence[str]) -> dict[str, AdPlatformCampaign]:
    found = {}
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        for pc in AdPlatformCampaign.objects.filter(platform=platform, name__in=chunk).select_related("campaign"):
            found[pc.name] = pc
    return found


def _save_platform_campaigns(
    parsed: ParsedFile, totals: list[PlatformCampaignSummary], known: dict[str, AdPlatformCampaign], user
) -> dict[str, int]:
    """Create the new platform campaigns and store the mappings; ``{name: id}``."""
    now = timezone.now()
    platform_ids = {}
    for row in parsed.rows:
        if row.campaign_id:
            platform_ids[row.campaign_name] = row.campaign_id[:64]
    new = [
        AdPlatformCampaign(
            platform=parsed.platform, name=t.name, platform_campaign_id=platform_ids.get(t.name, ""),
            campaign=t.campaign, channel=t.channel, mapped_at=now, mapped_by=user,
        )
        for t in totals if t.name not in known
    ]
    # ignore_conflicts: another import may have created the same platform campaign
    # since we looked; the mapping is then set below like any existing one.
    AdPlatformCampaign.objects.bulk_create(new, ignore_conflicts=True)
    stored = _platform_campaigns(parsed.platform, [t.name for t in totals])
    for summary in totals:
        pc = stored[summary.name]
        changed = []
        if pc.campaign_id != summary.campaign.pk or pc.channel != summary.channel:
            pc.campaign, pc.channel, pc.mapped_at, pc.mapped_by = summary.campaign, summary.channel, now, user
            changed += ["campaign", "channel", "mapped_at", "mapped_by"]
        new_id = platform_ids.get(summary.name)
        if new_id and pc.platform_campaign_id != new_id:
            pc.platform_campaign_id = new_id
            changed.append("platform_campaign_id")
        if changed:
            pc.save(update_fields=changed)
    return {name: pc.pk for name, pc in stored.items()}


_MEASURES = ("impressions", "reach", "clicks", "landing_page_views", "spend_pence", "currency", "results")


def _replace_daily(rows: Sequence[AdRow], ids: dict[str, int]) -> None:
    params = []
    spans: dict[tuple[int, bool], set[datetime.date]] = {}
    iso: dict[datetime.date, str] = {}
    for r in rows:
        if r.start != r.end:
            continue
        pc_id = ids[r.campaign_name]
        spans.setdefault((pc_id, bool(r.ad_name)), set()).add(r.start)
        # ISO strings, converted once per distinct day: both drivers take them for a
        # date column, and it saves a driver-side conversion per row.
        day = iso.get(r.start) or iso.setdefault(r.start, r.start.isoformat())
        params.append((pc_id, r.ad_name, day, r.impressions, r.reach, r.clicks,
                       r.landing_page_views, r.spend_pence, r.currency, r.results))
    if not params:
        return
    for (pc_id, is_ad), days in spans.items():
        queryset = _other_level(AdDailyStat, pc_id, is_ad)
        ordered = sorted(days)
        if not is_ad and (ordered[-1] - ordered[0]).days + 1 == len(ordered):
            # Per-ad rows of a run of days: one range scan of those days' rows.
            queryset.filter(date__range=(ordered[0], ordered[-1])).delete()
            continue
        # The campaign-level row of each day: with ad "" and the days listed, both
        # databases look up (platform campaign, day, "") in the unique index directly
        # instead of scanning every ad's row of the range.
        for start in range(0, len(ordered), 500):
            queryset.filter(date__in=ordered[start:start + 500]).delete()
    _upsert(AdDailyStat, ("platform_campaign", "ad_name", "date"), ("platform_campaign", "date", "ad_name"), params)


def _replace_period(rows: Sequence[AdRow], ids: dict[str, int]) -> None:
    params = []
    spans: dict[tuple[int, bool], set[tuple[datetime.date, datetime.date]]] = {}
    for r in rows:
        if r.start == r.end:
            continue
        pc_id = ids[r.campaign_name]
        spans.setdefault((pc_id, bool(r.ad_name)), set()).add((r.start, r.end))
        params.append((pc_id, r.ad_name, r.start.isoformat(), r.end.isoformat(), r.impressions, r.reach,
                       r.clicks, r.landing_page_views, r.spend_pence, r.currency, r.results))
    if not params:
        return
    for (pc_id, is_ad), periods in spans.items():
        for period_start, period_end in periods:
            _other_level(AdPeriodStat, pc_id, is_ad).filter(period_start=period_start, period_end=period_end).delete()
    _upsert(
        AdPeriodStat, ("platform_campaign", "ad_name", "period_start", "period_end"),
        ("platform_campaign", "period_start", "period_end", "ad_name"), params,
    )


def _other_level(model: type[Model], pc_id: int, file_is_per_ad: bool):
    """Stored rows of platform campaign ``pc_id`` at the other level than the file's
    (campaign-level rows have ad ""): a file at one level replaces the other, so a day
    is never counted twice."""
    queryset = model.objects.filter(platform_campaign_id=pc_id)
    return queryset.filter(ad_name="") if file_is_per_ad else queryset.exclude(ad_name="")


def _max_params() -> int:
    """SQLite's limit on bound parameters per statement (32,766 since SQLite 3.32)."""
    return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _upsert(model: type[Model], key_fields: Sequence[str], conflict_fields: Sequence[str], params: list[tuple]) -> None:
    """Write ``params`` (rows of ``key_fields`` then :data:`_MEASURES`) into ``model``'s
    table, replacing rows with the same key: INSERT … ON CONFLICT (the unique
    constraint) DO UPDATE. Must run inside the caller's transaction.atomic().

    Raw SQL on the driver's own cursor because this is the import's hot path: Django's
    bulk_create builds a model instance and prepares every field of every row in Python,
    and Django's SQLite cursor rewrites a 10,000-placeholder statement with a regular
    expression on every execute; either costs more than the database's own work on
    100,000s of rows. SQLite takes many rows per INSERT; PostgreSQL gets them through
    COPY into a temporary table and one INSERT … SELECT, because binding millions of
    parameters costs psycopg far more CPU than COPY's text rows.
    """
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(f) for f in (*key_fields, *_MEASURES)]
    columns = ", ".join(quote(f.column) for f in fields)
    conflict = ", ".join(quote(meta.get_field(f).column) for f in conflict_fields)
    measures = [quote(meta.get_field(f).column) for f in _MEASURES]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in measures)
    # A row whose figures have not changed is left alone (a re-imported file then costs
    # lookups, not rewrites): null-safe row comparison, spelt per database.
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    table = quote(meta.db_table)
    changed = (
        f"({', '.join(f'{table}.{c}' for c in measures)}) {distinct} "
        f"({', '.join(f'EXCLUDED.{c}' for c in measures)})"
    )
    # Identifiers come from the model's own metadata; values only as parameters or COPY data.
    insert = f"INSERT INTO {table} ({columns})"
    on_conflict = f"ON CONFLICT ({conflict}) DO UPDATE SET {updates} WHERE {changed}"
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        if connection.vendor == "postgresql":
            load = quote(f"{meta.db_table}_load")
            types = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
            cursor.execute(f"CREATE TEMPORARY TABLE {load} ({types}) ON COMMIT DROP")
            with cursor.copy(f"COPY {load} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            cursor.execute(f"{insert} SELECT {columns} FROM {load} {on_conflict}")  # noqa: S608
            cursor.execute(f"DROP TABLE {load}")
            return
        width = len(fields)
        batch = max(1, min(UPSERT_BATCH_ROWS, _max_params() // width))
        row_sql = "(" + ", ".join(["?"] * width) + ")"
        full_sql = f"{insert} VALUES {', '.join([row_sql] * batch)} {on_conflict}"
        for start in range(0, len(params), batch):
            chunk = params[start:start + batch]
            sql = full_sql if len(chunk) == batch else f"{insert} VALUES {', '.join([row_sql] * len(chunk))} {on_conflict}"
            cursor.execute(sql, [value for row in chunk for value in row])
    finally:
        cursor.close()


def do_map_platform_campaign(pc: AdPlatformCampaign, mapping: CampaignMapping | None, *, user=None) -> AdPlatformCampaign:
    """Map (or, with None, unmap) a platform campaign to one of our campaigns and a
    channel; later imports of its files use this mapping. Stored figures follow at once,
    since queries join through the mapping."""
    pc.campaign = mapping.campaign if mapping else None
    pc.channel = mapping.channel if mapping else ""
    pc.mapped_at, pc.mapped_by = timezone.now(), user
    pc.save(update_fields=["campaign", "channel", "mapped_at", "mapped_by"])
    return pc


def do_store_ad_upload(*, user, file_name: str, content: bytes, platform: str = "", currency: str = "") -> AdUpload:
    """Keep an uploaded file until its import is confirmed (see :class:`AdUpload`), and
    delete every upload older than :data:`UPLOAD_MAX_AGE`, whoever made it."""
    with transaction.atomic():
        AdUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
        return AdUpload.objects.create(
            uploaded_by=user, file_name=file_name[:255], content=content,
            platform=platform or "", currency=currency or "",
        )


def do_confirm_ad_upload(upload: AdUpload, *, mapping: Mapping[str, CampaignMapping], user) -> ImportResult:
    """Import a stored upload with ``mapping``; on success the upload is deleted in the
    same transaction. Returns the :class:`ImportResult` (problems when it failed)."""
    with transaction.atomic():
        result = do_import_ad_stats(
            bytes(upload.content), upload.file_name, platform=upload.platform or None,
            default_currency=upload.currency or None, mapping=mapping, user=user,
        )
        if result.committed:
            upload.delete()
    return result
