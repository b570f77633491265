"""Click ids as handed to the microsite in ``?cid=``: ``<click id>-<link id>.<signature>``.

The click id (32 lower-case hex characters, random) is what events, daily
visitors and applications store. The link id and an HMAC-SHA256 signature (Django's
:class:`~django.core.signing.Signer`, keyed by ``SECRET_KEY`` with its own salt, 43 URL-safe
base64 characters) ride along so that a visit is credited to its tracked link at once,
without reading the click back from the database: the redirect only spools the click
(:mod:`carerecruit.tracking.spool`) and the worker inserts it a moment later. The
signature means nobody can credit their visits to a link by typing a ``cid``; UTM values
in a URL remain as forgeable as they are anywhere.

Older click ids (32 hex characters alone, from before the spool) are still understood by
looking their click up (``carerecruit.tracking.actions``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import random
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.signing import BadSignature, Signer

SALT = "carerecruit.tracking.cid"
_TOKEN = re.compile(r"([0-9a-f]{32})-([1-9][0-9]{0,17})\.[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class ClickToken:
    """A verified ``?cid=``: the click id (32 hex) and the tracked link's primary key."""

    click_id: str
    link_id: int


_rng: tuple[int, random.Random] | None = None


def new_click_id() -> str:
    """A fresh click id: 32 lower-case hex characters (128 random bits, as
    ``uuid4().hex`` has 122).

    Drawn from a per-process generator seeded from ``os.urandom`` (and seeded again after
    a fork, so gunicorn's workers never share a sequence), not from ``os.urandom`` per
    click: that system call lets go of the GIL and, with gthread's threads waiting,
    costs the redirect a thread switch (profiled: a tenth of its samples). A click id
    only has to be unique; what makes it trustworthy is the signature (:func:`sign`).
    """
    global _rng
    pid = os.getpid()
    if _rng is None or _rng[0] != pid:
        _rng = (pid, random.Random(os.urandom(32)))  # noqa: S311 (uniqueness, not secrecy)
    return f"{_rng[1].getrandbits(128):032x}"


_mac: tuple[str, hmac.HMAC] | None = None


def _keyed_mac() -> hmac.HMAC:
    # Signer.sign derives its HMAC key from SECRET_KEY on every call (a third of the
    # redirect's own time when measured); the key is derived here once, exactly as
    # django.core.signing.salted_hmac derives it, and the keyed HMAC copied per click.
    # verify() checks with Signer itself, so SECRET_KEY_FALLBACKS still work.
    global _mac
    secret = settings.SECRET_KEY
    if _mac is None or _mac[0] != secret:
        key = hashlib.sha256(f"{SALT}signer{secret}".encode()).digest()
        _mac = (secret, hmac.new(key, digestmod=hashlib.sha256))
    return _mac[1].copy()


def sign(click_id: str, link_id: int) -> str:
    """The ``?cid=`` value for ``click_id`` on link ``link_id`` (about 80 characters):
    what ``Signer(salt=SALT, sep=".", algorithm="sha256").sign(...)`` gives."""
    value = f"{click_id}-{link_id}"
    mac = _keyed_mac()
    mac.update(value.encode())
    return f"{value}.{base64.urlsafe_b64encode(mac.digest()).rstrip(b'=').decode()}"


def verify(value: str) -> ClickToken | None:
    """The click id and link id of a signed ``?cid=`` value; None for anything else (a
    bare legacy click id, a tampered or malformed value). Never raises."""
    value = value.strip()
    match = _TOKEN.fullmatch(value)
    if match is None:
        return None
    try:
        # Made per call so that it reads SECRET_KEY and SECRET_KEY_FALLBACKS as they are.
        Signer(salt=SALT, sep=".", algorithm="sha256").unsign(value)
    except BadSignature:
        return None
    return ClickToken(click_id=match.group(1), link_id=int(match.group(2)))
