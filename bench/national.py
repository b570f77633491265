"""Benchmark of issue 5: the regional dashboard's queries over a national-scale region.

Seeds (once; a database that already holds the seed is reused) a synthetic region the
size of England: 150 councils (the configured region's councils plus synthetic ones),
1,000 independent providers, 20,000 workplaces with 1,500,000 ASC-WDS staff records in
1,000 current workforce returns (and their per-workplace, per-role figures), 1,000,000
candidates each with one application (1–2 job roles, 1–2 council areas) over the last
two years, a route to each council chosen (about 1.3 million) across the pipeline
stages, placements for the 8% placed, their 3/6/12-month retention checkpoints,
talent-bank profiles for the 60% who consented (with their roles and areas), 20,000
vacancies and two years of daily ad spend for 10 campaigns.

Seeding is server-side SQL (``INSERT … SELECT … FROM generate_series`` with a fixed
``setseed``), so PostgreSQL does the work without a row crossing the wire; then
``ANALYZE``, as autovacuum would.

Then it times ``carerecruit.regional.datasets.build_dataset`` for every name in
``DATASET_NAMES`` × filters (the last 12 months: all councils; one council; job role
8, care worker; that council and role) × viewer (``UNRESTRICTED``, and the council
itself), ``--runs`` times each after one warm-up run, in process on a warm connection.

Target (issue 5): each regional dashboard query p95 <= 500 ms on PostgreSQL.

Usage (from the repository root, after `make setup`; PostgreSQL only):
    createdb -h 127.0.0.1 -U postgres bench_national
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_national nice -n 10 .venv/bin/python bench/national.py
Before timing, it builds the regional rollups as the worker would
(carerecruit.regional.rollups.refresh_regional_rollups) and times that too; --no-rollups
times the direct queries on the raw rows instead.

Options: --candidates 1000000 --workers 1500000 --runs 10 --no-rollups --explain (print EXPLAIN ANALYZE
of the two slowest queries of each dataset, all councils, unrestricted) --work-mem 64MB
(SET work_mem and jit = off for the session, as a server tuned for the data would)
"""

# The seed's SQL is built from constants and integers computed here (no outside input).
# ruff: noqa: S608

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MARK = "national-provider-1"  # the seed's first provider: present means seeded
COUNCILS = 150
PROVIDERS = 1000
WORKPLACES = 20_000
CAMPAIGNS = 10
VACANCIES = 20_000
DAYS = 730
CHANNELS = ["facebook", "instagram", "linkedin", "x", "tiktok", "email", "google_ads", "qr"]
# ASC-WDS main job role codes: the first role a candidate names (weighted: care workers
# dominate) and a second role from a separate list (so the two never coincide).
FIRST_ROLES = [8] * 10 + [7] * 3 + [25] * 2 + [26, 34]
SECOND_ROLES = [3, 4, 5, 16, 40, 43, 52, 1, 2]
WORKER_ROLES = [8] * 10 + [7] * 3 + [25, 26, 3, 4, 5, 16, 34, 40, 43, 52]
STAGES = [("new", 0.30), ("contacted", 0.15), ("screening", 0.10), ("interview", 0.08), ("offer", 0.03),
          ("checks", 0.02), ("placed", 0.08), ("withdrawn", 0.12), ("not_suitable", 0.08), ("talent_bank", 0.04)]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def sql_array(values) -> str:
    return "ARRAY[" + ",".join(str(int(v)) for v in values) + "]::bigint[]"


def stage_case(r: str) -> str:
    """A CASE picking a stage from the uniform random column ``r`` by STAGES' shares."""
    parts, edge = [], 0.0
    for stage, share in STAGES[:-1]:
        edge += share
        parts.append(f"WHEN {r} < {edge:.4f} THEN '{stage}'")
    return f"CASE {' '.join(parts)} ELSE '{STAGES[-1][0]}' END"


def step(cursor, label: str, sql: str, params=None) -> None:
    t = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {label}: {cursor.rowcount:,} rows in {time.perf_counter() - t:.0f} s", flush=True)


