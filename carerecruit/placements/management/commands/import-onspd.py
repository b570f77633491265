"""`carerecruit import-onspd FILE`: load the ONS Postcode Directory for postcode → council
routing and distances (see carerecruit.placements.postcodes)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from carerecruit.placements.postcodes import OnspdFormatError, import_onspd


class Command(BaseCommand):
    help = (
        "Import live postcodes from the ONS Postcode Directory (the ONSPD CSV, or the zip as "
        "published). Columns are read by header name. By default only this deployment's "
        "region is kept and the existing postcodes are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ONSPD CSV file, or the ONSPD zip (its Data/ONSPD_*.csv is read)")
        parser.add_argument(
            "--region", action="append", dest="regions", metavar="GSS",
            help="ONS region code to keep (repeatable). Default: CARERECRUIT_REGION_CODE "
                 f"({settings.CARERECRUIT_REGION_CODE}).",
        )
        parser.add_argument("--all-regions", action="store_true", help="Keep every region.")
        parser.add_argument(
            "--append", action="store_true",
            help="Insert or update postcodes without deleting the ones already loaded "
                 "(e.g. to add a neighbouring region).",
        )

    def handle(self, *args, file: str, regions, all_regions: bool, append: bool, **options):
        if all_regions and regions:
            raise CommandError("Use either --region or --all-regions, not both")
        keep = None if all_regions else set(regions or [settings.CARERECRUIT_REGION_CODE])
        try:
            result = import_onspd(file, regions=keep, replace=not append)
        except OnspdFormatError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        where = "every region" if keep is None else ", ".join(sorted(keep))
        self.stdout.write(self.style.SUCCESS(f"Imported {result.imported:,} live postcodes ({where})."))
        self.stdout.write(
            f"Skipped {result.terminated:,} terminated, {result.other_region:,} in other regions, "
            f"{result.malformed:,} malformed. {result.without_location:,} have no grid reference "
            "(kept, without coordinates)."
        )
