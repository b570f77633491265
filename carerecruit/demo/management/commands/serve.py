"""`carerecruit serve`: run the product on this machine.

Starts two child processes and looks after them: gunicorn serving the site (static files
through WhiteNoise, straight from the app folders, so no ``collectstatic`` is needed) and
``carerecruit worker``, which runs background tasks and keeps the dashboards' rollups
fresh. Ctrl-C or SIGTERM stops both; if either stops on its own, the other is stopped too
and ``serve`` exits with an error naming it. Why: a web server without its worker keeps
appending clicks to the click spool that nobody moves into the figures (dashboards would
quietly stop counting them), and a worker alone serves nobody; one loud stop is easier
to notice than half a site. ``serve`` restarts nothing: production runs ``gunicorn`` and
``carerecruit worker`` as two services under a supervisor such as systemd, which
restarts each on its own (docs/operations.md).

Settings are the normal ones (DEBUG off unless the environment says otherwise), with one
local default: ``SECURE_COOKIES=false`` for the children unless already set. Production
marks session and CSRF cookies ``Secure`` (sent over HTTPS only); on plain
http://127.0.0.1 a browser would then never send them back and staff could not sign in.
Behind TLS, set ``SECURE_COOKIES=true`` (as production does).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
STOP_TIMEOUT_SECONDS = 15
READY_TIMEOUT_SECONDS = 20


class Command(BaseCommand):
    help = (
        "Serve carerecruit at http://127.0.0.1:8000 (gunicorn) and run the background worker. "
        "Ctrl-C stops both. The PORT environment variable changes the default port."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default=None,
            help=f"Address to listen on, HOST:PORT (default {DEFAULT_HOST}:$PORT, or "
                 f"{DEFAULT_HOST}:{DEFAULT_PORT} when PORT is unset).",
        )
        parser.add_argument(
            "--workers", type=int, default=None,
            help="Web worker processes (default $WEB_CONCURRENCY, or 2).",
        )
        parser.add_argument(
            "--threads", type=int, default=None,
            help="Threads per web worker process (default $GUNICORN_THREADS, or 4). Idle "
                 "keep-alive connections wait in each process's poller, not in a thread.",
        )
        parser.add_argument(
            "--no-worker", action="store_true",
            help="Do not start the background worker (dashboards then lag until one runs).",
        )

    def handle(self, *args, bind: str | None, workers: int | None, no_worker: bool,
               threads: int | None = None, **options):
        bind = bind or f"{DEFAULT_HOST}:{_port_from_env()}"
        if workers is None:
            workers = _int_env("WEB_CONCURRENCY", 2)
        if workers < 1:
            raise CommandError("--workers must be 1 or more")
        if threads is None:
            threads = _int_env("GUNICORN_THREADS", 4)
        if threads < 1:
            raise CommandError("--threads must be 1 or more")
        # The address first: it needs no database, and a busy port is the likelier mistake.
        _check_address_free(bind)
        self._check_migrations()
        _prepare_static_root()
        env = os.environ.copy()
        env.setdefault("DJANGO_SETTINGS_MODULE", "carerecruit.settings")
        # See the module docstring: http://127.0.0.1 cannot carry Secure cookies.
        env.setdefault("SECURE_COOKIES", "false")
        # Log lines from both children appear as they happen, not when a buffer fills.
        env.setdefault("PYTHONUNBUFFERED", "1")
        connection.close()

        self.stopping = False
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: dict[str, subprocess.Popen] = {}
        try:
            if no_worker:
                self.stdout.write("Not starting the background worker (--no-worker).")
            elif "worker" not in get_commands():
                self.stderr.write("The `worker` command is not installed; running without it.")
            else:
                children["worker"] = subprocess.Popen(  # noqa: S603 (our own interpreter)
                    [sys.executable, "-m", "carerecruit.manage", "worker"], env=env
                )
            children["web server"] = subprocess.Popen(  # noqa: S603 (our own interpreter)
                [sys.executable, "-m", "gunicorn", "carerecruit.wsgi:application",
                 "--bind", bind, "--workers", str(workers), "--access-logfile", "-",
                 # gthread: a sync worker serves one connection at a time, so a burst of
                 # keep-alive clients (a shared post) queues behind it (docs/performance.md).
                 "--worker-class", "gthread", "--threads", str(threads),
                 "--graceful-timeout", "10",
                 # Its control socket is one fixed path per user: a second local site would
                 # clash on it, and nothing here uses it.
                 "--no-control-socket"],
                env=env,
            )
            url = _url_for(bind)
            if self._wait_until_listening(bind, children):
                self.stdout.write(self.style.SUCCESS(
                    f"carerecruit is running at {url} (staff area: {url}staff/). "
                    "Press Ctrl-C to stop."
                ))
            elif not self.stopping and all(c.poll() is None for c in children.values()):
                self.stdout.write(f"carerecruit is still starting at {url}. Press Ctrl-C to stop.")
            exited = self._watch(children)
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if exited is not None:
            name, code = exited
            raise CommandError(f"The {name} stopped unexpectedly (exit code {code}).")
        self.stdout.write("Stopped.")

    def _check_migrations(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not up to date. Run: carerecruit migrate")

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def _wait_until_listening(self, bind: str, children: dict[str, subprocess.Popen]) -> bool:
        """Wait until the web server accepts connections; False if it gave up or we stopped."""
        address = _host_port(bind)
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while not self.stopping and time.monotonic() < deadline:
            if any(child.poll() is not None for child in children.values()):
                return False
            if address is None:
                return True  # A unix socket: nothing to probe.
            try:
                with socket.create_connection(address, timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.2)
        return False

    def _watch(self, children: dict[str, subprocess.Popen]) -> tuple[str, int] | None:
        """Block until asked to stop (None) or a child exits ((name, exit code))."""
        while not self.stopping:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(0.5)
        return None

    def _stop(self, children: dict[str, subprocess.Popen]) -> None:
        """SIGTERM every running child (gunicorn and the worker both finish their current
        request or task), then SIGKILL whatever is still running after the timeout."""
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _prepare_static_root() -> None:
    """Make ``STATIC_ROOT`` (``data/static`` by default) if it does not exist yet.

    WhiteNoise serves our assets from the app folders (``WHITENOISE_USE_FINDERS``), so
    nothing needs collecting for ``serve``; but it also looks in ``STATIC_ROOT``, where
    ``collectstatic`` would put them, and warns "No directory at: …/data/static/" in
    every web process when that folder is missing. An empty folder is the honest state
    of a checkout that has collected nothing.
    """
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise CommandError(f"{name}={raw!r} is not a whole number") from None


def _port_from_env() -> int:
    port = _int_env("PORT", DEFAULT_PORT)
    if not 0 < port < 65536:
        raise CommandError(f"PORT={port} is not a TCP port (1–65535)")
    return port


def _host_port(bind: str) -> tuple[str, int] | None:
    """``"127.0.0.1:8000"`` → ``("127.0.0.1", 8000)``; ``"[::1]:8000"`` → ``("::1", 8000)``;
    None for a unix socket. A wildcard host is probed on the loopback address."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, _, port = bind.rpartition(":")
    if not host:
        host, port = bind, str(DEFAULT_PORT)
    host = host.strip("[]")
    if host in ("0.0.0.0", ""):  # noqa: S104 (probing, not binding)
        host = DEFAULT_HOST
    elif host == "::":
        host = "::1"
    try:
        number = int(port)
    except ValueError:
        raise CommandError(f"--bind {bind!r} is not HOST:PORT") from None
    if not 0 < number < 65536:
        raise CommandError(f"--bind {bind!r}: {number} is not a TCP port (1–65535)")
    return host, number


def _check_address_free(bind: str) -> None:
    """Raise CommandError if something already listens on ``bind``. Checked before
    starting, as the readiness probe would otherwise greet the other program."""
    address = _host_port(bind)
    if address is None:
        return
    host, port = address
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As gunicorn does, so a port left in TIME_WAIT by a previous run counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {host}:{port} ({exc.strerror}). Is carerecruit already "
                f"running? Stop it, or choose another port, e.g. --bind {host}:{port + 1}."
            ) from None


def _url_for(bind: str) -> str:
    address = _host_port(bind)
    if address is None:
        return f"{bind} "
    host, port = address
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"
