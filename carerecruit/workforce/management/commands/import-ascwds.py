"""``carerecruit import-ascwds WORKPLACE.csv WORKER.csv``: import an ASC-WDS workforce return.

    carerecruit import-ascwds WORKPLACE.csv WORKER.csv --organisation SLUG-OR-GSS
                              --as-at YYYY-MM-DD [--council SLUG-OR-GSS] [--dry-run]

The files are a Skills for Care ASC-WDS bulk upload's workplace and worker files
(``reference/domain.md`` 2.1-2.2). Prints what the return holds (workplaces, staff
records, filled posts, vacancies, starters, leavers, vacancy and turnover rates, by job
role), or every problem (file, line, record, column, message) on standard error and exits
with status 1, importing nothing. ``--as-at`` is the local date the figures describe; a
return already imported for the same organisation and date is replaced. ``--council`` is
the council area of a provider's workplaces (a council's return counts in its own area).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.workforce.actions import do_import_ascwds


def find_organisation(value: str, *, kinds) -> Organisation:
    """The organisation whose slug or GSS code is ``value``; CommandError otherwise."""
    found = Organisation.objects.filter(Q(slug=value) | Q(gss_code=value.upper()), kind__in=kinds).first()
    if found is None:
        raise CommandError(f"No organisation with the slug or GSS code {value!r}")
    return found


def _percent(value) -> str:
    return "not known" if value is None else f"{value}%"


def _count(value) -> str:
    return "not known" if value is None else f"{value:,}"


class Command(BaseCommand):
    help = "Import an ASC-WDS workforce return (workplace file and worker file)."

    def add_arguments(self, parser):
        parser.add_argument("workplace_file", help="the ASC-WDS workplace CSV file")
        parser.add_argument("worker_file", help="the ASC-WDS worker (staff) CSV file")
        parser.add_argument("--organisation", required=True, help="the employer whose return this is: slug or GSS code")
        parser.add_argument("--as-at", required=True, help="the local date the figures describe, YYYY-MM-DD")
        parser.add_argument("--council", help="the council area of a provider's workplaces: slug or GSS code")
        parser.add_argument("--dry-run", action="store_true", help="check and summarise, write nothing")

    def handle(self, *args, **options):
        employer_kinds = [Organisation.Kind.COUNCIL, Organisation.Kind.PROVIDER]
        organisation = find_organisation(options["organisation"], kinds=employer_kinds)
        try:
            as_at = datetime.date.fromisoformat(options["as_at"])
        except ValueError:
            raise CommandError(f"--as-at must be a date like 2026-03-31, not {options['as_at']!r}") from None
        if options["council"]:
            council = find_organisation(options["council"], kinds=[Organisation.Kind.COUNCIL])
            if organisation.is_council and council != organisation:
                raise CommandError(f"{organisation.short_name} is a council: its return counts in its own area")
        elif organisation.is_council:
            council = organisation
        else:
            raise CommandError(f"{organisation.short_name} is a provider: give --council, the council area of its workplaces")

        paths = [Path(options["workplace_file"]), Path(options["worker_file"])]
        try:
            handles = [path.open("rb") for path in paths]
        except OSError as exc:
            raise CommandError(f"Cannot read {exc.filename}: {exc.strerror}") from None
        try:
            result = do_import_ascwds(
                organisation=organisation, council=council, as_at=as_at,
                workplace_file=handles[0], worker_file=handles[1],
                workplace_file_name=paths[0].name, worker_file_name=paths[1].name,
                dry_run=options["dry_run"],
            )
        finally:
            for handle in handles:
                handle.close()

        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            hidden = result.problem_count - len(result.problems)
            if hidden:
                self.stderr.write(f"… and {hidden} more problems not listed")
            count = result.problem_count
            raise CommandError(f"{count} problem{'s' if count != 1 else ''}; nothing imported.")
        self._summary(result, organisation, council, as_at, paths)

    def _summary(self, result, organisation, council, as_at, paths):
        summary = result.summary
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {paths[0].name} and {paths[1].name}: {organisation.short_name}'s return as at "
            f"{as_at.isoformat()}, council area {council.short_name}"
        )
        if result.replaces is not None:
            self.stdout.write(
                f"{'Would replace' if result.dry_run else 'Replaced'} the return uploaded "
                f"{result.replaces.uploaded_at:%Y-%m-%d %H:%M} UTC"
            )
        t = summary.totals
        self.stdout.write(f"{summary.workplaces:,} workplaces, {summary.workers:,} staff records")
        self.stdout.write(
            f"Filled posts {t.filled_posts:,} (permanent or temporary {t.directly_employed:,}), "
            f"vacancies {_count(t.vacancies)}, starters {_count(t.starters)}, leavers {_count(t.leavers)}"
        )
        self.stdout.write(f"Vacancy rate {_percent(t.vacancy_rate)}, turnover rate {_percent(t.turnover_rate)}")
        names = dict(JobRole.objects.values_list("code", "name"))
        for code, r in summary.by_role.items():
            self.stdout.write(
                f"  {code:>2} {names.get(code, '')}: filled {r.filled_posts:,}, vacancies {_count(r.vacancies)}, "
                f"leavers {_count(r.leavers)}, vacancy rate {_percent(r.vacancy_rate)}, "
                f"turnover rate {_percent(r.turnover_rate)}"
            )
