"""Shared bits for the adstats tests: the sample exports and variants made from them."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
META_BY_DAY = "meta_campaigns_by_day.csv"
META_PERIOD = "meta_campaigns_period_totals.csv"
LINKEDIN = "linkedin_campaign_performance.csv"
GOOGLE = "google_ads_campaign_report.csv"


def fixture_bytes(name: str) -> bytes:
    """The exact bytes of a sample export (copies of ../shared/cases/ad-exports/)."""
    return (FIXTURES / name).read_bytes()


def fixture_records(name: str) -> list[list[str]]:
    """The sample's records as lists of cells (any BOM removed)."""
    text = fixture_bytes(name).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def replace_cell(data: bytes, line: int, column: int, value: str) -> bytes:
    """``data`` (UTF-8 CSV, CRLF, one line per record) with cell ``column`` (0-based) of
    1-based ``line`` replaced; every other line keeps its exact bytes."""
    lines = data.split(b"\r\n")
    bom = codecs.BOM_UTF8 if line == 1 and data.startswith(codecs.BOM_UTF8) else b""
    cells = next(csv.reader([lines[line - 1].decode("utf-8-sig")]))
    cells[column] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[line - 1] = bom + out.getvalue().encode()
    return b"\r\n".join(lines)


def semicolon_decimal_comma_meta() -> bytes:
    """Meta's by-day export as a continental-European Excel saves it: ``;`` separators,
    decimal commas, ``.`` thousands separators, Windows-1252, CRLF."""
    records = fixture_records(META_BY_DAY)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(records[0])
    for row in records[1:]:
        converted = []
        for cell in row:
            if re.match(r"^\d+\.\d+%?$", cell):
                cell = cell.replace(".", ",")
            elif cell.isdigit() and len(cell) > 3:
                cell = f"{int(cell):,}".replace(",", ".")
            converted.append(cell)
        writer.writerow(converted)
    return out.getvalue().encode("cp1252")
