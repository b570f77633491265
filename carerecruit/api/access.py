"""Who may manage API tokens, and which (the token pages' access helpers).

- Regional admins (admins of the regional body) and superusers: tokens of every active
  organisation.
- Admins of a council or provider: their own organisation's tokens.
- Everyone else (recruiters, campaign managers, viewers): 403 on the token pages.

Another organisation's token answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from carerecruit.api.models import ApiToken
from carerecruit.organisations.models import Organisation, User


def can_manage_api_tokens(user) -> bool:
    """Admins (of any organisation) and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or (user.organisation_id is not None and user.role == User.Role.ADMIN)


def token_organisations(user):
    """Organisations ``user`` may make and revoke tokens for (a queryset)."""
    if not can_manage_api_tokens(user):
        return Organisation.objects.none()
    active = Organisation.objects.filter(is_active=True)
    if user.is_superuser or user.organisation.is_regional_body:
        return active
    return active.filter(pk=user.organisation_id)


def tokens_visible_to(user):
    """Tokens ``user`` may see: those of :func:`token_organisations`. Raises
    PermissionDenied for users who may not manage tokens at all."""
    if not can_manage_api_tokens(user):
        raise PermissionDenied("Only administrators can manage API tokens.")
    if user.is_superuser or user.organisation.is_regional_body:
        return ApiToken.objects.all()
    return ApiToken.objects.filter(organisation_id=user.organisation_id)


def get_token_for_user(user, code) -> ApiToken:
    """The token with public ``code`` (UUID) if ``user`` may manage it; Http404 for a
    malformed code, an unknown token or another organisation's; PermissionDenied for a
    user who may not manage tokens."""
    import uuid

    tokens = tokens_visible_to(user)
    try:
        code = uuid.UUID(str(code))
    except ValueError:
        raise Http404("No such API token") from None
    token = tokens.select_related("organisation", "created_by", "revoked_by").filter(code=code).first()
    if token is None:
        raise Http404("No such API token")
    return token
