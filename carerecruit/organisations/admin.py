"""Back-office admin for organisations and staff users (platform admins only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models

from carerecruit.organisations.models import CouncilDistrict, Organisation, User


class CouncilDistrictInline(admin.TabularInline):
    """Districts of a two-tier county (ONSPD ``oslaua`` codes that map to the county)."""

    model = CouncilDistrict
    fk_name = "council"
    extra = 0
    fields = ("name", "gss_code")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "gss_code", "council_type", "region", "is_active", "is_simulated")
    list_filter = ("kind", "region", "council_type", "is_active", "is_simulated")
    search_fields = ("name", "short_name", "slug", "gss_code")
    list_select_related = ("region",)
    prepopulated_fields = {"slug": ("short_name",)}
    # Websites typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("region", "kind", "name", "short_name", "slug", "website", "is_active")}),
        ("Council", {"fields": ("gss_code", "council_type", "old_la_number", "latitude", "longitude")}),
        ("Demo", {"fields": ("is_simulated",)}),
    )

    def get_inlines(self, request, obj):
        # Only councils have districts; an empty inline on a provider would confuse.
        if obj is not None and obj.is_council:
            return [CouncilDistrictInline]
        return []


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin plus the two fields that decide access: organisation and role."""

    fieldsets = (
        *UserAdmin.fieldsets,
        ("Organisation and role", {"fields": ("organisation", "role")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Contact, organisation and role", {"fields": ("email", "first_name", "last_name", "organisation", "role")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "organisation", "role", "is_active", "is_staff")
    list_filter = ("role", "organisation__kind", "organisation", "is_active", "is_staff", "is_superuser")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "email", "organisation__name", "organisation__short_name")
    autocomplete_fields = ("organisation",)
