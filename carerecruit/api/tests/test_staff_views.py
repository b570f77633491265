"""The staff token pages: who may make and revoke tokens, the secret shown once, the
GOV.UK error summary, 404 for another organisation's token, 403 for other roles."""

import pytest

from carerecruit.api.actions import do_create_api_token
from carerecruit.api.models import ApiToken, hash_token
from carerecruit.organisations.models import User
from carerecruit.testing.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def council_admin(personas):
    return make_user("birmingham_admin", personas.council_a, User.Role.ADMIN)


def test_a_regional_admin_makes_a_token_for_any_organisation_and_sees_it_once(client, personas):
    client.force_login(personas.regional_admin)
    page = client.get("/staff/api-tokens/new/")
    assert page.status_code == 200
    assert b"Which organisation is the token for?" in page.content
    response = client.post("/staff/api-tokens/new/", {"organisation": personas.council_b.slug, "name": "Coventry BI"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert token.token_hash == hash_token(secret)
    assert (token.organisation, token.name, token.created_by) == (personas.council_b, "Coventry BI", personas.regional_admin)
    # Never again: not on the list, not on its page.
    for path in ("/staff/api-tokens/", f"/staff/api-tokens/{token.code}/"):
        page = client.get(path)
        assert page.status_code == 200
        assert secret.encode() not in page.content
        assert token.prefix.encode() in page.content


def test_errors_show_the_error_summary_and_keep_what_was_typed(client, personas):
    client.force_login(personas.regional_admin)
    response = client.post("/staff/api-tokens/new/", {"organisation": "", "name": "Kept name"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: Create an API token" in html
    assert "Choose the organisation the token is for" in html
    assert 'value="Kept name"' in html
    response = client.post("/staff/api-tokens/new/", {"organisation": "no-such-organisation", "name": "Kept name"})
    html = response.content.decode()
    assert "Choose the organisation the token is for from the list" in html
    assert "Select a valid choice" not in html and "no-such-organisation" not in html
    response = client.post("/staff/api-tokens/new/", {"organisation": personas.council_a.slug, "name": "   "})
    assert "Enter a name for the token" in response.content.decode()
    for invisible in ("\u200b", "\u200b \u2060\u3164"):
        response = client.post("/staff/api-tokens/new/", {"organisation": personas.council_a.slug, "name": invisible})
        assert response.status_code == 200
        assert ("Enter a name for the token using letters, numbers or symbols – it cannot be only spaces or "
                "invisible characters") in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_an_organisation_admin_manages_only_their_own_tokens(client, personas, council_admin):
    theirs, _ = do_create_api_token(organisation=personas.council_a, name="Ours", created_by=council_admin)
    other, _ = do_create_api_token(organisation=personas.council_b, name="Theirs", created_by=personas.regional_admin)
    client.force_login(council_admin)
    form = client.get("/staff/api-tokens/new/").content.decode()
    assert "Which organisation is the token for?" not in form  # only their own
    response = client.post("/staff/api-tokens/new/", {"organisation": personas.council_b.slug, "name": "Mine"})
    assert ApiToken.objects.get(name="Mine").organisation == personas.council_a
    listing = client.get("/staff/api-tokens/").content.decode()
    assert "Ours" in listing and "Mine" in listing and "Theirs" not in listing
    assert client.get(f"/staff/api-tokens/{other.code}/").status_code == 404
    assert client.post(f"/staff/api-tokens/{other.code}/revoke/").status_code == 404
    assert client.get(f"/staff/api-tokens/{other.code}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    response = client.post(f"/staff/api-tokens/{theirs.code}/revoke/")
    assert response.status_code == 302 and response["Location"] == f"/staff/api-tokens/{theirs.code}/"
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None and theirs.revoked_by == council_admin
    page = client.get(f"/staff/api-tokens/{theirs.code}/").content.decode()
    assert "revoked: it no longer works" in page and "Revoke token" not in page


@pytest.mark.parametrize("persona", ["campaign_manager", "council_a_recruiter", "provider_recruiter", "viewer"])
def test_other_roles_get_403(client, personas, persona):
    token, _ = do_create_api_token(organisation=personas.regional_body, name="X", created_by=personas.regional_admin)
    client.force_login(getattr(personas, persona))
    for path in ("/staff/api-tokens/", "/staff/api-tokens/new/", f"/staff/api-tokens/{token.code}/",
                 f"/staff/api-tokens/{token.code}/revoke/"):
        assert client.get(path).status_code == 403
    assert client.post(f"/staff/api-tokens/{token.code}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_is_post_only_a_get_goes_to_the_token_page_and_signed_out_users_go_to_sign_in(client, personas):
    token, _ = do_create_api_token(organisation=personas.council_a, name="X", created_by=personas.regional_admin)
    assert client.get("/staff/api-tokens/")["Location"].startswith("/staff/login/")
    client.force_login(personas.regional_admin)
    # A GET revokes nothing: it goes to the token's page, where the button is.
    response = client.get(f"/staff/api-tokens/{token.code}/revoke/")
    assert response.status_code == 302 and response["Location"] == f"/staff/api-tokens/{token.code}/"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.put(f"/staff/api-tokens/{token.code}/revoke/").status_code == 405
    assert client.get("/staff/api-tokens/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_token_pages_are_never_cached(client, personas):
    token, _ = do_create_api_token(organisation=personas.council_a, name="X", created_by=personas.regional_admin)
    client.force_login(personas.regional_admin)
    for path in ("/staff/api-tokens/", "/staff/api-tokens/new/", f"/staff/api-tokens/{token.code}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    response = client.post(f"/staff/api-tokens/{token.code}/revoke/")
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
