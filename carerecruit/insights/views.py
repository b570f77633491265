"""Staff dashboards: a campaign's live funnel, the cross-campaign overview, their
htmx-refreshed panels, table and chart downloads, and the campaign target form.

Aggregate figures only: nothing on these pages identifies a person. Campaigns are read
through :mod:`carerecruit.organisations.access` (``get_campaign_for_user``,
``campaigns_visible_to``); any staff member may read the aggregates, only campaign
managers set targets. Every figure (pages, partials, downloads, charts) is suppressed
for the signed-in viewer by :mod:`carerecruit.insights.suppression` before anything
reads it.
"""

from __future__ import annotations

import datetime
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from carerecruit.insights import charts
from carerecruit.insights.actions import do_set_campaign_target
from carerecruit.insights.alerts import describe as describe_alert
from carerecruit.insights.forms import CampaignTargetForm, PeriodForm, period_query
from carerecruit.insights.funnel import (
    AD_STEPS,
    COSTS,
    DAY,
    RATES,
    STEPS,
    WEEK,
    Funnel,
    Period,
    campaign_funnel,
    default_overview_period,
    default_period,
    pounds,
)
from carerecruit.insights.live import live_panel
from carerecruit.insights.models import Alert, CampaignTarget
from carerecruit.insights.overview import Overview, build_overview
from carerecruit.insights.suppression import (
    hides_campaign_figures,
    suppress_funnel,
    suppress_live,
    suppress_overview,
)
from carerecruit.insights.tables import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_RATES,
    LINK_COLUMNS,
    LIVE_COLUMNS,
    OVERVIEW_FUNNEL_TABLES,
    OVERVIEW_TABLES,
    TABLES,
    live_table,
)
from carerecruit.lib.localtime import local_today, local_zone
from carerecruit.lib.spreadsheet import write_csv, write_xlsx
from carerecruit.organisations.access import (
    campaigns_visible_to,
    can_manage_campaigns,
    get_campaign_for_user,
)
from carerecruit.workforce.suppression import UNRESTRICTED, suppression_viewer

TABLE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHART_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
# Kept for callers of the first version of this module.
DOWNLOAD_FORMATS = TABLE_FORMATS
CHART_SUFFIX = "-chart"
ALERT_DAYS = 7


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


