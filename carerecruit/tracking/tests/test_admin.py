"""The read-only admin pages for events and rollups."""

import pytest

from carerecruit.organisations.models import User
from carerecruit.tracking import spool
from carerecruit.tracking.models import Event, FunnelRollup
from carerecruit.tracking.rollups import roll_up_events


@pytest.fixture
def admin_client(db, client):
    user = User.objects.create_superuser("root", "root@example.org", "x-unused-password-1")
    client.force_login(user)
    return client


@pytest.fixture
def click(phone, link):
    phone.get(f"/r/{link.code}")
    spool.ingest()
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(occurred_at=event.occurred_at.replace(year=2020))
    roll_up_events()
    return Event.objects.get()


def test_events_are_listed_and_searchable_by_click_id(admin_client, click):
    response = admin_client.get("/admin/tracking/event/", {"q": click.click_id})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [click]
    response = admin_client.get("/admin/tracking/event/", {"q": "0" * 32})
    assert list(response.context["cl"].result_list) == []


def test_event_detail_is_read_only(admin_client, click):
    assert admin_client.get(f"/admin/tracking/event/{click.pk}/change/").status_code == 200
    assert admin_client.get("/admin/tracking/event/add/").status_code == 403
    response = admin_client.post(f"/admin/tracking/event/{click.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Event.objects.count() == 1


def test_rollups_are_listed_read_only(admin_client, click):
    response = admin_client.get("/admin/tracking/funnelrollup/")
    assert response.status_code == 200
    rollup = FunnelRollup.objects.get()
    assert list(response.context["cl"].result_list) == [rollup]
    assert rollup.count == 1
    assert admin_client.get("/admin/tracking/funnelrollup/add/").status_code == 403


def test_click_spool_files_are_listed_read_only(admin_client, phone, link):
    phone.get(f"/r/{link.code}")
    spool.ingest()
    html = admin_client.get("/admin/tracking/clickspoolfile/").content.decode()
    assert "clicks-" in html and ".jsonl" in html
    assert admin_client.get("/admin/tracking/clickspoolfile/add/").status_code == 403
