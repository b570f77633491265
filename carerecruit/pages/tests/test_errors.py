"""Error pages: GOV.UK wording, the right status, and a 500 page that needs no database."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from carerecruit.pages import views


@pytest.mark.django_db
def test_unknown_url_is_a_govuk_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – Care jobs West Midlands</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html
    assert 'class="govuk-footer"' in html


@pytest.mark.django_db
def test_bad_host_header_is_a_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


def test_500_page_renders_without_database_or_session():
    # No `db` fixture: pytest-django makes any database query fail this test.
    request = RequestFactory().get("/")

    response = views.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Sorry, there is a problem with the service – Care jobs West Midlands</title>" in html
    assert "Try again later." in html
    assert "mailto:care.jobs@example.org" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_403_page():
    request = RequestFactory().get("/staff/")
    request.user = AnonymousUser()

    response = views.forbidden(request)

    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()
