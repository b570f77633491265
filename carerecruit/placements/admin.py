"""Django admin for the placements app's configuration: pipeline targets and the imported
postcode directory. Routes, checks and placements hold personal data and are worked only
through the staff pages, which go through the access layer and the audit log."""

from django.contrib import admin

from carerecruit.placements.models import OrganisationPipelineSettings, PostcodeLocation


@admin.register(OrganisationPipelineSettings)
class OrganisationPipelineSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "organisation", "target_new", "target_contacted", "target_screening", "target_interview",
        "target_offer", "target_checks",
    )
    list_select_related = ("organisation",)


@admin.register(PostcodeLocation)
class PostcodeLocationAdmin(admin.ModelAdmin):
    list_display = ("pcds", "cassr_gss", "oslaua", "latitude", "longitude")
    search_fields = ("compact", "pcds")
    list_filter = ("cassr_gss",)

    def get_search_results(self, request, queryset, search_term):
        from carerecruit.lib.postcodes import compact_postcode

        return super().get_search_results(request, queryset, compact_postcode(search_term))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
