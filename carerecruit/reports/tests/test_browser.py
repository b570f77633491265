"""The reports pages in a real browser: no axe-core violations (WCAG 2.2 AA), and they
fit a 320px-wide phone without scrolling sideways."""

import pytest

from carerecruit.reports.actions import do_set_report_recipients
from carerecruit.testing.browser import axe_violations, describe_violations

from .week_fixture import WEEK, build_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser, client, user, **context_options):
    """A browser context carrying a session for ``user`` (made by the test client)."""
    client.force_login(user)
    context = browser.new_context(**context_options)
    context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "domain": "localhost", "path": "/",
    }])
    return context


def test_reports_pages_are_accessible_and_fit_a_phone(browser, client, live_server, personas):
    build_week(personas.regional_admin)
    do_set_report_recipients([personas.campaign_manager], by=personas.regional_admin)
    pages = (
        f"{live_server.url}/staff/reports/",
        f"{live_server.url}/staff/reports/?week=2021-W53",  # with the error summary
        f"{live_server.url}/staff/reports/{WEEK.key}/",
    )
    for width in (1280, 320):
        context = signed_in(browser, client, personas.regional_admin, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20_000)
        for url in pages:
            page.goto(url)
            assert page.locator("h1").first.inner_text().startswith("Weekly report"), url
            violations = axe_violations(page)
            assert violations == [], f"{url} at {width}px: " + describe_violations(violations)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{url} at {width}px"
        # The recipients form works without help from JavaScript: a plain form post.
        if width == 1280:
            page.goto(pages[0])
            page.get_by_label("Regional Admin", exact=False).check()
            page.get_by_role("button", name="Save recipients").click()
            assert "Recipients saved: 1 added, 0 removed." in page.content()
        context.close()


def test_the_emailed_html_fits_a_phone(browser, client, live_server, personas):
    """The standalone HTML (the e-mail's HTML part) at 320px: the page never scrolls
    sideways; a wide table scrolls inside its own box (or fits, where the e-mail client
    applies the narrow-screen rules)."""
    build_week(personas.regional_admin)
    context = signed_in(browser, client, personas.regional_admin, viewport={"width": 320, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/reports/{WEEK.key}/html/")
    assert page.locator("h1").inner_text().startswith("Weekly report")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('.cr-table-wrapper')).map(e => e.getBoundingClientRect().right)"
    )
    assert len(boxes) >= 5 and max(boxes) <= 320
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    context.close()
