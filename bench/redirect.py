"""Benchmark (a) of issue 3: tracked-link redirect throughput and p95 latency.

Runs gunicorn on this machine with the product's middleware stack and measures, with wrk
at 50 concurrent connections on loopback:
  1. a bare Django view answering a constant 302 (bench/urls.py), the yardstick;
  2. GET /r/<code> rotating over 300 tracked links (each request records a click).
Then checks that every completed redirect recorded exactly one click.

Targets: redirect throughput >= 70% of the bare view's; p95 <= 20 ms; every click counted.

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/redirect.py                      # SQLite file in bench/results/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/redirect.py
Options: --duration 20 --connections 50 --workers 4 --seed-events 0
Needs wrk (Debian package `wrk`). Run on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
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
  return wrk.format("GET", paths[(i %% #paths) + 1], {["User-Agent"] = "%(ua)s"})
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


def wrk(url_base: str, paths: list[str], duration: int, connections: int) -> dict[str, float]:
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(LUA_TEMPLATE % {"paths": ", ".join(f'"{p}"' for p in paths), "ua": UA})
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(lua), url_base],
        capture_output=True, text=True, check=True,
    ).stdout
    lua.unlink()
    match = re.search(r"RESULT (.*)", out)
    values = dict(item.split("=") for item in match.group(1).split())
    result = {k: int(v) for k, v in values.items()}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--links", type=int, default=300)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk")

    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'redirect.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    env["PYTHONPATH"] = str(ROOT)
    env["SECURE_COOKIES"] = "false"
    if env["DATABASE_URL"].startswith("sqlite:///"):
        Path(env["DATABASE_URL"][len("sqlite:///"):]).unlink(missing_ok=True)
    py = sys.executable
    subprocess.run([py, "-m", "django", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run(
        [py, "-c", SETUP_CODE, str(args.links)], env=env, check=True, cwd=ROOT,
        capture_output=True, text=True,
    ).stdout.split()
    codes = setup

    port = free_port()
    server = subprocess.Popen(
        [py, "-m", "gunicorn", "bench.wsgi_bench:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up both paths (imports, connections, salt creation).
        wrk(base, ["/bench/constant-302"], 2, 10)
        wrk(base, [f"/r/{c}" for c in codes], 2, 10)
        clicks_before = int(subprocess.run([py, "-c", COUNT_CODE], env=env, cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout)
        bare = wrk(base, ["/bench/constant-302"], args.duration, args.connections)
        redirect = wrk(base, [f"/r/{c}" for c in codes], args.duration, args.connections)
        time.sleep(1)
        clicks_after = int(subprocess.run([py, "-c", COUNT_CODE], env=env, cwd=ROOT, check=True,
                                          capture_output=True, text=True).stdout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    recorded = clicks_after - clicks_before
    ratio = redirect["rps"] / bare["rps"] if bare["rps"] else 0.0
    engine = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    print(f"database: {engine}; gunicorn workers: {args.workers}; wrk -c{args.connections} -d{args.duration}s")
    print(f"bare constant 302 : {bare['rps']:8.0f} req/s  p95 {bare['p95_us'] / 1000:6.1f} ms  errors {bare['errors'] + bare['non2xx3xx']}")
    print(f"/r/<code> redirect: {redirect['rps']:8.0f} req/s  p95 {redirect['p95_us'] / 1000:6.1f} ms  errors {redirect['errors'] + redirect['non2xx3xx']}")
    print(f"throughput ratio  : {ratio:.0%} (target >= 70%)")
    print(f"p95               : {redirect['p95_us'] / 1000:.1f} ms (target <= 20 ms)")
    print(f"clicks            : {redirect['requests']} redirects answered, {recorded} clicks recorded "
          f"({'every click counted' if recorded == redirect['requests'] else 'MISMATCH'})")
    return 0 if recorded == redirect["requests"] else 1


SETUP_CODE = """
import sys, django
django.setup()
from carerecruit.testing.factories import make_campaign
from carerecruit.campaigns.actions import do_create_tracked_link
campaign = make_campaign()
channels = ["facebook", "instagram", "linkedin", "x", "tiktok", "email", "google_ads", "press", "qr", "other"]
for i in range(int(sys.argv[1])):
    link = do_create_tracked_link(campaign, channel=channels[i % len(channels)], label=f"post {i}")
    print(link.code)
"""

COUNT_CODE = """
import django
django.setup()
from carerecruit.tracking.models import Event
print(Event.objects.filter(kind="click", is_bot=False).count())
"""

if __name__ == "__main__":
    sys.exit(main())
