"""``carerecruit import-applications FILE --campaign SLUG [--dry-run]``: bring a list of
expressions of interest (CSV or XLSX, Microsoft Forms style) into a campaign.

All or nothing: every problem is printed with its line and column and nothing is
imported; the exit status is then 1. ``--dry-run`` checks and reports what would happen
without writing. Columns and rules: docs/importing-applications.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carerecruit.campaigns.models import Campaign
from carerecruit.candidates.actions import do_import_applications
from carerecruit.candidates.importer import MAX_FILE_BYTES, Outcome, parse_file, plan_import


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class Command(BaseCommand):
    help = "Import expressions of interest (CSV/XLSX) into a campaign: all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Windows-1252) or XLSX file")
        parser.add_argument("--campaign", required=True, help="the campaign's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, import nothing"
        )

    def handle(self, *args, file, campaign, dry_run, **options):
        target = Campaign.objects.filter(slug=campaign).first()
        if target is None:
            raise CommandError(f"No campaign with slug {campaign!r}")
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(f"{path.name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None

        parsed = parse_file(data, path.name, target)
        if parsed.problems:
            self.stderr.write(
                f"{path.name}: {_plural(len(parsed.problems), 'problem', 'problems')}; "
                "nothing was imported."
            )
            for problem in parsed.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError("Fix the problems and run the import again.")

        plan = plan_import(parsed.rows, target)
        repeats = [p for p in plan.by_line if p.outcome == Outcome.REPEAT_IN_FILE]
        known = plan.count(Outcome.EXISTING_CANDIDATE)
        already = plan.count(Outcome.ALREADY_APPLIED)
        if dry_run:
            heading = f"Dry run: {path.name} ({parsed.encoding}) is ready to import into {target.name}; nothing was imported."
        else:
            do_import_applications(
                target, parsed, sha256=hashlib.sha256(data).hexdigest()
            )
            heading = f"Imported {path.name} ({parsed.encoding}) into {target.name}."
        self.stdout.write(heading)
        self.stdout.write(f"  {_plural(len(parsed.rows), 'row', 'rows')}")
        self.stdout.write(
            f"  {_plural(plan.candidates_created, 'new candidate', 'new candidates')}, "
            f"{_plural(known, 'known candidate', 'known candidates')} with a new application"
        )
        self.stdout.write(
            f"  {_plural(plan.applications_created, 'application', 'applications')} "
            f"{'to add' if dry_run else 'added'}"
        )
        for planned in repeats:
            if planned.same_as_line:
                self.stdout.write(
                    f"  line {planned.row.line} is the same person as line {planned.same_as_line}: not added again"
                )
        if already:
            self.stdout.write(
                f"  {_plural(already, 'row was', 'rows were')} already applied to this campaign: nothing to add"
            )
