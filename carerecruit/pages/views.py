"""Public pages outside any campaign, the health check and the error pages.

Nothing here needs a signed-in user; nothing here writes.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import Region
from carerecruit.vacancies.queries import open_vacancies

logger = logging.getLogger(__name__)

# How many open vacancies the region home lists (newest first; the rest at /vacancies/).
HOME_VACANCIES = 5

# The dates shown as "last updated" on the privacy notice and accessibility statement.
# Change them whenever the wording of those pages changes.
PRIVACY_NOTICE_UPDATED = "29 November 2026"
ACCESSIBILITY_STATEMENT_PREPARED = "29 November 2026"


def deployment_region() -> Region | None:
    """The region this deployment serves (``settings.CARERECRUIT_REGION_CODE``, an ONS GSS
    code), or None if that region has not been loaded."""
    return Region.objects.filter(gss_code=settings.CARERECRUIT_REGION_CODE).first()


def regional_body(region: Region | None) -> Organisation | None:
    """The regional body that runs the service in ``region`` (the data controller)."""
    if region is None:
        return None
    return (
        Organisation.objects.filter(region=region, kind=Organisation.Kind.REGIONAL_BODY)
        .order_by("pk")
        .first()
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Region home ``/``: the region's campaigns that take applications today (drafts,
    closed ones and live ones past their end date are not shown) and its newest open
    vacancies."""
    region = deployment_region()
    campaigns = (
        Campaign.objects.taking_applications().filter(region=region)
        .prefetch_related("job_roles")
        .order_by("-starts_on", "name")
        if region is not None
        else Campaign.objects.none()
    )
    # Open vacancies section (the vacancies app's query): the newest few and the total.
    vacancies = open_vacancies(region)
    return render(
        request,
        "pages/home.html",
        {"region": region, "campaigns": campaigns, "vacancies": vacancies[:HOME_VACANCIES],
         "vacancy_count": vacancies.count()},
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """Privacy notice for candidates (UK GDPR Arts 13 and 14; ICO recruitment guidance)."""
    region = deployment_region()
    councils = (
        Organisation.objects.filter(
            region=region, kind=Organisation.Kind.COUNCIL, is_active=True
        ).order_by("name")
        if region is not None
        else Organisation.objects.none()
    )
    return render(
        request,
        "pages/privacy.html",
        {
            "region": region,
            "controller": regional_body(region),
            "councils": councils,
            "updated_on": PRIVACY_NOTICE_UPDATED,
        },
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """Accessibility statement (Public Sector Bodies Accessibility Regulations 2018 model)."""
    region = deployment_region()
    return render(
        request,
        "pages/accessibility.html",
        {
            "controller": regional_body(region),
            "site_host": request.get_host(),
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
        },
    )


def database_is_reachable(conn: BaseDatabaseWrapper | None = None) -> bool:
    """True when ``SELECT 1`` succeeds on ``conn`` (default: the default database);
    never raises.

    Any failure (server down, file unreadable, bad credentials) is logged and answers
    False, because the health check must report, not crash.
    """
    conn = connection if conn is None else conn
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: database %r unreachable", conn.alias)
        return False
    return True


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """``/healthz`` for load balancers and uptime checks.

    200 ``{"status": "ok", "database": "ok", "clicks": "ok"}`` when the database
    answers ``SELECT 1``; 503 ``{"status": "error", "database": "unreachable"}``
    otherwise. ``"clicks": "waiting"`` (still 200: the site works and no click is lost)
    when this machine's click spool holds clicks no worker has moved for a minute
    (:func:`carerecruit.tracking.spool.clicks_waiting`): start ``carerecruit worker``.
    Never cached.
    """
    from carerecruit.tracking.spool import clicks_waiting

    if database_is_reachable():
        return JsonResponse({"status": "ok", "database": "ok",
                             "clicks": "waiting" if clicks_waiting() else "ok"})
    return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the GOV.UK "Page not found" page."""
    return render(request, "pages/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: rendered without a request context, so it works when the database,
    the session or a context processor is what failed."""
    return HttpResponseServerError(_render_without_request("pages/500.html"))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: shown when a role may read something but not change it."""
    return render(request, "pages/403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a malformed request (bad Host header, broken multipart body…).

    Rendered without the request, whose headers may be what is wrong.
    """
    return HttpResponseBadRequest(_render_without_request("pages/400.html"))


def _render_without_request(template_name: str) -> str:
    """Render an error page from settings alone: no context processors, no session, no
    database, so it still works when one of those is what failed."""
    return loader.get_template(template_name).render(
        {
            "site_name": settings.CARERECRUIT_SITE_NAME,
            "site_contact_email": settings.CARERECRUIT_CONTACT_EMAIL,
        }
    )


def csrf_failure(request, reason=""):
    """Shown when a form arrives without a valid CSRF token (settings.CSRF_FAILURE_VIEW).

    Usually the page was open for a long time or the browser blocks the strictly
    necessary security cookie. We do not re-send the answers for them: that would let
    another site submit forms in their name.
    """
    back = request.path if request.path.startswith("/") and not request.path.startswith("//") else "/"
    return render(request, "pages/csrf_failure.html", {"back": back}, status=403)


ROBOTS_TXT = """User-agent: *
Disallow: /staff/
Disallow: /me/
Disallow: /r/
Disallow: /admin/
"""


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Search engines may index campaigns and vacancies, never the staff area, candidates'
    self-service links or tracked-link redirects (a crawl would only add bot clicks)."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