def _requested(request: HttpRequest) -> tuple[PeriodForm, Period | None, str]:
    """The period and granularity asked for in the query string: (form, period or None
    for the default, "day" or "week"). A bad period falls back to the default; the form
    carries the errors."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"], form.cleaned_data["by"]
    by = request.GET.get("by") if request.GET.get("by") in (DAY, WEEK) else DAY
    return form, None, by


def _strict_requested(request: HttpRequest) -> tuple[Period | None, str]:
    """As :func:`_requested` for partials and downloads, where a bad query is a 400."""
    form, period, by = _requested(request)
    if form.is_bound and not form.is_valid():
        raise BadRequest("Invalid period")
    return period, by


def _charts(funnel: Funnel) -> dict:
    return {
        name: {
            "spec": charts.chart_spec(funnel, name),
            "description": charts.describe(funnel, name),
            # The trend chart keeps the ids of the first dashboard (cr-chart…).
            "suffix": "" if name == "trend" else f"-{name}",
        }
        for name in charts.CHARTS
    }


def _downloads(base: str, names, query: str) -> dict:
    suffix = f"?{query}" if query else ""
    links = {name: {fmt: f"{base}{name}.{fmt}{suffix}" for fmt in TABLE_FORMATS} for name in names}
    for name in charts.CHARTS:
        links[f"{name}_chart"] = {
            fmt: f"{base}{name}{CHART_SUFFIX}.{fmt}{suffix}" for fmt in CHART_FORMATS
        }
    links["period_totals"] = links.get("period-totals")
    return links


def _common_context(funnel: Funnel, panel, query: str, viewer) -> dict:
    changes = {change.key: change for change in funnel.changes()}
    return {
        "headline": [{"row": row, "change": changes[row.step.key]} for row in funnel.steps],
        "money_changes": [changes["spend_pence"], *(changes[cost.key] for cost in COSTS)],
        "rate_change": changes["visit_to_application"],
        "funnel": funnel,
        "steps": STEPS,
        "ad_steps": AD_STEPS,
        "costs": COSTS,
        "breakdown_rates": [rate for rate in RATES if rate.key in BREAKDOWN_RATES],
        "breakdown_columns": BREAKDOWN_COLUMNS,
        "link_columns": LINK_COLUMNS,
        "live_columns": LIVE_COLUMNS,
        "updated_at": timezone.localtime(funnel.generated_at, local_zone()),
        "refresh_seconds": settings.CARERECRUIT_LIVE_REFRESH_SECONDS,
        "summary": funnel.totals.summary(),
        "charts": _charts(funnel),
        "live": panel,
        "live_zone": local_zone(),
        "query": query,
        "week": WEEK,
        # Whether anything here is suppressed for this viewer (the page says how).
        "suppressed": viewer is not UNRESTRICTED and (
            funnel.totals.hides_small
            or any(isinstance(row.applications, str) or isinstance(row.placed, str) for row in funnel.councils)
        ),
    }


def _alert_rows(alerts, viewer) -> list[dict]:
    return [
        {"alert": alert, "text": describe_alert(alert, hide_small=hides_campaign_figures(viewer, alert.campaign))}
        for alert in alerts
    ]


# --- Campaign dashboard -----------------------------------------------------------------


def _campaign_funnel(campaign, period: Period | None, by: str, viewer) -> Funnel:
    """The campaign's funnel over ``period`` (None: the default), suppressed for
    ``viewer`` (:func:`carerecruit.workforce.suppression.suppression_viewer`)."""
    period = period or default_period(campaign)
    return suppress_funnel(campaign_funnel(campaign, period.start, period.end, by), viewer)


def _live_panel(campaigns, viewer):
    return suppress_live(live_panel([c.pk for c in campaigns]), viewer, campaigns)


def _dashboard_context(funnel: Funnel, explicit_period: bool, viewer) -> dict:
    campaign = funnel.campaign
    query = period_query(funnel.period if explicit_period else None, funnel.granularity)
    suffix = f"?{query}" if query else ""
    base = reverse("insights:campaign-download", args=[campaign.slug, "x", "csv"]).removesuffix("x.csv")
    panel = _live_panel([campaign], viewer)
    context = _common_context(funnel, panel, query, viewer)
    target = CampaignTarget.objects.filter(campaign=campaign).first()
    target_pence = target.target_cost_per_application_pence if target else None
    alerts = Alert.objects.filter(
        campaign=campaign, local_date__gte=local_today() - datetime.timedelta(days=ALERT_DAYS - 1)
    ).select_related("campaign")
    context.update({
        "campaign": campaign,
        "page_url": reverse("insights:campaign-dashboard", args=[campaign.slug]) + suffix,
        "live_url": reverse("insights:campaign-dashboard-live", args=[campaign.slug]) + suffix,
        "downloads": _downloads(base, [*TABLES, "live"], query),
        "target_pence": target_pence,
        "alerts": _alert_rows(alerts, viewer),
    })
    return context


@require_GET
@never_cache
@staff_login_required
def campaign_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/``: the campaign's funnel from impressions to retention,
    by channel, day or week, link and council preference; money; the previous period;
    the last 30 minutes; alerts; and (for campaign managers) the target form.

    Query string: an optional period (``start_0..2``, ``end_0..2`` as day, month, year)
    and ``by=week``; an invalid period shows the GOV.UK error summary above the default
    period's figures.
    """
    campaign = get_campaign_for_user(request.user, slug)
    form, period, by = _requested(request)
    viewer = suppression_viewer(request.user)
    funnel = _campaign_funnel(campaign, period, by, viewer)
    context = _dashboard_context(funnel, explicit_period=period is not None, viewer=viewer)
    context["form"] = form if form.is_bound else PeriodForm(initial={
        "start": funnel.period.start, "end": funnel.period.end, "by": by,
    })
    context["can_manage"] = can_manage_campaigns(request.user)
    if context["can_manage"]:
        context["target_form"] = CampaignTargetForm(
            initial={"target": pounds(context["target_pence"])}
        )
    return render(request, "insights/campaign_dashboard.html", context)


