"""Benchmark (issue 5): importing an ASC-WDS return of 1,000,000 staff records.

Generates a synthetic ASC-WDS workplace file (20,000 workplaces) and worker file
(1,000,000 staff records, about 200 MB) once, into bench/results/ascwds/, then on a fresh
database times, in one process:

  1. a dry run (read and check both files, write nothing);
  2. the import (check, save workplaces, stream staff records in batches, save figures);
  3. the same files again, which replaces the first return (deleting its million rows);
  4. the regional figures read back: by council, and by council and job role.

and prints staff records per second (wall clock, and per second of the importing
process's own CPU time, which a busy machine disturbs less) and the peak memory (max RSS).

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/ascwds_import.py                     # SQLite file in bench/results/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workforce_bench .venv/bin/python bench/ascwds_import.py
Options: --workers 1000000 --workplaces 20000 --seed 5
The PostgreSQL database named in DATABASE_URL is dropped and created again. Run on an
otherwise idle machine; figures go in docs/performance.md ("ASC-WDS import").
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FILES = RESULTS / "ascwds"
AS_AT = "2026-03-31"

# Main job roles and how common they are (roughly: care workers dominate).
ROLE_WEIGHTS = {8: 50, 7: 10, 52: 8, 4: 3, 43: 3, 3: 3, 5: 3, 26: 6, 25: 5, 16: 3, 40: 2, 34: 2, 1: 1, 2: 1}
CONTRACT_WEIGHTS = {1: 75, 2: 7, 3: 10, 4: 5, 7: 3}
SERVICES = [1, 2, 8, 8, 8, 55, 6, 2]


def generate(workplaces: int, workers: int, seed: int) -> tuple[Path, Path]:
    """Write the two files (once per size and seed) and return their paths."""
    FILES.mkdir(parents=True, exist_ok=True)
    stem = f"{workplaces}-{workers}-{seed}"
    workplace_path, worker_path = FILES / f"workplace-{stem}.csv", FILES / f"worker-{stem}.csv"
    if workplace_path.exists() and worker_path.exists():
        return workplace_path, worker_path
    sys.path.insert(0, str(ROOT))
    from carerecruit.workforce.codes import WORKER_HEADERS, WORKPLACE_HEADERS

    rng = random.Random(seed)
    roles, role_weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    contracts, contract_weights = list(CONTRACT_WEIGHTS), list(CONTRACT_WEIGHTS.values())
    # Staff per workplace: random sizes scaled to add up to `workers`.
    sizes = [rng.randint(5, 95) for _ in range(workplaces)]
    scale = workers / sum(sizes)
    sizes = [max(1, int(s * scale)) for s in sizes]
    sizes[-1] += workers - sum(sizes)
    started = time.perf_counter()
    with open(workplace_path, "w", newline="", encoding="utf-8") as wp, open(worker_path, "w", newline="", encoding="utf-8") as wk:
        wp_out, wk_out = csv.writer(wp, lineterminator="\r\n"), csv.writer(wk, lineterminator="\r\n")
        wp_out.writerow(WORKPLACE_HEADERS)
        wk_out.writerow(WORKER_HEADERS)
        at_wk = {h: i for i, h in enumerate(WORKER_HEADERS)}
        at_wp = {h: i for i, h in enumerate(WORKPLACE_HEADERS)}
        for n, size in enumerate(sizes):
            local = f"E{n:06d}"
            staff_roles = rng.choices(roles, role_weights, k=size)
            listed = sorted(set(staff_roles))
            dont_know = rng.random() < 0.05
            row = [""] * len(WORKPLACE_HEADERS)
            service = rng.choice(SERVICES)
            row[at_wp["LOCALESTID"]] = local
            row[at_wp["STATUS"]] = "UNCHECKED"
            row[at_wp["ESTNAME"]] = f"Workplace {n}"
            row[at_wp["ADDRESS1"]] = f"{n % 300 + 1} High Street"
            row[at_wp["POSTTOWN"]] = "Birmingham"
            row[at_wp["POSTCODE"]] = f"B{n % 40 + 1} {n % 9 + 1}AA"
            row[at_wp["ESTTYPE"]] = "6"
            row[at_wp["REGTYPE"]] = "2"
            row[at_wp["PROVNUM"]] = f"1-{100000000 + n}"
            row[at_wp["LOCATIONID"]] = f"1-{200000000 + n}"
            row[at_wp["MAINSERVICE"]] = str(service)
            row[at_wp["ALLSERVICES"]] = str(service)
            row[at_wp["TOTALPERMTEMP"]] = str(min(999, size))
            row[at_wp["ALLJOBROLES"]] = ";".join(map(str, listed))
            row[at_wp["STARTERS"]] = ";".join(str(rng.randint(0, 3)) for _ in listed)
            row[at_wp["LEAVERS"]] = "999" if dont_know else ";".join(str(rng.randint(0, 3)) for _ in listed)
            row[at_wp["VACANCIES"]] = ";".join(str(rng.randint(0, 2)) for _ in listed)
            wp_out.writerow(row)
            for i, role in enumerate(staff_roles):
                contract = rng.choices(contracts, contract_weights)[0]
                staff = [""] * len(WORKER_HEADERS)
                staff[at_wk["LOCALESTID"]] = local
                staff[at_wk["UNIQUEWORKERID"]] = f"{local}-{i:04d}"
                staff[at_wk["STATUS"]] = "UNCHECKED"
                staff[at_wk["DISPLAYID"]] = f"Staff {i}"
                staff[at_wk["NINUMBER"]] = f"QQ{rng.randint(0, 999999):06d}C"
                staff[at_wk["POSTCODE"]] = f"B{rng.randint(1, 40)} {rng.randint(1, 9)}AB"
                staff[at_wk["DOB"]] = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2004)}"
                staff[at_wk["GENDER"]] = str(rng.choice((1, 2, 2, 2, 2)))
                staff[at_wk["ETHNICITY"]] = str(rng.randint(31, 47))
                staff[at_wk["STARTDATE"]] = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2010, 2025)}"
                staff[at_wk["RECSOURCE"]] = str(rng.choice((1, 2, 5, 8, 10, 12, 15, 18)))
                staff[at_wk["EMPLSTATUS"]] = str(contract)
                staff[at_wk["MAINJOBROLE"]] = str(role)
                if contract in (1, 2):
                    staff[at_wk["ZEROHRCONT"]] = "2"
                    staff[at_wk["CONTHOURS"]] = rng.choice(("37.5", "30", "22.5", "16"))
                else:
                    staff[at_wk["ZEROHRCONT"]] = "1"
                    staff[at_wk["AVGHOURS"]] = rng.choice(("12", "20.5", "8"))
                wk_out.writerow(staff)
    print(f"generated {workplaces:,} workplaces and {workers:,} staff records in {time.perf_counter() - started:.1f} s "
          f"({worker_path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return workplace_path, worker_path


def fresh_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url[len("sqlite:///"):] + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    # --skip-checks: the benchmark measures the importer, not the rest of the project.
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0", "--skip-checks"], env=env, check=True, cwd=ROOT)


RUN_CODE = r"""
import datetime, resource, sys, time
import django
django.setup()
from django.db import connection
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import Region
from carerecruit.workforce.actions import do_import_ascwds
from carerecruit.workforce.aggregates import figures_by_council, figures_by_council_and_role
from carerecruit.workforce.models import Worker

