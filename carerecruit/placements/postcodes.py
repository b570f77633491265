"""Postcode → council: the ONS Postcode Directory (ONSPD) and a demo fallback.

Two sources, in order:

1. ``PostcodeLocation`` rows imported from the real ONSPD CSV by
   ``carerecruit import-onspd FILE`` (:func:`import_onspd`). The council with adult
   social services is ONSPD ``oscty`` when it is a real county code (E10…), else
   ``oslaua`` (unitaries and metropolitan districts carry the pseudo-county E99999999);
   domain.md 1.3 and 5.3.
2. When ONSPD has not been imported (a demo, a test) or does not know the postcode: the
   small table of West Midlands postcode *districts* in ``data/postcode_districts.csv``,
   each mapped to the council that covers most of it. Postcode districts do not follow
   council boundaries, so this is approximate by design (see ``data/README.md``).

The importer reads columns by header name, not position, with every accepted spelling
of each header in one place (:data:`ONSPD_COLUMNS`): ONS has renamed headers between
releases (``oslaua`` in ONSPD, ``laua`` in NSPL, ``lad25cd`` in newer files).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from carerecruit.lib.postcodes import COMPACT_POSTCODE_RE, compact_postcode

DATA_DIR = Path(__file__).resolve().parent / "data"
DISTRICTS_CSV = DATA_DIR / "postcode_districts.csv"

# Canonical name → patterns (case-insensitive, whole header) that ONSPD/NSPL releases
# have used for it. Required columns first.
ONSPD_COLUMNS: dict[str, tuple[str, ...]] = {
    "pcds": (r"pcds",),
    "doterm": (r"doterm",),
    "oscty": (r"oscty", r"cty", r"cty\d\dcd"),
    "oslaua": (r"oslaua", r"laua", r"lad\d\dcd"),
    "lat": (r"lat", r"latitude"),
    "long": (r"long", r"longitude"),
    "osward": (r"osward", r"ward", r"wd\d\dcd"),
    "rgn": (r"rgn", r"rgn\d\dcd"),
    "lsoa21": (r"lsoa21", r"lsoa21cd"),
    "icb": (r"icb", r"icb\d\dcd"),
}
REQUIRED_COLUMNS = ("pcds", "doterm", "oscty", "oslaua", "lat", "long")
# ONSPD's latitude for postcodes with no grid reference (longitude 0.000000).
PLACEHOLDER_LATITUDE = 99.999999
COUNTY_PREFIX = "E10"
BATCH_SIZE = 5000


class OnspdFormatError(ValueError):
    """The file is not an ONSPD CSV we can read; ``str()`` says what is missing."""


def cassr_code(oscty: str, oslaua: str) -> str:
    """The GSS code of the council with adult social services for a postcode: the county
    (``oscty``) when it is a real county code ``E10…``, else the district (``oslaua``).

    >>> cassr_code("E10000028", "E07000194")   # Lichfield, in Staffordshire
    'E10000028'
    >>> cassr_code("E99999999", "E08000025")   # Birmingham
    'E08000025'
    """
    oscty = (oscty or "").strip()
    return oscty if oscty.startswith(COUNTY_PREFIX) else (oslaua or "").strip()


def resolve_columns(header: Iterable[str]) -> dict[str, int]:
    """Map canonical column names to positions in ``header``.

    Raises :class:`OnspdFormatError` naming the required columns that are missing.
    Optional columns that are absent are left out of the result.
    """
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    positions: dict[str, int] = {}
    for canonical, patterns in ONSPD_COLUMNS.items():
        for i, name in enumerate(names):
            if any(re.fullmatch(p, name) for p in patterns):
                positions[canonical] = i
                break
    missing = [c for c in REQUIRED_COLUMNS if c not in positions]
    if missing:
        raise OnspdFormatError(
            f"not an ONSPD file: no column for {', '.join(missing)} "
            f"(first columns: {', '.join(names[:6])})"
        )
    return positions


@dataclass
class ImportResult:
    """What :func:`import_onspd` did. ``imported`` rows were written; the others were
    skipped: terminated postcodes, other regions, and malformed postcodes."""

    imported: int = 0
    terminated: int = 0
    other_region: int = 0
    malformed: int = 0
    without_location: int = 0
    regions: set[str] = field(default_factory=set)


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def parse_rows(
    rows: Iterable[list[str]], positions: dict[str, int], *, regions: set[str] | None,
    result: ImportResult,
) -> Iterator[dict]:
    """Yield field dicts for ``PostcodeLocation`` from ONSPD data rows (no header).

    Keeps live postcodes (empty ``doterm``) in ``regions`` (None: every region). A
    missing or placeholder location (lat 99.999999) becomes NULL; the row is still kept,
    as its council is known. Counts what it skips in ``result``.
    """

    def get(row: list[str], name: str) -> str:
        i = positions.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for row in rows:
        if not row:
            continue
        if get(row, "doterm"):
            result.terminated += 1
            continue
        region = get(row, "rgn")
        if regions is not None and region not in regions:
            result.other_region += 1
            continue
        compact = compact_postcode(get(row, "pcds"))
        if not COMPACT_POSTCODE_RE.fullmatch(compact):
            result.malformed += 1
            continue
        lat, long = _float(get(row, "lat")), _float(get(row, "long"))
        if lat is None or long is None or abs(lat - PLACEHOLDER_LATITUDE) < 1e-6:
            lat = long = None
            result.without_location += 1
        oslaua = get(row, "oslaua")
        yield {
            "pcds": f"{compact[:-3]} {compact[-3:]}",
            "compact": compact,
            "latitude": lat,
            "longitude": long,
            "cassr_gss": cassr_code(get(row, "oscty"), oslaua),
            "oslaua": oslaua,
            "osward": get(row, "osward"),
            "lsoa21": get(row, "lsoa21"),
            "icb": get(row, "icb"),
            "rgn": region,
        }


def open_onspd(path: str | Path) -> io.TextIOBase:
    """Open an ONSPD CSV, or the ONSPD zip as published (its ``Data/ONSPD_*.csv``), as
    UTF-8 text (a byte-order mark is dropped). Raises OnspdFormatError for a zip with no
    CSV in it and OSError for an unreadable file."""
    path = Path(path)
    if path.suffix.lower() != ".zip":
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 (caller closes)
    archive = zipfile.ZipFile(path)
    members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv")]
    preferred = [i for i in members if re.search(r"(^|/)data/onspd_[^/]*\.csv$", i.filename, re.I)]
    candidates = preferred or members
    if not candidates:
        raise OnspdFormatError(f"{path.name} holds no CSV file")
    biggest = max(candidates, key=lambda i: i.file_size)
    return io.TextIOWrapper(archive.open(biggest), encoding="utf-8-sig", newline="")


def import_onspd(
    source: str | Path | io.TextIOBase, *, regions: set[str] | None, replace: bool = True
) -> ImportResult:
    """Load ONSPD postcodes into ``PostcodeLocation``, in one transaction.

    ``source``: a path (CSV or the published zip) or an open text file. ``regions``: ONS
    region codes to keep (e.g. ``{"E12000005"}``), None for all. ``replace`` (default)
    deletes every existing row first, so postcodes terminated since the last import
    disappear; without it rows are inserted or updated by postcode. Raises
    :class:`OnspdFormatError` when required columns are missing.
    """
    from carerecruit.placements.models import PostcodeLocation

    owns = not isinstance(source, io.TextIOBase)
    handle = open_onspd(source) if owns else source
    result = ImportResult(regions=set(regions) if regions is not None else set())
    try:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise OnspdFormatError("the file is empty") from None
        positions = resolve_columns(header)
        with transaction.atomic():
            if replace:
                PostcodeLocation.objects.all().delete()
            batch: list[PostcodeLocation] = []
            for fields in parse_rows(reader, positions, regions=regions, result=result):
                batch.append(PostcodeLocation(**fields))
                if len(batch) >= BATCH_SIZE:
                    _write(batch)
                    result.imported += len(batch)
                    batch = []
            if batch:
                _write(batch)
                result.imported += len(batch)
    finally:
        if owns:
            handle.close()
    return result


def _write(batch) -> None:
    from carerecruit.placements.models import PostcodeLocation

    # A postcode can appear twice when ONS re-issues it; the later row wins.
    PostcodeLocation.objects.bulk_create(
        list({row.compact: row for row in batch}.values()),
        update_conflicts=True,
        unique_fields=["compact"],
        update_fields=[
            "pcds", "latitude", "longitude", "cassr_gss", "oslaua", "osward", "lsoa21", "icb", "rgn",
        ],
    )


# ---------------------------------------------------------------------------------------
# Lookups


def outward_code(postcode: str) -> str:
    """``"WS13 6QG"`` → ``"WS13"``; "" when ``postcode`` is not postcode-shaped."""
    compact = compact_postcode(postcode)
    return compact[:-3] if COMPACT_POSTCODE_RE.fullmatch(compact) else ""


@functools.cache
def district_table() -> dict[str, str]:
    """``{outward code: council GSS code}`` from ``data/postcode_districts.csv``."""
    with open(DISTRICTS_CSV, encoding="utf-8", newline="") as handle:
        return {
            row["outward_code"].strip().upper(): row["council_gss"].strip()
            for row in csv.DictReader(handle)
        }


def locate_postcode(postcode: str):
    """The imported ONSPD row for ``postcode`` (any spacing or case), or None."""
    from carerecruit.placements.models import PostcodeLocation

    compact = compact_postcode(postcode)
    if not COMPACT_POSTCODE_RE.fullmatch(compact):
        return None
    return PostcodeLocation.objects.filter(compact=compact).first()


@dataclass(frozen=True)
class CouncilMatch:
    """The council found for a postcode and how: ``source`` is ``"postcode"`` (ONSPD)
    or ``"district"`` (the approximate postcode-district table)."""

    council: object  # organisations.Organisation
    source: str


def _council_by_gss(gss: str):
    from carerecruit.organisations.models import CouncilDistrict, Organisation

    if not gss:
        return None
    council = Organisation.objects.filter(
        kind=Organisation.Kind.COUNCIL, gss_code=gss, is_active=True
    ).first()
    if council is None:
        # A district code (two-tier area) that reached us without its county.
        district = CouncilDistrict.objects.select_related("council").filter(gss_code=gss).first()
        council = district.council if district and district.council.is_active else None
    return council


def council_for_postcode(postcode: str) -> CouncilMatch | None:
    """The council with adult social services whose area holds ``postcode``.

    ONSPD first (exact), then the postcode-district table (approximate). None when the
    postcode is malformed, or neither source knows it, or the council is not one of
    ours (e.g. a postcode in another region).
    """
    location = locate_postcode(postcode)
    if location is not None:
        council = _council_by_gss(location.cassr_gss) or _council_by_gss(location.oslaua)
        return CouncilMatch(council, "postcode") if council is not None else None
    outward = outward_code(postcode)
    council = _council_by_gss(district_table().get(outward, ""))
    return CouncilMatch(council, "district") if council is not None else None
