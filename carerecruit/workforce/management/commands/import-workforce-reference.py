"""``carerecruit import-workforce-reference FILE.csv``: load published Skills for Care
workforce estimates keyed by GSS code.

    carerecruit import-workforce-reference FILE.csv [--dry-run]

Columns: gss_code, year, filled_posts, vacancy_rate, turnover_rate, source (see
:mod:`carerecruit.workforce.published`). Unknown GSS codes and malformed values are
printed with their line numbers on standard error, and nothing is loaded (status 1).
A row for a (GSS code, year) already loaded replaces it. A sample with cited figures:
``carerecruit/workforce/data/published_estimates.csv``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carerecruit.workforce.actions import do_import_published_estimates


class Command(BaseCommand):
    help = "Load published Skills for Care workforce estimates (CSV keyed by GSS code)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        result = do_import_published_estimates(data, dry_run=options["dry_run"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(f"{path.name}: {count} problem{'s' if count != 1 else ''}; nothing loaded.")
        verb = "Would load" if result.dry_run else "Loaded"
        self.stdout.write(
            f"{verb} {len(result.rows)} estimate{'s' if len(result.rows) != 1 else ''} from {path.name}: "
            f"{result.created} new, {result.replaced} replacing earlier figures"
        )
        for row in result.rows:
            figures = []
            if row.filled_posts is not None:
                figures.append(f"{row.filled_posts:,} filled posts")
            if row.vacancy_rate is not None:
                figures.append(f"vacancy rate {row.vacancy_rate}%")
            if row.turnover_rate is not None:
                figures.append(f"turnover rate {row.turnover_rate}%")
            self.stdout.write(f"  {row.gss_code} {row.area_name} {row.year}: {', '.join(figures)}")
