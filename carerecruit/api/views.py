"""The read-only JSON API, ``/api/v1/`` (see docs/api.md).

Thin function views: each checks its query parameters (:mod:`carerecruit.api.filters`),
asks the same access layer and domain functions as the staff pages with the token's
viewer (:mod:`carerecruit.api.authentication`), and returns JSON. Lists are paginated
(:mod:`carerecruit.api.pagination`) in a stable order stated on each view. Every
request is logged to ``carerecruit.api.access`` (token prefix, organisation, path,
status; no personal data).
"""

from __future__ import annotations

import logging
from functools import wraps

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from carerecruit.api import aggregates
from carerecruit.api.authentication import suppression_viewer_for
from carerecruit.api.filters import COUNCIL, END, FILTERS, ROLE, START, read_filters
from carerecruit.api.pagination import ApiPagination
from carerecruit.api.serializers import (
    CampaignSerializer,
    ErrorSerializer,
    FunnelSerializer,
    PlacementAggregateSerializer,
    VacancySerializer,
    WorkforceSerializer,
    paginated,
)
from carerecruit.insights.funnel import (
    DAY,
    GRANULARITIES,
    MAX_PERIOD_DAYS,
    STEPS,
    WEEK,
    Counts,
    Period,
    build_funnel,
    default_period,
)
from carerecruit.insights.suppression import suppress_funnel
from carerecruit.lib.localtime import local_date, local_day_bounds
from carerecruit.organisations.access import campaigns_visible_to, get_campaign_for_user
from carerecruit.pages.views import deployment_region
from carerecruit.vacancies.queries import open_vacancies
from carerecruit.workforce.aggregates import figures_by_council_and_role
from carerecruit.workforce.suppression import suppressed_figures

access_log = logging.getLogger("carerecruit.api.access")

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="A query parameter is not valid (named in parameters)."),
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown or revoked one."),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or not visible to this token)."),
    429: OpenApiResponse(ErrorSerializer, description="Rate limit reached: see the Retry-After header."),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After", OpenApiTypes.INT, OpenApiParameter.HEADER, response=[429],
    description="Seconds to wait before the token may ask again.",
)
PAGE = OpenApiParameter("page", {"type": "integer", "minimum": 1}, description="Page number, from 1.")
PAGE_SIZE = OpenApiParameter(
    "page_size", {"type": "integer", "minimum": 1, "maximum": 500}, description="Rows per page, 1 to 500 (default 100)."
)


