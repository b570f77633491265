"""Self-service links: the signed, expiring token in ``/me/<token>/`` and the rate limit
on asking for one.

The token is ``django.core.signing.dumps({"c": <candidate code hex>}, salt="selfservice")``:
a timestamped HMAC (SECRET_KEY) over the candidate's random code, never the e-mail
address. It is the only credential: whoever holds an unexpired link may see and change
that person's record, so it goes only to the candidate's own address and expires after
``settings.CARERECRUIT_SELFSERVICE_LINK_DAYS`` days (default 7).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from carerecruit.candidates.models import Candidate, SelfServiceLinkRequest

TOKEN_SALT = "selfservice"  # noqa: S105 (a signing namespace, not a secret)
DEFAULT_LINK_DAYS = 7

# At most this many links per address per window; further requests get the same answer
# on screen but no e-mail (an inbox cannot be flooded through us, and a guessed address
# cannot be probed by counting mails).
MAX_LINKS_PER_WINDOW = 3
RATE_WINDOW = datetime.timedelta(hours=1)


def link_max_age() -> datetime.timedelta:
    """How long a self-service link works (``CARERECRUIT_SELFSERVICE_LINK_DAYS``)."""
    return datetime.timedelta(days=getattr(settings, "CARERECRUIT_SELFSERVICE_LINK_DAYS", DEFAULT_LINK_DAYS))


def make_token(candidate: Candidate) -> str:
    """A signed, timestamped token for ``candidate`` (URL-safe; carries only its code)."""
    return signing.dumps({"c": candidate.code.hex}, salt=TOKEN_SALT)


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of reading a token: ``status`` is ``"ok"`` (``candidate`` set),
    ``"expired"`` (a genuine link, too old), ``"invalid"`` (tampered, malformed) or
    ``"gone"`` (genuine and fresh, but the record no longer exists: erased)."""

    status: str
    candidate: Candidate | None = None


def read_token(token: str) -> TokenCheck:
    """Check ``token`` and load its candidate. Never raises."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=link_max_age())
        code = uuid.UUID(hex=str(data["c"]))
    except signing.SignatureExpired:
        return TokenCheck("expired")
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck("invalid")
    candidate = Candidate.objects.filter(code=code).first()
    if candidate is None:
        return TokenCheck("gone")
    return TokenCheck("ok", candidate)


def address_hash(email_normalised: str) -> str:
    """Keyed hash (HMAC-SHA256, SECRET_KEY) of a normalised address: 64 hex characters."""
    return salted_hmac(
        "carerecruit.selfservice.address", email_normalised, algorithm="sha256"
    ).hexdigest()


def note_request(email_normalised: str, *, now: datetime.datetime | None = None) -> bool:
    """Record a link request for the address and return True if it is within the rate
    limit (at most MAX_LINKS_PER_WINDOW in RATE_WINDOW, this one included).

    Does the same queries for known and unknown addresses. Rows older than the window
    are deleted here, so the table stays an hour deep.
    """
    now = now or timezone.now()
    since = now - RATE_WINDOW
    SelfServiceLinkRequest.objects.filter(requested_at__lt=since).delete()
    key = address_hash(email_normalised)
    recent = SelfServiceLinkRequest.objects.filter(address_hash=key, requested_at__gte=since).count()
    SelfServiceLinkRequest.objects.create(address_hash=key, requested_at=now)
    return recent < MAX_LINKS_PER_WINDOW
