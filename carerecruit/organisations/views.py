"""Staff area entry points: the staff home page and the sign-out page. Sign-in, the
sign-out itself and password reset are Django's auth views, configured in
:mod:`carerecruit.organisations.urls`."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_safe

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


# Django's own sign-out: POST only (with CSRF), so a link or an image on another site
# cannot sign anyone out.
_sign_out = auth_views.LogoutView.as_view(next_page=reverse_lazy("staff:login"))


@require_http_methods(["GET", "HEAD", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """``/staff/logout/``: POST signs out (Django's LogoutView) and goes to sign-in.

    GET (a typed or bookmarked address) shows a page with a "Sign out" button that
    POSTs here, rather than Django's bare 405: a GET never changes anything. Someone
    already signed out is sent to the sign-in page.
    """
    if request.method == "POST":
        return _sign_out(request)
    if not request.user.is_authenticated:
        return redirect("staff:login")
    return render(request, "organisations/logout.html")
