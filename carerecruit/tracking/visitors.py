"""Cookieless visitor identity: a daily-rotating salted hash of IP address and user agent.

A visitor is ``sha256(salt of the local day, client IP, user agent)``. The salt is 32
random bytes made for each Europe/London date and deleted the day after, so a hash can
be matched against others of the same day (to count a visit once) but never recomputed
from an IP address later. No cookie is set and no IP address is stored anywhere. This is
the approach of privacy-first analytics such as Plausible and Fathom.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
import threading

from django.conf import settings

from carerecruit.lib.localtime import local_today
from carerecruit.tracking.models import DailyVisitor, VisitorSalt

# Today's and yesterday's salts, per process: the salt of a day never changes once made,
# so this saves a query on every microsite page view. Keyed by date, so it rolls over by
# itself; bounded so a long-running process does not grow it.
_SALT_CACHE: dict[datetime.date, str] = {}
_SALT_CACHE_SIZE = 4
_SALT_CACHE_LOCK = threading.Lock()


def salt_for(day: datetime.date) -> str:
    """The hex salt (64 characters) for local date ``day``, made on first use.

    Race-safe: two processes making the first salt of a day both end up with the one the
    database kept (``get_or_create`` retries the read after a unique-constraint clash).
    """
    salt = _SALT_CACHE.get(day)
    if salt is None:
        row, _ = VisitorSalt.objects.get_or_create(
            day=day, defaults={"salt": secrets.token_hex(32)}
        )
        salt = row.salt
        with _SALT_CACHE_LOCK:
            if len(_SALT_CACHE) >= _SALT_CACHE_SIZE:
                _SALT_CACHE.pop(min(_SALT_CACHE))
            _SALT_CACHE[day] = salt
    return salt


def forget_cached_salts() -> None:
    """Empty this process's salt cache (tests; after deleting salts by hand)."""
    with _SALT_CACHE_LOCK:
        _SALT_CACHE.clear()


def client_ip(request) -> str:
    """The client's IP address as text, "" when it cannot be told.

    With ``settings.TRUSTED_PROXY_COUNT`` = 0 this is ``REMOTE_ADDR``. Behind N trusted
    proxies it is the N-th ``X-Forwarded-For`` entry counted from the right: the address
    our outermost proxy saw. Entries left of it were written by the client and can be
    forged, so "the first hop" is only trusted when it is that entry.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    candidate = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        hops = [
            hop.strip()
            for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if hop.strip()
        ]
        if hops:
            candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return ""


def visitor_hash(request, day: datetime.date | None = None) -> str:
    """The visitor's hash for local date ``day`` (default today): 64 hex characters.

    The same IP address and user agent on the same local day give the same hash; a
    different IP, a different user agent or another day gives a different one.
    """
    day = day or local_today()
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    material = "\n".join((salt_for(day), client_ip(request), user_agent))
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def purge_old_salts(today: datetime.date | None = None) -> dict[str, int]:
    """Delete the salts and daily-visitor rows of days before yesterday (local dates).

    Yesterday's are kept so that an application just after midnight is still credited to
    the visit that led to it. Returns ``{"salts": n, "daily_visitors": m}`` deleted.
    """
    today = today or local_today()
    keep_from = today - datetime.timedelta(days=1)
    visitors, _ = DailyVisitor.objects.filter(day__lt=keep_from).delete()
    salts, _ = VisitorSalt.objects.filter(day__lt=keep_from).delete()
    with _SALT_CACHE_LOCK:
        for day in [d for d in _SALT_CACHE if d < keep_from]:
            del _SALT_CACHE[day]
    return {"salts": salts, "daily_visitors": visitors}
