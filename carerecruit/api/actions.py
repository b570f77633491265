"""Writes to API tokens: make one, revoke one. Views and tests call these."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from carerecruit.api.models import VISIBLE_PREFIX_LENGTH, ApiToken, hash_token, new_token

logger = logging.getLogger("carerecruit.api")


@transaction.atomic
def do_create_api_token(*, organisation, name: str, created_by) -> tuple[ApiToken, str]:
    """Make a token for ``organisation`` and return ``(token, secret)``.

    The secret is returned here only: the row keeps its SHA-256 hash and its first
    12 characters. Who may make tokens for whom is the caller's check
    (:func:`carerecruit.api.access.token_organisations`)."""
    secret = new_token()
    token = ApiToken.objects.create(
        organisation=organisation, name=name.strip(), token_hash=hash_token(secret),
        prefix=secret[:VISIBLE_PREFIX_LENGTH], created_by=created_by,
    )
    logger.info("api token %s created for organisation %s by user %s", token.prefix, organisation.pk, created_by.pk)
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, revoked_by) -> bool:
    """Revoke ``token`` now (it answers 401 from the next request). Returns False when it
    was already revoked (nothing changes)."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=revoked_by,
    )
    token.refresh_from_db()
    if updated:
        logger.info("api token %s revoked by user %s", token.prefix, revoked_by.pk)
    return bool(updated)
