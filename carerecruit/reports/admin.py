"""Weekly reports in the admin: read only.

Subscriptions are chosen on ``/staff/reports/`` and sends are recorded by
:mod:`carerecruit.reports.actions`; the admin lets platform admins look (which weeks went
out, to how many, with which SHA-256).
"""

from django.contrib import admin

from carerecruit.reports.models import ReportSubscription, WeeklyReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WeeklyReport)
class WeeklyReportAdmin(ReadOnlyAdmin):
    list_display = ("key", "week_start", "sent_at", "recipients", "pdf_sha256")
    date_hierarchy = "week_start"


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "created_by")
