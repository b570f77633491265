"""Staff pages for campaigns: the campaign studio (list, create, edit, clone, preview,
publish, close, images) and tracked links (list with live counts, create one, create
many, QR codes).

Campaign managers and regional admins change campaigns; every other staff role gets 403
on the studio and may read the link list. Campaigns are fetched only through
:func:`carerecruit.organisations.access.get_campaign_for_user`. Writes go through
:mod:`carerecruit.campaigns.actions`.
"""

from __future__ import annotations

import io
from functools import wraps
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from carerecruit.campaigns import bulk_links
from carerecruit.campaigns.actions import (
    CampaignError,
    NotReadyToPublish,
    SlugLocked,
    SlugTaken,
    WrongStatus,
    default_region_and_owner,
    do_add_campaign_image,
    do_clone_campaign,
    do_close_campaign,
    do_create_campaign,
    do_create_tracked_link,
    do_create_tracked_links,
    do_publish_campaign,
    do_remove_campaign_image,
    do_update_campaign,
    do_update_campaign_image,
    publish_problems,
)
from carerecruit.campaigns.forms import (
    BulkLinksForm,
    CampaignForm,
    CampaignImageDetailsForm,
    CampaignImageForm,
    TrackedLinkForm,
    faq_formset,
)
from carerecruit.campaigns.link_stats import LinkCounts, counts_by_link
from carerecruit.campaigns.models import Campaign, CampaignImage, TrackedLink
from carerecruit.campaigns.views import microsite_context
from carerecruit.lib.localtime import local_zone
from carerecruit.organisations.access import (
    campaigns_visible_to,
    can_manage_campaigns,
    get_campaign_for_user,
)

# The bulk-link preview carries its rows to the "Create" step in a signed hidden field
# (no server-side state); the signature only proves the rows came from our preview, and
# they are validated again anyway. An hour is plenty to press the button.
BULK_SALT = "carerecruit.campaigns.bulk-links"
BULK_MAX_AGE_SECONDS = 3600

QR_SCALE = 10  # pixels per module in the PNG (and SVG units): about 4 cm at 300 dpi.
QR_BORDER = 4  # modules of quiet zone, as ISO/IEC 18004 asks for.


def staff_login_required(view):
    """Like ``login_required``, but an htmx poll whose session has expired gets 401 with
    ``HX-Redirect`` to the sign-in page, so htmx sends the whole window there instead of
    swapping a sign-in form into the table. (The same rule as the insights dashboard.)"""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.headers.get("HX-Request") == "true":
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            next_path = current.path + (f"?{current.query}" if current.query else "")
            response = redirect_to_login(next_path or request.get_full_path())
            return HttpResponse(status=401, headers={"HX-Redirect": response["Location"]})
        return redirect_to_login(request.get_full_path())

    return wrapper


def _edit_url(campaign: Campaign) -> str:
    return reverse("campaigns_staff:campaign-edit", args=[campaign.slug])


# Fields drawn as a fieldset (date parts, checkboxes): their first input has the "_0" id.
_FIELDSET_FIELDS = ("starts_on", "ends_on", "job_roles", "partners")


def _field_anchor(field: str) -> str:
    """The id of a studio form field's first input, for links from the publish page."""
    return f"id_{field}_0" if field in _FIELDSET_FIELDS else f"id_{field}"


# ---------------------------------------------------------------------------------------
# Studio


@login_required
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    """``/staff/campaigns/``: every campaign with its status, dates and number of links."""
    if not can_manage_campaigns(request.user):
        raise PermissionDenied("Only campaign managers and regional admins use the studio.")
    campaigns = (
        campaigns_visible_to(request.user)
        .annotate(link_count=Count("links"))
        .order_by("-starts_on", "name")
    )
    order = {Campaign.Status.LIVE: 0, Campaign.Status.DRAFT: 1, Campaign.Status.CLOSED: 2}
    campaigns = sorted(campaigns, key=lambda c: order.get(c.status, 3))
    return render(request, "campaigns/staff/studio.html", {"campaigns": campaigns})


