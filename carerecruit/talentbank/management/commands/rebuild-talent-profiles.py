"""``carerecruit rebuild-talent-profiles``: rebuild every talent-bank search profile."""

from django.core.management.base import BaseCommand

from carerecruit.talentbank.profiles import rebuild_talent_profiles


class Command(BaseCommand):
    help = (
        "Rebuild the talent bank's search profiles from candidates and their applications: "
        "after bulk loads that bypass model signals, or an ONSPD import that moved postcodes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000, help="people per batch (default 2000)")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            self.stderr.write("--batch-size must be 1 or more")
            raise SystemExit(2)
        written = rebuild_talent_profiles(batch_size=batch_size)
        self.stdout.write(f"{written} talent profile{'' if written == 1 else 's'} rebuilt")
