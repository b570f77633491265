"""The product's URLs plus one benchmark-only view (bench/redirect.py):
``/bench/constant-302``, the yardstick, a bare Django view answering a constant 302.

(The prototype ``/bench/r-lean/<code>`` that used to be here is now the product's
``/r/<code>``: ``carerecruit.tracking.clicks``, commit 9f417ef.)
"""

from django.http import HttpResponseRedirect
from django.urls import path

from carerecruit.urls import urlpatterns as product_urlpatterns


def constant_302(request):
    """A bare Django view: the fastest a redirect through the full middleware stack can be."""
    return HttpResponseRedirect("/c/come-back-to-care/?utm_source=facebook")


urlpatterns = [
    path("bench/constant-302", constant_302),
    *product_urlpatterns,
]
