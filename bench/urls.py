"""The product's URLs plus two benchmark-only views (bench/redirect.py):

- ``/bench/constant-302``: the yardstick, a bare Django view answering a constant 302;
- ``/bench/r-lean/<code>``: a *prototype* of a cheaper ``/r/<code>``, to measure what the
  changes proposed in docs/performance.md ("Tracked-link redirect") would give. Not the
  product: the product's redirect is ``carerecruit.tracking.views.redirect``.
"""

import time
import uuid

from django.db import connection
from django.http import Http404, HttpResponseRedirect
from django.urls import path
from django.utils import timezone

from carerecruit.campaigns.models import Campaign
from carerecruit.lib.utm import UTM_FIELDS, normalise_utm
from carerecruit.tracking.actions import is_prefetch, referrer_host
from carerecruit.tracking.bots import is_bot_request
from carerecruit.tracking.views import REFERRER_POLICY, _find_link, destination_url
from carerecruit.urls import urlpatterns as product_urlpatterns


def constant_302(request):
    """A bare Django view: the fastest a redirect through the full middleware stack can be."""
    return HttpResponseRedirect("/c/come-back-to-care/?utm_source=facebook")


# code -> (expires at, link, its normalised UTM values): a per-process cache of live and
# closed campaigns' links, 10 seconds, so a campaign put back to draft stops within 10 s.
_LINK_CACHE: dict[str, tuple[float, object, dict]] = {}
_LINK_TTL = 10.0
_INSERT = (
    "INSERT INTO tracking_event (kind, occurred_at, campaign_id, link_id, channel, utm_source, "
    "utm_medium, utm_campaign, utm_content, utm_term, visitor_hash, click_id, referrer_host, "
    "is_bot, is_simulated, detail) VALUES ('click', %s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, %s, "
    "%s, false, '{}')"
)


def lean_redirect(request, code: str):
    """The product's redirect with (1) the link looked up once per 10 s per process
    instead of an ORM query (with the whole campaign) per click, and (2) the click
    appended with one prepared-once SQL INSERT instead of ``Event.objects.create``.
    Same answer, same row, same bot and prefetch rules."""
    now = time.monotonic()
    hit = _LINK_CACHE.get(code)
    if hit is None or hit[0] < now:
        link = _find_link(code) if len(code) <= 16 else None
        if link is None or link.campaign.status == Campaign.Status.DRAFT:
            raise Http404("No such link")
        hit = (now + _LINK_TTL, link, normalise_utm({name: getattr(link, name) for name in UTM_FIELDS}))
        _LINK_CACHE[code] = hit
    _, link, utm = hit
    click_id = None
    if request.method == "GET" and not is_prefetch(request):
        bot = is_bot_request(request)
        click_id = None if bot else uuid.uuid4().hex
        with connection.cursor() as cursor:
            cursor.execute(_INSERT, [
                timezone.now(), link.campaign_id, link.pk, link.channel, utm["utm_source"], utm["utm_medium"],
                utm["utm_campaign"], utm["utm_content"], utm["utm_term"], click_id or "",
                referrer_host(request), bot,
            ])
    response = HttpResponseRedirect(destination_url(link, click_id))
    response["Referrer-Policy"] = REFERRER_POLICY
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "max-age=0, no-cache, no-store, must-revalidate, private"
    return response


urlpatterns = [
    path("bench/constant-302", constant_302),
    path("bench/r-lean/<str:code>", lean_redirect),
    *product_urlpatterns,
]
