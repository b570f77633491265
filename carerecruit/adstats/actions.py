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
from itertools import islice
from operator import eq, itemgetter

from django.db import connection, transaction
from django.db.models import Model, Q
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
    # The days of its daily rows, by level: {False: campaign-level days, True: per-ad days}.
    daily_days: dict[bool, set[datetime.date]] = field(default_factory=dict, repr=False)


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


_START, _END, _AD = itemgetter(4), itemgetter(5), itemgetter(3)
_IMPRESSIONS, _CLICKS, _LPV, _SPEND, _RESULTS = itemgetter(6), itemgetter(8), itemgetter(9), itemgetter(10), itemgetter(12)


def _known_sum(values: list):
    """Sum of the values that are not None; None when all are (not reported)."""
    if values.count(None) == len(values):
        return None
    return sum(filter(None, values))


def summarise(rows: Iterable[AdRow]) -> tuple[list[PlatformCampaignSummary], tuple]:
    """Totals per platform campaign in file order, and ``(daily rows, period rows, first
    date, last date)`` over the whole file. Sums run column by column in C (map/sum over
    each platform campaign's rows): this is on the import's hot path."""
    groups: dict[str, list[AdRow]] = {}
    for row in rows:
        group = groups.get(row.campaign_name)
        if group is None:
            group = groups[row.campaign_name] = []
        group.append(row)
    totals = []
    for name, group in groups.items():
        starts, ends = list(map(_START, group)), list(map(_END, group))
        daily_flags = list(map(eq, starts, ends))
        daily = daily_flags.count(True)
        ads = list(map(_AD, group))
        ad_names = set(ads)
        ad_names.discard("")
        days_by_level: dict[bool, set[datetime.date]] = {}
        if daily:
            for start, is_daily, ad in zip(starts, daily_flags, ads, strict=True):
                if is_daily:
                    days_by_level.setdefault(bool(ad), set()).add(start)
        totals.append(PlatformCampaignSummary(
            name, group[0].line, rows=len(group), daily_rows=daily, period_rows=len(group) - daily,
            first_date=min(starts), last_date=max(ends),
            impressions=sum(map(_IMPRESSIONS, group)), clicks=sum(map(_CLICKS, group)),
            landing_page_views=_known_sum(list(map(_LPV, group))), spend_pence=sum(map(_SPEND, group)),
            currency=group[0].currency, results=_known_sum(list(map(_RESULTS, group))),
            ads=len(ad_names), daily_days=days_by_level,
        ))
    daily = sum(t.daily_rows for t in totals)
    period = sum(t.period_rows for t in totals)
    first = min((t.first_date for t in totals), default=None)
    last = max((t.last_date for t in totals), default=None)
    return totals, (daily, period, first, last)


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
        _replace_daily(parsed.rows, ids, totals)
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


def _replace_daily(rows: Sequence[AdRow], ids: dict[str, int], totals: Sequence[PlatformCampaignSummary]) -> None:
    spans = {
        (ids[t.name], is_ad): days for t in totals for is_ad, days in t.daily_days.items()
    }
    if not spans:
        return
    _lock_for_writing(AdDailyStat)
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
    # ISO strings, made once per distinct day: both drivers take them for a date column,
    # and it saves a conversion per row (Python-level in Django's SQLite adapter).
    iso = {day: day.isoformat() for days in spans.values() for day in days}
    daily = (
        (ids[r.campaign_name], r.ad_name, iso[r.start], r.impressions, r.reach, r.clicks,
         r.landing_page_views, r.spend_pence, r.currency, r.results)
        for r in rows if r.start == r.end
    )
    _write_rows(
        AdDailyStat, ("platform_campaign", "ad_name", "date"), ("platform_campaign", "date", "ad_name"), daily,
        replace=_days_stored(spans),
    )


def _days_stored(spans: dict[tuple[int, bool], set[datetime.date]]) -> bool:
    """Whether any figures are stored for the file's platform campaigns between each
    one's first and last day in the file. Usually not (a file of the latest days), and
    then the rows can go straight in, skipping the replace machinery."""
    bounds: dict[int, tuple[datetime.date, datetime.date]] = {}
    for (pc_id, _), days in spans.items():
        lo, hi = min(days), max(days)
        if pc_id in bounds:
            lo, hi = min(lo, bounds[pc_id][0]), max(hi, bounds[pc_id][1])
        bounds[pc_id] = (lo, hi)
    items = list(bounds.items())
    for start in range(0, len(items), 100):
        condition = Q()
        for pc_id, (lo, hi) in items[start:start + 100]:
            condition |= Q(platform_campaign_id=pc_id, date__range=(lo, hi))
        if AdDailyStat.objects.filter(condition).exists():
            return True
    return False


def _lock_for_writing(model: type[Model]) -> None:
    """Make concurrent imports take turns (readers are not blocked), so that no figures
    appear between _days_stored() and the write. SQLite needs nothing: the project's
    transactions are IMMEDIATE, so a writer holds the database's write lock throughout.
    PostgreSQL: SHARE ROW EXCLUSIVE conflicts with itself and with row writes only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")


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
    _write_rows(
        AdPeriodStat, ("platform_campaign", "ad_name", "period_start", "period_end"),
        ("platform_campaign", "period_start", "period_end", "ad_name"), params, replace=True,
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


def _write_rows(
    model: type[Model], key_fields: Sequence[str], conflict_fields: Sequence[str], params: Iterable[tuple],
    *, replace: bool,
) -> None:
    """Write ``params`` (tuples of ``key_fields`` then :data:`_MEASURES`; any iterable,
    consumed once) into ``model``'s
    table. With ``replace``, a row replaces the stored one with the same key: INSERT …
    ON CONFLICT (the unique constraint) DO UPDATE; without, the caller has made sure no
    row has a stored key. Must run inside the caller's transaction.atomic().

    Raw SQL on the driver's own cursor because this is the import's hot path: Django's
    bulk_create builds a model instance and prepares every field of every row in Python,
    and Django's SQLite cursor rewrites a 10,000-placeholder statement with a regular
    expression on every execute; either costs more than the database's own work on
    100,000s of rows. SQLite takes many rows per INSERT. PostgreSQL gets them through
    COPY (binding millions of parameters costs psycopg far more CPU than COPY's text
    rows): straight into the table, or, to replace, into a temporary table and then one
    INSERT … SELECT … ON CONFLICT.
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
        if connection.vendor == "postgresql" and not replace:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return
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
        if not replace:
            on_conflict = ""
        width = len(fields)
        batch = max(1, min(UPSERT_BATCH_ROWS, _max_params() // width))
        row_sql = "(" + ", ".join(["?"] * width) + ")"
        full_sql = f"{insert} VALUES {', '.join([row_sql] * batch)} {on_conflict}"
        params = iter(params)
        while chunk := list(islice(params, batch)):
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
