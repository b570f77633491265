"""Reading a CSV of published Skills for Care workforce estimates, keyed by GSS code.

Columns (a header row with these names, in any order, case-insensitive):

``gss_code``
    ONS GSS code of the area: one of our councils (``E08000030``), a region
    (``E12000005``) or England (``E92000001``).
``year``
    Financial year, ``2023/24``.
``filled_posts``
    Whole number, may be blank (``7700`` or ``7,700``).
``vacancy_rate``, ``turnover_rate``
    Percentages, may be blank (``6.2`` or ``6.2%``), at most two decimal places.
``source``
    Where the figures were published. Required: a figure without a source is not a
    reference.

Each row needs at least one figure. Unknown GSS codes, malformed values and a repeated
(GSS code, year) are problems with their line numbers; a file with any problem loads
nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import Region

COLUMNS = ("gss_code", "year", "filled_posts", "vacancy_rate", "turnover_rate", "source")
#: ONS GSS code for England (domain.md 1.2).
ENGLAND_GSS = "E92000001"
YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")
MAX_TURNOVER = Decimal("999.99")


@dataclass(frozen=True)
class EstimateProblem:
    """A problem in the file: ``line`` (1-based, header is 1; None for the whole file)."""

    line: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = "The file" if self.line is None else f"Line {self.line}"
        return f"{where}{', ' + self.column if self.column else ''}: {self.message}"


@dataclass(frozen=True)
class EstimateRow:
    """A checked row: the area (``council`` or ``region`` set, or neither for England)."""

    line: int
    gss_code: str
    area_kind: str
    area_name: str
    council: Organisation | None
    region: Region | None
    year: str
    filled_posts: int | None
    vacancy_rate: Decimal | None
    turnover_rate: Decimal | None
    source: str


def decode_text(data: bytes) -> str:
    """UTF-8 (a byte-order mark dropped), else Windows-1252. Raises UnicodeDecodeError
    when it is neither."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _rate(text: str, column: str, maximum: Decimal) -> tuple[Decimal | None, str | None]:
    text = text.strip().removesuffix("%").strip()
    if not text:
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"{column} must be a percentage, like 6.2"
    if not value.is_finite() or value < 0 or value > maximum:
        return None, f"{column} must be a percentage from 0 to {maximum:f}"
    if value.as_tuple().exponent < -2:
        return None, f"{column} must have no more than two decimal places"
    return value, None


def read_published_estimates(data: bytes) -> tuple[list[EstimateRow], list[EstimateProblem]]:
    """Read and check the CSV ``data``; return the rows and the problems (rows only
    matter when there are no problems)."""
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        return [], [EstimateProblem(None, "", "The file is not text in UTF-8 or Windows-1252")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [EstimateProblem(None, "", "The file is empty")]
    except csv.Error as exc:
        return [], [EstimateProblem(1, "", f"The file is not valid CSV ({exc})")]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown or len(header) != len(COLUMNS):
        details = []
        if missing:
            details.append(f"missing {', '.join(missing)}")
        if unknown:
            details.append(f"unknown {', '.join(unknown)}")
        if not details:
            details.append("a column is repeated")
        return [], [EstimateProblem(1, "", f"The header must name the columns {', '.join(COLUMNS)} ({'; '.join(details)})")]
    at = {name: i for i, name in enumerate(header)}

    councils = {o.gss_code: o for o in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)}
    regions = {r.gss_code: r for r in Region.objects.all()}
    rows: list[EstimateRow] = []
    problems: list[EstimateProblem] = []
    seen: dict[tuple[str, str], int] = {}
    previous = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(EstimateProblem(reader.line_num, "", f"The file is not valid CSV here ({exc})"))
            break
        line, previous = previous + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            problems.append(EstimateProblem(line, "", f"This line has {len(values)} values but the header has {len(COLUMNS)} columns"))
            continue
        before = len(problems)
        gss = values[at["gss_code"]].strip().upper()
        council = region = None
        area_kind = area_name = ""
        if not gss:
            problems.append(EstimateProblem(line, "gss_code", "Enter the area's GSS code"))
        elif gss in councils:
            council, area_kind, area_name = councils[gss], "council", councils[gss].short_name
        elif gss in regions:
            region, area_kind, area_name = regions[gss], "region", regions[gss].name
        elif gss == ENGLAND_GSS:
            area_kind, area_name = "country", "England"
        else:
            problems.append(EstimateProblem(line, "gss_code", f"GSS code “{gss}” is not a council, region or country we know"))
        year = values[at["year"]].strip()
        match = YEAR_RE.match(year)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            problems.append(EstimateProblem(line, "year", f"year must be a financial year like 2023/24, not “{year}”"))
        filled_text = values[at["filled_posts"]].strip().replace(",", "")
        filled_posts = None
        if filled_text:
            if filled_text.isascii() and filled_text.isdigit():
                filled_posts = int(filled_text)
            else:
                problems.append(EstimateProblem(line, "filled_posts", "filled_posts must be a whole number, like 7700"))
        vacancy_rate, message = _rate(values[at["vacancy_rate"]], "vacancy_rate", Decimal("100"))
        if message:
            problems.append(EstimateProblem(line, "vacancy_rate", message))
        turnover_rate, message = _rate(values[at["turnover_rate"]], "turnover_rate", MAX_TURNOVER)
        if message:
            problems.append(EstimateProblem(line, "turnover_rate", message))
        source = values[at["source"]].strip()
        if not source:
            problems.append(EstimateProblem(line, "source", "Enter where the figures were published"))
        if len(problems) == before and filled_posts is None and vacancy_rate is None and turnover_rate is None:
            problems.append(EstimateProblem(line, "", "Give at least one of filled_posts, vacancy_rate and turnover_rate"))
        if gss and match:
            first = seen.get((gss, year))
            if first is not None:
                problems.append(EstimateProblem(line, "gss_code", f"{gss} {year} is also on line {first}"))
            else:
                seen[(gss, year)] = line
        if len(problems) == before:
            rows.append(EstimateRow(
                line, gss, area_kind, area_name, council, region, year, filled_posts, vacancy_rate,
                turnover_rate, source,
            ))
    if not rows and not problems:
        problems.append(EstimateProblem(None, "", "The file has no rows of figures"))
    return rows, problems
