"""``/healthz``: 200 when the database answers, 503 when it does not; never cached."""

import pytest
from django.db.utils import ConnectionHandler

from carerecruit.pages import views


@pytest.fixture
def unreachable_database(tmp_path):
    """A real SQLite database in a folder that does not exist: opening it fails."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "missing-folder" / "db.sqlite3"),
            }
        }
    )
    conn = handler["default"]
    yield conn
    conn.close()


def test_healthz_ok(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "clicks": "ok"}
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control
    assert "max-age=0" in cache_control


def test_healthz_answers_503_when_the_database_is_unreachable(
    client, db, monkeypatch, unreachable_database
):
    monkeypatch.setattr(views, "connection", unreachable_database)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable"}
    assert "no-store" in response["Cache-Control"]


def test_database_is_reachable(db, unreachable_database):
    assert views.database_is_reachable() is True
    assert views.database_is_reachable(unreachable_database) is False


def test_healthz_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405
