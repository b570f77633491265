"""Fixtures for the tracking tests: real browser user agents, a phone's test client."""

import datetime
from unittest import mock

import pytest
from django.test import Client

from carerecruit.tracking.visitors import forget_cached_salts

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(autouse=True)
def _fresh_salt_cache():
    # The salt cache lives in the process; each test's database starts without salts.
    forget_cached_salts()
    yield
    forget_cached_salts()


@pytest.fixture
def phone():
    """A test client that looks like an iPhone on a mobile network (the default test
    client sends no user agent, which is a bot)."""
    return Client(HTTP_USER_AGENT=IPHONE_SAFARI, REMOTE_ADDR="203.0.113.7")


@pytest.fixture
def at():
    """``with at(datetime): …`` makes ``timezone.now()`` return that UTC time."""

    def travel(when: datetime.datetime):
        return mock.patch("django.utils.timezone.now", return_value=when)

    return travel
