"""Back-office admin for campaigns and tracked links (platform admins).

Campaign teams work in the staff area; the admin is for fixing data. Tracked-link codes
are printed on posters and in posts, so they are never editable.
"""

from django import forms
from django.contrib import admin

from carerecruit.campaigns.forms import clean_destination_path
from carerecruit.campaigns.models import Campaign, CampaignImage, TrackedLink


class CampaignImageInline(admin.TabularInline):
    model = CampaignImage
    extra = 0
    fields = ("image", "alt_text", "is_decorative", "order", "width", "height")
    readonly_fields = ("image", "width", "height")

    def has_add_permission(self, request, obj=None):
        # Uploads are checked (format, size, alt text) in the studio's image page.
        return False


class TrackedLinkInline(admin.TabularInline):
    model = TrackedLink
    extra = 0
    fields = ("code", "channel", "label", "utm_source", "utm_medium", "utm_campaign", "is_simulated")
    readonly_fields = ("code",)
    show_change_link = True


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "region", "owner", "starts_on", "ends_on", "is_simulated")
    readonly_fields = ("created_by", "published_at", "closed_at")
    list_filter = ("status", "region", "is_simulated")
    search_fields = ("name", "slug", "hashtag", "audience")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("job_roles", "partners")
    list_select_related = ("region", "owner")
    inlines = [CampaignImageInline, TrackedLinkInline]
    fieldsets = (
        (None, {"fields": ("region", "owner", "name", "slug", "hashtag", "audience", "status", "starts_on", "ends_on")}),
        ("Who and what", {"fields": ("job_roles", "partners")}),
        ("Microsite", {"fields": (
            "headline", "introduction", "why_join", "faqs", "contact_email", "contact_phone",
            "brand_colour",
        )}),
        ("History", {"fields": ("created_by", "published_at", "closed_at")}),
        ("Demo", {"fields": ("is_simulated",)}),
    )


class TrackedLinkAdminForm(forms.ModelForm):
    """The admin's link form: the destination is checked as in the staff area."""

    class Meta:
        model = TrackedLink
        fields = (
            "campaign", "label", "channel", "utm_source", "utm_medium", "utm_campaign", "utm_content",
            "utm_term", "destination_path", "is_simulated",
        )

    def clean_destination_path(self):
        return clean_destination_path(self.cleaned_data.get("destination_path"))


@admin.register(TrackedLink)
class TrackedLinkAdmin(admin.ModelAdmin):
    form = TrackedLinkAdminForm
    list_display = ("code", "campaign", "channel", "label", "utm_source", "utm_medium", "created_at")
    list_filter = ("channel", "campaign")
    search_fields = ("code", "label", "utm_source", "utm_campaign", "utm_content")
    readonly_fields = ("code", "created_at", "created_by")
    list_select_related = ("campaign",)
