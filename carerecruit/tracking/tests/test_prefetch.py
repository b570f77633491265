"""Browser prefetches of /r/<code>, the microsite and the form: answered, never counted."""

import pytest
from django.test import RequestFactory

from carerecruit.testing.factories import make_link
from carerecruit.tracking import spool
from carerecruit.tracking.actions import is_prefetch
from carerecruit.tracking.models import DailyVisitor, Event

PREFETCHES = [
    {"HTTP_SEC_PURPOSE": "prefetch"},
    {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
    {"HTTP_SEC_PURPOSE": "prefetch; anonymous-client-ip"},
    {"HTTP_PURPOSE": "prefetch"},
    {"HTTP_PURPOSE": "Prefetch"},
    {"HTTP_X_MOZ": "prefetch"},
    {"HTTP_X_PURPOSE": "preview"},
]


@pytest.mark.parametrize("headers", PREFETCHES)
def test_prefetch_headers_are_recognised(headers):
    assert is_prefetch(RequestFactory().get("/", **headers))


@pytest.mark.parametrize("headers", [{}, {"HTTP_SEC_PURPOSE": ""}, {"HTTP_PURPOSE": "navigate"},
                                     {"HTTP_X_MOZ": "something-else"}])
def test_ordinary_requests_are_not_prefetches(headers):
    assert not is_prefetch(RequestFactory().get("/", **headers))


@pytest.mark.parametrize("headers", PREFETCHES)
def test_prefetched_tracked_link_redirects_but_counts_nothing(phone, campaign, headers):
    link = make_link(campaign)

    response = phone.get(f"/r/{link.code}", **headers)

    assert response.status_code == 302
    assert response["Location"] == (
        "/c/come-back-to-care/?utm_source=facebook&utm_medium=social&utm_campaign=come-back-to-care"
    )  # no click id: there is no click
    assert spool.ingest() == 0
    assert Event.objects.count() == 0
    # The person's real click afterwards is counted as usual.
    assert "cid=" in phone.get(f"/r/{link.code}")["Location"]
    assert spool.ingest() == 1
    assert Event.objects.filter(kind="click", is_bot=False).count() == 1


def test_prefetched_microsite_and_form_count_nothing(phone, campaign):
    prefetch = {"HTTP_SEC_PURPOSE": "prefetch"}

    assert phone.get("/c/come-back-to-care/", **prefetch).status_code == 200
    assert phone.get("/c/come-back-to-care/apply/", **prefetch).status_code == 200

    assert Event.objects.count() == 0
    assert DailyVisitor.objects.count() == 0
    # Opened for real: one visit and one form start.
    phone.get("/c/come-back-to-care/")
    phone.get("/c/come-back-to-care/apply/")
    assert sorted(Event.objects.values_list("kind", flat=True)) == ["form_start", "visit"]
