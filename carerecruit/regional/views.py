"""The regional dashboard ``/staff/regional/``: supply, demand, flow, retention and
campaign return across the region's councils, a map, and every table as CSV, XLSX and
Parquet; the open-data export as a zip.

Aggregates only: every figure comes from :mod:`carerecruit.regional.datasets`,
suppressed for the viewer (:func:`carerecruit.workforce.suppression.suppression_viewer`),
and nothing on these pages or in these files identifies a person, so no personal-data
access is logged. Any active staff member with an organisation (regional staff, council
and provider users, viewers) may read it; the regional body's admins and campaign
managers see every figure unsuppressed.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from carerecruit.insights.views import staff_login_required
from carerecruit.lib.localtime import local_today, local_zone
from carerecruit.organisations.access import can_read_campaign_aggregates
from carerecruit.regional import charts, exports
from carerecruit.regional.datasets import DATASET_NAMES, Filters, build_dataset, build_datasets
from carerecruit.regional.forms import FilterForm, filters_query
from carerecruit.workforce.suppression import UNRESTRICTED, suppression_viewer

CHART_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
#: Dashboard sections: (dataset, heading, chart shown beside the table or None).
SECTIONS = (
    ("supply", "Supply", None),
    ("demand", "Demand", None),
    ("flow", "Flow", None),
    ("retention", "Retention", None),
    ("campaign-return", "Campaign return", "cost"),
)


def _twelve_months_to(end: datetime.date) -> Filters:
    """From the first day of the month 11 months before ``end`` to ``end``."""
    month = end.month - 11
    year = end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return Filters(start=datetime.date(year, month, 1), end=end)


def latest_activity_date() -> datetime.date | None:
    """The newest local date (Europe/London) on which an application to one of the
    region's campaigns was submitted or a placement was confirmed; None with neither.
    Reads the newest application per campaign (index ``application_campaign_time``),
    not every application."""
    from django.conf import settings
    from django.db.models import Max, OuterRef, Subquery

    from carerecruit.campaigns.models import Campaign
    from carerecruit.candidates.models import Application
    from carerecruit.placements.models import Placement

    newest = Application.objects.filter(campaign=OuterRef("pk")).order_by("-submitted_at").values("submitted_at")[:1]
    instants = [
        Campaign.objects.filter(region__gss_code=settings.CARERECRUIT_REGION_CODE)
        .annotate(newest=Subquery(newest)).aggregate(m=Max("newest"))["m"],
        Placement.objects.aggregate(m=Max("confirmed_at"))["m"],
    ]
    days = [timezone.localtime(at, local_zone()).date() for at in instants if at is not None]
    return max(days) if days else None


def default_filters(today: datetime.date | None = None) -> tuple[Filters, bool]:
    """The dashboard's default period and whether it was moved back: the last 12 local
    months (the first day of the month 11 months ago to today) or, when nothing happened
    in them but something did before (the demo's spring 2020), the 12 months ending at
    the newest local date with activity (:func:`latest_activity_date`)."""
    today = today or local_today()
    usual = _twelve_months_to(today)
    latest = latest_activity_date()
    if latest is not None and latest < usual.start:
        return _twelve_months_to(latest), True
    return usual, False


def _reader(request: HttpRequest):
    """The viewer for suppression; 403 for a signed-in account without an organisation."""
    if not can_read_campaign_aggregates(request.user):
        raise PermissionDenied("Your account does not belong to an organisation.")
    return suppression_viewer(request.user)


def _filters(request: HttpRequest, *, strict: bool) -> tuple[FilterForm, Filters]:
    """(form, filters) from the query string: the default with no query; with a bad
    query, the default (page, errors on the form) or 400 (``strict``: downloads)."""
    form = FilterForm(request.GET or None)
    if not form.is_bound:
        return form, default_filters()[0]
    if form.is_valid():
        return form, form.cleaned_data["filters"]
    if strict:
        raise BadRequest("Invalid filters")
    return form, default_filters()[0]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(content, content_type=content_type,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@require_GET
@never_cache
@staff_login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """``/staff/regional/``: the filters (period as local dates, council, job role; a GET
    form), the councils map and table, then supply, demand, flow, retention and campaign
    return, each a table with CSV/XLSX/Parquet downloads. Bad filters show the GOV.UK
    error summary above the default figures."""
    viewer = _reader(request)
    form, filters = _filters(request, strict=False)
    latest_activity = False
    if not form.is_bound:
        filters, latest_activity = default_filters()
        form = FilterForm(initial={"start": filters.start, "end": filters.end})
    datasets = build_datasets(viewer=viewer, filters=filters)
    query = filters_query(filters)
    suffix = f"?{query}" if query else ""

    def links(name):
        return {fmt: reverse("regional:download", args=[name, fmt]) + suffix for fmt in exports.FORMATS}

    def chart(name):
        return {
            "spec": charts.chart_spec(name, datasets[charts.SOURCES[name]]),
            "description": charts.describe(name, datasets[charts.SOURCES[name]]),
            "id": f"cr-regional-{name}",
            "title": charts.TITLES[name],
            "links": {fmt: reverse("regional:chart", args=[name, fmt]) + suffix for fmt in CHART_FORMATS},
        }

    sections = [
        {"dataset": datasets[name], "heading": heading, "links": links(name),
         "chart": chart(chart_name) if chart_name else None}
        for name, heading, chart_name in SECTIONS
    ]
    return render(request, "regional/dashboard.html", {
        "form": form,
        "filters": filters,
        "councils": datasets["councils"],
        "council_links": links("councils"),
        "map": chart("map"),
        "supply_demand": chart("supply-demand"),
        "sections": sections,
        "open_data_url": reverse("regional:open-data") + suffix,
        "unrestricted": viewer is UNRESTRICTED,
        "latest_activity": latest_activity,
        "generated_at": timezone.localtime(timezone.now()),
    })


@require_GET
@never_cache
@staff_login_required
def download(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """``download/<dataset>.<csv|xlsx|parquet>``: one dataset with the page's filters and
    the same suppression. 404 for an unknown dataset or format; 400 for bad filters."""
    if dataset not in DATASET_NAMES or fmt not in exports.FORMATS:
        raise Http404("No such download")
    viewer = _reader(request)
    _form, filters = _filters(request, strict=True)
    data = build_dataset(dataset, viewer=viewer, filters=filters)
    return _attachment(exports.render(data, fmt), exports.FORMATS[fmt], f"{exports.file_stem(dataset, filters)}.{fmt}")


@require_GET
@never_cache
@staff_login_required
def chart(request: HttpRequest, chart: str, fmt: str) -> HttpResponse:
    """``chart/<map|supply-demand|cost>.<png|svg>``: a chart drawn on the server."""
    if chart not in charts.CHARTS or fmt not in CHART_FORMATS:
        raise Http404("No such chart")
    viewer = _reader(request)
    _form, filters = _filters(request, strict=True)
    data = build_dataset(charts.SOURCES[chart], viewer=viewer, filters=filters)
    return _attachment(charts.render(chart, data, fmt), CHART_FORMATS[fmt], f"{exports.file_stem(chart, filters)}.{fmt}")


@require_GET
@never_cache
@staff_login_required
def open_data(request: HttpRequest) -> HttpResponse:
    """``open-data.zip``: every dataset as CSV and Parquet with a README and metadata,
    suppressed as for the public (whoever downloads it), for the page's period and
    council and job role filters."""
    _reader(request)
    _form, filters = _filters(request, strict=True)
    content = exports.open_data_zip(filters, generated_at=timezone.now().replace(microsecond=0))
    return _attachment(content, "application/zip", f"{exports.file_stem('open-data', filters)}.zip")
