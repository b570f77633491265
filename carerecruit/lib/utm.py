"""Normalising UTM values, and guessing a channel when there is no tracked link.

Rules (so that one source is counted once however people type it):

- ``utm_source`` and ``utm_medium`` are lower-cased: ``Facebook`` and ``facebook`` are one
  source.
- ``utm_campaign``, ``utm_content`` and ``utm_term`` keep their case.
- In every value, ``%XX`` escapes left in the text are decoded (double-encoded links,
  values pasted from a URL), runs of whitespace become one space, control characters
  (including NUL, which PostgreSQL rejects) are dropped, and the ends are trimmed. So
  ``Spring%20Push``, ``Spring+Push`` (in a raw query string) and ``Spring  Push`` are all
  ``Spring Push``.
- ``+`` means a space only in a *raw* query string (``url_encoded=True``). Django's
  ``request.GET`` has already turned ``+`` into a space, so a ``+`` that survives there
  was sent on purpose as ``%2B`` and is kept.
- Every value is cut to its database column's length (100 characters for source, medium
  and campaign; 255 for content and term), so an absurd 5,000-character ``utm_content``
  is stored truncated and the click or visit is still recorded.

Source: Google Analytics campaign URL conventions (utm_* parameter names, GA4 default
channel grouping for the paid/organic distinctions used in :func:`channel_for`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote, unquote_plus

UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
MAX_LENGTHS = {
    "utm_source": 100,
    "utm_medium": 100,
    "utm_campaign": 100,
    "utm_content": 255,
    "utm_term": 255,
}
_LOWER_CASED = {"utm_source", "utm_medium"}

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
# C0 and C1 control characters other than whitespace (whitespace is collapsed separately).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# The longest raw text worth decoding: enough for 255 characters that each take a 4-byte
# UTF-8 sequence written as %XX escapes (12 characters); anything longer is cut anyway.
_MAX_RAW = 12 * max(MAX_LENGTHS.values())


def clean_text(value: str | None, max_length: int, *, url_encoded: bool = False) -> str:
    """Decode, strip control characters, collapse whitespace, trim and cut ``value`` to
    at most ``max_length`` characters. ``None`` becomes ``""``. Case is kept.

    ``url_encoded=True`` treats the value as raw query-string text (``+`` is a space).
    """
    if not value:
        return ""
    text = str(value)[:_MAX_RAW]
    if url_encoded:
        text = unquote_plus(text)
    elif _PERCENT_ESCAPE.search(text):
        text = unquote(text)
    text = _CONTROL.sub("", text)
    text = " ".join(text.split())
    return text[:max_length].rstrip()


def normalise_utm_value(field: str, value: str | None, *, url_encoded: bool = False) -> str:
    """Normalise one UTM value for ``field`` (one of :data:`UTM_FIELDS`).

    Raises KeyError for an unknown field name.
    """
    text = clean_text(value, MAX_LENGTHS[field], url_encoded=url_encoded)
    return text.lower() if field in _LOWER_CASED else text


def normalise_utm(values: Mapping[str, str], *, url_encoded: bool = False) -> dict[str, str]:
    """Return ``{"utm_source": …, …, "utm_term": …}`` (all five keys, "" when absent)
    from any mapping holding utm_* keys, e.g. ``request.GET`` or a CSV row.

    Other keys are ignored. For a ``QueryDict`` with a parameter given twice, the last
    value wins (Django's ``QueryDict.get`` behaviour).
    """
    return {
        field: normalise_utm_value(field, values.get(field), url_encoded=url_encoded)
        for field in UTM_FIELDS
    }


def has_utm(values: Mapping[str, str]) -> bool:
    """True when any of the five normalised values is non-empty."""
    return any(values.get(field) for field in UTM_FIELDS)


# utm_source spellings seen in the wild → channel (carerecruit.campaigns.models.Channel).
_SOURCE_CHANNEL = {
    "facebook": "facebook", "fb": "facebook", "facebook.com": "facebook",
    "m.facebook.com": "facebook", "l.facebook.com": "facebook", "lm.facebook.com": "facebook",
    "instagram": "instagram", "ig": "instagram", "instagram.com": "instagram",
    "l.instagram.com": "instagram",
    "linkedin": "linkedin", "li": "linkedin", "lnkd": "linkedin", "lnkd.in": "linkedin",
    "linkedin.com": "linkedin",
    "x": "x", "twitter": "x", "x.com": "x", "twitter.com": "x", "t.co": "x",
    "tiktok": "tiktok", "tiktok.com": "tiktok",
    "email": "email", "e-mail": "email", "newsletter": "email", "mailchimp": "email",
    "qr": "qr", "qr_code": "qr", "qrcode": "qr", "poster": "qr", "flyer": "qr", "leaflet": "qr",
    "print": "qr",
    "press": "press",
}
_GOOGLE_SOURCES = {"google", "adwords", "googleads", "google_ads", "google-ads"}
# GA4 "paid" mediums: Google traffic with one of these is an ad, otherwise organic search.
_PAID_MEDIUMS = {
    "cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "cpm", "cpv", "display",
    "banner",
}
_MEDIUM_CHANNEL = {
    "email": "email", "e-mail": "email", "newsletter": "email",
    "print": "qr", "qr": "qr", "offline": "qr",
    "press": "press", "pr": "press",
}
# Referrer hosts of the platforms we post on (their link shims included), for visits that
# came with no UTM values at all.
_REFERRER_CHANNEL = {
    "facebook.com": "facebook", "fb.com": "facebook", "fb.me": "facebook",
    "instagram.com": "instagram",
    "linkedin.com": "linkedin", "lnkd.in": "linkedin",
    "x.com": "x", "twitter.com": "x", "t.co": "x",
    "tiktok.com": "tiktok",
}


def _registrable_suffix_channel(host: str) -> str | None:
    """Match ``host`` or any parent domain of it against :data:`_REFERRER_CHANNEL`."""
    parts = host.split(".")
    for i in range(len(parts) - 1):
        channel = _REFERRER_CHANNEL.get(".".join(parts[i:]))
        if channel:
            return channel
    return None


def channel_for(utm_source: str = "", utm_medium: str = "", referrer_host: str = "") -> str:
    """Guess the channel of traffic that came without a tracked link.

    Arguments are normalised values (source/medium lower case). Returns a
    ``campaigns.models.Channel`` value:

    - a known social or e-mail source (``facebook``/``fb`` → ``facebook``, ``ig`` →
      ``instagram``, ``twitter``/``x`` → ``x``, ``newsletter`` → ``email``, …);
    - ``google`` (or ``adwords``) with a paid medium such as ``cpc`` → ``google_ads``;
      Google without one is organic search → ``other``;
    - a known medium (``email``, ``print``/``qr``, ``press``) → that channel;
    - any other UTM value → ``other``;
    - no UTM at all: the referrer's platform when it is one we post on, ``other`` for any
      other referring site, and ``direct`` when there is no referrer either.
    """
    source = utm_source.strip().lower()
    medium = utm_medium.strip().lower()
    if source:
        if source in _SOURCE_CHANNEL:
            return _SOURCE_CHANNEL[source]
        if source in _GOOGLE_SOURCES:
            return "google_ads" if medium in _PAID_MEDIUMS else "other"
    if medium in _MEDIUM_CHANNEL:
        return _MEDIUM_CHANNEL[medium]
    if source or medium:
        return "other"
    host = referrer_host.strip().lower()
    if host:
        return _registrable_suffix_channel(host) or "other"
    return "direct"