def logged(view):
    """Log one line per API request to ``carerecruit.api.access``: which token (its
    visible prefix) of which organisation asked for which path and query (filters only:
    the API takes no personal data), and the answer's status. Unknown tokens log as
    ``-``; the secret never appears."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        access_log.info(
            "api token=%s organisation=%s %s %s status=%s",
            getattr(token, "prefix", "-"), getattr(token, "organisation_id", "-"),
            request.method, request.get_full_path(), response.status_code,
        )
        return response

    return wrapper


def _paginated(request, rows, serializer_class, view):
    paginator = ApiPagination()
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


# --- Campaigns ---------------------------------------------------------------------------


def _campaign_dict(request, campaign) -> dict:
    return {
        "slug": campaign.slug,
        "name": campaign.name,
        "status": campaign.status,
        "accepting_applications": campaign.takes_applications,
        "audience": campaign.audience,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "owner": campaign.owner.short_name,
        "job_roles": [{"code": r.code, "name": r.name} for r in sorted(campaign.job_roles.all(), key=lambda r: r.code)],
        "partner_councils": sorted(p.gss_code for p in campaign.partners.all() if p.is_council),
        "microsite_url": request.build_absolute_uri(campaign.get_absolute_url()),
        "funnel_url": request.build_absolute_uri(reverse("api:campaign-funnel", args=[campaign.slug])),
    }


@extend_schema(
    operation_id="campaigns_list", tags=["campaigns"],
    summary="Campaigns",
    description=(
        "Every campaign the token may read (all of them: funnels are aggregate data), in "
        "slug order. start/end: campaigns whose dates overlap the period (no start date: "
        "from the beginning; no end date: still running). council: campaigns run by or "
        "with that council. role: campaigns seeking that job role."
    ),
    parameters=[*FILTERS, PAGE, PAGE_SIZE, RETRY_AFTER],
    responses={200: paginated(CampaignSerializer), **ERRORS},
)
@api_view(["GET", "HEAD"])
def campaign_list(request):
    filters = read_filters(request.query_params)
    campaigns = campaigns_visible_to(request.user).select_related("owner").prefetch_related("job_roles", "partners")
    if filters.start:
        campaigns = campaigns.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=filters.start))
    if filters.end:
        campaigns = campaigns.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=filters.end))
    if filters.council:
        campaigns = campaigns.filter(Q(owner=filters.council) | Q(partners=filters.council)).distinct()
    if filters.role:
        campaigns = campaigns.filter(job_roles__code=filters.role).distinct()
    campaigns = campaigns.order_by("slug")
    paginator = ApiPagination()
    page = paginator.paginate_queryset(campaigns, request, view=None)
    return paginator.get_paginated_response(
        CampaignSerializer([_campaign_dict(request, c) for c in page], many=True).data
    )


def _counts_dict(counts: Counts) -> dict:
    result = {step.key: counts.count(step.key) for step in STEPS}
    result["spend_pence"] = counts.spend_pence
    return result


@extend_schema(
    operation_id="campaign_funnel", tags=["campaigns"],
    summary="A campaign's funnel",
    description=(
        "Impressions → platform clicks → tracked clicks → visits → form starts → "
        "applications → shortlisted → placed → retained at 6 months, for the period, by "
        "local day or ISO week and by channel. Counts are exact and live (rollups plus "
        "the newest events; bots left out). Default period: the campaign's dates up to "
        f"today (the last 35 days when it has none); at most {MAX_PERIOD_DAYS} days. "
        "Suppressed for this token as the regional endpoints: unless the token's "
        "organisation runs the campaign (or is the regional body's admin), applications, "
        'shortlisted, placed and retained_6m of 1 to 4 show as "<5" in every row; '
        "impressions, clicks, visits, form starts and spend are never suppressed."
    ),
    parameters=[
        START, END,
        OpenApiParameter("granularity", OpenApiTypes.STR, enum=list(GRANULARITIES),
                         description="day (default) or week (ISO weeks, Monday to Sunday)."),
        RETRY_AFTER,
    ],
    responses={200: FunnelSerializer, **ERRORS},
)
@api_view(["GET", "HEAD"])
def campaign_funnel(request, slug: str):
    campaign = get_campaign_for_user(request.user, slug)
    filters = read_filters(request.query_params, allowed=("start", "end"), also=("granularity",))
    granularity = request.query_params.get("granularity", DAY)
    if granularity not in GRANULARITIES:
        raise ValidationError({"granularity": ["Use day or week."]})
    default = default_period(campaign)
    start = filters.start or (default.start if not filters.end or default.start <= filters.end else filters.end)
    end = filters.end or (default.end if default.end >= start else start)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationError({"end": [f"A period can be at most {MAX_PERIOD_DAYS} days long."]})
    funnel = suppress_funnel(
        build_funnel([campaign], Period(start, end), granularity, with_links=False),
        suppression_viewer_for(request.auth),
    )
    if granularity == WEEK:
        periods = [
            {"period": w.iso_week, "start": w.first_day, "end": w.last_day, **_counts_dict(w.counts)}
            for w in funnel.weeks
        ]
    else:
        periods = [{"period": d.day.isoformat(), "start": d.day, "end": d.day, **_counts_dict(d.counts)} for d in funnel.days]
    body = {
        "campaign": campaign.slug,
        "start": start,
        "end": end,
        "granularity": granularity,
        "currency": "GBP",
        "steps": [step.key for step in STEPS],
        "totals": _counts_dict(funnel.totals),
        "periods": periods,
        "channels": [{"channel": c.channel, "label": c.label, **_counts_dict(c.counts)} for c in funnel.channels],
    }
    return Response(FunnelSerializer(body).data)


# --- Vacancies ---------------------------------------------------------------------------


def _vacancy_dict(request, v) -> dict:
    return {
        "code": v.code,
        "url": request.build_absolute_uri(v.get_absolute_url()),
        "title": v.title,
        "employer": v.organisation.name,
        "council_gss": v.council_area.gss_code,
        "council_name": v.council_area.short_name,
        "job_role_code": v.job_role.code,
        "job_role_name": v.job_role.name,
        "contract_type_code": v.contract_type,
        "contract_type": v.get_contract_type_display(),
        "hours_per_week": float(v.hours_per_week),
        "pay_min_pence": v.pay_min_pence,
        "pay_max_pence": v.pay_max_pence,
        "pay_unit": v.pay_unit,
        "town": v.town,
        "postcode": v.postcode,
        "number_of_posts": v.number_of_posts,
        "published_on": local_date(v.published_at) if v.published_at else None,
        "closing_date": v.closing_date,
        "starts_on": v.starts_on,
    }


@extend_schema(
    operation_id="vacancies_list", tags=["vacancies"],
    summary="Open vacancies",
    description=(
        "The region's open vacancies, as on the public /vacancies/ pages (public data): "
        "newest first (then title, then code). start/end: vacancies published on or "
        "before end and closing on or after start. council: the vacancy's council area. "
        "role: its job role."
    ),
    parameters=[*FILTERS, PAGE, PAGE_SIZE, RETRY_AFTER],
    responses={200: paginated(VacancySerializer), **ERRORS},
)
@api_view(["GET", "HEAD"])
def vacancy_list(request):
    filters = read_filters(request.query_params)
    vacancies = open_vacancies(deployment_region()).order_by("-published_at", "title", "code")
    if filters.start:
        vacancies = vacancies.filter(closing_date__gte=filters.start)
    if filters.end:
        vacancies = vacancies.filter(published_at__lt=local_day_bounds(filters.end)[1])
    if filters.council:
        vacancies = vacancies.filter(council_area=filters.council)
    if filters.role:
        vacancies = vacancies.filter(job_role__code=filters.role)
    paginator = ApiPagination()
    page = paginator.paginate_queryset(vacancies, request, view=None)
    return paginator.get_paginated_response(VacancySerializer([_vacancy_dict(request, v) for v in page], many=True).data)


# --- Placements and retention ------------------------------------------------------------


@extend_schema(
    operation_id="placements_list", tags=["placements"],
    summary="Placements and retention (aggregates)",
    description=(
        "Councils' placements per council × month of start × job role, with the "
        "retention of each month's starters at 3, 6 and 12 months. Aggregates only: no "
        "names, no identifiers of people. Outside the placing council, counts of 1 to 4 "
        'show as "<5" and rates from them as "withheld". start/end bound the start '
        "dates; order: council name, month, job role."
    ),
    parameters=[*FILTERS, PAGE, PAGE_SIZE, RETRY_AFTER],
    responses={200: paginated(PlacementAggregateSerializer), **ERRORS},
)
@api_view(["GET", "HEAD"])
def placement_list(request):
    filters = read_filters(request.query_params)
    rows = aggregates.placement_rows(filters, viewer_org=suppression_viewer_for(request.auth))
    return _paginated(request, rows, PlacementAggregateSerializer, None)


# --- Workforce ---------------------------------------------------------------------------


@extend_schema(
    operation_id="workforce_list", tags=["workforce"],
    summary="Workforce figures by council and job role",
    description=(
        "Filled posts, contract types, starters, leavers, vacancies and the Skills for "
        "Care vacancy and turnover rates, per council and job role, from employers' "
        "ASC-WDS returns as at end (default today: each organisation's newest return on "
        "or before it). start is not used. Outside the owning organisation, counts of 1 "
        'to 4 show as "<5" and rates from them as "withheld". Order: council name, job role code.'
    ),
    parameters=[
        OpenApiParameter("end", OpenApiTypes.DATE, description="The as-at local date, YYYY-MM-DD (default today)."),
        COUNCIL, ROLE, PAGE, PAGE_SIZE, RETRY_AFTER,
    ],
    responses={200: paginated(WorkforceSerializer), **ERRORS},
)
@api_view(["GET", "HEAD"])
def workforce_list(request):
    filters = read_filters(request.query_params, allowed=("end", "council", "role"))
    figures = figures_by_council_and_role(
        as_at=filters.end,
        councils=[filters.council] if filters.council else None,
        job_roles=[filters.role] if filters.role else None,
    )
    viewer = suppression_viewer_for(request.auth)
    rows = [suppressed_figures(f, viewer_org=viewer) for f in figures]
    return _paginated(request, rows, WorkforceSerializer, None)
