"""Reading and checking many tracked links at once: pasted CSV rows or a CSV/XLSX file.

The table has a header row naming its columns (any order, any case):
``channel,label,utm_content,utm_term,destination_path``; ``channel`` and ``label`` are
required, the rest optional. One row per link; blank rows are skipped. CSV is UTF-8, with
or without a byte-order mark, separated by commas (tabs or semicolons are recognised too,
as pasted from a spreadsheet or saved by a European Excel). XLSX is read from its first
sheet with openpyxl.

Nothing here writes: :func:`check_tables` returns every row with its problems, each
naming its line and column, and the studio creates the links with
:func:`carerecruit.campaigns.actions.do_create_tracked_links` only when there are none.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from carerecruit.campaigns.actions import MAX_BULK_LINKS
from carerecruit.campaigns.forms import LinkRowForm
from carerecruit.campaigns.models import Channel

COLUMNS = ("channel", "label", "utm_content", "utm_term", "destination_path")
REQUIRED_COLUMNS = ("channel", "label")
XLSX_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 .xls

# Channel as typed → stored value: the value itself, its label, and common variants.
_CHANNEL_NAMES: dict[str, str] = {}
for _channel in Channel:
    if _channel == Channel.DIRECT:
        continue
    for _name in (_channel.value, _channel.label, _channel.label.replace(" (print)", "")):
        _CHANNEL_NAMES[_name.lower().replace("-", "_").replace(" ", "_")] = _channel.value
_CHANNEL_NAMES.update({"twitter": Channel.X.value, "google": Channel.GOOGLE_ADS.value, "e_mail": Channel.EMAIL.value})


def channel_value(text: str) -> str:
    """The stored channel for what someone typed (``"Google Ads"`` → ``"google_ads"``,
    ``"Twitter"`` → ``"x"``), or the text unchanged when it is not a channel."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    return _CHANNEL_NAMES.get(key, text.strip())


@dataclass
class Row:
    """One data row: where it came from (``source``, 1-based ``line``), the raw
    ``values`` by column, and after checking either ``cleaned`` keyword arguments for
    do_create_tracked_link or ``errors`` by column."""

    source: str
    line: int
    values: dict[str, str]
    cleaned: dict[str, str] | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"row-{self.source_key}-{self.line}"

    @property
    def source_key(self) -> str:
        return "pasted" if self.source == PASTED else "file"


