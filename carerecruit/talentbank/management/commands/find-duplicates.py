"""``carerecruit find-duplicates``: flag candidate records that are probably one person."""

from django.core.management.base import BaseCommand

from carerecruit.talentbank.duplicates import find_duplicates


class Command(BaseCommand):
    help = (
        "Record pairs of candidates who are probably the same person (similar name and same "
        "postcode, same name and same postcode district, or same phone number) for an admin "
        "to review at "
        "/staff/duplicates/. Pairs already recorded are left alone."
    )

    def handle(self, *args, **options):
        added = find_duplicates()
        self.stdout.write(f"{added} new possible duplicate pair{'' if added == 1 else 's'} found")
