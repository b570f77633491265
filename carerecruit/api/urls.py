"""The read-only JSON API (root urls include this module at ``api/v1/``)."""

from django.urls import path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView

from carerecruit.api import errors, regional, views

app_name = "api"


class OpenApiDocument(SpectacularAPIView):
    """``/api/v1/openapi.json``: the OpenAPI 3 document, public (no token needed), JSON."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    renderer_classes = [OpenApiJsonRenderer2]


urlpatterns = [
    path("campaigns/", views.logged(views.campaign_list), name="campaigns"),
    path("campaigns/<slug:slug>/funnel/", views.logged(views.campaign_funnel), name="campaign-funnel"),
    path("vacancies/", views.logged(views.vacancy_list), name="vacancies"),
    path("placements/", views.logged(views.placement_list), name="placements"),
    path("workforce/", views.logged(views.workforce_list), name="workforce"),
    *regional.urlpatterns(views.logged),
    path(
        "openapi.json",
        views.logged(OpenApiDocument.as_view()),
        name="openapi",
    ),
    # Anything else under /api/v1/: a JSON 404, never the site's HTML page.
    # [\s\S], not ".": a path may hold an encoded newline (%0A), which "." does not match.
    re_path(r"^[\s\S]*$", views.logged(errors.not_found), name="not-found"),
]
