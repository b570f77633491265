"""Staff dashboards: a campaign's live funnel, its htmx-refreshed panel and downloads.

Aggregate counts only: nothing on these pages identifies a person. Every campaign is read
through :func:`carerecruit.organisations.access.get_campaign_for_user`.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carerecruit.insights.charts import daily_chart, daily_chart_description
from carerecruit.insights.forms import PeriodForm, period_query
from carerecruit.insights.funnel import RATES, STEPS, Funnel, Period, campaign_funnel
from carerecruit.insights.tables import BREAKDOWN_RATES, TABLES
from carerecruit.lib.localtime import local_zone
from carerecruit.lib.spreadsheet import write_csv, write_xlsx
from carerecruit.organisations.access import get_campaign_for_user

DOWNLOAD_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def staff_login_required(view):
    """Like ``login_required``, but an htmx poll from a page whose session has expired
    gets 401 with ``HX-Redirect`` to the sign-in page, so htmx sends the whole window
    there instead of swapping the sign-in form into the dashboard."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.headers.get("HX-Request") == "true":
            # Back to the page that was polling, not to the partial. Only its path and
            # query are kept; the sign-in view still checks ``next`` is on this site.
            current = urlsplit(request.headers.get("HX-Current-URL", ""))
            next_path = current.path + (f"?{current.query}" if current.query else "")
            response = redirect_to_login(next_path or request.get_full_path())
            return HttpResponse(status=401, headers={"HX-Redirect": response["Location"]})
        return redirect_to_login(request.get_full_path())

    return wrapper


def _requested_period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    """The period asked for in the query string: (form, period or None for default)."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    return form, None


def _funnel_for(campaign, period: Period | None) -> Funnel:
    if period is None:
        return campaign_funnel(campaign)
    return campaign_funnel(campaign, period.start, period.end)


def _dashboard_context(funnel: Funnel, explicit_period: bool) -> dict:
    campaign = funnel.campaign
    query = f"?{period_query(funnel.period)}" if explicit_period else ""
    downloads = {
        name: {
            fmt: reverse("insights:campaign-download", args=[campaign.slug, name, fmt]) + query
            for fmt in DOWNLOAD_FORMATS
        }
        for name in TABLES
    }
    return {
        "campaign": campaign,
        "funnel": funnel,
        "steps": STEPS,
        "breakdown_rates": [rate for rate in RATES if rate.key in BREAKDOWN_RATES],
        "page_url": reverse("insights:campaign-dashboard", args=[campaign.slug]) + query,
        "live_url": reverse("insights:campaign-dashboard-live", args=[campaign.slug]) + query,
        "downloads": downloads,
        "updated_at": timezone.localtime(funnel.generated_at, local_zone()),
        "refresh_seconds": settings.CARERECRUIT_LIVE_REFRESH_SECONDS,
        "summary": funnel.totals.summary(),
        "chart_spec": daily_chart(funnel),
        "chart_description": daily_chart_description(funnel),
    }


@require_GET
@never_cache
@staff_login_required
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/``: the campaign's funnel, by channel, day and link.

    Query string: an optional period (``start_0..2``, ``end_0..2`` as day, month, year);
    an invalid one shows the GOV.UK error summary above the default period's figures.
    """
    campaign = get_campaign_for_user(request.user, slug)
    form, period = _requested_period(request)
    funnel = _funnel_for(campaign, period)
    context = _dashboard_context(funnel, explicit_period=period is not None)
    context["form"] = form if form.is_bound else PeriodForm(initial={
        "start": funnel.period.start, "end": funnel.period.end,
    })
    return render(request, "insights/campaign_dashboard.html", context)


@require_GET
@never_cache
@staff_login_required
def campaign_dashboard_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard's live panel alone (figures, tables, chart spec), which the page
    polls with htmx every ``CARERECRUIT_LIVE_REFRESH_SECONDS``. 400 for a bad period."""
    campaign = get_campaign_for_user(request.user, slug)
    form, period = _requested_period(request)
    if form.is_bound and not form.is_valid():
        raise BadRequest("Invalid period")
    funnel = _funnel_for(campaign, period)
    return render(
        request, "insights/_live.html", _dashboard_context(funnel, explicit_period=period is not None)
    )


@require_GET
@never_cache
@staff_login_required
def campaign_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    """``download/<table>.<csv|xlsx>``: one dashboard table as CSV (UTF-8 with BOM) or
    XLSX, strings neutralised against formula injection. 404 for an unknown table or
    format, 400 for a bad period."""
    if table not in TABLES or fmt not in DOWNLOAD_FORMATS:
        raise Http404("No such download")
    campaign = get_campaign_for_user(request.user, slug)
    form, period = _requested_period(request)
    if form.is_bound and not form.is_valid():
        raise BadRequest("Invalid period")
    funnel = _funnel_for(campaign, period)
    data = TABLES[table](funnel)
    if fmt == "csv":
        content = write_csv(data.rows, data.header)
    else:
        content = write_xlsx(data.rows, data.header, sheet_title=data.title)
    filename = f"{campaign.slug}-{table}-{funnel.period.start}-to-{funnel.period.end}.{fmt}"
    return HttpResponse(
        content,
        content_type=DOWNLOAD_FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
