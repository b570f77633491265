"""An ordinary permission denial logs one line, not a traceback."""

import logging

import pytest

from carerecruit.testing.personas import PASSWORD


@pytest.mark.django_db
def test_a_403_logs_one_line_without_traceback(client, personas, campaign, caplog):
    assert client.login(username=personas.viewer.username, password=PASSWORD)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(f"/staff/campaigns/{campaign.slug}/links/new/")

    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("WARNING", f"Forbidden (Permission denied): /staff/campaigns/{campaign.slug}/links/new/"),
    ]
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_other_errors_keep_their_traceback():
    from carerecruit.lib.logfilters import PermissionDeniedWithoutTraceback

    try:
        raise ValueError("boom")
    except ValueError as exc:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (),
                                   (type(exc), exc, exc.__traceback__))
    assert PermissionDeniedWithoutTraceback().filter(record)
    assert record.exc_info[0] is ValueError


@pytest.mark.django_db
def test_a_bad_request_logs_one_line_without_traceback(client, personas, caplog):
    assert client.login(username=personas.regional_admin.username, password=PASSWORD)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/staff/regional/download/councils.csv", {"council": "banana"})

    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in records] == ["WARNING"]
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text