def seed(n_candidates: int, n_workers: int) -> None:
    from django.conf import settings
    from django.db import connection, transaction

    from carerecruit.adstats.models import AdDailyStat, AdPlatformCampaign
    from carerecruit.organisations.models import Organisation
    from carerecruit.reference.models import JobRole, Region
    from carerecruit.testing.factories import make_campaign

    t0 = time.perf_counter()
    with connection.cursor() as c:
        # The seeding runs in PostgreSQL's backend for this connection: be as nice to the
        # other users of this shared machine as the client is (`nice -n 10`).
        c.execute("SELECT pg_backend_pid()")
        with contextlib.suppress(OSError):  # PostgreSQL on another machine, or not ours to renice
            os.setpriority(os.PRIO_PROCESS, c.fetchone()[0], os.getpriority(os.PRIO_PROCESS, 0))
    region = Region.objects.get(gss_code=settings.CARERECRUIT_REGION_CODE)
    role_id = dict(JobRole.objects.values_list("code", "pk"))
    today = datetime.date.today()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT setseed(0.2026)")
        existing = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, region=region).count()
        step(c, "synthetic councils", f"""
            INSERT INTO organisations_organisation (kind, name, short_name, slug, gss_code, council_type,
                latitude, longitude, website, is_active, is_simulated, region_id)
            SELECT 'council', 'Synthetic Council ' || i, 'Synthetic ' || i, 'national-council-' || i,
                'E99' || lpad(i::text, 6, '0'), 'unitary',
                round((50.5 + random() * 4.5)::numeric, 6), round((-4.5 + random() * 6.0)::numeric, 6),
                '', true, true, %s
            FROM generate_series(1, {COUNCILS - existing}) i""", [region.pk])
        step(c, "providers", f"""
            INSERT INTO organisations_organisation (kind, name, short_name, slug, gss_code, council_type,
                website, is_active, is_simulated, region_id)
            SELECT 'provider', 'National Care Provider ' || i, 'Provider ' || i, 'national-provider-' || i,
                '', '', '', true, true, %s
            FROM generate_series(1, {PROVIDERS}) i""", [region.pk])
    councils = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, region=region)
                    .order_by("pk").values_list("pk", "latitude", "longitude"))
    providers = list(Organisation.objects.filter(slug__startswith="national-provider-")
                     .order_by("pk").values_list("pk", flat=True))
    council_ids = sql_array(c[0] for c in councils)
    lat = "ARRAY[" + ",".join(str(float(c[1] or 52.5)) for c in councils) + "]::float8[]"
    lon = "ARRAY[" + ",".join(str(float(c[2] or -1.9)) for c in councils) + "]::float8[]"
    n_councils = len(councils)

    campaigns = [make_campaign(slug=f"national-{i + 1}", name=f"National campaign {i + 1}",
                               starts_on=today - datetime.timedelta(days=DAYS), ends_on=today + datetime.timedelta(days=90))
                 for i in range(CAMPAIGNS)]
    stats = []
    for campaign in campaigns:
        for channel, platform in (("facebook", "meta"), ("google_ads", "google")):
            pc = AdPlatformCampaign.objects.create(platform=platform, name=f"{campaign.slug} {platform}",
                                                   campaign=campaign, channel=channel)
            stats += [AdDailyStat(platform_campaign=pc, date=today - datetime.timedelta(days=d), impressions=10000,
                                  clicks=200, spend_pence=10000 + (d * 37 + campaign.pk) % 5000, currency="GBP")
                      for d in range(DAYS)]
    AdDailyStat.objects.bulk_create(stats, batch_size=5000)
    campaign_ids = sql_array(c.pk for c in campaigns)
    channels = "ARRAY[" + ",".join(f"'{ch}'" for ch in CHANNELS) + "]"
    first_roles = sql_array(role_id[r] for r in FIRST_ROLES)
    second_roles = sql_array(role_id[r] for r in SECOND_ROLES)
    worker_roles = sql_array(WORKER_ROLES)

    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT setseed(0.2027)")
        c.execute("SELECT coalesce(max(id), 0) FROM candidates_candidate")
        cand0 = c.fetchone()[0]
        c.execute("SELECT coalesce(max(id), 0) FROM candidates_application")
        app0 = c.fetchone()[0]
        # One row per person: which councils, roles, when, consent. Councils skewed (the
        # first ones are the big cities), second council and role for some.
        step(c, "seed plan", f"""
            CREATE TEMP TABLE national_seed ON COMMIT DROP AS
            SELECT i, {cand0} + i AS cand_id, {app0} + i AS app_id,
                now() - random() * interval '{DAYS} days' AS submitted_at,
                idx1, CASE WHEN random() < 0.3 THEN 1 + (idx1 + floor(random() * {n_councils - 1})::int) % {n_councils} END AS idx2,
                ({first_roles})[1 + floor(random() * {len(FIRST_ROLES)})::int] AS role1,
                CASE WHEN random() < 0.4 THEN ({second_roles})[1 + floor(random() * {len(SECOND_ROLES)})::int] END AS role2,
                random() < 0.6 AS consent, random() AS r
            FROM (SELECT i, 1 + floor({n_councils} * power(random(), 1.6))::int AS idx1
                  FROM generate_series(1, {n_candidates}) i) s""")
        step(c, "candidates", """
            INSERT INTO candidates_candidate (id, code, full_name, name_folded, email, email_normalised,
                phone_e164, postcode, talent_bank_consent, talent_bank_consent_at, created_at, updated_at,
                last_active_at, is_simulated)
            SELECT cand_id, gen_random_uuid(), 'National Person ' || i, 'national person ' || i,
                'national' || i || '@example.org', 'national' || i || '@example.org',
                '+4477' || lpad(i::text, 8, '0'), 'B1 1AA', consent, CASE WHEN consent THEN submitted_at END,
                submitted_at, submitted_at, submitted_at, true
            FROM national_seed""")
        step(c, "applications", f"""
            INSERT INTO candidates_application (id, code, submitted_at, years_experience, "current_role",
                swe_registration, earliest_start, hours_wanted, right_to_work, channel, utm_source, utm_medium,
                utm_campaign, utm_content, utm_term, referrer_host, click_id, is_simulated, campaign_id,
                candidate_id, full_name_given)
            SELECT app_id, gen_random_uuid(), submitted_at, (i % 11)::smallint, '', '',
                (submitted_at + (i % 90) * interval '1 day')::date,
                (ARRAY['full_time','part_time','flexible'])[1 + i % 3], 'yes',
                ({channels})[1 + (i * 7) % {len(CHANNELS)}], '', '', '', '', '', '', '', true,
                ({campaign_ids})[1 + i % {CAMPAIGNS}], cand_id, 'National Person ' || i
            FROM national_seed""")
        step(c, "application job roles", """
            INSERT INTO candidates_application_job_roles (application_id, jobrole_id)
            SELECT app_id, role1 FROM national_seed
            UNION ALL SELECT app_id, role2 FROM national_seed WHERE role2 IS NOT NULL""")
        step(c, "application council areas", f"""
            INSERT INTO candidates_application_council_areas (application_id, organisation_id)
            SELECT app_id, ({council_ids})[idx1] FROM national_seed
            UNION ALL SELECT app_id, ({council_ids})[idx2] FROM national_seed WHERE idx2 IS NOT NULL""")
        step(c, "routes", f"""
            INSERT INTO placements_applicationroute (code, reason, stage, stage_entered_at, routed_at,
                updated_at, is_simulated, application_id, organisation_id)
            SELECT gen_random_uuid(), 'chosen', {stage_case('rr')}, least(now(), routed_at + interval '5 days'),
                routed_at, routed_at, true, app_id, council
            FROM (SELECT app_id, submitted_at + interval '1 minute' AS routed_at, random() AS rr,
                         ({council_ids})[idx] AS council
                  FROM national_seed, LATERAL (VALUES (idx1), (idx2)) v(idx) WHERE idx IS NOT NULL) s""")
        step(c, "placements", f"""
            INSERT INTO placements_placement (code, contract_type, start_date, confirmed_at, is_simulated,
                job_role_id, organisation_id, route_id)
            SELECT gen_random_uuid(), 1, (r.routed_at + interval '40 days')::date,
                least(now(), r.routed_at + (10 + random() * 50) * interval '1 day'), true,
                s.role1, r.organisation_id, r.id
            FROM placements_applicationroute r JOIN national_seed s ON s.app_id = r.application_id
            WHERE r.stage = 'placed' AND r.application_id > {app0}""")
        step(c, "retention checkpoints", f"""
            INSERT INTO placements_retentioncheckpoint (months, due_on, status, leaving_reason, left_on,
                answered_at, placement_id)
            SELECT months, due_on,
                CASE WHEN due_on > current_date THEN 'pending' WHEN r < 0.7 THEN 'in_post'
                     WHEN r < 0.9 THEN 'left' ELSE 'unknown' END,
                CASE WHEN due_on <= current_date AND r >= 0.7 AND r < 0.9 THEN 1 + floor(random() * 9)::int END,
                CASE WHEN due_on <= current_date AND r >= 0.7 AND r < 0.9 THEN due_on - 10 END,
                CASE WHEN due_on <= current_date THEN due_on + interval '2 days' END, id
            FROM (SELECT p.id, m.months, (p.start_date + m.months * interval '1 month')::date AS due_on,
                         random() AS r
                  FROM placements_placement p CROSS JOIN (VALUES (3), (6), (12)) m(months)
                  WHERE p.is_simulated AND p.route_id IN (
                      SELECT id FROM placements_applicationroute WHERE application_id > {app0})) s""")
        # Talent bank: a profile (and a row per role) for each consenting person, placed
        # near their first council's centroid; x, y, z is the unit vector of the point.
        step(c, "talent profile points", f"""
            CREATE TEMP TABLE national_points ON COMMIT DROP AS
            SELECT cand_id, app_id, idx1, idx2, role1, role2, submitted_at, i,
                ({lat})[idx1] + (random() - 0.5) * 0.3 AS la, ({lon})[idx1] + (random() - 0.5) * 0.4 AS lo,
                CASE WHEN i % 10 = 0 THEN NULL ELSE current_date + (i % 150 - 30) END AS available_from
            FROM national_seed WHERE consent""")
        profile_cols = ("latitude, longitude, hours_wanted, available_from, years_experience, swe_registered, "
                        "last_active_at, x, y, z")
        profile_vals = ("la, lo, (ARRAY['full_time','part_time','flexible'])[1 + i % 3], available_from, "
                        "(i % 11)::smallint, false, submitted_at, cos(radians(la)) * cos(radians(lo)), "
                        "cos(radians(la)) * sin(radians(lo)), sin(radians(la))")
        step(c, "talent profiles", f"""
            INSERT INTO talentbank_talentprofile (candidate_id, refreshed_at, {profile_cols})
            SELECT cand_id, now(), {profile_vals} FROM national_points""")
        step(c, "talent profile council areas", f"""
            INSERT INTO talentbank_talentprofile_council_areas (talentprofile_id, organisation_id)
            SELECT cand_id, ({council_ids})[idx1] FROM national_points
            UNION ALL SELECT cand_id, ({council_ids})[idx2] FROM national_points WHERE idx2 IS NOT NULL""")
        step(c, "talent roles", f"""
            INSERT INTO talentbank_talentrole (candidate_id, job_role_id, {profile_cols})
            SELECT cand_id, role1, {profile_vals} FROM national_points
            UNION ALL SELECT cand_id, role2, {profile_vals} FROM national_points WHERE role2 IS NOT NULL""")
        step(c, "vacancies", f"""
            INSERT INTO vacancies_vacancy (code, title, reference, contract_type, hours_per_week,
                pay_min_pence, pay_unit, street_address, town, postcode, latitude, longitude, closing_date,
                number_of_posts, description, status, created_at, updated_at, published_at, closed_at,
                is_simulated, campaign_id, council_area_id, job_role_id, organisation_id)
            SELECT 'nv' || i, 'Care worker', '', 1, 37.5, 1250, 'HOUR', '', '', 'B1 1AA',
                ({lat})[idx], ({lon})[idx], (created_at + interval '30 days')::date,
                1 + i % 5, '', CASE WHEN created_at > now() - interval '30 days' OR i % 3 = 0 THEN 'open' ELSE 'closed' END,
                created_at, created_at, created_at,
                CASE WHEN created_at > now() - interval '30 days' OR i % 3 = 0 THEN NULL ELSE created_at + interval '30 days' END,
                true, ({campaign_ids})[1 + i % {CAMPAIGNS}], ({council_ids})[idx],
                ({first_roles})[1 + i % {len(FIRST_ROLES)}],
                CASE WHEN i % 2 = 0 THEN ({council_ids})[idx] ELSE ({sql_array(providers)})[1 + i % {PROVIDERS}] END
            FROM (SELECT i, 1 + floor({n_councils} * power(random(), 1.6))::int AS idx,
                         now() - random() * interval '{DAYS} days' AS created_at
                  FROM generate_series(1, {VACANCIES}) i) s""")
        # Workforce: one current return per provider (as at 31 March), 20 workplaces each
        # in that provider's council, staff records spread evenly over the workplaces.
        c.execute("SELECT coalesce(max(id), 0) FROM workforce_workforcereturn")
        ret0 = c.fetchone()[0]
        c.execute("SELECT coalesce(max(id), 0) FROM workforce_workplace")
        wp0 = c.fetchone()[0]
        as_at = datetime.date(today.year if today.month > 3 else today.year - 1, 3, 31)
        step(c, "workforce returns", f"""
            INSERT INTO workforce_workforcereturn (id, code, as_at, status, uploaded_at, workplace_file_name,
                workplace_file_sha256, worker_file_name, worker_file_sha256, workplace_count, worker_count,
                council_id, organisation_id)
            SELECT {ret0} + p, gen_random_uuid(), %s, 'current', now(), 'workplace.csv', '', 'worker.csv', '',
                {WORKPLACES // PROVIDERS}, {n_workers // PROVIDERS},
                ({council_ids})[1 + floor({n_councils} * power(random(), 1.6))::int], ({sql_array(providers)})[p]
            FROM generate_series(1, {PROVIDERS}) p""", [as_at])
        step(c, "workplaces", f"""
            INSERT INTO workforce_workplace (id, local_establishment_id, name, postcode, employer_type,
                main_service, regulation_type, cqc_location_id, total_perm_temp, council_id, workforce_return_id)
            SELECT {wp0} + w, 'W' || w, 'Workplace ' || w, 'B1 1AA', CASE WHEN w % 3 = 0 THEN 7 ELSE 6 END,
                (ARRAY[1, 2, 8, 9, 10])[1 + w % 5], 2, '', {n_workers // WORKPLACES}, r.council_id, r.id
            FROM generate_series(1, {WORKPLACES}) w
            JOIN workforce_workforcereturn r ON r.id = {ret0} + 1 + (w - 1) % {PROVIDERS}""")
        step(c, "workers (staff records)", f"""
            INSERT INTO workforce_worker (worker_key, contract_type, zero_hours_contract, contracted_hours,
                average_hours, start_year, start_month, recruitment_source, main_job_role_code,
                workforce_return_id, workplace_id)
            SELECT 'K' || k, (ARRAY[1,1,1,1,1,1,2,3,4,7])[1 + floor(random() * 10)::int], false, 37.5, NULL,
                2000 + k % 26, 1 + k % 12, NULL, ({worker_roles})[1 + floor(random() * {len(WORKER_ROLES)})::int],
                {ret0} + 1 + (w - 1) % {PROVIDERS}, {wp0} + w
            FROM (SELECT k, 1 + (k - 1) % {WORKPLACES} AS w FROM generate_series(1, {n_workers}) k) s""")
        step(c, "figures per workplace and job role", f"""
            INSERT INTO workforce_workplacejobrolefigure (permanent, temporary, pool_bank, agency,
                other_contract, filled_posts, starters, leavers, vacancies, job_role_code, workplace_id)
            SELECT count(*) FILTER (WHERE contract_type = 1), count(*) FILTER (WHERE contract_type = 2),
                count(*) FILTER (WHERE contract_type = 3), count(*) FILTER (WHERE contract_type = 4),
                count(*) FILTER (WHERE contract_type = 7), count(*),
                floor(count(*) * 0.3 * random())::int, floor(count(*) * 0.3 * random())::int,
                floor(random() * 3)::int, main_job_role_code, workplace_id
            FROM workforce_worker WHERE workplace_id > {wp0}
            GROUP BY workplace_id, main_job_role_code""")
        for table in ("candidates_candidate", "candidates_application", "workforce_workforcereturn",
                      "workforce_workplace"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute("ANALYZE")
        print(f"  ANALYZE in {time.perf_counter() - t:.0f} s")
    print(f"Seeded in {time.perf_counter() - t0:.0f} s", flush=True)


def counts() -> dict:
    from django.db import connection

    tables = ["organisations_organisation", "candidates_candidate", "candidates_application",
              "placements_applicationroute", "placements_placement", "placements_retentioncheckpoint",
              "talentbank_talentprofile", "talentbank_talentrole", "vacancies_vacancy",
              "workforce_workforcereturn", "workforce_workplace", "workforce_worker",
              "workforce_workplacejobrolefigure"]
    with connection.cursor() as c:
        out = {}
        for table in tables:
            c.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
            out[table] = c.fetchone()[0]
        c.execute("SELECT count(*) FROM organisations_organisation WHERE kind = 'council'")
        out["councils"] = c.fetchone()[0]
    return out


def measure(runs: int, explain: bool) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from carerecruit.organisations.models import Organisation
    from carerecruit.regional.datasets import DATASET_NAMES, UNRESTRICTED, Filters, build_dataset

    today = datetime.date.today()
    start = today - datetime.timedelta(days=364)
    # The busiest council (the seed skews people towards the first councils).
    council = (Organisation.objects.filter(kind=Organisation.Kind.COUNCIL, slug="national-council-1").first()
               or Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("pk").first())
    filters = {
        "all councils": Filters(start, today),
        "one council": Filters(start, today, council_id=council.pk),
        "care worker": Filters(start, today, job_role_code=8),
        "council + role": Filters(start, today, council_id=council.pk, job_role_code=8),
    }
    viewers = {"unrestricted": UNRESTRICTED, "council": council.pk}
    results = []
    for name in DATASET_NAMES:
        for fname, f in filters.items():
            for vname, viewer in viewers.items():
                build_dataset(name, viewer=viewer, filters=f)  # warm-up
                samples = []
                for _ in range(runs):
                    t = time.perf_counter()
                    build_dataset(name, viewer=viewer, filters=f)
                    samples.append((time.perf_counter() - t) * 1000)
                with CaptureQueriesContext(connection) as ctx:
                    build_dataset(name, viewer=viewer, filters=f)
                row = {"dataset": name, "filters": fname, "viewer": vname,
                       "p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95(samples), 1),
                       "max_ms": round(max(samples), 1), "queries": len(ctx.captured_queries)}
                results.append(row)
                print(f"  {name:16} {fname:15} {vname:12} p50 {row['p50_ms']:7.1f}  p95 {row['p95_ms']:7.1f} ms  "
                      f"({row['queries']} queries)", flush=True)
                if explain and vname == "unrestricted" and fname == "all councils":
                    with connection.cursor() as c:
                        for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:2]:
                            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                            print(f"\n-- {name}: {q['time']} s\n{q['sql']}\n" + "\n".join(r[0] for r in c.fetchall()))
                reset_queries()
    return {"council_id": council.pk, "rows": results}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=1_500_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-rollups", action="store_true",
                        help="read the raw rows only (the datasets' direct queries), as before the rollups")
    parser.add_argument("--work-mem", default=None,
                        help="e.g. 64MB: SET work_mem (and jit off) for this session, as a tuned server would")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from carerecruit.organisations.models import Organisation

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL=postgres://…/bench_national")
    call_command("migrate", verbosity=0)
    if Organisation.objects.filter(slug=MARK).exists():
        print("Reusing the seeded national region", flush=True)
    else:
        seed(args.candidates, args.workers)
    if args.work_mem:
        # PostgreSQL's defaults (work_mem 4MB, JIT on) make the big grouped joins spill
        # their hash tables to disk and spend time compiling; a server sized for the data
        # would set these in postgresql.conf.
        with connection.cursor() as c:
            c.execute("SELECT set_config('work_mem', %s, false)", [args.work_mem])
            c.execute("SET jit = off")
    data = counts()
    print(json.dumps(data, indent=1), flush=True)
    rollup_seconds = None
    if not args.no_rollups:
        # What the worker does every minute (carerecruit.regional.rollups); the first run
        # builds the rollups from scratch, later ones fold only new rows.
        from carerecruit.regional.rollups import refresh_regional_rollups

        for label in ("build", "refresh"):
            t = time.perf_counter()
            done = refresh_regional_rollups()
            rollup_seconds = round(time.perf_counter() - t, 1)
            print(f"regional rollups {label}: {rollup_seconds} s {done}", flush=True)
    from carerecruit.regional.rollups import direct_queries

    with direct_queries() if args.no_rollups else contextlib.nullcontext():
        results = measure(args.runs, args.explain)
    results["_data"] = {**data, "load_average": os.getloadavg(), "runs": args.runs, "work_mem": args.work_mem,
                        "rollups": not args.no_rollups, "rollup_refresh_seconds": rollup_seconds}
    suffix = ("_tuned" if args.work_mem else "") + ("_direct" if args.no_rollups else "")
    (RESULTS / f"national_postgresql{suffix}.json").write_text(json.dumps(results, indent=2, default=str))
    worst = max(results["rows"], key=lambda r: r["p95_ms"])
    over = [r for r in results["rows"] if r["p95_ms"] > 500]
    print(f"\nworst p95: {worst['p95_ms']} ms ({worst['dataset']}, {worst['filters']}, {worst['viewer']}); "
          f"{len(over)} of {len(results['rows'])} over 500 ms; load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
