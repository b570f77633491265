"""Staff pages for organisation API tokens, ``/staff/api-tokens/``.

Admins only (:mod:`carerecruit.api.access`): regional admins manage every
organisation's tokens, council and provider admins their own; others get 403, another
organisation's token is a 404. The secret is shown once, on the page that answers the
POST that made it (never cached, never stored in clear).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from carerecruit.api.access import can_manage_api_tokens, get_token_for_user, tokens_visible_to
from carerecruit.api.actions import do_create_api_token, do_revoke_api_token
from carerecruit.api.forms import ApiTokenForm


@login_required
@never_cache
@require_GET
def token_list(request):
    """``/staff/api-tokens/``: the tokens the user manages, active first, newest first."""
    tokens = (
        tokens_visible_to(request.user)
        .select_related("organisation", "created_by")
        .order_by("revoked_at", "-created_at", "-pk")
    )
    return render(request, "api/token_list.html", {"tokens": tokens})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_new(request):
    """``/staff/api-tokens/new/``: name the token (and choose its organisation); the
    answer to a valid POST shows the secret, once."""
    if not can_manage_api_tokens(request.user):
        raise PermissionDenied("Only administrators can make API tokens.")
    form = ApiTokenForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        token, secret = do_create_api_token(
            organisation=form.chosen_organisation(), name=form.cleaned_data["name"], created_by=request.user,
        )
        # never_cache marks this answer no-store: the secret stays out of every cache.
        return render(request, "api/token_created.html", {"token": token, "secret": secret})
    return render(request, "api/token_new.html", {"form": form})


@login_required
@never_cache
@require_GET
def token_detail(request, code):
    """``/staff/api-tokens/<code>/``: a token's details, and the button to revoke it."""
    token = get_token_for_user(request.user, code)
    return render(request, "api/token_detail.html", {"token": token})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_revoke(request, code):
    """POST ``/staff/api-tokens/<code>/revoke/``: revoke the token now. A GET (a link
    followed, the address typed) revokes nothing: it goes to the token's page, where the
    button is."""
    token = get_token_for_user(request.user, code)
    if request.method == "GET":
        return HttpResponseRedirect(reverse("api_staff:token-detail", args=[token.code]))
    if do_revoke_api_token(token, revoked_by=request.user):
        messages.success(request, f"API token “{token.name}” revoked: it no longer works")
    return HttpResponseRedirect(reverse("api_staff:token-detail", args=[token.code]))
