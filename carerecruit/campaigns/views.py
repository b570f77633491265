"""Public campaign pages: the microsite ``/c/<slug>/``."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.static import serve

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.access import can_manage_campaigns
from carerecruit.tracking.actions import record_microsite_view

# Query parameters that carry attribution from page to page without cookies: the click
# id handed out by /r/<code> and the five standard UTM parameters.
ATTRIBUTION_PARAMS = ("cid", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
# The brand colour is printed into a style attribute: only a plain hex colour may pass,
# whatever reached the database.
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_BRAND_COLOUR = "#1d3a5f"
# Longer values are cut, not dropped, when carried on (the tracking layer truncates too).
MAX_PARAM_LENGTH = 255


def attribution_query(request) -> str:
    """The attribution parameters of ``request``'s query string, re-encoded
    (``"cid=…&utm_source=facebook"``), or ``""``. Used to carry them onto the apply form
    and its POST so :func:`carerecruit.tracking.actions.attribution_for` sees them."""
    pairs = [
        (name, request.GET[name][:MAX_PARAM_LENGTH])
        for name in ATTRIBUTION_PARAMS
        if request.GET.get(name)
    ]
    return urlencode(pairs)


def get_public_campaign(request, slug: str) -> Campaign:
    """The campaign ``slug`` as the public may see it: live or closed.

    A draft is 404, except to staff who manage campaigns (a preview). Raises Http404.
    """
    campaign = get_object_or_404(
        Campaign.objects.select_related("region", "owner"), slug=slug
    )
    if campaign.status == Campaign.Status.DRAFT and not can_manage_campaigns(request.user):
        raise Http404("No such campaign")
    return campaign


def paragraphs(text: str) -> list[str]:
    """Split staff-written text into paragraphs on blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def live_campaigns(region_id: int, *, exclude: Campaign | None = None):
    """Campaigns in a region that take applications today (live, end date not past),
    newest first, for pointing people elsewhere."""
    campaigns = Campaign.objects.taking_applications().filter(region_id=region_id)
    if exclude is not None:
        campaigns = campaigns.exclude(pk=exclude.pk)
    return campaigns.order_by("-starts_on", "name")


@require_safe
@never_cache  # each page view must reach us to be counted as a visit
def microsite(request, slug: str):
    """The campaign's public microsite.

    Live: the campaign's content and an "Apply now" button carrying the visit's
    attribution parameters. Closed, or live but past its end date: says so (no button)
    and lists the region's campaigns that take applications.
    Records a visit (first view per visitor per day; bots flagged by the tracking layer).
    """
    campaign = get_public_campaign(request, slug)
    is_draft = campaign.status == Campaign.Status.DRAFT
    if request.method == "GET" and not is_draft:
        record_microsite_view(request, campaign)
    context = microsite_context(campaign, attribution_query=attribution_query(request))
    return render(request, "campaigns/microsite.html", context)


def microsite_context(campaign: Campaign, *, attribution_query: str = "", is_preview: bool = False) -> dict:
    """What ``campaigns/microsite.html`` needs to draw ``campaign``'s microsite. The
    studio's preview (``is_preview``) draws the same page with a banner and an inactive
    "Apply now" button, and records nothing."""
    return {
        "campaign": campaign,
        "is_draft": campaign.status == Campaign.Status.DRAFT and not is_preview,
        "is_preview": is_preview,
        # A draft's preview shows the page as it will be once live.
        "takes_applications": campaign.takes_applications
        or (is_preview and campaign.status == Campaign.Status.DRAFT),
        "brand_colour": campaign.brand_colour
        if _HEX_COLOUR.fullmatch(campaign.brand_colour or "") else DEFAULT_BRAND_COLOUR,
        "introduction": paragraphs(campaign.introduction),
        "images": campaign.images.all(),
        "roles": campaign.job_roles.order_by("name"),
        "partners": campaign.partners.order_by("kind", "short_name"),
        "why_join": [str(item) for item in campaign.why_join or [] if str(item).strip()],
        "faqs": [
            faq for faq in campaign.faqs or []
            if isinstance(faq, dict) and faq.get("question") and faq.get("answer")
        ],
        "attribution_query": attribution_query,
        "applications_closed": campaign.applications_closed,
        "live_campaigns": live_campaigns(campaign.region_id, exclude=campaign)
        if campaign.applications_closed else [],
    }


@require_safe
def campaign_image_file(request, path: str):
    """A campaign image file from MEDIA_ROOT (see ``media_urls``); 404 when missing.
    Names are random and files never change, so they may be cached for a year."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
