"""Benchmark (a) of issue 3: tracked-link redirect throughput and p95 latency.

Over a database holding 5,000,000 events over six weeks for 3 campaigns and 300 tracked
links (seeded exactly as ``bench/dashboard_queries.py`` seeds, reused when already there),
runs the product's own server, ``carerecruit serve`` (gunicorn ``gthread`` workers, its
access log, and ``carerecruit worker`` beside it), with ``bench.settings`` (the product's
settings and URLs plus one bare view), and measures, with wrk at 50 concurrent connections
on loopback, in alternating rounds on the same server:

  1. ``/bench/constant-302``: a bare Django view answering a constant 302 (bench/urls.py),
     the yardstick;
  2. the product's ``/r/<code>`` (``carerecruit.tracking.views.redirect``: the link from
     the 2-second per-process cache, the click appended to the click spool, which the
     worker moves into the database: ``carerecruit/tracking/spool.py``) rotating over the
     300 tracked links (each request records a click).

After each redirect round it waits until the worker has moved every spooled click into
the database (and reports how long that took after wrk stopped), then counts the click
events appended during the round (by id range) and compares them with the redirects wrk
saw answered. wrk stops at its deadline
with up to one request per connection in flight, which the server still answers and
records but wrk no longer counts, so "every click counted" means: no error or non-3xx
answer, and ``answered <= recorded <= answered + connections``.

Server: ``carerecruit serve --workers 2 --threads 4`` (its defaults: gunicorn ``gthread``,
2 processes x 4 threads, keep-alive on, access log to stdout, here /dev/null). Database
connections as the product's settings say: SQLite closed after each request unless
``DB_CONN_MAX_AGE`` is set (e.g. ``DB_CONN_MAX_AGE=60``), PostgreSQL kept 60 s.

Targets: redirect throughput >= 70% of the bare view's; p95 <= 20 ms; every click counted.

Usage (from the repository root, after `make setup`; wrk is the Debian package `wrk`):
    nice -n 10 .venv/bin/python bench/redirect.py         # SQLite: bench/results/redirect.sqlite3
    DB_CONN_MAX_AGE=60 nice -n 10 .venv/bin/python bench/redirect.py   # SQLite, connections kept
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_redirect nice -n 10 .venv/bin/python bench/redirect.py
Options: --duration 20 --rounds 3 --connections 50 --workers 2 --threads 4 --events 5000000
         --settle 30 (seconds between the server starting and the warm-up)
         --close (send "Connection: close": a new TCP connection per request)
         --no-worker (serve without the background worker)
The PostgreSQL database must exist (``createdb bench_redirect``, or copy the dashboard
benchmark's: ``CREATE DATABASE bench_redirect TEMPLATE bench_dashboard``; for SQLite copy
bench/results/dashboard.sqlite3 to bench/results/redirect.sqlite3) — seeding 5M events
takes 10 to 20 minutes on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
      "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1")

LUA_TEMPLATE = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["User-Agent"] = "%(ua)s"%(extra)s})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d errors=%%d non2xx3xx=%%d p50_us=%%d p95_us=%%d p99_us=%%d duration_us=%%d\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99), summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url_base: str, paths: list[str], duration: int, connections: int, close: bool) -> dict:
    """One wrk run (2 threads); returns requests, errors, latency percentiles (µs) and rps."""
    fd, name = tempfile.mkstemp(suffix=".lua")
    os.close(fd)
    lua = Path(name)
    extra = ', ["Connection"] = "close"' if close else ""
    lua.write_text(LUA_TEMPLATE % {"paths": ", ".join(f'"{p}"' for p in paths), "ua": UA, "extra": extra})
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(lua), url_base],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        lua.unlink()
    match = re.search(r"RESULT (.*)", out)
    result = {k: int(v) for k, v in (item.split("=") for item in match.group(1).split())}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# --- Database (in this process; closed before the server starts) ---------------------


def prepare_database(n_events: int) -> tuple[list[str], int | None]:
    """Seed (or reuse) the 5M-event database; return the 300 tracked links' codes and the
    database connections' ``CONN_MAX_AGE`` (seconds; 0 = closed after each request)."""
    sys.path.insert(0, str(ROOT))
    import bench.dashboard_queries as dq

    dq.setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from carerecruit.campaigns.models import Campaign, TrackedLink
    from carerecruit.tracking.models import Event

    # Migrated even when reused: the worker runs beside the server and reads every app's
    # tables (a database seeded before a new app's migration would make it fail each tick).
    call_command("migrate", verbosity=0)
    if Campaign.objects.filter(slug__startswith=dq.SLUG_PREFIX).exists():
        print(f"Reusing the seeded database: {Event.objects.count():,} events", flush=True)
    else:
        dq.seed(n_events)
        dq.analyze()
    codes = list(TrackedLink.objects.filter(campaign__slug__startswith=dq.SLUG_PREFIX)
                 .order_by("pk").values_list("code", flat=True))
    connection.close()
    return codes, settings.DATABASES["default"]["CONN_MAX_AGE"]


