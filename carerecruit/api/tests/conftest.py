"""Fixtures for the API tests: the small region (fixtures.py) and tokens."""

import pytest

from carerecruit.api.actions import do_create_api_token
from carerecruit.api.tests.fixtures import make_region


@pytest.fixture
def region(personas, monkeypatch):
    """The small region, seen on 1 May 2026: the placements' 3-month checkpoints are due,
    the 6- and 12-month ones not yet."""
    import datetime

    monkeypatch.setattr("carerecruit.api.aggregates.local_today", lambda: datetime.date(2026, 5, 1))
    return make_region(personas)


@pytest.fixture
def make_token(personas):
    """``make_token(organisation, maker=None) -> secret``: a token made by ``maker``
    (default: the regional admin)."""

    def make(organisation, maker=None):
        _, secret = do_create_api_token(
            organisation=organisation, name="Test token", created_by=maker or personas.regional_admin,
        )
        return secret

    return make


@pytest.fixture
def api(client):
    """``api(secret, path, **params) -> response``: GET with a bearer token."""

    def get(secret, path, **params):
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return client.get(path, params, headers=headers)

    return get
