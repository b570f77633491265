"""Staff area entry points: the staff home page. Sign-in, sign-out and password reset
are Django's auth views, configured in :mod:`carerecruit.organisations.urls`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.access import campaigns_visible_to


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """``/staff/``: who is signed in, their organisation and role, and the campaigns whose
    dashboards they may read (live first, then drafts, then closed)."""
    status_order = Case(
        When(status=Campaign.Status.LIVE, then=Value(0)),
        When(status=Campaign.Status.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    campaigns = (
        campaigns_visible_to(request.user)
        .annotate(status_order=status_order)
        .order_by("status_order", "-starts_on", "name")
    )
    return render(request, "organisations/home.html", {"campaigns": campaigns})
