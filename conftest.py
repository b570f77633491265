"""Shared pytest fixtures: personas, a campaign, a tracked link."""

import pytest


def pytest_configure(config):
    """Fast password hashing in tests: six personas per test would otherwise spend
    seconds in PBKDF2. Production keeps Django's default hashers."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

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


# --- Real browser (Playwright + Debian's Chromium) -------------------------------------

@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session."""
    import os

    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls
    # in the test thread are still synchronous, so Django's async-safety guard is relaxed
    # for browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from carerecruit.testing.browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) with a phone-like user agent, 1280px wide."""
    from carerecruit.testing.browser import MOBILE_USER_AGENT

    context = browser.new_context(user_agent=MOBILE_USER_AGENT, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 320px-wide browser context: the narrowest phone we promise to work on."""
    from carerecruit.testing.browser import MOBILE_USER_AGENT

    context = browser.new_context(user_agent=MOBILE_USER_AGENT, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
