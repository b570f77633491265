"""``carerecruit report --week 2020-W18 [--out DIR] [--send | --resend]``: build (and
optionally e-mail) one ISO week's report.

The HTML and PDF are written to ``DIR`` (default: the current directory) as
``weekly-report-2020-W18.html`` and ``.pdf``, and their SHA-256 printed: building the
same week again from the same data gives the same bytes, in this process or another.
``--send`` e-mails it to the subscribers unless it was sent already (the worker's rule);
``--resend`` sends it again regardless.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carerecruit.lib.localtime import local_today
from carerecruit.reports.actions import ReportError, do_send_weekly_report, week_is_over
from carerecruit.reports.render import build_files
from carerecruit.reports.weeks import BadWeek, last_complete_week, parse_week


class Command(BaseCommand):
    help = (
        "Build one ISO week's report (Monday to Sunday, Europe/London) as HTML and PDF; "
        "optionally e-mail it to the report's subscribers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--week", help="ISO week like 2020-W18 (default: last week, the latest complete one).",
        )
        parser.add_argument(
            "--out", default=".", help="Folder to write the HTML and PDF to (default: current folder).",
        )
        sending = parser.add_mutually_exclusive_group()
        sending.add_argument(
            "--send", action="store_true",
            help="E-mail it to the subscribers, unless this week's report was sent already.",
        )
        sending.add_argument("--resend", action="store_true", help="E-mail it even if it was sent already.")

    def handle(self, *args, **options):
        try:
            week = parse_week(options["week"]) if options["week"] else last_complete_week(local_today())
        except BadWeek as error:
            raise CommandError(str(error)) from None
        if not week_is_over(week, timezone.now()):
            raise CommandError(f"{week.key} has not ended yet ({week.start:%-d %B %Y} to {week.end:%-d %B %Y}).")
        out = Path(options["out"])
        if not out.is_dir():
            raise CommandError(f"{out} is not a folder")

        files = build_files(week)
        (out / files.html_name).write_bytes(files.html)
        (out / files.pdf_name).write_bytes(files.pdf)
        self.stdout.write(f"{out / files.html_name}  sha256 {files.html_sha256}")
        self.stdout.write(f"{out / files.pdf_name}  sha256 {files.pdf_sha256}")

        if options["send"] or options["resend"]:
            try:
                result = do_send_weekly_report(week, resend=options["resend"])
            except ReportError as error:
                raise CommandError(str(error)) from None
            if result.sent:
                self.stdout.write(f"Sent {week.key} to {result.recipients} recipients.")
                if result.files and result.files.pdf_sha256 != files.pdf_sha256:
                    self.stdout.write("The figures changed between writing the files and sending.")
            elif result.reason == "already sent":
                self.stdout.write(f"Not sent: {week.key} was sent already (--resend sends it again).")
            else:
                raise CommandError(f"Not sent: {result.reason}.")
