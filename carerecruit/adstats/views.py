"""Staff pages for ad-platform figures: the list, upload → preview → confirm, mappings.

Only regional admins and campaign managers (``can_manage_campaigns``) use these pages;
everyone else gets 403. The uploaded file waits between preview and confirmation in an
:class:`~carerecruit.adstats.models.AdUpload` row under a random token, readable only by
its uploader and deleted on confirmation or after a day.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from carerecruit.adstats.actions import (
    UPLOAD_MAX_AGE,
    do_confirm_ad_upload,
    do_import_ad_stats,
    do_map_platform_campaign,
    do_store_ad_upload,
)
from carerecruit.adstats.forms import AdUploadForm, MappingForm, PlatformCampaignMappingForm
from carerecruit.adstats.models import AdImport, AdPlatformCampaign, AdUpload, Platform
from carerecruit.adstats.parsers import PLATFORM_LABELS
from carerecruit.organisations.access import campaigns_visible_to, can_manage_campaigns

# The error summary lists this many problems; the table below it lists up to
# PROBLEMS_IN_TABLE (a file of the wrong kind can have one per row).
PROBLEMS_IN_SUMMARY = 25
PROBLEMS_IN_TABLE = 1000


def _require_manager(user) -> None:
    if not can_manage_campaigns(user):
        raise PermissionDenied("Only campaign managers and regional admins import ad figures.")


@login_required
@require_GET
def index(request):
    """``/staff/ads/``: platform campaigns with their mapping, and the latest imports."""
    _require_manager(request.user)
    platform_campaigns = (
        AdPlatformCampaign.objects.select_related("campaign")
        .annotate(days=Count("daily_stats"), first_day=Min("daily_stats__date"), last_day=Max("daily_stats__date"))
        .order_by("platform", "name")
    )
    imports = AdImport.objects.select_related("imported_by")[:50]
    return render(request, "adstats/index.html", {"platform_campaigns": platform_campaigns, "imports": imports})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """``/staff/ads/import/``: choose a file; it is kept and the preview shown next."""
    _require_manager(request.user)
    form = AdUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        pending = do_store_ad_upload(
            user=request.user, file_name=uploaded.name, content=uploaded.read(),
            platform=form.cleaned_data["platform"], currency=form.cleaned_data["currency"],
        )
        return HttpResponseRedirect(reverse("adstats:preview", args=[pending.token]))
    return render(request, "adstats/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, token):
    """``/staff/ads/import/<token>/``: what the file holds, its problems, and the mapping
    of its platform campaigns; POST imports it."""
    _require_manager(request.user)
    pending = get_object_or_404(
        AdUpload, token=token, uploaded_by=request.user,
        uploaded_at__gte=timezone.now() - UPLOAD_MAX_AGE,
    )
    result = do_import_ad_stats(
        bytes(pending.content), pending.file_name, platform=pending.platform or None,
        default_currency=pending.currency or None, dry_run=True,
    )
    campaigns = list(campaigns_visible_to(request.user).order_by("name"))
    form = MappingForm(
        request.POST if request.method == "POST" and not result.problems else None,
        totals=result.totals, campaigns=campaigns, platform=result.platform,
    )
    if request.method == "POST" and not result.problems and form.is_valid():
        committed = do_confirm_ad_upload(pending, mapping=form.mapping(), user=request.user)
        if committed.committed:
            # No file name here: a long one cannot wrap in the banner on a 320px phone.
            messages.success(
                request,
                f"Imported {committed.rows} row{'s' if committed.rows != 1 else ''} of "
                f"{PLATFORM_LABELS[committed.platform]} figures",
            )
            return HttpResponseRedirect(reverse("adstats:index"))
        result = committed
    problems = result.problems
    return render(request, "adstats/preview.html", {
        "pending": pending,
        "result": result,
        "form": form,
        "problems_summary": problems[:PROBLEMS_IN_SUMMARY],
        "problems_table": [(n, p) for n, p in enumerate(problems[:PROBLEMS_IN_TABLE], start=1)],
        "problems_more": max(0, len(problems) - PROBLEMS_IN_TABLE),
        "has_errors": bool(problems) or bool(form.errors),
        "platform_label": Platform(result.platform).label if result.platform else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request, pk):
    """``/staff/ads/platform-campaigns/<id>/``: change which of our campaigns (and which
    channel) a platform campaign's figures belong to."""
    _require_manager(request.user)
    pc = get_object_or_404(AdPlatformCampaign.objects.select_related("campaign"), pk=pk)
    campaigns = list(campaigns_visible_to(request.user).order_by("name"))
    initial = {"campaign": pc.campaign.slug if pc.campaign else "", "channel": pc.channel}
    form = PlatformCampaignMappingForm(request.POST or None, initial=initial, campaigns=campaigns)
    if request.method == "POST" and form.is_valid():
        do_map_platform_campaign(pc, form.mapping(), user=request.user)
        messages.success(request, f"Mapping saved for “{pc.name}”")
        return HttpResponseRedirect(reverse("adstats:index") + f"#pc-{pc.pk}")
    return render(request, "adstats/mapping.html", {"pc": pc, "form": form})
