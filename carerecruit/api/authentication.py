"""``Authorization: Bearer <token>`` for the API, and who a token acts as.

A token acts as its organisation with a viewer's read scope: ``request.user`` is an
unsaved :class:`~carerecruit.organisations.models.User` of that organisation with the
viewer role (:func:`token_user`), so the API asks the same access layer
(:mod:`carerecruit.organisations.access`) as the staff pages and sees exactly what a
viewer of that organisation sees there. ``request.auth`` is the :class:`ApiToken`.

Suppression (:mod:`carerecruit.workforce.suppression`): a token's viewer is its
organisation's id, so a council's token sees its own small numbers and everyone else's
as ``"<5"``. The exception is the regional body: its tokens can only be made by its
admins, who see every figure unsuppressed in the staff area, so a regional-body token is
:data:`~carerecruit.workforce.suppression.UNRESTRICTED` while the admin who made it is
still an active regional admin (or superuser). Should that person leave or change role,
the token falls back to the regional body's id (everything outside it suppressed): a
token never reads more than its maker could today (:func:`suppression_viewer_for`).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from carerecruit.api.models import ApiToken, hash_token
from carerecruit.organisations.models import User
from carerecruit.workforce.suppression import UNRESTRICTED

KEYWORD = "Bearer"
# last_used_at is written at most this often per token: not one UPDATE per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_user(token: ApiToken) -> User:
    """The unsaved, read-only staff user a token acts as: its organisation, role viewer."""
    user = User(
        username=f"api-token:{token.prefix}", organisation=token.organisation,
        role=User.Role.VIEWER, is_active=True, is_staff=False, is_superuser=False,
    )
    user.api_token = token
    return user


def suppression_viewer_for(token: ApiToken):
    """Who ``token`` is for small-number suppression (see the module docstring):
    UNRESTRICTED for a regional-body token whose maker is still an active regional admin
    or superuser; the token's organisation id otherwise."""
    org = token.organisation
    maker = token.created_by
    if org.is_regional_body and maker is not None and maker.is_active and (
        maker.is_superuser or (maker.organisation_id == org.pk and maker.role == User.Role.ADMIN)
    ):
        return UNRESTRICTED
    return org.pk


class ApiTokenAuthentication(BaseAuthentication):
    """DRF authentication: ``Authorization: Bearer crk_…``.

    No header: not authenticated (the permission then answers 401). A malformed header,
    an unknown or revoked token, or a token of an inactive organisation: 401 with
    ``WWW-Authenticate: Bearer``.
    """

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != KEYWORD.lower():
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        token = (
            ApiToken.objects.select_related("organisation", "created_by")
            .filter(token_hash=hash_token(parts[1]))
            .first()
        )
        if token is None or token.revoked_at is not None or not token.organisation.is_active:
            raise exceptions.AuthenticationFailed("This API token is not valid: it is unknown or has been revoked.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # For the access log (carerecruit.api.views.logged), which sees the Django request.
        request._request.api_token = token
        return token_user(token), token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when authentication is missing or fails.
        return f'{KEYWORD} realm="api"'


class HasApiToken(BasePermission):
    """Every API view needs a valid token."""

    message = "Authentication credentials were not provided: send Authorization: Bearer <token>."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken)
