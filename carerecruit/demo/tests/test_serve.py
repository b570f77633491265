"""`carerecruit serve`: addresses, and refusing a port that is already taken.

Starting the real gunicorn and worker is checked by hand (see the demo app's report):
a child process cannot see the test database.
"""

import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carerecruit.demo.management.commands.serve import (
    _host_port,
    _port_from_env,
    _prepare_static_root,
    _url_for,
)


@pytest.mark.parametrize(
    ("bind", "address", "url"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000), "http://127.0.0.1:8000/"),
        ("localhost:9000", ("localhost", 9000), "http://localhost:9000/"),
        ("0.0.0.0:8080", ("127.0.0.1", 8080), "http://127.0.0.1:8080/"),
        ("[::1]:8000", ("::1", 8000), "http://[::1]:8000/"),
        ("[::]:8000", ("::1", 8000), "http://[::1]:8000/"),
    ],
)
def test_bind_addresses(bind, address, url):
    assert _host_port(bind) == address
    assert _url_for(bind) == url


def test_unix_socket_is_not_probed():
    assert _host_port("unix:/tmp/carerecruit.sock") is None


def test_port_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("PORT", raising=False)
    assert _port_from_env() == 8000
    monkeypatch.setenv("PORT", "8123")
    assert _port_from_env() == 8123
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(CommandError, match="not a whole number"):
        _port_from_env()
    monkeypatch.setenv("PORT", "70000")
    with pytest.raises(CommandError, match="not a TCP port"):
        _port_from_env()


@pytest.mark.django_db
def test_serve_refuses_an_address_in_use():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(CommandError, match=f"Cannot listen on 127.0.0.1:{port}"):
            call_command("serve", "--bind", f"127.0.0.1:{port}", "--no-worker")


def test_serve_rejects_zero_workers():
    with pytest.raises(CommandError, match="--workers must be 1 or more"):
        call_command("serve", "--workers", "0", "--no-worker")


def test_static_root_is_made_so_whitenoise_does_not_warn(settings, tmp_path):
    import warnings

    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path / "data" / "static"
    _prepare_static_root()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        WhiteNoiseMiddleware(lambda request: None)
    assert settings.STATIC_ROOT.is_dir()
    assert [str(w.message) for w in caught if "No directory" in str(w.message)] == []


def test_threads_must_be_positive(monkeypatch):
    with pytest.raises(CommandError, match="--threads must be 1 or more"):
        call_command("serve", "--threads", "0", "--no-worker")
    monkeypatch.setenv("GUNICORN_THREADS", "0")
    with pytest.raises(CommandError, match="--threads must be 1 or more"):
        call_command("serve", "--no-worker")


@pytest.mark.parametrize("bind", ["127.0.0.1:99999", "127.0.0.1:0"])
def test_bind_port_out_of_range_is_a_clear_error(bind):
    with pytest.raises(CommandError, match="is not a TCP port"):
        call_command("serve", "--bind", bind, "--no-worker")
