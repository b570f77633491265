"""Typed settings readers: a value that is not understood stops start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from carerecruit.lib.env import env_base_url


@pytest.mark.parametrize(("raw", "expected"), [
    (None, "http://127.0.0.1:8000"),
    ("https://jobs.example.org/", "https://jobs.example.org"),
    (" https://jobs.example.org/care ", "https://jobs.example.org/care"),
    ("http://[::1]:8080", "http://[::1]:8080"),
])
def test_base_url(monkeypatch, raw, expected):
    if raw is None:
        monkeypatch.delenv("CARERECRUIT_BASE_URL", raising=False)
    else:
        monkeypatch.setenv("CARERECRUIT_BASE_URL", raw)
    assert env_base_url("CARERECRUIT_BASE_URL", "http://127.0.0.1:8000") == expected


@pytest.mark.parametrize("raw", [
    "jobs.example.org", "ftp://jobs.example.org", "https://", "https://jobs.example.org/?a=1",
    "https://jobs.example.org/#top", "https://user:pw@jobs.example.org", "http://host:99999", "",
])
def test_base_url_refuses_nonsense(monkeypatch, raw):
    monkeypatch.setenv("CARERECRUIT_BASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="CARERECRUIT_BASE_URL"):
        env_base_url("CARERECRUIT_BASE_URL", "http://127.0.0.1:8000")
