"""The tracked-link redirect ``/r/<code>``: count the click, send the visitor on."""

from __future__ import annotations

from urllib.parse import urlunsplit

from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_safe

from carerecruit.campaigns.models import TrackedLink
from carerecruit.lib.utm import UTM_FIELDS
from carerecruit.tracking.actions import record_click
from carerecruit.tracking.clicks import destination_parts, find_link_target

# The microsite still learns the referring site's origin (e.g. https://l.facebook.com/),
# never the full address of the page the link was posted on.
REFERRER_POLICY = "strict-origin-when-cross-origin"


def destination_url(link: TrackedLink, click_id: str | None) -> str:
    """The microsite address for ``link``: ``/c/<slug>/`` plus its destination path,
    with its non-empty UTM values and ``cid`` (when there is a click id) in the query.

    ``destination_path`` is always kept inside the microsite: leading slashes and any
    scheme or host in it are dropped, so a link can never redirect off the site.
    """
    path, query, fragment = destination_parts(
        link.campaign.get_absolute_url(), link.destination_path,
        {name: getattr(link, name) for name in UTM_FIELDS},
    )
    if click_id:
        query = f"{query}&cid={click_id}" if query else f"cid={click_id}"
    return urlunsplit(("", "", path, query, fragment))


def _find_link(code: str) -> TrackedLink | None:
    # Codes are lower case; people type them off posters in capitals too.
    codes = {code, code.lower()}
    return (
        TrackedLink.objects.select_related("campaign")
        .filter(code__in=codes)
        .order_by()
        .first()
    )


# What django.views.decorators.cache.never_cache sets, as constants: the decorator
# rebuilds them on every call, a sixth of the redirect's own time under a burst.
NEVER_CACHE_HEADERS = {
    "Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
    "Expires": "Thu, 01 Jan 1970 00:00:00 GMT",
}


@require_safe
def redirect(request, code: str):
    """``GET /r/<code>``: record a click and answer 302 to the campaign microsite with the
    link's UTM values and a click id.

    404 (recording nothing) for an unknown code or a draft campaign's link. A closed
    campaign's link still redirects and counts: its microsite says it has closed.
    HEAD is answered with the same redirect but not counted: browsers navigate with GET,
    while link checkers and some link-preview fetchers send HEAD. A browser's prefetch
    (``Sec-Purpose: prefetch`` and the like) gets the redirect too, without a click id,
    and is not counted (:func:`carerecruit.tracking.actions.is_prefetch`).
    """
    # The link from this process's 2-second cache, the click appended to the click spool
    # (one write, no database work): the redirect takes bursts (see
    # carerecruit.tracking.clicks and carerecruit.tracking.spool for the figures).
    link = find_link_target(code) if len(code) <= 16 else None
    if link is None or link.is_draft:
        raise Http404("No such link")
    click_id = record_click(request, link) if request.method == "GET" else None
    response = HttpResponseRedirect(link.destination(click_id), headers=NEVER_CACHE_HEADERS)
    # Never cached: every click must reach us to be counted; a cached 302 would not.
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex"
    return response
