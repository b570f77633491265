"""Shared pytest fixtures: personas, a campaign, a tracked link."""

import pytest

from carerecruit.testing.factories import make_campaign, make_link
from carerecruit.testing.personas import make_personas


def pytest_configure(config):
    """Fast password hashing in tests: six personas per test would otherwise spend
    seconds in PBKDF2. Production keeps Django's default hashers."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Lockout needs the request passed to authenticate(), which client.login() does not
    # do; the lockout itself is tested with the setting switched on
    # (organisations/tests/test_lockout.py).
    settings.AXES_ENABLED = False



def _load_reference_data() -> None:
    """Reload what the data migrations load (region, job roles, councils), idempotently."""
    from importlib import import_module

    from django.apps import apps

    for module in (
        "carerecruit.reference.migrations.0002_load_reference_data",
        "carerecruit.organisations.migrations.0002_load_councils",
    ):
        import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Make sure migration-loaded reference data is present for every database test.

    A transactional (live-server) test flushes the database when it ends, deleting the
    region, councils and job roles that migrations loaded; tests that run after it on the
    same worker would see none. pytest-django's serialized_rollback does not restore them
    reliably alongside Playwright (pytest-dev/pytest-django#1117), so reload when missing:
    one cheap query when the data is there.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        names & {"transactional_db", "live_server"}
        or (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker or names & {"db", "admin_client", "admin_user", "django_user_model"}:
        request.getfixturevalue("db")
    else:
        return
    from carerecruit.reference.models import Region

    if not Region.objects.exists():
        _load_reference_data()


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


@pytest.fixture(autouse=True)
def _click_spool(settings, tmp_path):
    """Each test gets its own empty click spool (carerecruit/tracking/spool.py), so a
    click made by one test is never moved into another's database. A test that needs the
    spooled clicks as events calls ``carerecruit.tracking.spool.ingest()``, as the worker
    would."""
    settings.CLICK_SPOOL_DIR = str(tmp_path / "click-spool")
