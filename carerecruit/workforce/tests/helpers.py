"""Shared bits for the workforce tests: the fixture files and ways to change them."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from carerecruit.workforce.actions import do_import_ascwds

FIXTURES = Path(__file__).parent / "fixtures"
WORKPLACE_VALID = "workplace_valid.csv"
WORKER_VALID = "worker_valid.csv"
WORKPLACE_BROKEN = "workplace_broken.csv"
WORKER_BROKEN = "worker_broken.csv"
WORKER_WRONG_HEADER_ORDER = "worker_wrong_header_order.csv"
#: The fixtures' as-at date: ages and start dates are checked against it.
AS_AT = datetime.date(2026, 3, 31)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def replace_cell(data: bytes, line: int, column: str, value: str) -> bytes:
    """``data`` with the cell at 1-based ``line`` (header = 1), ``column`` (a header
    name) set to ``value``."""
    rows = rows_of(data)
    rows[line - 1][rows[0].index(column)] = value
    return to_csv(rows)


def without_lines(data: bytes, *lines: int) -> bytes:
    rows = rows_of(data)
    return to_csv([row for n, row in enumerate(rows, start=1) if n not in lines])


def import_bytes(workplace: bytes, worker: bytes, *, organisation, council=None, as_at=AS_AT, dry_run=False, user=None,
                 names=("workplace.csv", "worker.csv")):
    """Run :func:`do_import_ascwds` on in-memory files."""
    return do_import_ascwds(
        organisation=organisation, council=council or organisation, as_at=as_at,
        workplace_file=io.BytesIO(workplace), worker_file=io.BytesIO(worker),
        workplace_file_name=names[0], worker_file_name=names[1], user=user, dry_run=dry_run,
    )


def import_valid(*, organisation, council=None, **kwargs):
    return import_bytes(
        fixture_bytes(WORKPLACE_VALID), fixture_bytes(WORKER_VALID), organisation=organisation, council=council,
        names=(WORKPLACE_VALID, WORKER_VALID), **kwargs,
    )
