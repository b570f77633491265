"""CSV and XLSX downloads that cannot smuggle formulas into a spreadsheet.

Every string cell is passed through :func:`neutralise` first, following the OWASP
"CSV Injection" guidance: a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets, so
it gets a leading apostrophe and is shown as text. Numbers stay numbers (and dates stay
dates in XLSX) so totals still add up in the spreadsheet.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# Characters that make a spreadsheet treat a cell as a formula (OWASP CSV Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel's limits on sheet titles: at most 31 characters, none of []:*?/\ .
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31

Cell = str | int | float | Decimal | datetime.date | None


def neutralise(value: str) -> str:
    """Return ``value`` made safe to open in a spreadsheet.

    A string whose first character, or first character after leading whitespace, is one
    of ``= + - @``, or which starts with a tab or carriage return, is prefixed with an
    apostrophe ``'`` so it is read as text (OWASP CSV Injection). Other strings are
    returned unchanged. Non-strings are returned unchanged too, so numbers stay numbers.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_TRIGGERS or value.lstrip()[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def _csv_cell(value: Cell) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def write_csv(rows: Iterable[Sequence[Cell]], header: Sequence[str]) -> bytes:
    """Return ``header`` and ``rows`` as CSV bytes: UTF-8 with a byte-order mark (so Excel
    reads accents correctly), CRLF line ends, every string neutralised.

    Cells may be str, int, float, Decimal, date (written ``YYYY-MM-DD``) or None (empty).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def safe_sheet_title(title: str) -> str:
    """Return ``title`` as a valid Excel sheet name (≤ 31 characters, none of []:*?/\\)."""
    cleaned = _SHEET_TITLE_BAD.sub(" ", title).strip().strip("'") or "Sheet1"
    return cleaned[:SHEET_TITLE_MAX]


def _xlsx_value(value: Cell):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the exact ISO 8601 text rather than guess one.
        return value.isoformat()
    if value is None or isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    # openpyxl refuses control characters that XML 1.0 cannot carry; drop them rather
    # than fail the download.
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_xlsx(rows: Iterable[Sequence[Cell]], header: Sequence[str], sheet_title: str) -> bytes:
    """Return ``header`` (bold) and ``rows`` as an XLSX workbook of one sheet.

    Strings are neutralised, so a cell never becomes a formula; ints, floats and Decimals
    are numeric cells; dates are date cells shown ``yyyy-mm-dd``; None is an empty cell.
    ``sheet_title`` is cleaned to Excel's rules (see :func:`safe_sheet_title`).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(sheet_title))
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(title))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
