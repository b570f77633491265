"""``carerecruit import-ad-stats FILE``: import an ad-platform export (CSV or XLSX).

    carerecruit import-ad-stats FILE [--platform meta|linkedin|google] [--currency GBP]
                                     [--campaign SLUG [--channel CHANNEL]] [--dry-run]

Prints the rows, date range and totals per platform campaign, or every problem (line,
column, message) and exits with status 1, importing nothing. Platform campaigns not yet
mapped to one of our campaigns need ``--campaign SLUG`` (which maps all of the file's
unmapped platform campaigns to that campaign, meant for files of one campaign); without
it the command lists them and imports nothing. Mappings are remembered for later files.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from carerecruit.adstats.actions import MAPPABLE_CHANNELS, CampaignMapping, do_import_ad_stats
from carerecruit.adstats.formatting import format_count, format_money
from carerecruit.adstats.parsers import PLATFORM_LABELS, PLATFORMS
from carerecruit.campaigns.models import Campaign


class Command(BaseCommand):
    help = "Import a Meta, LinkedIn or Google Ads export (CSV or XLSX) of ad figures."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the exported CSV or XLSX file")
        parser.add_argument("--platform", choices=PLATFORMS, help="skip detection from the header")
        parser.add_argument("--currency", help="the ad account's currency (ISO 4217, e.g. GBP) for files that do not say it")
        parser.add_argument("--campaign", metavar="SLUG", help="map the file's unmapped platform campaigns to this campaign")
        parser.add_argument("--channel", choices=sorted(MAPPABLE_CHANNELS), help="with --campaign: the channel of those platform campaigns")
        parser.add_argument("--dry-run", action="store_true", help="check and summarise, write nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        default_mapping = None
        if options["channel"] and not options["campaign"]:
            raise CommandError("--channel needs --campaign")
        if options["campaign"]:
            try:
                campaign = Campaign.objects.get(slug=options["campaign"])
            except Campaign.DoesNotExist:
                raise CommandError(f"No campaign with the slug {options['campaign']!r}") from None
            default_mapping = CampaignMapping(campaign, options["channel"]) if options["channel"] else campaign

        result = do_import_ad_stats(
            data, path.name, platform=options["platform"], currency=options["currency"],
            default_mapping=default_mapping, dry_run=options["dry_run"],
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            count = len(result.problems)
            raise CommandError(f"{path.name}: {count} problem{'s' if count != 1 else ''}; nothing imported.")
        if result.unmapped:
            for name in result.unmapped:
                self.stderr.write(f"Not mapped to one of our campaigns: {name}")
            raise CommandError(
                f"{path.name}: {len(result.unmapped)} platform campaign(s) not mapped; nothing imported. "
                "Give --campaign SLUG, or map them on the staff page /staff/ads/import/."
            )
        self._summary(result)

    def _summary(self, result):
        verb = "Would import" if result.dry_run else "Imported"
        kinds = []
        if result.daily_rows:
            kinds.append(f"{result.daily_rows} daily row{'s' if result.daily_rows != 1 else ''}")
        if result.period_rows:
            kinds.append(f"{result.period_rows} period total{'s' if result.period_rows != 1 else ''}")
        self.stdout.write(
            f"{verb} {result.file_name} ({PLATFORM_LABELS[result.platform]}): {' and '.join(kinds)}, "
            f"{result.first_date.isoformat()} to {result.last_date.isoformat()}"
        )
        if result.skipped_total_rows:
            self.stdout.write(f"Skipped {result.skipped_total_rows} total row(s) (sums, not data).")
        for t in result.totals:
            channel = f", channel {t.channel}" if t.channel else ""
            self.stdout.write(
                f"  {t.name} → {t.campaign.slug}{channel}: {t.rows} row{'s' if t.rows != 1 else ''}, "
                f"{t.first_date.isoformat()} to {t.last_date.isoformat()}, "
                f"{format_count(t.impressions)} impressions, {format_count(t.clicks)} clicks, "
                f"{_measure(t.landing_page_views, 'landing page views')}, "
                f"{format_money(t.spend_pence, t.currency)} spent, {_measure(t.results, 'results')}"
            )


def _measure(value, name: str) -> str:
    return f"{name} not reported" if value is None else f"{format_count(value)} {name}"
