"""Privacy notice and accessibility statement: real content, reachable from every page."""

import pytest

pytestmark = pytest.mark.django_db


def test_privacy_notice_names_controller_bases_sharing_counting_retention_and_rights(client):
    response = client.get("/privacy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Privacy notice for candidates – Care jobs West Midlands</title>" in html
    for sentence in (
        "West Midlands Regional Employers runs Care jobs West Midlands",
        "It is the data controller",
        "Article 6(1)(b)",
        "Article 6(1)(e)",
        "we rely on your consent (Article 6(1)(a))",
        "You can withdraw your consent at any time",
        "Each of them is an independent controller",
        "We do not use tracking cookies",
        "one small security cookie, <code>csrftoken</code>",
        "a random value (a \"salt\") that changes every day",
        "We do not store your IP address.",
        "The salt is deleted after the day ends.",
        "we keep it for 6 months after the decision",
        "we keep your details for 12 months from your last activity",
        "have your information erased",
        "object to how we use your information",
        "Information Commissioner's Office (ICO)",
        "mailto:care.jobs@example.org",
    ):
        assert sentence in html, sentence
    # The councils that receive applications are named.
    assert "Birmingham City Council" in html
    assert "Worcestershire County Council" in html


def test_accessibility_statement(client):
    response = client.get("/accessibility/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Accessibility statement – Care jobs West Midlands</title>" in html
    for sentence in (
        "Accessibility statement for Care jobs West Midlands",
        "WCAG) version 2.2 at level AA",
        "axe-core checks every page against WCAG 2.2 A and AA rules in a real browser",
        "every page is checked at 320 pixels wide",
        "using only a keyboard",
        "every form is tested with JavaScript switched off",
        "Reporting accessibility problems with this website",
        "The Equality and Human Rights Commission (EHRC) is responsible for enforcing",
        "This statement was prepared on 29 November 2026.",
    ):
        assert sentence in html, sentence


def test_footer_links_to_privacy_and_accessibility(client):
    html = client.get("/").content.decode()

    assert 'href="/privacy/"' in html
    assert 'href="/accessibility/"' in html


def test_robots_txt_keeps_crawlers_out_of_staff_and_redirects(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    for path in ("/staff/", "/me/", "/r/", "/admin/"):
        assert f"Disallow: {path}\n" in body


def test_favicon_redirects_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
