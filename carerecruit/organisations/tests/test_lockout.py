"""Staff sign-in throttling (django-axes): five failures lock a username + address."""

import pytest

from carerecruit.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    yield


def sign_in(client, username, password):
    return client.post("/staff/login/", {"username": username, "password": password})


def test_five_failures_lock_the_account_even_with_the_right_password(client, personas, axes_on):
    user = personas.viewer
    for attempt in range(4):
        response = sign_in(client, user.username, f"wrong-{attempt}")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    locked = sign_in(client, user.username, "wrong-5")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # The right password is refused while locked.
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, personas, axes_on):
    user = personas.viewer
    for attempt in range(4):
        sign_in(client, user.username, f"wrong-{attempt}")
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    client.post("/staff/logout/")
    for attempt in range(4):
        assert sign_in(client, user.username, f"again-{attempt}").status_code == 200


def test_another_username_is_not_locked(client, personas, axes_on):
    for attempt in range(5):
        sign_in(client, personas.viewer.username, f"wrong-{attempt}")
    response = sign_in(client, personas.campaign_manager.username, PASSWORD)
    assert response.status_code == 302
