"""``/staff/``: who you are, your organisation and role, the campaigns you may read."""

import pytest

from carerecruit.campaigns.models import Campaign
from carerecruit.organisations.models import User
from carerecruit.testing.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(db):
    return [
        make_campaign("closed-drive", name="Closed Drive", status=Campaign.Status.CLOSED),
        make_campaign("come-back-to-care", name="Come Back to Care", is_simulated=True),
        make_campaign("draft-drive", name="Draft Drive", status=Campaign.Status.DRAFT),
    ]


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/staff/"


@pytest.mark.parametrize(
    ("persona", "organisation", "role"),
    [
        ("regional_admin", "West Midlands Regional Employers (regional body)", "Administrator"),
        ("campaign_manager", "West Midlands Regional Employers (regional body)", "Campaign manager"),
        ("council_a_recruiter", "Birmingham City Council (council)", "Recruiter"),
        ("council_b_recruiter", "Coventry City Council (council)", "Recruiter"),
        ("provider_recruiter", "Example Home Care Ltd (independent care provider)", "Recruiter"),
        ("viewer", "West Midlands Regional Employers (regional body)", "Viewer (read only)"),
    ],
)
def test_staff_home_for_each_persona(client, personas, campaigns, persona, organisation, role):
    user = getattr(personas, persona)
    client.force_login(user)

    response = client.get("/staff/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<dd class="govuk-summary-list__value">{user.username}</dd>' in html
    assert f'<dd class="govuk-summary-list__value">{organisation}</dd>' in html
    assert f'<dd class="govuk-summary-list__value">{role}</dd>' in html
    # Campaign funnels are aggregates every staff member may read: live, draft, closed.
    assert [c.slug for c in response.context["campaigns"]] == [
        "come-back-to-care", "draft-drive", "closed-drive",
    ]
    for slug in ("come-back-to-care", "draft-drive", "closed-drive"):
        assert f'href="/staff/campaigns/{slug}/"' in html
    assert html.count("Simulated demo data") == 1
    # Only platform staff see the admin link.
    assert "/admin/" not in html


def test_superuser_without_organisation(client, campaigns):
    admin = User.objects.create_superuser("root", "root@example.org", "x-unused-password-1")
    client.force_login(admin)

    response = client.get("/staff/")

    html = response.content.decode()
    assert "None: platform administrator" in html
    assert len(response.context["campaigns"]) == 3
    assert 'href="/admin/"' in html


def test_staff_home_empty_state(client, personas):
    client.force_login(personas.viewer)

    html = client.get("/staff/").content.decode()

    assert "There are no campaigns you can see yet." in html


def test_inactive_user_session_is_signed_out(client, personas):
    client.force_login(personas.viewer)
    personas.viewer.is_active = False
    personas.viewer.save()

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/staff/"


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("regional_admin", {"/staff/regional/", "/staff/regional/forecast/", "/staff/reports/", "/staff/api-tokens/"}),
        ("campaign_manager", {"/staff/regional/", "/staff/regional/forecast/", "/staff/reports/"}),
        ("council_a_recruiter", {"/staff/regional/", "/staff/regional/forecast/"}),
        ("provider_recruiter", {"/staff/regional/", "/staff/regional/forecast/"}),
        ("viewer", {"/staff/regional/", "/staff/regional/forecast/"}),
    ],
)
def test_workforce_intelligence_links_follow_what_each_role_may_open(client, personas, persona, links):
    offered = {"/staff/regional/", "/staff/regional/forecast/", "/staff/reports/", "/staff/api-tokens/"}
    client.force_login(getattr(personas, persona))
    html = client.get("/staff/").content.decode()
    assert {href for href in offered if f'href="{href}"' in html} == links
    # Every link offered opens for this user (no link that answers 403).
    for href in links:
        assert client.get(href).status_code == 200, href