@dataclass
class Problem:
    """A problem with the import, for the error summary. ``line``/``column`` are None for
    problems with the whole table (no header, unknown column, too many rows)."""

    source: str
    message: str
    line: int | None = None
    column: str | None = None
    anchor: str = ""

    def text(self, name_source: bool) -> str:
        if self.line is None:
            return self.message  # A whole-table problem names its source itself.
        where = []
        if name_source:
            where.append(self.source)
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(self.column)
        prefix = ", ".join(where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        return text[:1].upper() + text[1:]


@dataclass
class Table:
    """The rows read from one source, or the problems that stopped it being read."""

    source: str
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CheckedImport:
    """Every row of every source, checked. ``problems`` empty means all can be created."""

    rows: list[Row]
    problems: list[Problem]
    name_sources: bool

    @property
    def is_valid(self) -> bool:
        return not self.problems and bool(self.rows)

    def messages(self) -> list[tuple[str, str]]:
        """``[(anchor, text), ...]`` for the error summary: a row's problems link to its
        row in the preview table, a table's problems to where it was given."""
        return [
            (p.anchor or ("id_file" if p.source not in ("", PASTED) else "id_rows"), p.text(self.name_sources))
            for p in self.problems
        ]

    def link_arguments(self) -> list[dict[str, str]]:
        return [row.cleaned for row in self.rows if row.cleaned is not None]


PASTED = "pasted rows"


def _subject(source: str) -> str:
    return "The pasted text" if source == PASTED else source


# ---------------------------------------------------------------------------------------
# Reading


def _cell_text(value) -> str:
    """A spreadsheet cell as the text someone sees: whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _header_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def _table_from_records(source: str, records) -> Table:
    """Build a Table from ``(line, [cell text, ...])`` records (header first)."""
    table = Table(source)
    header: list[str] | None = None
    header_line = None
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [_header_name(cell) for cell in cells]
            header_line = line
            while header and not header[-1]:
                header.pop()
            problems = _header_problems(source, header, line)
            if problems:
                table.problems += problems
                return table
            continue
        extra = [cell for cell in cells[len(header):] if cell.strip()]
        if extra:
            table.problems.append(Problem(
                source, f"there are {len(header) + len(extra)} values but the header row names {len(header)} columns",
                line=line, anchor=f"row-{'pasted' if source == PASTED else 'file'}-{line}",
            ))
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        table.rows.append(Row(source, line, values))
    if header is None:
        table.problems.append(Problem(source, f"{_subject(source)} has no rows: give a header row, then one row per link"))
    elif not table.rows:
        table.problems.append(Problem(source, "the header row is not followed by any links", line=header_line))
    return table


def _header_problems(source: str, header: list[str], line: int) -> list[Problem]:
    problems = []
    expected = ", ".join(COLUMNS)
    unknown = [name or "(blank)" for name in header if name not in COLUMNS]
    if unknown:
        problems.append(Problem(
            source, f"the header row has {'an unknown column' if len(unknown) == 1 else 'unknown columns'} "
            f"{', '.join(unknown)}; the columns are {expected}", line=line,
        ))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(Problem(source, f"the header row names {', '.join(repeated)} more than once", line=line))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        problems.append(Problem(
            source, f"the header row must include {' and '.join(missing)} (the columns are {expected})",
            line=line,
        ))
    return problems


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," not in first:
        if "\t" in first:
            return "\t"
        if ";" in first:
            return ";"
    return ","


def read_text(text: str, source: str = PASTED) -> Table:
    """Read CSV ``text`` (a leading byte-order mark is ignored). Line numbers are the
    text's own lines, counting the header as line 1 when it is the first line."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records = []
    start = 1  # A quoted cell may span lines: a record starts after the previous one ends.
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        table = Table(source)
        table.problems.append(Problem(source, f"cannot be read as CSV ({error})", line=start))
        return table
    return _table_from_records(source, records)


def read_xlsx(content: bytes, source: str) -> Table:
    """Read the first sheet of an XLSX workbook; line numbers are sheet row numbers."""
    from openpyxl import load_workbook  # Only imports need openpyxl's reader.

    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        table = Table(source)
        table.problems.append(Problem(source, f"{source} is not an Excel workbook we can read: save it as .xlsx or CSV"))
        return table
    sheet = workbook.worksheets[0]
    records = (
        (cells[0].row, [_cell_text(cell.value) for cell in cells])
        for cells in sheet.iter_rows()
    )
    return _table_from_records(source, records)


def read_upload(upload) -> Table:
    """Read an uploaded CSV (UTF-8, with or without BOM) or XLSX file, told apart by
    content. ``source`` is the file's name."""
    source = (getattr(upload, "name", "") or "the file").rsplit("/", 1)[-1]
    upload.seek(0)
    content = upload.read()
    if content.startswith(XLSX_SIGNATURE):
        return read_xlsx(content, source)
    table = Table(source)
    if content.startswith(OLE_SIGNATURE):
        table.problems.append(Problem(source, f"{source} is an Excel 97–2003 (.xls) file: save it as .xlsx or CSV"))
        return table
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        table.problems.append(Problem(source, f"{source} must be a CSV file saved as UTF-8, or an Excel (.xlsx) workbook"))
        return table
    return read_text(text, source)


# ---------------------------------------------------------------------------------------
# Checking


def check_row(row: Row) -> Row:
    """Validate one row with :class:`LinkRowForm`; fills ``row.cleaned`` or ``row.errors``."""
    data = {name: row.values.get(name, "") for name in COLUMNS}
    data["channel"] = channel_value(data["channel"])
    form = LinkRowForm(data)
    if form.is_valid():
        row.cleaned = dict(form.cleaned_data)
        row.errors = {}
    else:
        row.cleaned = None
        row.errors = {name: list(messages) for name, messages in form.errors.items()}
        if "channel" in row.errors and data["channel"]:
            choices = ", ".join(value for value, _label in LinkRowForm.base_fields["channel"].choices)
            row.errors["channel"] = [f"“{row.values.get('channel', '')}” is not a channel; use one of {choices}"]
    return row


def check_tables(tables: list[Table]) -> CheckedImport:
    """Check every row of ``tables``; collect every problem (table problems first, then
    row problems in line order, each row's columns in :data:`COLUMNS` order)."""
    rows: list[Row] = []
    problems: list[Problem] = []
    for table in tables:
        problems += table.problems
        for row in table.rows:
            check_row(row)
            rows.append(row)
            for column in COLUMNS + ("__all__",):
                for message in row.errors.get(column, []):
                    problems.append(Problem(
                        row.source, message, line=row.line,
                        column=None if column == "__all__" else column, anchor=row.anchor,
                    ))
    if len(rows) > MAX_BULK_LINKS:
        problems.insert(0, Problem(
            "", f"There are {len(rows)} links: create at most {MAX_BULK_LINKS} at a time"
        ))
    return CheckedImport(rows=rows, problems=problems, name_sources=len(tables) > 1)


def check_link_arguments(items: list[dict]) -> CheckedImport:
    """Check rows carried from the preview page (``[{"source", "line", "values"}]``)
    again before they are created: a preview is only trusted as far as it re-validates."""
    table = Table(PASTED)
    sources = set()
    for item in items:
        values = {name: str(item.get("values", {}).get(name, "")) for name in COLUMNS}
        source = str(item.get("source", PASTED))
        sources.add(source)
        table.rows.append(Row(source, int(item.get("line", 0)), values))
    checked = check_tables([table])
    checked.name_sources = len(sources) > 1
    return checked


def carry(checked: CheckedImport) -> list[dict]:
    """The rows in the shape :func:`check_link_arguments` takes back."""
    return [
        {"source": row.source, "line": row.line, "values": row.cleaned or row.values}
        for row in checked.rows
    ]
