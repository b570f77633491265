"""``carerecruit export --open-data DIR [--start YYYY-MM-DD] [--end YYYY-MM-DD]``: write
the regional open-data export (every dataset as CSV and Parquet, README.txt and
metadata.json), suppressed as for the public."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carerecruit.regional.datasets import Filters
from carerecruit.regional.exports import write_open_data


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date like 2026-04-30") from None


class Command(BaseCommand):
    help = (
        "Write the regional open-data export into a folder: every regional dataset as CSV and "
        "Parquet with a README and metadata, small numbers suppressed as for the public."
    )

    def add_arguments(self, parser):
        parser.add_argument("--open-data", metavar="DIR", required=True, help="Folder to write (created if missing).")
        parser.add_argument("--start", help="First local date of the period (YYYY-MM-DD). Default: open.")
        parser.add_argument("--end", help="Last local date of the period (YYYY-MM-DD). Default: open (up to today).")

    def handle(self, *args, open_data, start=None, end=None, **options):
        filters = Filters(start=_date(start) if start else None, end=_date(end) if end else None)
        try:
            filters.check()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        written = write_open_data(Path(open_data), filters, generated_at=timezone.now().replace(microsecond=0))
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {open_data}"))
