"""The product's URLs plus /bench/constant-302, the yardstick for the redirect benchmark."""

from django.http import HttpResponseRedirect
from django.urls import path

from carerecruit.urls import urlpatterns as product_urlpatterns


def constant_302(request):
    """A bare Django view: the fastest a redirect through the full middleware stack can be."""
    return HttpResponseRedirect("/c/come-back-to-care/?utm_source=facebook")


urlpatterns = [path("bench/constant-302", constant_302), *product_urlpatterns]
