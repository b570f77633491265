"""Staff sign-in, sign-out and password reset by e-mail."""

import re

import pytest
from django.core import mail

from carerecruit.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page(client):
    response = client.get("/staff/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign in – Care jobs West Midlands</title>" in html
    assert 'id="id_username"' in html
    assert 'autocomplete="current-password"' in html
    assert "autofocus" not in html
    assert 'href="/staff/password-reset/"' in html


def test_login_success_redirects_to_staff_home(client, personas):
    response = client.post("/staff/login/", {"username": "campaign_manager", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.session["_auth_user_id"] == str(personas.campaign_manager.pk)


def test_login_follows_a_safe_next_and_ignores_an_offsite_one(client, personas):
    response = client.post(
        "/staff/login/",
        {"username": "campaign_manager", "password": PASSWORD, "next": "/staff/campaigns/x/"},
    )
    assert response["Location"] == "/staff/campaigns/x/"

    client.logout()
    response = client.post(
        "/staff/login/",
        {"username": "campaign_manager", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/staff/"


def test_bad_password_shows_error_summary_and_keeps_username(client, personas):
    response = client.post("/staff/login/", {"username": "campaign_manager", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    assert "<title>Error: Sign in – Care jobs West Midlands</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_password">Enter a correct username and password</a>' in html
    assert "govuk-form-group--error" in html
    assert 'value="campaign_manager"' in html
    assert 'value="wrong"' not in html


def _without_csrf_token(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(client, personas):
    wrong_password = client.post(
        "/staff/login/", {"username": "campaign_manager", "password": "wrong"}
    ).content.decode()
    unknown_user = client.post(
        "/staff/login/", {"username": "nobody_here", "password": "wrong"}
    ).content.decode()

    assert _without_csrf_token(unknown_user).replace("nobody_here", "campaign_manager") == (
        _without_csrf_token(wrong_password)
    )


def test_inactive_user_gets_the_same_answer(client, personas):
    personas.viewer.is_active = False
    personas.viewer.save()

    response = client.post("/staff/login/", {"username": "regional_viewer", "password": PASSWORD})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_login_form_names_each_missing_field(client, db):
    html = client.post("/staff/login/", {"username": "", "password": ""}).content.decode()

    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


def test_signed_in_user_visiting_login_goes_to_staff_home(client, personas):
    client.force_login(personas.viewer)

    response = client.get("/staff/login/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_logout_requires_post(client, personas):
    client.force_login(personas.viewer)

    # A GET shows a sign-out button (POST) instead of a bare 405, and signs nobody out.
    page = client.get("/staff/logout/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<title>Sign out – Care jobs West Midlands</title>" in html
    assert '<form method="post" action="/staff/logout/" novalidate>' in html
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Sign out</button>' in html
    assert f"You are signed in as {personas.viewer.username}" in html
    assert client.session["_auth_user_id"] == str(personas.viewer.pk)
    assert client.put("/staff/logout/").status_code == 405

    response = client.post("/staff/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/login/"
    assert "_auth_user_id" not in client.session


def test_logout_page_when_signed_out_goes_to_sign_in(client, db):
    response = client.get("/staff/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/"


def test_password_reset_page(client, db):
    response = client.get("/staff/password-reset/")

    assert response.status_code == 200
    assert "<title>Reset your password – Care jobs West Midlands</title>" in response.content.decode()


def test_password_reset_sends_one_email_to_a_known_address(client, personas):
    response = client.post("/staff/password-reset/", {"email": "Campaign_Manager@Example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["campaign_manager@example.org"]
    assert message.subject == "Reset your Care jobs West Midlands password"
    assert "username: campaign_manager" in message.body
    assert re.search(r"http://testserver/staff/password-reset/[^/\s]+/[^/\s]+/", message.body)


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client, personas):
    known = client.post(
        "/staff/password-reset/", {"email": "regional_viewer@example.org"}, follow=True
    )
    assert len(mail.outbox) == 1
    unknown = client.post("/staff/password-reset/", {"email": "nobody@example.org"}, follow=True)

    assert len(mail.outbox) == 1
    assert known.redirect_chain == [("/staff/password-reset/sent/", 302)]
    assert unknown.redirect_chain == [("/staff/password-reset/sent/", 302)]
    assert known.content == unknown.content
    assert "If that address belongs to a staff account" in unknown.content.decode()


def test_password_reset_for_unknown_address_sends_no_email(client, personas):
    response = client.post("/staff/password-reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"
    assert mail.outbox == []


def test_password_reset_invalid_email_shows_error_summary(client, db):
    html = client.post("/staff/password-reset/", {"email": "not-an-email"}).content.decode()

    assert "<title>Error: Reset your password – Care jobs West Midlands</title>" in html
    assert (
        '<a href="#id_email">Enter an email address in the correct format, like name@example.org</a>'
        in html
    )
    assert 'value="not-an-email"' in html
    assert mail.outbox == []


def _reset_link(client, email):
    client.post("/staff/password-reset/", {"email": email})
    (message,) = mail.outbox
    return re.search(r"http://testserver(/staff/password-reset/\S+/)", message.body).group(1)


def test_password_reset_link_sets_a_new_password(client, personas):
    link = _reset_link(client, "campaign_manager@example.org")

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]

    response = client.post(
        set_password_url,
        {"new_password1": "a-brand-new-passphrase-77", "new_password2": "a-brand-new-passphrase-77"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/complete/"
    personas.campaign_manager.refresh_from_db()
    assert personas.campaign_manager.check_password("a-brand-new-passphrase-77")
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_rejects_mismatched_and_weak_passwords(client, personas):
    link = _reset_link(client, "campaign_manager@example.org")
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    mismatch = client.post(
        set_password_url,
        {"new_password1": "a-brand-new-passphrase-77", "new_password2": "something-else-88"},
    ).content.decode()
    weak = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()

    assert "<title>Error: Choose a new password – Care jobs West Midlands</title>" in mismatch
    assert '<a href="#id_new_password2">The passwords do not match</a>' in mismatch
    assert '<a href="#id_new_password1">This password is too common.</a>' in weak
    personas.campaign_manager.refresh_from_db()
    assert personas.campaign_manager.check_password(PASSWORD)


def test_password_reset_with_a_bad_token_says_the_link_does_not_work(client, personas):
    response = client.get("/staff/password-reset/MQ/not-a-token/")

    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()
