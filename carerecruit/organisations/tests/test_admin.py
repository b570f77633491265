"""The back-office admin for organisations and staff users."""

import pytest

from carerecruit.organisations.models import Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.org", "x-unused-password-1")
    client.force_login(user)
    return client


def test_organisation_list_search_and_filter(admin_client):
    response = admin_client.get("/admin/organisations/organisation/", {"q": "E08000025"})
    assert response.status_code == 200
    assert [o.short_name for o in response.context["cl"].result_list] == ["Birmingham"]

    response = admin_client.get("/admin/organisations/organisation/", {"kind__exact": "council"})
    assert response.context["cl"].result_count == 14


def test_county_council_shows_its_districts(admin_client):
    warwickshire = Organisation.objects.get(gss_code="E10000031")

    response = admin_client.get(f"/admin/organisations/organisation/{warwickshire.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nuneaton and Bedworth" in html
    assert "E07000219" in html


def test_provider_has_no_district_inline(admin_client, personas):
    response = admin_client.get(f"/admin/organisations/organisation/{personas.provider.pk}/change/")

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"] == []


def test_user_admin_shows_organisation_and_role(admin_client, personas):
    response = admin_client.get("/admin/organisations/user/", {"role__exact": "recruiter"})
    assert response.status_code == 200
    assert sorted(u.username for u in response.context["cl"].result_list) == [
        "birmingham_recruiter", "coventry_recruiter", "provider_recruiter",
    ]

    change = admin_client.get(f"/admin/organisations/user/{personas.viewer.pk}/change/")
    assert change.status_code == 200
    assert 'name="organisation"' in change.content.decode()
    assert 'name="role"' in change.content.decode()


def test_admin_creates_a_user_with_organisation_and_role(admin_client, personas):
    response = admin_client.post(
        "/admin/organisations/user/add/",
        {
            "username": "dudley_recruiter",
            "usable_password": "true",
            "password1": "a-long-new-passphrase-91",
            "password2": "a-long-new-passphrase-91",
            "email": "dudley@example.org",
            "first_name": "Dee",
            "last_name": "Dudley",
            "organisation": Organisation.objects.get(gss_code="E08000027").pk,
            "role": "recruiter",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="dudley_recruiter")
    assert user.organisation.short_name == "Dudley"
    assert user.role == "recruiter"
    assert user.email == "dudley@example.org"
    assert user.check_password("a-long-new-passphrase-91")


def test_staff_without_admin_rights_cannot_open_admin(client, personas):
    client.force_login(personas.regional_admin)

    response = client.get("/admin/organisations/organisation/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
