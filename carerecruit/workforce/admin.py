"""Workforce data in the admin: read only.

Returns and published estimates are written only by the importers
(:mod:`carerecruit.workforce.actions`), which keep them whole and consistent; the admin
lets platform admins look. Staff records are not in the admin at all: they are minimised
data for aggregates, not for browsing.
"""

from django.contrib import admin

from carerecruit.workforce.models import PublishedWorkforceEstimate, WorkforceReturn


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkforceReturn)
class WorkforceReturnAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "as_at", "status", "council", "workplace_count", "worker_count", "uploaded_at")
    list_filter = ("status", "council")
    search_fields = ("organisation__name", "organisation__short_name")
    date_hierarchy = "as_at"


@admin.register(PublishedWorkforceEstimate)
class PublishedWorkforceEstimateAdmin(ReadOnlyAdmin):
    list_display = ("gss_code", "area_kind", "year", "filled_posts", "vacancy_rate", "turnover_rate")
    list_filter = ("area_kind", "year")
    search_fields = ("gss_code", "source")
