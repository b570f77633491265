"""/staff/campaigns/<slug>/target/: only campaign managers set the target cost per
application; every staff member may read the dashboards."""

import pytest

from carerecruit.insights.models import CampaignTarget

from .helpers import figures

URL = "/staff/campaigns/come-back-to-care/target/"
DASHBOARD = "/staff/campaigns/come-back-to-care/"


@pytest.mark.parametrize("persona", ["campaign_manager", "regional_admin"])
def test_managers_set_the_target(client, personas, campaign, persona):
    user = getattr(personas, persona)
    client.force_login(user)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"target": "£1,250.50"})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    target = CampaignTarget.objects.get(campaign=campaign)
    target.refresh_from_db()
    assert (target.target_cost_per_application_pence, target.updated_by) == (125050, user)
    page = client.get(DASHBOARD)
    html = page.content.decode()
    assert "Target cost per application set to £1,250.50" in html
    assert figures(html)[("target_cost_per_application_pence",)] == "£1,250.50"
    assert 'action="/staff/campaigns/come-back-to-care/target/"' in html


def test_blank_clears_the_target(client, personas, campaign):
    client.force_login(personas.campaign_manager)
    client.post(URL, {"target": "45"})
    assert CampaignTarget.objects.get().target_cost_per_application_pence == 4500
    client.post(URL, {"target": ""})
    assert CampaignTarget.objects.get().target_cost_per_application_pence is None
    assert "none set" in client.get(DASHBOARD).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "The target must be more than £0"),
        ("-5", "The target must be more than £0"),
        ("ten pounds", "Enter the target as an amount in pounds, like 45.00"),
        ("12.345", "Enter the target in pounds and pence, like 45.50"),
        ("2000000", "The target must be £1,000,000 or less"),
    ],
)
def test_bad_values_show_the_error_summary(client, personas, campaign, value, message):
    client.force_login(personas.campaign_manager)
    response = client.post(URL, {"target": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Target cost per application: Come Back to Care" in html
    assert 'class="govuk-error-summary"' in html
    assert message in html
    assert not CampaignTarget.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "council_a_recruiter", "provider_recruiter"])
def test_other_roles_get_403(client, personas, campaign, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"target": "10"}).status_code == 403
    assert not CampaignTarget.objects.exists()
    # They still read the dashboard, without the form.
    html = client.get(DASHBOARD).content.decode()
    assert 'action="/staff/campaigns/come-back-to-care/target/"' not in html
    assert "none set" in html


def test_anonymous_goes_to_sign_in(client, campaign):
    response = client.post(URL, {"target": "10"})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")
    assert not CampaignTarget.objects.exists()


def test_unknown_campaign_is_404(client, personas, db):
    client.force_login(personas.campaign_manager)
    assert client.get("/staff/campaigns/no-such/target/").status_code == 404


def test_put_is_not_allowed(client, personas, campaign):
    client.force_login(personas.campaign_manager)
    assert client.put(URL).status_code == 405
