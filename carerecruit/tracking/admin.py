"""Read-only admin views of raw events and rollups, for checking figures by hand.

Events are append-only and rollups belong to the worker, so nothing here can add, change
or delete them. The events table grows to billions of rows: no full count on its list,
no date drill-down, and filters only on indexed or low-cost columns.
"""

from django.contrib import admin

from carerecruit.tracking.models import ClickSpoolFile, Event, FunnelRollup


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = (
        "id", "occurred_at", "kind", "campaign", "channel", "link", "utm_source", "utm_campaign",
        "is_bot", "is_simulated",
    )
    list_filter = ("kind", "is_bot", "is_simulated", "channel")
    list_select_related = ("campaign", "link")
    search_fields = ("=click_id",)
    ordering = ("-id",)
    show_full_result_count = False
    raw_id_fields = ("campaign", "link")


@admin.register(FunnelRollup)
class FunnelRollupAdmin(ReadOnlyAdmin):
    list_display = ("local_date", "campaign", "channel", "link", "kind", "count")
    list_filter = ("kind", "channel", "campaign")
    list_select_related = ("campaign", "link")
    ordering = ("-local_date", "campaign", "channel", "kind")
    date_hierarchy = "local_date"
    raw_id_fields = ("campaign", "link")


@admin.register(ClickSpoolFile)
class ClickSpoolFileAdmin(ReadOnlyAdmin):
    """How far the worker has read each click spool file; a row whose ``checked_at`` is
    old while its file grows means the worker is not running on that machine."""

    list_display = ("name", "offset", "bad_lines", "checked_at")
    ordering = ("name",)