def max_event_id() -> int:
    from django.db import connection
    from django.db.models import Max

    from carerecruit.tracking.models import Event

    top = Event.objects.aggregate(top=Max("pk"))["top"] or 0
    connection.close()
    return top


def drain_spool(run_ingest: bool, timeout: float = 120.0) -> float:
    """Seconds until no spooled click is left outside the database (the worker moves
    them; with --no-worker this process does)."""
    from django.db import connection

    from carerecruit.tracking import spool

    start = time.monotonic()
    try:
        while time.monotonic() - start < timeout:
            if run_ingest:
                spool.ingest()
            if spool.pending_bytes() == 0:
                return time.monotonic() - start
            time.sleep(0.1)
        return float("inf")
    finally:
        connection.close()


def clicks_after(event_id: int) -> int:
    from django.db import connection

    from carerecruit.tracking.models import Event

    n = Event.objects.filter(pk__gt=event_id, kind="click", is_bot=False).count()
    connection.close()
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating (bare, redirect) rounds")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn process")
    parser.add_argument("--events", type=int, default=5_000_000, help="events to seed when the database is empty")
    parser.add_argument("--close", action="store_true", help="Connection: close on every request")
    parser.add_argument("--settle", type=int, default=30,
                        help="seconds to wait after the server starts, before the warm-up, so the "
                             "worker's first runs of its periodic jobs (regional rollups, alerts, "
                             "forecasts when none is stored) are not measured")
    parser.add_argument("--no-worker", action="store_true",
                        help="do not run `carerecruit worker` beside gunicorn (serve runs both)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'redirect.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["SECURE_COOKIES"] = "false"
    # The server, its worker and this process share one click spool.
    os.environ.setdefault("CLICK_SPOOL_DIR", str(RESULTS / "click-spool"))
    codes, conn_max_age = prepare_database(args.events)
    paths = [f"/r/{c}" for c in codes]
    engine = "PostgreSQL" if os.environ["DATABASE_URL"].startswith("postgres") else "SQLite"
    uptime_start = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"start: {uptime_start}", flush=True)

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    port = free_port()
    # The product's server exactly as `carerecruit serve` starts it (gunicorn gthread with
    # its flags, and the background worker folding new clicks into the rollups every ~2 s);
    # DJANGO_SETTINGS_MODULE=bench.settings reaches both through its environment.
    server = subprocess.Popen(
        [sys.executable, "-m", "carerecruit.manage", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads),
         *(["--no-worker"] if args.no_worker else [])],
        env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
    )
    rounds = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # serve checks migrations first; slow on a busy machine
            if server.poll() is not None:
                sys.exit(f"carerecruit serve stopped (exit code {server.returncode})")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(args.settle)
        # Warm up both paths (imports, connections, the day's visitor salt).
        wrk(base, ["/bench/constant-302"], 3, args.connections, args.close)
        wrk(base, paths, 3, args.connections, args.close)
        for r in range(args.rounds):
            bare = wrk(base, ["/bench/constant-302"], args.duration, args.connections, args.close)
            time.sleep(1)
            drain_spool(run_ingest=args.no_worker)  # the warm-up's clicks belong to no round
            before = max_event_id()
            redirect = wrk(base, paths, args.duration, args.connections, args.close)
            time.sleep(2)  # let the requests in flight at wrk's deadline finish
            redirect["drain_seconds"] = 2 + drain_spool(run_ingest=args.no_worker)
            redirect["recorded"] = clicks_after(before)
            rounds.append({"bare": bare, "redirect": redirect, "load_average": os.getloadavg()})
            print(f"round {r + 1}: bare {bare['rps']:.0f} req/s p95 {bare['p95_us'] / 1000:.1f} ms | "
                  f"redirect {redirect['rps']:.0f} req/s p95 {redirect['p95_us'] / 1000:.1f} ms, "
                  f"{redirect['requests']} answered, {redirect['recorded']} recorded "
                  f"(all in the database {redirect['drain_seconds']:.1f} s after wrk stopped) | "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)  # serve stops gunicorn and the worker
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    uptime_end = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    def summary(key: str) -> dict:
        rps = [r[key]["rps"] for r in rounds]
        p95 = [r[key]["p95_us"] / 1000 for r in rounds]
        return {"rps_best": max(rps), "rps_median": statistics.median(rps),
                "p95_ms_best": min(p95), "p95_ms_median": statistics.median(p95),
                "errors": sum(r[key]["errors"] + r[key]["non2xx3xx"] for r in rounds)}

    bare, redirect = summary("bare"), summary("redirect")
    counted = all(
        r["redirect"]["errors"] + r["redirect"]["non2xx3xx"] == 0
        and r["redirect"]["requests"] <= r["redirect"]["recorded"] <= r["redirect"]["requests"] + args.connections
        for r in rounds
    )
    ratio = redirect["rps_median"] / bare["rps_median"] if bare["rps_median"] else 0.0
    suffix = f"_conn{conn_max_age}" if engine == "SQLite" and conn_max_age else ""
    out = RESULTS / f"redirect_{engine.lower()}{suffix}.json"
    out.write_text(json.dumps({
        "engine": engine, "conn_max_age": conn_max_age, "args": vars(args), "rounds": rounds,
        "bare": bare, "redirect": redirect, "ratio_median": ratio, "every_click_counted": counted,
        "uptime_start": uptime_start, "uptime_end": uptime_end,
    }, indent=2))
    print(f"\ndatabase: {engine}, CONN_MAX_AGE={conn_max_age}; carerecruit serve: gunicorn gthread "
          f"{args.workers} workers x {args.threads} threads"
          f"{'' if args.no_worker else ' + carerecruit worker'}; "
          f"wrk -t2 -c{args.connections} -d{args.duration}s x {args.rounds} rounds"
          f"{' (Connection: close)' if args.close else ' (keep-alive)'}")
    for name, s in (("bare constant 302", bare), ("/r/<code>", redirect)):
        print(f"{name:19}: {s['rps_median']:6.0f} req/s median ({s['rps_best']:.0f} best), "
              f"p95 {s['p95_ms_median']:.1f} ms median ({s['p95_ms_best']:.1f} best), errors {s['errors']}")
    print(f"throughput ratio   : {ratio:.0%} of the bare view (medians; target >= 70%)")
    print(f"p95                : {redirect['p95_ms_median']:.1f} ms (median of rounds; target <= 20 ms)")
    print(f"clicks             : {'every click counted' if counted else 'MISMATCH'} "
          f"({sum(r['redirect']['requests'] for r in rounds)} answered, "
          f"{sum(r['redirect']['recorded'] for r in rounds)} recorded)")
    print(f"load               : start {uptime_start}\n                     end   {uptime_end}")
    return 0 if counted else 1


if __name__ == "__main__":
    sys.exit(main())
