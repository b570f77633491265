"""``carerecruit forecast [--measure M] [--today YYYY-MM-DD]``: compute and store the
forecasts now (the worker does it nightly)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from carerecruit.forecast.actions import do_compute_forecasts
from carerecruit.forecast.models import ForecastRun, Measure


class Command(BaseCommand):
    help = (
        "Compute the 3-month forecasts of applications, open vacancies and ASC-WDS reported "
        "vacancies per council and job role, with their back-test, and store them for the pages."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--measure", action="append", choices=Measure.values,
            help="Only this measure (repeatable). Default: all of them.",
        )
        parser.add_argument(
            "--today", help="Local date to compute as of (YYYY-MM-DD; history ends the month before).",
        )

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today must be a date as YYYY-MM-DD, not {options['today']!r}") from exc
        runs = do_compute_forecasts(options["measure"], today=today)
        failed = False
        for run in runs:
            label = Measure(run.measure).label
            if run.status == ForecastRun.Status.COMPLETE:
                ok = run.series.filter(status="ok").count()
                self.stdout.write(
                    f"{label}: {run.series_count} series ({ok} forecast, {run.series_count - ok} with "
                    f"not enough history)" + (f", history to {run.history_end:%B %Y}" if run.series_count else "")
                )
            else:
                failed = True
                self.stderr.write(f"{label}: failed: {run.error}")
        if failed:
            raise CommandError("Some forecasts failed; the previous ones stay in use.")