workplace_path, worker_path = sys.argv[1], sys.argv[2]
as_at = datetime.date.fromisoformat(sys.argv[3])
provider = Organisation.objects.create(
    region=Region.objects.get(gss_code="E12000005"), kind="provider", name="Bench Care Group",
    short_name="Bench Care", slug="bench-care",
)
council = Organisation.objects.get(gss_code="E08000025")

def run(dry_run):
    with open(workplace_path, "rb") as wp, open(worker_path, "rb") as wk:
        started, cpu = time.perf_counter(), time.process_time()
        result = do_import_ascwds(
            organisation=provider, council=council, as_at=as_at, workplace_file=wp, worker_file=wk,
            workplace_file_name="workplace.csv", worker_file_name="worker.csv", dry_run=dry_run,
        )
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert result.ok, [str(p) for p in result.problems[:5]]
    return result, elapsed, cpu

for name, dry_run in (("dry_run", True), ("import", False), ("replace", False)):
    result, elapsed, cpu = run(dry_run)
    print(f"RESULT {name} {elapsed:.1f} {result.summary.workers} {cpu:.1f}", flush=True)
assert Worker.objects.count() == result.summary.workers
for name, query in (("by_council", figures_by_council), ("by_council_and_role", figures_by_council_and_role)):
    times = []
    for _ in range(5):
        started = time.perf_counter()
        rows = query(as_at=as_at)
        times.append(time.perf_counter() - started)
    print(f"RESULT {name} {min(times) * 1000:.0f} {len(rows)}", flush=True)
t = figures_by_council(as_at=as_at)[0]
print(f"RESULT figures {t.filled_posts} {t.vacancy_rate} {t.turnover_rate}", flush=True)
print(f"RESULT max_rss_mb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} 0", flush=True)
print(f"RESULT engine {connection.vendor} 0", flush=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--workplaces", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    workplace_path, worker_path = generate(args.workplaces, args.workers, args.seed)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'ascwds.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "carerecruit.settings"
    env["PYTHONPATH"] = str(ROOT)
    fresh_database(env)
    out = subprocess.run(
        [sys.executable, "-c", RUN_CODE, str(workplace_path), str(worker_path), AS_AT],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    results = {}
    for line in out.splitlines():
        if line.startswith("RESULT "):
            _, name, first, second = line.split(" ", 3)
            results[name] = (first, second)
    rows = int(results["import"][1].split()[0])
    print(f"database: {results['engine'][0]}; {args.workplaces:,} workplaces, {rows:,} staff records; "
          f"python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f}")
    rows = int(results["import"][1].split()[0])
    for name, label in (("dry_run", "check only (dry run)"), ("import", "import"), ("replace", "re-import (replaces)")):
        seconds, cpu = float(results[name][0]), float(results[name][1].split()[1])
        print(f"{label:<24}: {seconds:7.1f} s  {rows / seconds:9,.0f} staff records/s  "
              f"(Python process CPU {cpu:.1f} s: {rows / cpu:,.0f} records per CPU second)")
    for name in ("by_council", "by_council_and_role"):
        print(f"figures {name:<19}: {results[name][0]:>5} ms  ({results[name][1]} groups, best of 5)")
    print(f"region figures          : {results['figures'][0]} filled posts, vacancy rate {results['figures'][1].split()[0]}%, "
          f"turnover rate {results['figures'][1].split()[1]}%")
    print(f"peak memory (max RSS)   : {results['max_rss_mb'][0]} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
