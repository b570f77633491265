"""Ad-platform figures: what Meta, LinkedIn and Google Ads report about our paid ads.

Staff import the platforms' CSV/XLSX exports (:mod:`carerecruit.adstats.parsers`,
:func:`carerecruit.adstats.actions.do_import_ad_stats`). Each platform campaign is mapped
once to one of our campaigns (and optionally a channel); the mapping is remembered for
later files.

Figures are kept as the platform reported them:

- a row for one day is an :class:`AdDailyStat`; a row covering several days (a "lifetime"
  or date-range export without a daily breakdown) is an :class:`AdPeriodStat` and is
  never spread into invented daily numbers;
- ``reach`` (unique people) is stored per row but never summed across days or platform
  campaigns: the same person reached on Monday and Tuesday is one person, not two;
- NULL means the platform did not report the measure (an empty cell or ``--``), which is
  not the same as zero;
- money is an integer in the currency's minor unit (pence for GBP), with the ISO 4217
  currency code beside it.

The day of a daily row is the platform's reporting day, taken as our local date without
shifting: Meta and Google report days in the ad account's time zone (Europe/London for a
UK account), LinkedIn in UTC. A platform's day cannot be re-cut into other hours.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carerecruit.campaigns.models import Campaign, Channel


class Platform(models.TextChoices):
    META = "meta", "Meta (Facebook and Instagram)"
    LINKEDIN = "linkedin", "LinkedIn"
    GOOGLE = "google", "Google Ads"


# The channel a new platform campaign is most likely to be, offered as the default when
# it is mapped. Meta has none: an ad there may run on Facebook, Instagram or both.
DEFAULT_CHANNEL = {
    Platform.META: "",
    Platform.LINKEDIN: Channel.LINKEDIN.value,
    Platform.GOOGLE: Channel.GOOGLE_ADS.value,
}


class AdPlatformCampaign(models.Model):
    """A campaign as an ad platform names it, mapped to one of our campaigns.

    ``name`` is the platform's campaign name exactly as exported (the key files share);
    ``platform_campaign_id`` is the platform's own id when a file carried one. ``campaign``
    is NULL until someone maps it; an import needs every platform campaign in the file
    mapped. ``channel`` ("" = not set) is a :class:`carerecruit.campaigns.models.Channel`
    value, so the dashboards can put the spend beside the tracked links of that channel.
    """

    platform = models.CharField(max_length=10, choices=Platform.choices)
    name = models.CharField("platform campaign name", max_length=255)
    platform_campaign_id = models.CharField("platform's campaign id", max_length=64, blank=True)
    # Indexed explicitly below (named); SET_NULL keeps the figures when a campaign is
    # deleted, and the platform campaign shows as unmapped again.
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ad_platform_campaigns", db_index=False,
    )
    # A Channel value, "" = not set. Deliberately no ``choices=``: a channel added in the
    # campaigns app must not need a migration here. Validated by the actions and forms.
    channel = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    mapped_at = models.DateTimeField(null=True, blank=True)
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )

    class Meta:
        ordering = ["platform", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "name"], name="adplatformcampaign_one_per_platform_name"
            ),
            # "Direct" is for visits without a link; paid ads always come from somewhere.
            models.CheckConstraint(
                condition=~Q(channel=Channel.DIRECT), name="adplatformcampaign_channel_not_direct"
            ),
        ]
        indexes = [
            # queries.ad_totals(): the platform campaigns mapped to a set of our campaigns.
            models.Index(fields=["campaign"], name="adplatcampaign_campaign_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.name}"

    def get_channel_display(self) -> str:
        return Channel(self.channel).label if self.channel in Channel.values else self.channel


# _NO_DB_FK: the figures' link to their platform campaign is not a database foreign key.
# PostgreSQL checks a foreign key with a trigger for every inserted row, which measured
# at about 40% of a 200,000-row import (bench/ad_import.py, docs/performance.md). The
# figures are written only by do_import_ad_stats, with platform campaign ids it reads or
# creates in the same transaction, and deleting a platform campaign still deletes its
# figures (Django's on_delete=CASCADE runs in Python either way).


class _Measures(models.Model):
    """The measures both daily and period figures carry (see the module docstring)."""

    impressions = models.PositiveBigIntegerField()
    # Unique people reached in this row's day or period. Never summed: see module docstring.
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    # The platform's link clicks (Meta "Link clicks", LinkedIn "Clicks", Google "Clicks"),
    # not our tracked-link clicks.
    clicks = models.PositiveBigIntegerField()
    # NULL when the platform does not report it (Google Ads has no such column).
    landing_page_views = models.PositiveBigIntegerField(null=True, blank=True)
    # In the currency's minor unit (pence for GBP, cents for EUR/USD).
    spend_pence = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, help_text="ISO 4217 code, e.g. GBP.")
    # Platform-reported results/conversions (Meta "Results", LinkedIn "Leads", Google
    # "Conversions"). Decimal because Google's data-driven attribution reports fractions.
    # NULL = unknown (`--` or empty), not zero.
    results = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        abstract = True


class AdDailyStat(_Measures):
    """One platform campaign's (or one ad's) figures for one reporting day.

    ``ad_name`` is "" for a campaign-level row. A day holds either one campaign-level row
    or per-ad rows for a platform campaign, never both (the import replaces one with the
    other), so sums never count a day twice.
    """

    # Indexed by the unique constraint (platform_campaign, date, ad_name), whose prefix
    # also serves range queries by date. No database-level foreign key (see _NO_DB_FK).
    platform_campaign = models.ForeignKey(
        AdPlatformCampaign, on_delete=models.CASCADE, related_name="daily_stats", db_index=False,
        db_constraint=False,
    )
    ad_name = models.CharField(max_length=255, blank=True, default="")
    date = models.DateField(help_text="The platform's reporting day, as our local date.")

    class Meta:
        ordering = ["platform_campaign", "date", "ad_name"]
        constraints = [
            # The replace-not-add rule: one row per platform campaign, day and ad. Column
            # order puts date second so queries.ad_totals() can range-scan by date.
            models.UniqueConstraint(
                fields=["platform_campaign", "date", "ad_name"],
                name="addailystat_one_per_campaign_day_ad",
            ),
        ]

    def __str__(self) -> str:
        ad = f" / {self.ad_name}" if self.ad_name else ""
        return f"{self.platform_campaign}{ad} on {self.date}"


class AdPeriodStat(_Measures):
    """Figures a platform reported only as a total over ``period_start``..``period_end``
    (inclusive local dates). Kept as one total: never spread over the days."""

    # Indexed by the unique constraint below (platform_campaign first). No database-level
    # foreign key (see _NO_DB_FK).
    platform_campaign = models.ForeignKey(
        AdPlatformCampaign, on_delete=models.CASCADE, related_name="period_stats", db_index=False,
        db_constraint=False,
    )
    ad_name = models.CharField(max_length=255, blank=True, default="")
    period_start = models.DateField()
    period_end = models.DateField()

    class Meta:
        ordering = ["platform_campaign", "period_start", "period_end", "ad_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform_campaign", "period_start", "period_end", "ad_name"],
                name="adperiodstat_one_per_campaign_period_ad",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="adperiodstat_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        ad = f" / {self.ad_name}" if self.ad_name else ""
        return f"{self.platform_campaign}{ad}, {self.period_start} to {self.period_end}"


class AdImport(models.Model):
    """Audit record of one committed import: which file, whose, when, how many rows.

    ``sha256`` is of the uploaded bytes, so the preview can say a file was imported
    before. ``first_date``/``last_date`` span every row (daily and period).
    """

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    platform = models.CharField(max_length=10, choices=Platform.choices)
    rows = models.PositiveIntegerField(help_text="Data rows in the file (daily + period).")
    daily_rows = models.PositiveIntegerField(default=0)
    period_rows = models.PositiveIntegerField(default=0)
    first_date = models.DateField(null=True, blank=True)
    last_date = models.DateField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_index=False,
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at"]
        indexes = [
            # The list page: newest imports first.
            models.Index(fields=["-imported_at"], name="adimport_imported_at_idx"),
            # The preview: "this exact file was imported on …".
            models.Index(fields=["sha256"], name="adimport_sha256_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_platform_display()}, {self.imported_at:%Y-%m-%d %H:%M})"


def new_upload_token() -> str:
    """A random, unguessable token for an upload awaiting confirmation (43 URL-safe chars)."""
    return secrets.token_urlsafe(32)


class AdUpload(models.Model):
    """An uploaded file kept between the preview and the confirmation (at most a day).

    The staff import is two steps (upload → preview → confirm). Rather than keeping the
    file in the session or on disk, the bytes wait here under a random token; only the
    uploader may open or confirm it. Confirming deletes it, and every new upload deletes
    those older than :data:`carerecruit.adstats.actions.UPLOAD_MAX_AGE`.
    """

    token = models.CharField(max_length=64, default=new_upload_token, editable=False)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    platform = models.CharField(max_length=10, choices=Platform.choices, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False,
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Also the index for the preview and confirm pages' lookup by token.
            models.UniqueConstraint(fields=["token"], name="adupload_token_unique"),
        ]
        indexes = [
            # Clean-up of uploads older than a day on every new upload.
            models.Index(fields=["uploaded_at"], name="adupload_uploaded_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} (awaiting confirmation)"
