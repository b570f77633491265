"""Reference data in the admin: readable, barely editable.

Regions and ASC-WDS job roles are loaded by migration from published codes; changing a
code here would break the link to ONS and ASC-WDS data, so codes are read-only and rows
cannot be deleted. Platform admins may add a region (a second region is configuration)
and choose which job roles appear on public forms.
"""

from django.contrib import admin

from carerecruit.reference.models import JobRole, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "gss_code", "slug")
    search_fields = ("name", "gss_code")

    def get_readonly_fields(self, request, obj=None):
        return ("gss_code", "slug") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobRole)
class JobRoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "needs_swe_registration", "offered_on_forms")
    list_filter = ("needs_swe_registration", "offered_on_forms")
    list_editable = ("offered_on_forms",)
    search_fields = ("name", "code")
    ordering = ("code",)
    readonly_fields = ("code", "name", "needs_swe_registration")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
