"""Back-office admin for candidates and applications: read-mostly.

Candidates and applications are written only through ``candidates.actions`` (the public
form, imports, erasure), so here every field is read-only and nothing can be added or
deleted: deleting a person must go through erasure, which also clears their data
elsewhere. Staff search by name (accent- and apostrophe-insensitive), e-mail or phone.
"""

from django.contrib import admin

from carerecruit.candidates.models import Application, Candidate
from carerecruit.lib.names import fold_name


class ReadOnlyAdmin(admin.ModelAdmin):
    view_on_site = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("campaign", "submitted_at", "channel", "utm_source", "hours_wanted")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = (
        "full_name", "email", "phone_e164", "postcode", "talent_bank_consent", "created_at",
        "is_simulated",
    )
    list_filter = ("talent_bank_consent", "is_simulated")
    search_fields = ("name_folded", "email_normalised", "phone_e164", "postcode")
    date_hierarchy = "created_at"
    inlines = [ApplicationInline]
    fieldsets = (
        (None, {"fields": ("code", "full_name", "email", "phone_e164", "postcode")}),
        ("Talent bank", {"fields": ("talent_bank_consent", "talent_bank_consent_at")}),
        ("Record", {"fields": ("created_at", "updated_at", "last_active_at", "is_simulated")}),
    )

    def get_search_results(self, request, queryset, search_term):
        # Names are searched in their folded form, so "siobhan o'neill" finds
        # "Siobhán O’Neill-Smith"; e-mail identity is lower-case.
        term = search_term.strip()
        folded = fold_name(term) if "@" not in term else term.lower()
        return super().get_search_results(request, queryset, folded)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = (
        "candidate", "campaign", "submitted_at", "channel", "utm_source", "hours_wanted",
        "right_to_work", "is_simulated",
    )
    list_filter = ("campaign", "channel", "hours_wanted", "right_to_work", "is_simulated")
    list_select_related = ("candidate", "campaign")
    search_fields = ("candidate__name_folded", "candidate__email_normalised", "full_name_given")
    date_hierarchy = "submitted_at"
    fieldsets = (
        (None, {"fields": ("code", "candidate", "campaign", "submitted_at", "full_name_given")}),
        ("Answers", {"fields": (
            "job_roles", "years_experience", "current_role", "swe_registration",
            "earliest_start", "hours_wanted", "council_areas", "right_to_work",
        )}),
        ("Attribution", {"fields": (
            "link", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content",
            "utm_term", "referrer_host", "click_id",
        )}),
        ("Demo", {"fields": ("is_simulated",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        folded = fold_name(term) if "@" not in term else term.lower()
        return super().get_search_results(request, queryset, folded)
