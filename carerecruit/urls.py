"""Root URL map. The public URLs follow the contract in docs/architecture.md; keep them stable."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # First: the tracked-link redirect takes bursts, and Django tries patterns in order.
    path("r/", include("carerecruit.tracking.urls")),
    path("", include("carerecruit.pages.urls")),
    path("c/", include("carerecruit.campaigns.urls")),
    path("c/", include("carerecruit.candidates.urls")),
    path("vacancies/", include("carerecruit.vacancies.urls")),
    path("me/", include("carerecruit.candidates.selfservice_urls")),
    path("staff/", include("carerecruit.organisations.urls")),
    path("staff/", include("carerecruit.campaigns.staff_urls")),
    path("staff/", include("carerecruit.insights.urls")),
    path("staff/", include("carerecruit.adstats.urls")),
    path("staff/", include("carerecruit.placements.urls")),
    path("staff/", include("carerecruit.vacancies.staff_urls")),
    path("staff/", include("carerecruit.talentbank.urls")),
    path("staff/", include("carerecruit.workforce.urls")),
    path("staff/", include("carerecruit.candidates.staff_urls")),
    path("staff/", include("carerecruit.regional.urls")),
    path("staff/", include("carerecruit.forecast.urls")),
    path("staff/", include("carerecruit.reports.urls")),
    path("staff/", include("carerecruit.api.staff_urls")),
    path("api/v1/", include("carerecruit.api.urls")),
    path("admin/", admin.site.urls),
]
# Campaign images (only those: see the module), unless MEDIA_URL points elsewhere (a CDN).
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(path(settings.MEDIA_URL.lstrip("/"), include("carerecruit.campaigns.media_urls")))

handler404 = "carerecruit.pages.views.not_found"
handler500 = "carerecruit.pages.views.server_error"
handler403 = "carerecruit.pages.views.forbidden"
handler400 = "carerecruit.pages.views.bad_request"
