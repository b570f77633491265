"""``carerecruit evaluate-alerts``: judge live campaigns and raise alerts (for cron).

The worker does this every few minutes already; this command is for a deployment that
runs the evaluation from cron instead, or to run it by hand. Safe to run at any time and
as often as wished: an alert is stored and e-mailed at most once a day.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from carerecruit.insights.alerts import evaluate_alerts


class Command(BaseCommand):
    help = (
        "Judge every live campaign's channels (conversion sag, cost per application above "
        "target); store and e-mail new alerts, at most once a day each."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Judge as if today were this local date (YYYY-MM-DD); default today.",
        )

    def handle(self, *args, **options):
        import datetime

        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date must be a date like 2020-04-20") from None
        result = evaluate_alerts(today)
        self.stdout.write(
            f"Judged {result['judged']} live campaigns; raised {result['raised']} alerts; "
            f"sent {result['emailed']} e-mails."
        )
