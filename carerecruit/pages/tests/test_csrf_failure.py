"""A form that arrives without its security token gets a plain-English page, not Django's."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_missing_csrf_cookie_shows_friendly_page(campaign):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1")
    response = client.post(f"/c/{campaign.slug}/apply/", {"full_name": "Ann Lee"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Sorry, we could not send your form" in page
    assert f'href="/c/{campaign.slug}/apply/"' in page
    assert "CSRF verification failed" not in page
    assert "govuk-header" in page or "cr-header" in page
