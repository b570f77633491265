"""Reference data in the admin: readable, codes fixed, rows never deleted."""

import pytest

from carerecruit.organisations.models import User
from carerecruit.reference.models import JobRole, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("root", "root@example.org", "x-unused-password-1")
    client.force_login(user)
    return client


def test_job_roles_are_listed_by_code_and_cannot_be_added_or_deleted(admin_client):
    response = admin_client.get("/admin/reference/jobrole/")
    assert response.status_code == 200
    codes = [r.code for r in response.context["cl"].result_list]
    assert codes == sorted(codes)
    assert len(codes) == JobRole.objects.count()

    social_worker = JobRole.objects.get(code=6)
    assert admin_client.get("/admin/reference/jobrole/add/").status_code == 403
    assert admin_client.get(f"/admin/reference/jobrole/{social_worker.pk}/delete/").status_code == 403


def test_job_role_code_and_name_are_read_only(admin_client):
    role = JobRole.objects.get(code=6)
    name = role.name

    response = admin_client.post(
        f"/admin/reference/jobrole/{role.pk}/change/",
        {"code": 99, "name": "Changed", "offered_on_forms": ""},
    )

    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.code, role.name, role.offered_on_forms) == (6, name, False)


def test_region_code_is_read_only_and_regions_cannot_be_deleted(admin_client):
    region = Region.objects.get(gss_code="E12000005")

    change = admin_client.get(f"/admin/reference/region/{region.pk}/change/")
    assert change.status_code == 200
    assert 'name="gss_code"' not in change.content.decode()
    assert "E12000005" in change.content.decode()
    assert admin_client.get(f"/admin/reference/region/{region.pk}/delete/").status_code == 403


def test_a_second_region_can_be_added(admin_client):
    response = admin_client.post(
        "/admin/reference/region/add/",
        {"gss_code": "E12000004", "name": "East Midlands", "slug": "east-midlands"},
    )

    assert response.status_code == 302
    assert Region.objects.get(gss_code="E12000004").name == "East Midlands"
