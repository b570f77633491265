"""Back-office admin for ad-platform figures (platform admins): read-only.

Figures come only from imports (``do_import_ad_stats``), so the admin shows them and the
audit of imports but does not edit them; mappings are changed on /staff/ads/.
"""

from django.contrib import admin

from carerecruit.adstats.models import AdDailyStat, AdImport, AdPeriodStat, AdPlatformCampaign


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdPlatformCampaign)
class AdPlatformCampaignAdmin(ReadOnlyAdmin):
    list_display = ("name", "platform", "campaign", "channel", "mapped_at")
    list_filter = ("platform",)
    search_fields = ("name", "platform_campaign_id")


@admin.register(AdDailyStat)
class AdDailyStatAdmin(ReadOnlyAdmin):
    list_display = ("platform_campaign", "ad_name", "date", "impressions", "clicks", "spend_pence", "currency", "results")
    list_filter = ("platform_campaign__platform",)
    list_select_related = ("platform_campaign",)
    date_hierarchy = "date"


@admin.register(AdPeriodStat)
class AdPeriodStatAdmin(ReadOnlyAdmin):
    list_display = ("platform_campaign", "ad_name", "period_start", "period_end", "impressions", "clicks", "spend_pence", "currency")
    list_select_related = ("platform_campaign",)


@admin.register(AdImport)
class AdImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "platform", "rows", "first_date", "last_date", "imported_by", "imported_at")
    list_filter = ("platform",)
    list_select_related = ("imported_by",)
