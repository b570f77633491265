"""Staff pages for a campaign's tracked links: list, create, copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from carerecruit.campaigns.actions import do_create_tracked_link
from carerecruit.campaigns.forms import TrackedLinkForm
from carerecruit.organisations.access import can_manage_campaigns, get_campaign_for_user


@login_required
def link_list(request, slug):
    """All tracked links of a campaign, each with its full short URL to copy."""
    campaign = get_campaign_for_user(request.user, slug)
    links = campaign.links.order_by("channel", "-created_at")
    rows = [{"link": link, "url": request.build_absolute_uri(link.get_absolute_url())} for link in links]
    return render(
        request,
        "campaigns/staff/link_list.html",
        {"campaign": campaign, "rows": rows, "can_edit": can_manage_campaigns(request.user)},
    )


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
