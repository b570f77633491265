"""Rate limit per API token (``settings.CARERECRUIT_API_RATE_LIMIT``, default 120/min).

Counters live in the ``"api"`` cache (the database by default), so every gunicorn
process on every machine counts against the same limit. Over the limit: 429 with a
``Retry-After`` header (seconds) and a JSON body (:mod:`carerecruit.api.errors`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from carerecruit.api.models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """DRF's fixed-window-ish history throttle keyed by the token's hash (one bucket per
    token, whoever and wherever the requests come from)."""

    scope = "api_token"

    def __init__(self):
        # Read at request time, so tests and a changed environment take effect.
        self.cache = caches["api"]
        super().__init__()

    def get_rate(self) -> str:
        return settings.CARERECRUIT_API_RATE_LIMIT

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.token_hash[:32]}
