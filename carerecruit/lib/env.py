"""Typed readers for settings taken from environment variables.

Each reader fails loudly on nonsense (``DEBUG=yes please`` raises
:class:`ImproperlyConfigured`) instead of quietly falling back, so a typo in a
production environment is found at start-up rather than in an incident.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """Return the variable's text, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean from ``1/true/yes/on`` or ``0/false/no/off`` (any case).

    Raises ImproperlyConfigured for any other value.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false)")


def env_int(name: str, default: int) -> int:
    """Return an integer; raises ImproperlyConfigured when the value is not one."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list with blanks dropped (``a, b,`` → ``["a", "b"]``)."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_base_url(name: str, default: str) -> str:
    """Return an absolute ``http://`` or ``https://`` address with no trailing slash, no
    query and no fragment (``https://jobs.example.org/care``), for building links in
    e-mails sent outside any request. Raises ImproperlyConfigured for anything else
    (``jobs.example.org`` without a scheme would make links that go nowhere)."""
    from urllib.parse import urlsplit

    raw = os.environ.get(name, default).strip()
    try:
        parts = urlsplit(raw)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:
        valid = False
    if not valid or parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a site address (use one like https://jobs.example.org)"
        )
    return raw.rstrip("/")