@require_GET
@never_cache
@staff_login_required
def campaign_dashboard_live(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard's live panel alone, which the page polls with htmx every
    ``CARERECRUIT_LIVE_REFRESH_SECONDS``. 400 for a bad period."""
    campaign = get_campaign_for_user(request.user, slug)
    period, by = _strict_requested(request)
    viewer = suppression_viewer(request.user)
    funnel = _campaign_funnel(campaign, period, by, viewer)
    return render(request, "insights/_live.html", _dashboard_context(
        funnel, explicit_period=period is not None, viewer=viewer,
    ))


def _download_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content, content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _table_response(data, fmt: str, stem: str) -> HttpResponse:
    if fmt == "csv":
        content = write_csv(data.rows, data.header)
    else:
        content = write_xlsx(data.rows, data.header, sheet_title=data.title)
    return _download_response(content, TABLE_FORMATS[fmt], f"{stem}.{fmt}")


def _download(funnel: Funnel, tables: dict, name: str, fmt: str, prefix: str, extra=None) -> HttpResponse:
    stem = f"{prefix}-{name}-{funnel.period.start}-to-{funnel.period.end}"
    if name.endswith(CHART_SUFFIX) and fmt in CHART_FORMATS:
        chart = name.removesuffix(CHART_SUFFIX)
        if chart not in charts.CHARTS:
            raise Http404("No such chart")
        return _download_response(charts.render(funnel, chart, fmt), CHART_FORMATS[fmt], f"{stem}.{fmt}")
    if fmt not in TABLE_FORMATS:
        raise Http404("No such download")
    if name == "live":
        return _table_response(live_table(extra()), fmt, stem)
    if name not in tables:
        raise Http404("No such table")
    return _table_response(tables[name](), fmt, stem)


def _valid_download_name(name: str, fmt: str, tables) -> bool:
    if fmt in CHART_FORMATS:
        return name.endswith(CHART_SUFFIX) and name.removesuffix(CHART_SUFFIX) in charts.CHARTS
    return fmt in TABLE_FORMATS and (name in tables or name == "live")


@require_GET
@never_cache
@staff_login_required
def campaign_download(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    """``download/<table>.<csv|xlsx>`` (one dashboard table, strings neutralised against
    formula injection) or ``download/<chart>-chart.<png|svg>`` (a chart drawn on the
    server). 404 for an unknown table, chart or format; 400 for a bad period."""
    if not _valid_download_name(table, fmt, TABLES):
        raise Http404("No such download")
    campaign = get_campaign_for_user(request.user, slug)
    period, by = _strict_requested(request)
    viewer = suppression_viewer(request.user)
    funnel = _campaign_funnel(campaign, period, by, viewer)
    tables = {name: (lambda build=build: build(funnel)) for name, build in TABLES.items()}
    return _download(funnel, tables, table, fmt, campaign.slug, lambda: _live_panel([campaign], viewer))


@require_http_methods(["GET", "POST"])
@never_cache
@staff_login_required
def campaign_target(request: HttpRequest, slug: str) -> HttpResponse:
    """``/staff/campaigns/<slug>/target/``: set the campaign's target cost per
    application (campaign managers and admins only; 403 for other roles). GET shows the
    form; a valid POST saves it and returns to the dashboard; an invalid one shows the
    form again with the GOV.UK error summary."""
    campaign = get_campaign_for_user(request.user, slug, edit=True)
    target = CampaignTarget.objects.filter(campaign=campaign).first()
    current = target.target_cost_per_application_pence if target else None
    if request.method == "POST":
        form = CampaignTargetForm(request.POST)
        if form.is_valid():
            pence = form.cleaned_data["pence"]
            do_set_campaign_target(campaign, target_cost_per_application_pence=pence, by=request.user)
            if pence is None:
                messages.success(request, "Target cost per application removed")
            else:
                messages.success(request, f"Target cost per application set to £{pounds(pence):,}")
            return redirect("insights:campaign-dashboard", slug=campaign.slug)
    else:
        form = CampaignTargetForm(initial={"target": pounds(current)})
    return render(request, "insights/campaign_target.html", {
        "campaign": campaign, "target_form": form, "target_pence": current,
    })


# --- Overview ---------------------------------------------------------------------------


def _overview(request: HttpRequest, period: Period | None, by: str, viewer) -> Overview:
    """Every campaign ``request.user`` may read, suppressed for ``viewer``."""
    data = build_overview(campaigns_visible_to(request.user), period or default_overview_period(), by)
    return suppress_overview(data, viewer)


def _overview_context(overview: Overview, explicit_period: bool, viewer) -> dict:
    funnel = overview.funnel
    query = period_query(funnel.period if explicit_period else None, funnel.granularity)
    suffix = f"?{query}" if query else ""
    ids = [row.campaign.pk for row in overview.campaign_rows]
    base = reverse("insights:overview-download", args=["x", "csv"]).removesuffix("x.csv")
    panel = _live_panel([row.campaign for row in overview.campaign_rows], viewer)
    context = _common_context(funnel, panel, query, viewer)
    alerts = Alert.objects.filter(
        campaign_id__in=ids, local_date__gte=local_today() - datetime.timedelta(days=ALERT_DAYS - 1)
    ).select_related("campaign")
    context.update({
        "overview": overview,
        "page_url": reverse("insights:overview") + suffix,
        "live_url": reverse("insights:overview-live") + suffix,
        "downloads": _downloads(base, [*OVERVIEW_TABLES, *OVERVIEW_FUNNEL_TABLES, "live"], query),
        "alerts": _alert_rows(alerts, viewer),
    })
    return context


@require_GET
@never_cache
@staff_login_required
def overview(request: HttpRequest) -> HttpResponse:
    """``/staff/insights/``: every campaign the user may read, one row each with totals,
    by audience, channel, day or week and council preference, over a chosen period
    (default: the last 35 days)."""
    form, period, by = _requested(request)
    viewer = suppression_viewer(request.user)
    data = _overview(request, period, by, viewer)
    context = _overview_context(data, explicit_period=period is not None, viewer=viewer)
    context["form"] = form if form.is_bound else PeriodForm(initial={
        "start": data.funnel.period.start, "end": data.funnel.period.end, "by": by,
    })
    return render(request, "insights/overview.html", context)


@require_GET
@never_cache
@staff_login_required
def overview_live(request: HttpRequest) -> HttpResponse:
    """The overview's live panel alone (htmx polls it). 400 for a bad period."""
    period, by = _strict_requested(request)
    viewer = suppression_viewer(request.user)
    data = _overview(request, period, by, viewer)
    return render(request, "insights/_overview_live.html", _overview_context(
        data, explicit_period=period is not None, viewer=viewer,
    ))


@require_GET
@never_cache
@staff_login_required
def overview_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """The overview's tables (CSV/XLSX) and charts (PNG/SVG), as for a campaign."""
    names = {*OVERVIEW_TABLES, *OVERVIEW_FUNNEL_TABLES}
    if not _valid_download_name(table, fmt, names):
        raise Http404("No such download")
    period, by = _strict_requested(request)
    viewer = suppression_viewer(request.user)
    data = _overview(request, period, by, viewer)
    tables = {name: (lambda build=build: build(data)) for name, build in OVERVIEW_TABLES.items()}
    tables.update({
        name: (lambda build=TABLES[name]: build(data.funnel)) for name in OVERVIEW_FUNNEL_TABLES
    })
    campaigns = [row.campaign for row in data.campaign_rows]
    return _download(data.funnel, tables, table, fmt, "all-campaigns", lambda: _live_panel(campaigns, viewer))
