"""Back-office admin for candidates and applications: read-mostly, searchable."""

import pytest
from django.test import Client

from carerecruit.candidates.actions import do_submit_application
from carerecruit.organisations.models import User

from .test_actions import answers


@pytest.fixture
def admin_client(db):
    User.objects.create_superuser("platform", "platform@example.org", "pw-for-tests-only-123")
    client = Client()
    client.login(username="platform", password="pw-for-tests-only-123")
    return client


@pytest.fixture
def applications(campaign):
    siobhan, _ = do_submit_application(
        campaign, answers(full_name="Siobhán O’Neill-Smith", email="s.oneill@example.org",
                          phone="+447700900001"), None, send_email=False,
    )
    darcy, _ = do_submit_application(
        campaign, answers(full_name="D'Arcy", email="Darcy@Example.org", phone="+447700900002"),
        None, send_email=False,
    )
    return siobhan, darcy


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("siobhan o'neill", ["Siobhán O’Neill-Smith"]),
        ("O’NEILL smith", ["Siobhán O’Neill-Smith"]),
        ("darcy", ["D&#x27;Arcy"]),
        ("DARCY@example.org", ["D&#x27;Arcy"]),
        ("+447700900001", ["Siobhán O’Neill-Smith"]),
    ],
)
def test_candidate_search(admin_client, applications, query, expected):
    response = admin_client.get("/admin/candidates/candidate/", {"q": query})

    assert response.status_code == 200
    html = response.content.decode()
    found = [name for name in ("Siobhán O’Neill-Smith", "D&#x27;Arcy") if f">{name}</a>" in html]
    assert found == expected


def test_application_search_and_detail(admin_client, applications):
    siobhan, _ = applications

    listing = admin_client.get("/admin/candidates/application/", {"q": "siobhan"})
    detail = admin_client.get(f"/admin/candidates/application/{siobhan.pk}/change/")

    assert listing.status_code == 200
    assert "Siobhán O’Neill-Smith" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # read-only


def test_candidates_cannot_be_added_changed_or_deleted_here(admin_client, applications):
    candidate = applications[0].candidate

    assert admin_client.get("/admin/candidates/candidate/add/").status_code == 403
    assert admin_client.get(f"/admin/candidates/candidate/{candidate.pk}/delete/").status_code == 403
    response = admin_client.post(
        f"/admin/candidates/candidate/{candidate.pk}/change/", {"full_name": "Changed"}
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.full_name == "Siobhán O’Neill-Smith"


def test_campaign_admin_lists_campaigns(admin_client, campaign, link):
    response = admin_client.get("/admin/campaigns/campaign/")
    assert response.status_code == 200
    assert "Come Back to Care" in response.content.decode()
    assert admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/campaigns/trackedlink/{link.pk}/change/").status_code == 200