def _campaign_form_page(request, template_context: dict, status: int = 200) -> HttpResponse:
    form, faqs = template_context["form"], template_context["faqs"]
    template_context["has_errors"] = bool(form.errors) or any(f.errors for f in faqs.forms) \
        or bool(faqs.non_form_errors())
    return render(request, "campaigns/staff/campaign_form.html", template_context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    """``/staff/campaigns/new/``: write a new campaign; it is saved as a draft."""
    if not can_manage_campaigns(request.user):
        raise PermissionDenied("Only campaign managers and regional admins create campaigns.")
    data = request.POST if request.method == "POST" else None
    region, _owner = default_region_and_owner(request.user)
    form = CampaignForm(data, region=region)
    faqs = faq_formset(data)
    if data is not None:
        form_ok, faqs_ok = form.is_valid(), faqs.is_valid()
        if form_ok and faqs_ok:
            try:
                campaign = do_create_campaign(
                    created_by=request.user, job_roles=form.cleaned_data["job_roles"],
                    partners=form.cleaned_data["partners"], faqs=faqs.faqs(), **form.content(),
                )
            except SlugTaken as error:
                form.add_error("slug", str(error))
            else:
                messages.success(
                    request, f"{campaign.name} was saved as a draft. Preview it, add images and "
                    "links, then publish it.",
                )
                return HttpResponseRedirect(_edit_url(campaign))
    return _campaign_form_page(request, {"form": form, "faqs": faqs, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/edit/``: change a campaign's details and microsite."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, campaign=campaign)
    faqs = faq_formset(data, campaign=campaign)
    if data is not None:
        form_ok, faqs_ok = form.is_valid(), faqs.is_valid()
        if form_ok and faqs_ok:
            try:
                do_update_campaign(
                    campaign, updated_by=request.user, job_roles=form.cleaned_data["job_roles"],
                    partners=form.cleaned_data["partners"], faqs=faqs.faqs(), **form.content(),
                )
            except (SlugLocked, SlugTaken) as error:
                form.add_error("slug", str(error))
            else:
                messages.success(request, f"Your changes to {campaign.name} were saved.")
                return HttpResponseRedirect(_edit_url(campaign))
    return _campaign_form_page(request, {
        "form": form, "faqs": faqs, "campaign": campaign,
        "image_count": campaign.images.count(), "link_count": campaign.links.count(),
    })


@login_required
@require_POST
def campaign_clone(request: HttpRequest, slug: str) -> HttpResponse:
    """POST ``/staff/campaigns/<slug>/clone/``: a new draft copy, then its edit page."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    copy = do_clone_campaign(campaign, created_by=request.user)
    messages.success(
        request, f"{campaign.name} was copied to a new draft, {copy.name}, at /c/{copy.slug}/. "
        "Its tracked links were not copied.",
    )
    return HttpResponseRedirect(_edit_url(copy))


@login_required
@require_GET
@never_cache
def campaign_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/preview/``: the microsite as the public would see it, with
    a "Preview" banner. Counts no visit; the Apply now button is inactive."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    return render(request, "campaigns/microsite.html", microsite_context(campaign, is_preview=True))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/publish/``: GET lists what is missing (or asks to
    confirm); POST makes a draft live. 409 when the campaign is no longer a draft."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    errors: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        try:
            do_publish_campaign(campaign, published_by=request.user)
        except NotReadyToPublish as error:
            errors = [(_field_anchor(problem.field), problem.message) for problem in error.problems]
        except WrongStatus as error:
            errors, status = [("", str(error))], 409
        else:
            url = request.build_absolute_uri(campaign.get_absolute_url())
            messages.success(request, f"{campaign.name} is live at {url}")
            return HttpResponseRedirect(_edit_url(campaign))
        campaign.refresh_from_db()
    problems = [] if errors else [(_field_anchor(p.field), p.message) for p in publish_problems(campaign)]
    return render(request, "campaigns/staff/publish.html", {
        "campaign": campaign, "errors": errors, "problems": problems,
        "public_url": request.build_absolute_uri(campaign.get_absolute_url()),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_close(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/close/``: GET asks to confirm; POST closes a live
    campaign. 409 when it is not live."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            do_close_campaign(campaign, closed_by=request.user)
        except WrongStatus as error:
            errors, status = [str(error)], 409
            campaign.refresh_from_db()
        else:
            messages.success(
                request, f"{campaign.name} is closed. Its microsite says so, and its links "
                "still work and count.",
            )
            return HttpResponseRedirect(_edit_url(campaign))
    return render(request, "campaigns/staff/close.html", {
        "campaign": campaign, "errors": errors,
    }, status=status)


# ---------------------------------------------------------------------------------------
# Images


@login_required
@require_http_methods(["GET", "POST"])
def image_list(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/images/``: the microsite's images and a form to add one."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    form = CampaignImageForm(request.POST or None, request.FILES or None) \
        if request.method == "POST" else CampaignImageForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            do_add_campaign_image(
                campaign, upload=upload, image_format=upload.image_format,
                alt_text=form.cleaned_data["alt_text"],
                is_decorative=form.cleaned_data["is_decorative"],
                order=form.cleaned_data["order"], added_by=request.user,
            )
        except CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The image was added to the microsite.")
            return HttpResponseRedirect(reverse("campaigns_staff:images", args=[campaign.slug]))
    return render(request, "campaigns/staff/images.html", {
        "campaign": campaign, "form": form, "images": campaign.images.all(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def image_edit(request: HttpRequest, slug: str, image_id: int) -> HttpResponse:
    """``/staff/campaigns/<slug>/images/<id>/``: change an image's alt text or position."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    image = get_object_or_404(CampaignImage, pk=image_id, campaign=campaign)
    if request.method == "POST":
        form = CampaignImageDetailsForm(request.POST)
        if form.is_valid():
            do_update_campaign_image(
                image, alt_text=form.cleaned_data["alt_text"],
                is_decorative=form.cleaned_data["is_decorative"],
                order=form.cleaned_data["order"] or image.order, updated_by=request.user,
            )
            messages.success(request, "The image was updated.")
            return HttpResponseRedirect(reverse("campaigns_staff:images", args=[campaign.slug]))
    else:
        form = CampaignImageDetailsForm(initial={
            "alt_text": image.alt_text, "is_decorative": image.is_decorative, "order": image.order,
        })
    return render(request, "campaigns/staff/image_edit.html", {
        "campaign": campaign, "image": image, "form": form,
    })


@login_required
@require_POST
def image_remove(request: HttpRequest, slug: str, image_id: int) -> HttpResponse:
    """POST ``/staff/campaigns/<slug>/images/<id>/remove/``."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    image = get_object_or_404(CampaignImage, pk=image_id, campaign=campaign)
    do_remove_campaign_image(image, removed_by=request.user)
    messages.success(request, "The image was removed from the microsite.")
    return HttpResponseRedirect(reverse("campaigns_staff:images", args=[campaign.slug]))


# ---------------------------------------------------------------------------------------
# Tracked links


def _link_list_context(request: HttpRequest, campaign: Campaign) -> dict:
    counts = counts_by_link(campaign)
    total = LinkCounts()
    rows = []
    for link in campaign.links.order_by("channel", "-created_at"):
        link_counts = counts.get(link.pk, LinkCounts())
        total.add(link_counts)
        rows.append({
            "link": link,
            "url": request.build_absolute_uri(link.get_absolute_url()),
            "counts": link_counts,
        })
    return {
        "campaign": campaign,
        "rows": rows,
        "total": total,
        "can_edit": can_manage_campaigns(request.user),
        "live_url": reverse("campaigns_staff:link-list-live", args=[campaign.slug]),
        "refresh_seconds": settings.CARERECRUIT_LIVE_REFRESH_SECONDS,
        "updated_at": timezone.localtime(timezone.now(), local_zone()),
    }


@require_GET
@never_cache
@staff_login_required
def link_list(request: HttpRequest, slug: str) -> HttpResponse:
    """All tracked links of a campaign, each with its short URL to copy, QR codes, and its
    clicks, visits, applications and conversion (applications ÷ clicks), kept live."""
    campaign = get_campaign_for_user(request.user, slug)
    return render(request, "campaigns/staff/link_list.html", _link_list_context(request, campaign))


@require_GET
@never_cache
@staff_login_required
def link_list_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The link table alone, which the list page polls with htmx every
    ``CARERECRUIT_LIVE_REFRESH_SECONDS``."""
    campaign = get_campaign_for_user(request.user, slug)
    return render(request, "campaigns/staff/_link_table.html", _link_list_context(request, campaign))


@login_required
@require_http_methods(["GET", "POST"])
def link_create(request, slug):
    """Create a tracked link (campaign managers and regional admins only; others get 403)."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    form = TrackedLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        link = do_create_tracked_link(campaign, created_by=request.user, **form.cleaned_data)
        url = request.build_absolute_uri(link.get_absolute_url())
        messages.success(request, f"Tracked link created: {url}")
        return HttpResponseRedirect(reverse("campaigns_staff:link-list", args=[campaign.slug]) + f"#link-{link.code}")
    return render(request, "campaigns/staff/link_form.html", {"campaign": campaign, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def link_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/links/bulk/``: many tracked links at once.

    Step 1 (POST ``rows`` and/or ``file``): read and check every row; show a preview, or
    every problem with its line and column. Step 2 (POST ``payload``, the signed rows of
    a clean preview): check again and create them all, or none.
    """
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    context = {"campaign": campaign, "form": BulkLinksForm(), "checked": None, "errors": []}
    if request.method == "GET":
        return render(request, "campaigns/staff/link_bulk.html", context)

    if "payload" in request.POST:
        try:
            items = signing.loads(
                request.POST["payload"], salt=f"{BULK_SALT}:{campaign.pk}", max_age=BULK_MAX_AGE_SECONDS
            )
        except signing.BadSignature:
            context["errors"] = [("", "This preview has expired or was changed. Paste the rows or choose the file again.")]
            return render(request, "campaigns/staff/link_bulk.html", context, status=400)
        checked = bulk_links.check_link_arguments(items)
        if checked.is_valid:
            links = do_create_tracked_links(campaign, checked.link_arguments(), created_by=request.user)
            messages.success(request, f"{len(links)} tracked link{'s' if len(links) != 1 else ''} created.")
            return HttpResponseRedirect(reverse("campaigns_staff:link-list", args=[campaign.slug]))
        context.update(checked=checked, errors=checked.messages())
        return render(request, "campaigns/staff/link_bulk.html", context)

    form = BulkLinksForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return render(request, "campaigns/staff/link_bulk.html", context)
    tables = []
    if form.cleaned_data["rows"].strip():
        tables.append(bulk_links.read_text(form.cleaned_data["rows"]))
    if form.cleaned_data["file"] is not None:
        tables.append(bulk_links.read_upload(form.cleaned_data["file"]))
    checked = bulk_links.check_tables(tables)
    context.update(checked=checked, errors=checked.messages())
    if checked.is_valid:
        context["payload"] = signing.dumps(bulk_links.carry(checked), salt=f"{BULK_SALT}:{campaign.pk}", compress=True)
    return render(request, "campaigns/staff/link_bulk.html", context)


QR_KINDS = {
    "png": ("image/png", {"kind": "png"}),
    "svg": ("image/svg+xml", {"kind": "svg", "xmldecl": True, "svgns": True}),
}


def link_qr_code(url: str) -> segno.QRCode:
    """The QR code for ``url``: error correction level M (about 15% of the symbol can be
    damaged, enough for print) and never boosted, so the size is predictable."""
    return segno.make(url, error="m", micro=False, boost_error=False)


@login_required
@require_GET
def link_qr(request: HttpRequest, slug: str, code: str, fmt: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/links/<code>/qr.png|svg``: a QR code of the link's full
    short URL with a 4-module quiet zone, as a download ``qr-<code>.<fmt>``."""
    campaign = get_campaign_for_user(request.user, slug)
    link = get_object_or_404(TrackedLink, campaign=campaign, code=code)
    content_type, options = QR_KINDS[fmt]
    url = request.build_absolute_uri(link.get_absolute_url())
    buffer = io.BytesIO()
    link_qr_code(url).save(buffer, scale=QR_SCALE, border=QR_BORDER, **options)
    return HttpResponse(
        buffer.getvalue(), content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="qr-{link.code}.{fmt}"'},
    )
