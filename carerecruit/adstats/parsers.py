"""Read ad-platform exports (Meta Ads Manager, LinkedIn Campaign Manager, Google Ads) in
the shapes they really have, into normalised rows plus a list of problems.

Plain functions, no database. :func:`parse_ad_file` is the entry point; everything else
is a helper it uses. What it copes with (samples in ``tests/fixtures/``):

- bytes → text: UTF-8 with or without a byte-order mark, UTF-16 with a BOM (Excel's
  "Unicode text"), else Windows-1252 (older Excel); CRLF, LF or CR line ends;
- XLSX workbooks (first sheet) through openpyxl, with the same logic on the sheet's rows;
- the delimiter (``,`` ``;`` or tab) and the header row, found by the column names
  rather than by counting lines, past preamble lines (LinkedIn's five report lines,
  Google's title and date-range lines);
- the platform, told from the header's column names when not given;
- numbers with thousands separators (``"1,204"``; ``1.204`` or ``1 204`` where ``;`` is
  the delimiter, which also means decimal commas: ``12,30``);
- currency in a money column's header (``Amount spent (GBP)``), in a currency column
  (Google's ``Currency code``), in the cell (``£12.30``, ``12.30 EUR``) or given by the
  caller (LinkedIn's ``Total Spent`` has none); all that are present must agree;
- ``--`` (or an empty cell) for a measure the platform did not report → None, never 0;
- ``Total: …`` footer rows (skipped: they are sums, not data);
- dates as ISO ``2020-04-20`` (Meta, Google) or month-first ``4/20/2020`` (LinkedIn).

Money becomes an integer in the currency's minor unit (pence) through Decimal, rounding
half up only when a platform gives more decimals than the currency has. Every bad cell of
every row is reported (line, column, message); callers import nothing when there is any.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import gc
import io
import itertools
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

META = "meta"
LINKEDIN = "linkedin"
GOOGLE = "google"
PLATFORMS = (META, LINKEDIN, GOOGLE)
PLATFORM_LABELS = {META: "Meta", LINKEDIN: "LinkedIn", GOOGLE: "Google Ads"}

# ISO 4217 codes in current use, by the number of digits in their minor unit (source:
# the ISO 4217 list maintained by SIX, "Current currency & funds"). Most have two.
_MINOR_UNITS_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_MINOR_UNITS_3 = "BHD IQD JOD KWD LYD OMR TND"
_MINOR_UNITS_4 = "CLF UYW"
_MINOR_UNITS_2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS "
    "KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN "
    "MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS "
    "UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)
CURRENCY_EXPONENT: dict[str, int] = {
    code: exponent
    for exponent, codes in ((0, _MINOR_UNITS_0), (2, _MINOR_UNITS_2), (3, _MINOR_UNITS_3), (4, _MINOR_UNITS_4))
    for code in codes.split()
}
# Symbols seen in platform exports' money cells. "$" alone is taken as USD unless the
# file names another dollar (AUD, CAD, …), which "$" then agrees with.
_CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD", "US$": "USD"}

UNKNOWN_MARKS = frozenset({"--"})
MAX_HEADER_SEARCH_ROWS = 50
# Bounds on one row's figures (exclusive). Larger ones are a misread file, not a
# campaign, and they must also fit the database: counts and spend go into 64-bit signed
# integer columns (at most 2**63 - 1, about 9.2 * 10**18), and results into a
# DecimalField(max_digits=14, decimal_places=2). A trillion keeps even the sum of
# millions of rows (SQLite's SUM() of integers fails on overflow) inside 64 bits.
MAX_COUNT = 10**12
# Spend, in the currency's minor unit (pence): just under £10bn a row.
MAX_MINOR_UNITS = 10**12
MAX_RESULTS = Decimal(10**12)
assert MAX_COUNT < 2**63 and MAX_MINOR_UNITS < 2**63
# Plain-digit cells of up to this many digits are below MAX_COUNT (the fast paths' test).
_COUNT_DIGITS = len(str(MAX_COUNT - 1))
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong in a file. ``line`` is the 1-based line of a CSV (where the record
    starts) or the row of a spreadsheet, None for the file as a whole; ``column`` is the
    column's header as written in the file ("" when not about one column)."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


class AdRow(NamedTuple):
    """One data row, normalised. ``start == end`` for a daily row; otherwise the row is a
    total over ``start``..``end`` (inclusive). Counts are ints; ``spend_pence`` is in the
    minor unit of ``currency`` (ISO 4217); None = not reported by the platform.

    A named tuple rather than a dataclass: a file can have hundreds of thousands of rows,
    and the parser builds them with the C-level ``tuple.__new__`` (see :data:`_new_row`).
    """

    line: int
    campaign_name: str
    campaign_id: str
    ad_name: str
    start: datetime.date
    end: datetime.date
    impressions: int
    reach: int | None
    clicks: int
    landing_page_views: int | None
    spend_pence: int
    currency: str
    results: Decimal | None

    @property
    def is_daily(self) -> bool:
        return self.start == self.end


# AdRow(...) runs a generated Python __new__; this skips it (same fields, same order).
_new_row = tuple.__new__


@dataclass
class ParsedFile:
    """What :func:`parse_ad_file` found: the platform (None when it could not tell), the
    rows, and every problem. ``header_line`` is the header's 1-based line or row."""

    platform: str | None
    rows: list[AdRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    header_line: int | None = None
    skipped_total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


# --- What each platform calls its columns -------------------------------------------------

@dataclass(frozen=True)
class PlatformFormat:
    """Header names (lower-case, spaces collapsed, currency suffix removed) per field."""

    platform: str
    columns: dict[str, tuple[str, ...]]
    us_dates: bool = False
    # Meta Ads Manager leaves a cell empty where a count or the spend is zero.
    blank_means_zero: bool = False

    REQUIRED = ("start", "campaign", "impressions", "clicks", "spend")
    NULLABLE = ("reach", "landing_page_views", "results")


FORMATS: dict[str, PlatformFormat] = {
    META: PlatformFormat(
        META,
        {
            "start": ("reporting starts",),
            "end": ("reporting ends",),
            "campaign": ("campaign name",),
            "campaign_id": ("campaign id",),
            "ad": ("ad name", "ad set name"),
            "impressions": ("impressions",),
            "reach": ("reach",),
            "clicks": ("link clicks",),
            "landing_page_views": ("landing page views",),
            "spend": ("amount spent",),
            "results": ("results",),
            "currency": ("currency",),
        },
        blank_means_zero=True,
    ),
    LINKEDIN: PlatformFormat(
        LINKEDIN,
        {
            "start": ("start date (in utc)", "start date"),
            "end": ("end date (in utc)", "end date"),
            "campaign": ("campaign name",),
            "campaign_id": ("campaign id",),
            "ad": ("ad name", "creative name"),
            "impressions": ("impressions",),
            "reach": ("reach",),
            "clicks": ("clicks",),
            "landing_page_views": ("clicks to landing page",),
            "spend": ("total spent",),
            "results": ("leads", "conversions"),
            "currency": ("currency",),
        },
        us_dates=True,
    ),
    GOOGLE: PlatformFormat(
        GOOGLE,
        {
            "start": ("day", "date"),
            "campaign": ("campaign",),
            "campaign_id": ("campaign id",),
            "ad": ("ad group",),
            "impressions": ("impr.", "impressions"),
            "clicks": ("clicks",),
            "spend": ("cost",),
            "results": ("conversions",),
            "currency": ("currency code", "currency"),
        },
    ),
}

_CURRENCY_SUFFIX = re.compile(r"^(.*?)\s*\(([a-z]{3})\)$")


def normalise_header(cell: object) -> tuple[str, str]:
    """``("amount spent", "GBP")`` for ``"Amount spent (GBP)"``: lower-case name with
    spaces collapsed and a trailing ISO 4217 code in brackets split off ("" if none)."""
    text = " ".join(str(cell if cell is not None else "").replace("\ufeff", "").split()).lower()
    match = _CURRENCY_SUFFIX.match(text)
    if match and match.group(2).upper() in CURRENCY_EXPONENT:
        return match.group(1), match.group(2).upper()
    return text, ""


@dataclass
class _Header:
    platform: str
    line: int
    names: list[str]  # as written, for problems
    index: dict[str, int]  # field -> column index
    currency: str  # from the spend column's header, "" if none
    missing: list[str]


def _match_header(cells: Sequence[object], line: int, platforms: Iterable[str]) -> _Header | None:
    """The best platform reading of ``cells`` as a header, or None if it is not one."""
    normalised = [normalise_header(c) for c in cells]
    position = {}
    for i, (name, _) in enumerate(normalised):
        position.setdefault(name, i)
    best = None
    for platform in platforms:
        fmt = FORMATS[platform]
        index = {}
        for fld, aliases in fmt.columns.items():
            for alias in aliases:
                if alias in position:
                    index[fld] = position[alias]
                    break
        required_found = sum(1 for f in PlatformFormat.REQUIRED if f in index)
        # A header needs the date and campaign columns and most of the rest.
        if "start" not in index or "campaign" not in index or required_found < 4:
            continue
        score = (required_found, len(index))
        if best is None or score > best[0]:
            missing = [f for f in PlatformFormat.REQUIRED if f not in index]
            currency = normalised[index["spend"]][1] if "spend" in index else ""
            best = (score, _Header(platform, line, [str(c or "").strip() for c in cells], index, currency, missing))
    return best[1] if best else None


# --- Cell readers ---------------------------------------------------------------------------

_NUMBER_POINT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$", re.ASCII)
_NUMBER_COMMA = re.compile(r"^[+-]?(?:\d{1,3}(?:[. \u00a0\u202f]\d{3})+|\d+)(?:,\d+)?$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_MONEY_AFFIX = re.compile(r"^(?P<pre>[^\d+\-.,]*?)\s*(?P<num>[+-]?[\d][\d., \u00a0\u202f]*)\s*(?P<post>[^\d]*)$")


class CellError(ValueError):
    """A cell that cannot be read; the message is shown to the user as is."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _too_large(value: object, most: str) -> CellError:
    return CellError(f"“{_text(value)}” is too large: one row holds at most {most}")


def read_decimal(value: object, *, decimal_comma: bool = False) -> Decimal:
    """A number from a cell: ``"1,204.50"`` (or ``"1.204,50"`` with ``decimal_comma``),
    or an int/float from a spreadsheet. Raises CellError when it is not a number."""
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value:  # NaN: no figure at all (infinity fails the bounds instead)
            raise CellError(f"“{value}” is not a number")
        # Spreadsheets store numbers as binary floats; repr() is the shortest decimal
        # that round-trips, i.e. what the cell shows (50.68, not 50.67999999999…).
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if value.is_nan():
            raise CellError(f"“{value}” is not a number")
        return value
    text = _text(value)
    if decimal_comma:
        if not _NUMBER_COMMA.match(text):
            raise CellError(f"“{text}” is not a number (this file uses decimal commas, like 1.204,50)")
        text = text.replace(".", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", ".")
    else:
        if not _NUMBER_POINT.match(text):
            raise CellError(f"“{text}” is not a number")
        text = text.replace(",", "")
    return Decimal(text)


def read_count(value: object, *, decimal_comma: bool = False) -> int:
    """A whole, non-negative number below :data:`MAX_COUNT` (impressions, clicks…).
    Raises CellError."""
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= _COUNT_DIGITS:
            return int(text)
    number = read_decimal(value, decimal_comma=decimal_comma)
    if number != number.to_integral_value():
        raise CellError(f"“{_text(value)}” is not a whole number")
    if number < 0:
        raise CellError(f"“{_text(value)}” is negative")
    if number >= MAX_COUNT:
        raise _too_large(value, f"{MAX_COUNT - 1:,}")
    return int(number)


def read_money(value: object, currency: str, *, decimal_comma: bool = False) -> tuple[int, str]:
    """``(minor units, currency in the cell or "")`` from ``"£12.30"``, ``"12,30 €"``,
    ``"GBP 12.30"``, ``"12.30"`` or a spreadsheet number. ``currency`` (may be "") decides
    the minor unit (2 digits when unknown); more decimals than that are rounded half up.
    The minor units must be below :data:`MAX_MINOR_UNITS`. Raises CellError."""
    cell = value
    cell_currency = ""
    if isinstance(value, str):
        text = value.strip()
        if text and not (text[0].isdigit() and text[-1].isdigit()):
            match = _MONEY_AFFIX.match(text)
            if not match:
                raise CellError(f"“{text}” is not an amount of money")
            affixes = [a.strip() for a in (match.group("pre"), match.group("post")) if a.strip()]
            if len(affixes) > 1:
                raise CellError(f"“{text}” is not an amount of money")
            if affixes:
                affix = affixes[0]
                cell_currency = _CURRENCY_SYMBOLS.get(affix) or (affix.upper() if affix.upper() in CURRENCY_EXPONENT else "")
                if not cell_currency:
                    raise CellError(f"“{text}” is not an amount of money")
            value = match.group("num").strip()
    amount = read_decimal(value, decimal_comma=decimal_comma)
    if amount < 0:
        raise CellError(f"“{_text(value)}” is negative")
    exponent = CURRENCY_EXPONENT.get(currency or cell_currency, 2)
    # Compared before scaling too: an infinite or astronomically large amount is refused
    # without building (or rounding) its huge integer.
    if amount >= MAX_MINOR_UNITS or amount.scaleb(exponent).to_integral_value(rounding=ROUND_HALF_UP) >= MAX_MINOR_UNITS:
        most = Decimal(MAX_MINOR_UNITS - 1).scaleb(-exponent)
        raise _too_large(cell, f"{most:,.{exponent}f}")
    minor = (amount.scaleb(exponent)).to_integral_value(rounding=ROUND_HALF_UP)
    return int(minor), cell_currency


def read_date(value: object, *, us: bool = False) -> datetime.date:
    """A date from ``2020-04-20`` (any platform), ``4/20/2020`` (month first, when ``us``)
    or a spreadsheet date. Raises CellError naming the expected form."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _US_DATE.match(text) if us else None
        if not match:
            example = "month/day/year, like 4/20/2020" if us else "year-month-day, like 2020-04-20"
            raise CellError(f"“{text}” is not a date written as {example}")
        month, day, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"“{text}” is not a real date") from None


_TOTAL_ROW = re.compile(r"^totals?(\s*:.*)?$", re.IGNORECASE)


# --- Reading the file -----------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 (BOM stripped), UTF-16 with a BOM, else Windows-1252
    (Latin-1 for the five bytes cp1252 leaves undefined, so decoding never fails)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """``(first line of the record, cells)`` for each CSV record; csv.Error propagates."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    for cells in reader:
        yield previous + 1, cells
        previous = reader.line_num


def _find_csv_header(text: str, platforms: Sequence[str]) -> tuple[str, _Header] | None:
    """The delimiter and header row that best match a platform's column names, looking
    at the first MAX_HEADER_SEARCH_ROWS records for each of ``,`` ``;`` and tab."""
    head = text[:262_144]
    best = None
    for delimiter in (",", ";", "\t"):
        try:
            records = list(itertools.islice(_csv_records(head, delimiter), MAX_HEADER_SEARCH_ROWS))
        except csv.Error:
            continue
        for line, cells in records:
            if len(cells) < 3:
                continue
            header = _match_header(cells, line, platforms)
            if header is None:
                continue
            score = (len(PlatformFormat.REQUIRED) - len(header.missing), len(header.index))
            if best is None or score > best[0]:
                best = (score, delimiter, header)
            break  # the first header-like row for this delimiter is the header
    return (best[1], best[2]) if best else None


def _xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    """``(row number, values)`` of the workbook's first sheet. Raises ValueError."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValueError(f"The spreadsheet could not be opened ({exc.__class__.__name__})") from exc
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a bulk parse or import. Reading a big
    file makes millions of small objects and no reference cycles, and the collector
    would walk all of them again every few thousand allocations (about a third of the
    parse time on 200,000 rows). Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_ad_file(
    data: bytes, *, platform: str | None = None, currency: str | None = None,
    default_currency: str | None = None,
) -> ParsedFile:
    """Read an ad-platform export (CSV in any of the shapes in the module docstring, or
    XLSX) into normalised :class:`AdRow` s and every :class:`Problem`.

    ``platform`` (``meta``, ``linkedin``, ``google``) skips detection; ``currency`` (ISO
    4217) is the account currency for files that do not say it (LinkedIn), and must agree
    with the file's when the file does say it. ``default_currency`` is only used where
    the file says nothing (the staff form's pre-filled GBP). Never raises for bad input:
    a file that cannot be read at all comes back with a problem on line None.
    """
    if platform is not None and platform not in FORMATS:
        raise ValueError(f"Unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}")
    with gc_paused():
        return _parse(data, platform, currency, default_currency)


def _parse(data: bytes, platform: str | None, currency: str | None, default_currency: str | None) -> ParsedFile:
    given_currency = (currency or "").strip().upper()
    fallback_currency = (default_currency or "").strip().upper()
    for code in (given_currency, fallback_currency):
        if code and code not in CURRENCY_EXPONENT:
            return ParsedFile(platform, problems=[Problem(None, "", f"“{code}” is not an ISO 4217 currency code, like GBP")])
    platforms = (platform,) if platform else PLATFORMS

    if data[:4] == b"PK\x03\x04" and zipfile.is_zipfile(io.BytesIO(data)):
        result = ParsedFile(platform, file_format="xlsx")
        try:
            records: Iterable[tuple[int, list[object]]] = _xlsx_rows(data)
        except ValueError as exc:
            result.problems.append(Problem(None, "", f"{exc}. Save it again as CSV or XLSX."))
            return result
        records = list(records)
        header = None
        for line, cells in records[:MAX_HEADER_SEARCH_ROWS]:
            header = _match_header(cells, line, platforms)
            if header:
                break
        decimal_comma = False
        body = (r for r in records if header and r[0] > header.line)
    else:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return ParsedFile(platform, problems=[Problem(None, "", "This is an old Excel (.xls) file: save it as CSV or XLSX and upload that.")])
        text, encoding = decode(data)
        result = ParsedFile(platform, encoding=encoding)
        found = _find_csv_header(text, platforms)
        header = found[1] if found else None
        if found:
            result.delimiter = found[0]
        decimal_comma = result.delimiter == ";"
        body = None

    if header is None:
        if platform:
            other = _find_other_platform(data, result, platform)
            hint = f" It looks like a {PLATFORM_LABELS[other]} export." if other else ""
            message = f"No {PLATFORM_LABELS[platform]} header row found in the first {MAX_HEADER_SEARCH_ROWS} lines.{hint}"
        else:
            message = (
                "No header row found: expected the column names of a Meta Ads Manager, LinkedIn "
                "Campaign Manager or Google Ads export (for example “Campaign name”, "
                "“Impressions”, “Amount spent (GBP)”)."
            )
        result.problems.append(Problem(None, "", message))
        return result

    fmt = FORMATS[header.platform]
    result.platform = header.platform
    result.header_line = header.line
    if header.missing:
        for fld in header.missing:
            expected = " or ".join(f"“{a}”" for a in fmt.columns[fld])
            result.problems.append(Problem(header.line, "", f"The header has no {expected} column"))
        return result

    if body is None:
        body = _csv_body(text, result.delimiter, header.line, result)
    _read_rows(body, header, fmt, given_currency, fallback_currency, decimal_comma, result)
    return result


def _find_other_platform(data: bytes, result: ParsedFile, platform: str) -> str | None:
    others = [p for p in PLATFORMS if p != platform]
    if result.file_format == "xlsx":
        for line, cells in _xlsx_rows(data)[:MAX_HEADER_SEARCH_ROWS]:
            header = _match_header(cells, line, others)
            if header:
                return header.platform
        return None
    found = _find_csv_header(decode(data)[0], others)
    return found[1].platform if found else None


def _csv_body(text: str, delimiter: str, header_line: int, result: ParsedFile) -> Iterator[tuple[int, list[str]]]:
    """``(first line, cells)`` of the records after the header; a csv.Error becomes a
    problem and ends the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    try:
        for cells in reader:
            if previous >= header_line:
                yield previous + 1, cells
            previous = reader.line_num
    except csv.Error as exc:
        result.problems.append(Problem(previous + 1, "", f"The file cannot be read from here: {exc}"))


_BAD = object()  # a cell that produced a problem
# At most nine whole digits, so the fast path's pence stay below MAX_MINOR_UNITS.
_SIMPLE_MONEY = re.compile(r"\d{1,9}(?:\.\d\d?)?\Z", re.ASCII)


def _is_blank(cell: object) -> bool:
    return cell is None or (cell.__class__ is str and not cell.strip())


def _read_rows(
    body: Iterable[tuple[int, Sequence[object]]],
    header: _Header,
    fmt: PlatformFormat,
    given_currency: str,
    fallback_currency: str,
    decimal_comma: bool,
    result: ParsedFile,
) -> None:
    """Turn each record into an AdRow, or problems; skip blank and ``Total:`` rows.

    Written for speed (the import's target is 50,000 rows/s end to end): the common
    cell shapes (plain digits, ``12.30``, a date seen on an earlier row) take a fast path,
    everything else goes through the general readers above.
    """
    names = header.names
    index = header.index
    problems = result.problems
    rows = result.rows
    header_currency = header.currency
    if given_currency and header_currency and given_currency != header_currency:
        problems.append(Problem(
            header.line, names[index["spend"]],
            f"The file's currency is {header_currency}, not {given_currency} as given",
        ))
        return
    file_currency = given_currency or header_currency

    i_start = index["start"]
    i_end = index.get("end")
    i_campaign = index["campaign"]
    i_campaign_id = index.get("campaign_id")
    i_ad = index.get("ad")
    i_currency = index.get("currency")
    i_impressions = index["impressions"]
    i_clicks = index["clicks"]
    i_reach = index.get("reach")
    i_lpv = index.get("landing_page_views")
    i_spend = index["spend"]
    i_results = index.get("results")
    us_dates = fmt.us_dates
    blank_means_zero = fmt.blank_means_zero
    width = len(names)
    seen: dict[tuple[str, str, datetime.date, datetime.date], int] = {}
    dates: dict[object, datetime.date] = {}
    decimals: dict[str, Decimal | None] = {"": None, "--": None}
    missing_currency_reported = False
    simple_money = _SIMPLE_MONEY.match
    two_decimals = CURRENCY_EXPONENT.get(file_currency or fallback_currency, 2) == 2
    count_digits = _COUNT_DIGITS

    def date_at(cell, column, line):
        try:
            return dates[cell]
        except (KeyError, TypeError):
            pass
        try:
            value = read_date(cell, us=us_dates)
        except CellError as exc:
            problems.append(Problem(line, names[column], str(exc)))
            return None
        if cell.__class__ is str:
            dates[cell] = value
        return value

    def count_at(cells, column, line, *, nullable):
        cell = cells[column]
        if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) <= count_digits:
            return int(cell)
        text = _text(cell)
        if text == "" or text in UNKNOWN_MARKS:
            if nullable:
                return None
            if text == "" and blank_means_zero:
                return 0
            problems.append(Problem(line, names[column], f"{names[column]} is missing: the import needs a number here"))
            return _BAD
        try:
            return read_count(cell, decimal_comma=decimal_comma)
        except CellError as exc:
            problems.append(Problem(line, names[column], str(exc)))
            return _BAD

    for line, cells in body:
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        if not any(cells):
            continue
        start_cell = cells[i_start]
        if not (start_cell.__class__ is str and start_cell) and _is_blank(start_cell):
            if all(_is_blank(c) for c in cells):
                continue
            first = next((_text(c) for c in cells if not _is_blank(c)), "")
            if _TOTAL_ROW.match(first):
                result.skipped_total_rows += 1
                continue
        mark = len(problems)  # problems found on this row are those past mark

        start = date_at(start_cell, i_start, line)
        end = start
        if i_end is not None:
            end_cell = cells[i_end]
            if end_cell != start_cell and not _is_blank(end_cell):
                end = date_at(end_cell, i_end, line)
                if end is not None and start is not None and end < start:
                    problems.append(Problem(line, names[i_end], f"The period ends ({end}) before it starts ({start})"))
            if end is None:
                end = start

        cell = cells[i_campaign]
        campaign_name = cell.strip() if cell.__class__ is str else _text(cell)
        if not campaign_name:
            problems.append(Problem(line, names[i_campaign], "The campaign name is empty"))
        elif len(campaign_name) > 255:
            problems.append(Problem(line, names[i_campaign], "The campaign name is longer than 255 characters"))
        campaign_id = _text(cells[i_campaign_id]) if i_campaign_id is not None else ""
        if campaign_id in UNKNOWN_MARKS:
            campaign_id = ""
        ad_name = ""
        if i_ad is not None:
            cell = cells[i_ad]
            ad_name = cell.strip() if cell.__class__ is str else _text(cell)
        if ad_name in UNKNOWN_MARKS:
            ad_name = ""
        elif len(ad_name) > 255:
            problems.append(Problem(line, names[i_ad], "The ad name is longer than 255 characters"))

        # Plain digits inline (the common case); anything else through count_at().
        cell = cells[i_impressions]
        impressions = int(cell) if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) <= count_digits else count_at(cells, i_impressions, line, nullable=False)
        cell = cells[i_clicks]
        clicks = int(cell) if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) <= count_digits else count_at(cells, i_clicks, line, nullable=False)
        reach = lpv = None
        if i_reach is not None:
            cell = cells[i_reach]
            reach = int(cell) if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) <= count_digits else count_at(cells, i_reach, line, nullable=True)
        if i_lpv is not None:
            cell = cells[i_lpv]
            lpv = int(cell) if cell.__class__ is str and cell.isdigit() and cell.isascii() and len(cell) <= count_digits else count_at(cells, i_lpv, line, nullable=True)

        row_currency = file_currency
        if i_currency is not None:
            column_currency = _text(cells[i_currency]).upper()
            if column_currency and column_currency not in UNKNOWN_MARKS:
                if column_currency not in CURRENCY_EXPONENT:
                    problems.append(Problem(line, names[i_currency], f"“{column_currency}” is not an ISO 4217 currency code"))
                elif row_currency and column_currency != row_currency:
                    problems.append(Problem(line, names[i_currency], f"The currency is {column_currency}, not {row_currency} as {'given' if given_currency else 'in the header'}"))
                else:
                    row_currency = column_currency

        spend_cell = cells[i_spend]
        spend_pence = _BAD
        if (
            spend_cell.__class__ is str and not decimal_comma and simple_money(spend_cell)
            and (row_currency is file_currency and two_decimals or CURRENCY_EXPONENT.get(row_currency or fallback_currency, 2) == 2)
        ):
            # Fast path: "12.30" (at most two decimals, so exact in pence).
            spend_pence = int(Decimal(spend_cell) * 100)
        else:
            spend_text = _text(spend_cell)
            if spend_text == "" and blank_means_zero:
                spend_pence = 0
            elif spend_text == "" or spend_text in UNKNOWN_MARKS:
                problems.append(Problem(line, names[i_spend], f"{names[i_spend]} is missing: the import needs an amount here"))
            else:
                try:
                    spend_pence, cell_currency = read_money(spend_cell, row_currency or fallback_currency, decimal_comma=decimal_comma)
                except CellError as exc:
                    problems.append(Problem(line, names[i_spend], str(exc)))
                else:
                    if cell_currency:
                        if row_currency and not _same_currency(cell_currency, row_currency, spend_text):
                            problems.append(Problem(line, names[i_spend], f"The amount is in {cell_currency}, not {row_currency}"))
                        elif not row_currency:
                            row_currency = cell_currency
                            spend_pence, _ = read_money(spend_cell, row_currency, decimal_comma=decimal_comma)
        if not row_currency:
            row_currency = fallback_currency
            if not row_currency and not missing_currency_reported:
                problems.append(Problem(None, names[i_spend], "The file does not say which currency the amounts are in: give the account currency (for example GBP)"))
                missing_currency_reported = True

        results = None
        if i_results is not None:
            cell = cells[i_results]
            results = decimals.get(cell, _BAD) if cell.__class__ is str else _BAD
            if results is _BAD:  # not seen before: read it
                results = None
                text = _text(cell)
                if text and text not in UNKNOWN_MARKS:
                    try:
                        results = read_decimal(cell, decimal_comma=decimal_comma)
                    except CellError as exc:
                        problems.append(Problem(line, names[i_results], str(exc)))
                    else:
                        if results < 0:
                            problems.append(Problem(line, names[i_results], f"“{text}” is negative"))
                            results = None
                        elif results >= MAX_RESULTS or results.quantize(CENT, rounding=ROUND_HALF_UP) >= MAX_RESULTS:
                            # (Compared again once rounded: 999999999999.995 would become 10**12.)
                            problems.append(Problem(line, names[i_results], str(_too_large(text, f"{MAX_RESULTS - CENT:,}"))))
                            results = None
                        else:
                            # Stored with two decimals (Google reports fractional conversions).
                            results = results.quantize(CENT, rounding=ROUND_HALF_UP)
                            if cell.__class__ is str:
                                decimals[cell] = results

        if len(problems) == mark and start is not None and campaign_name:
            key = (campaign_name, ad_name, start, end)
            earlier = seen.get(key)
            if earlier is not None:
                what = "ad, " if ad_name else ""
                span = "day" if start == end else "period"
                problems.append(Problem(line, names[i_campaign], f"Line {earlier} has the same platform campaign, {what}and {span}"))
            else:
                seen[key] = line

        if len(problems) != mark:
            continue
        rows.append(_new_row(AdRow, (
            line, campaign_name, campaign_id, ad_name, start, end, impressions, reach, clicks,
            lpv, spend_pence, row_currency, results,
        )))

    _check_levels(rows, problems, names[i_ad] if i_ad is not None else names[i_campaign])
    _check_currencies(rows, problems, names[i_currency] if i_currency is not None else names[i_spend])


def _same_currency(cell_currency: str, row_currency: str, text: str) -> bool:
    if cell_currency == row_currency:
        return True
    # A bare "$" agrees with any dollar the file names (AUD, CAD, NZD…).
    return "$" in text and not text.upper().startswith("US$") and row_currency.endswith("D")


def _check_levels(rows: list[AdRow], problems: list[Problem], column: str) -> None:
    """A platform campaign's day (or period) must come either as one campaign-level row
    or as per-ad rows, not both: summing them would count its figures twice."""
    ads = [row.ad_name for row in rows]
    if all(ads) or not any(ads):
        return
    levels: dict[tuple[str, datetime.date, datetime.date], tuple[bool, int]] = {}
    for row in rows:
        key = (row.campaign_name, row.start, row.end)
        is_ad = bool(row.ad_name)
        earlier = levels.setdefault(key, (is_ad, row.line))
        if earlier[0] != is_ad:
            problems.append(Problem(
                row.line, column,
                f"Line {earlier[1]} has figures for the whole platform campaign on the same "
                "day and this line for one ad: export one level only",
            ))


def _check_currencies(rows: list[AdRow], problems: list[Problem], column: str) -> None:
    """One platform campaign's amounts must share a currency, or its spend cannot be summed."""
    if len({row.currency for row in rows}) < 2:
        return
    first: dict[str, tuple[str, int]] = {}
    for row in rows:
        earlier = first.setdefault(row.campaign_name, (row.currency, row.line))
        if earlier[0] != row.currency:
            problems.append(Problem(
                row.line, column,
                f"This platform campaign's amounts are in {row.currency} here but in {earlier[0]} on line {earlier[1]}",
            ))


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file order (file-wide ones first), for display."""
    return sorted(problems, key=lambda p: (-1 if p.line is None else p.line))
