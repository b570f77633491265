"""Shared pytest fixtures: personas, a campaign, a tracked link."""

import pytest

from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.testing.personas import make_personas


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def link(campaign):
    return make_link(campaign)
