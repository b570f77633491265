"""Organisation API tokens for the read-only JSON API (``/api/v1/``).

A token belongs to an organisation, not to a person: it reads what a viewer of that
organisation reads in the staff area (see :mod:`carerecruit.api.authentication`). Only a
SHA-256 hash of the secret is stored; the secret is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

#: Every token starts with this, so secret scanners (and people) can recognise one.
TOKEN_PREFIX = "crk_"  # noqa: S105 (a label, not a secret)
#: Characters of the token kept in clear (``crk_`` + 8), shown in lists to tell tokens apart.
VISIBLE_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8


def hash_token(token: str) -> str:
    """The SHA-256 hex digest (64 characters) stored for ``token``.

    A plain hash is enough (no salt or slow hash): the secret is 256 random bits, not a
    password a person chose, so it cannot be guessed from a dictionary."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh secret: ``crk_`` and 43 URL-safe characters (32 random bytes)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """An organisation's API token.

    ``token_hash`` is SHA-256 of the whole secret (:func:`hash_token`); ``prefix`` is its
    first 12 characters, shown in lists. ``code`` (UUID) is the public identifier in staff
    URLs. ``last_used_at`` (UTC) is updated at most once a minute. A token with
    ``revoked_at`` set answers 401; rows are kept for the audit trail.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. “Power BI workforce report”.")
    token_hash = models.CharField(max_length=64, editable=False)
    prefix = models.CharField(max_length=VISIBLE_PREFIX_LENGTH, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Authentication looks the token up by its hash: one row per secret.
            models.UniqueConstraint(fields=["token_hash"], name="apitoken_unique_hash"),
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_has_name"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="apitoken_revoked_after_created",
            ),
        ]
        indexes = [
            # The staff list: one organisation's tokens, newest first.
            models.Index(fields=["organisation", "created_at"], name="apitoken_org_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
