"""Benchmark (b) of issue 3: dashboard query p95 over 5,000,000 events, target <= 300 ms.

Seeds (or reuses) 5,000,000 funnel events over six weeks for 3 campaigns and 300 tracked
links, with daily ad-platform figures per campaign and channel and 6,000 applications with
council preferences; folds them into the rollups the way the worker does; adds a live
half hour of recent events, folded by the worker's roll-up so that, as in production,
only the last few seconds' events are in the live tail; then times, 50 runs each after one warm-up run:

- ``campaign_funnel``: one campaign's whole funnel over the six weeks (rollups + live
  tail, ad figures, links, council preferences, the comparison period), by day;
- ``overview``: ``build_overview`` of all three campaigns over the six weeks;
- ``live_panel``: the last 30 minutes of the three campaigns, in 5-minute buckets (the
  one bounded read of raw events);
- ``dashboard_live_http``: the whole campaign dashboard live partial as the browser polls
  it (the three above plus rendering 42 days, 100 links and three chart specs), for
  context.

Bulk loading: SQLite ``executemany`` in 200,000-row transactions; PostgreSQL ``COPY``
through psycopg. A database that already holds the benchmark's events is reused (pass
``--reseed`` to start again).

Usage (from the repository root, after `make setup`):
    .venv/bin/python bench/dashboard_queries.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboard .venv/bin/python bench/dashboard_queries.py
Options: --events 5000000 --runs 50 --reseed
The SQLite default is bench/results/dashboard.sqlite3 (about 1.5 GB for 5M events).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SLUG_PREFIX = "bench-dashboard-"
CAMPAIGNS = 3
LINKS_PER_CAMPAIGN = 100
DAYS = 42
APPLICATIONS = 6000
LIVE_TAIL_EVENTS = 3000
CHANNELS = ["facebook", "instagram", "linkedin", "x", "tiktok", "email", "google_ads", "qr"]
# Share of events by kind: a click-heavy funnel like the demo's.
KINDS = [("click", 0.50), ("visit", 0.34), ("form_start", 0.10), ("application", 0.055),
         ("shortlisted", 0.003), ("placed", 0.0015), ("retained_6m", 0.0005)]
BATCH = 200_000


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'dashboard.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def engine() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- Seeding --------------------------------------------------------------------------


def make_campaigns():
    from carerecruit.adstats.models import AdDailyStat, AdPlatformCampaign
    from carerecruit.campaigns.models import TrackedLink
    from carerecruit.testing.factories import make_campaign

    today = datetime.date.today()
    start = today - datetime.timedelta(days=DAYS)
    campaigns, links = [], []
    for i in range(CAMPAIGNS):
        campaign = make_campaign(
            slug=f"{SLUG_PREFIX}{i + 1}", name=f"Bench campaign {i + 1}", starts_on=start,
            ends_on=today + datetime.timedelta(days=30),
            audience=["Former social workers", "School leavers", "Career changers"][i],
        )
        campaigns.append(campaign)
        for j in range(LINKS_PER_CAMPAIGN):
            channel = CHANNELS[j % len(CHANNELS)]
            links.append(TrackedLink(
                campaign=campaign, channel=channel, label=f"post {j + 1}", utm_source=channel,
                utm_medium="social", utm_campaign=campaign.slug,
            ))
    TrackedLink.objects.bulk_create(links)
    rng = random.Random(3)
    stats = []
    for campaign in campaigns:
        for channel, platform in (("facebook", "meta"), ("linkedin", "linkedin"), ("google_ads", "google")):
            platform_campaign = AdPlatformCampaign.objects.create(
                platform=platform, name=f"{campaign.slug} {platform}", campaign=campaign, channel=channel,
            )
            for day in range(DAYS):
                stats.append(AdDailyStat(
                    platform_campaign=platform_campaign, date=start + datetime.timedelta(days=day),
                    impressions=rng.randint(5000, 20000), clicks=rng.randint(100, 400),
                    spend_pence=rng.randint(5000, 20000), currency="GBP",
                ))
    AdDailyStat.objects.bulk_create(stats, batch_size=5000)
    return campaigns


def event_rows(campaigns, n: int, start: datetime.datetime, seconds: int, rng: random.Random):
    """Yield n event tuples (kind, occurred_at, campaign_id, link_id, channel) in time
    order (as the redirect and microsite write them), spread evenly over ``seconds``."""
    from carerecruit.campaigns.models import TrackedLink

    # Read now, not lazily: the generator is consumed while a COPY holds the connection.
    links = list(TrackedLink.objects.filter(campaign__in=campaigns).values_list("pk", "campaign_id", "channel"))
    kinds = [k for k, _ in KINDS]
    cumulative = [sum(w for _, w in KINDS[: i + 1]) for i in range(len(KINDS))]
    step = seconds / n

    def rows():
        for i in range(n):
            link_id, campaign_id, channel = links[rng.randrange(len(links))]
            kind = rng.choices(kinds, cum_weights=cumulative)[0]
            at = start + datetime.timedelta(seconds=i * step)
            yield kind, at, campaign_id, link_id, channel

    return rows()


COLUMNS = ("kind", "occurred_at", "campaign_id", "link_id", "channel", "utm_source", "utm_medium",
           "utm_campaign", "utm_content", "utm_term", "visitor_hash", "click_id", "referrer_host",
           "is_bot", "is_simulated", "detail")


def bulk_insert(rows) -> int:
    """Insert event tuples fast: executemany (SQLite) or COPY (PostgreSQL)."""
    from django.db import connection, transaction

    count = 0
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY tracking_event ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for kind, at, campaign_id, link_id, channel in rows:
                    copy.write_row((kind, at, campaign_id, link_id, channel, channel, "social", "",
                                    "", "", "", "", "", False, False, "{}"))
                    count += 1
        return count
    with connection.cursor() as cursor:
        # Seeding only: a big page cache, and no fsync per transaction.
        cursor.execute("PRAGMA cache_size = -524288")
        cursor.execute("PRAGMA synchronous = OFF")
    sql = (f"INSERT INTO tracking_event ({', '.join(COLUMNS)}) "  # noqa: S608 (constant columns)
           f"VALUES ({', '.join(['%s'] * len(COLUMNS))})")
    batch = []

    def flush():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)

    for kind, at, campaign_id, link_id, channel in rows:
        batch.append((kind, at.strftime("%Y-%m-%d %H:%M:%S.%f"), campaign_id, link_id, channel, channel,
                      "social", "", "", "", "", "", "", False, False, "{}"))
        count += 1
        if len(batch) >= BATCH:
            flush()
            batch = []
    if batch:
        flush()
    return count


def seed_applications(campaigns, rng: random.Random) -> None:
    from django.db import transaction

    from carerecruit.candidates.models import Application, Candidate
    from carerecruit.organisations.models import Organisation

    councils = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True))
    now = datetime.datetime.now(datetime.UTC)
    with transaction.atomic():
        candidates = Candidate.objects.bulk_create([
            Candidate(full_name=f"Bench Person {i}", email=f"bench{i}@example.org",
                      email_normalised=f"bench{i}@example.org", phone_e164=f"+447700{i:06d}",
                      postcode="B1 1AA", is_simulated=True)
            for i in range(APPLICATIONS)
        ], batch_size=2000)
        applications = Application.objects.bulk_create([
            Application(candidate=candidate, campaign=campaigns[i % len(campaigns)],
                        submitted_at=now - datetime.timedelta(seconds=rng.randrange(DAYS * 86400)),
                        years_experience=2, earliest_start=datetime.date.today(), hours_wanted="full_time",
                        right_to_work="yes", is_simulated=True)
            for i, candidate in enumerate(candidates)
        ], batch_size=2000)
        through = Application.council_areas.through
        through.objects.bulk_create([
            through(application_id=application.pk, organisation_id=council)
            for application in applications
            for council in rng.sample(councils, rng.randint(1, 3))
        ], batch_size=5000)


def seed(n_events: int) -> None:
    from carerecruit.tracking.rollups import catch_up

    rng = random.Random(20200420)
    t0 = time.perf_counter()
    campaigns = make_campaigns()
    seed_applications(campaigns, rng)
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    start = now - datetime.timedelta(days=DAYS)
    # Everything older than an hour; the live tail is added after the roll-up.
    inserted = bulk_insert(event_rows(campaigns, n_events - LIVE_TAIL_EVENTS, start,
                                      DAYS * 86400 - 3600, rng))
    t1 = time.perf_counter()
    print(f"Inserted {inserted:,} events in {t1 - t0:.0f} s ({inserted / (t1 - t0):,.0f}/s)", flush=True)
    folded = roll_up_in_bulk()
    t2 = time.perf_counter()
    print(f"Rolled up {folded:,} events in {t2 - t1:.0f} s", flush=True)
    assert catch_up(settle_seconds=0) == 0


def roll_up_in_bulk() -> int:
    """Build the rollups from the seeded events in one grouped query, and move the
    watermark past them: the same rows the worker's roll-up writes (local date in
    Europe/London, bots left out), made in one pass because the worker's incremental
    fold is built for seconds of new events, not a six-week backlog loaded at once."""
    from django.db import transaction
    from django.db.models import Count, Max
    from django.db.models.functions import TruncDate

    from carerecruit.lib.localtime import local_zone
    from carerecruit.tracking.models import Event, FunnelRollup, RollupState

    with transaction.atomic():
        state, _ = RollupState.objects.select_for_update().get_or_create(name="funnel")
        top = Event.objects.aggregate(top=Max("pk"))["top"] or 0
        FunnelRollup.objects.all().delete()
        grouped = (
            Event.objects.filter(pk__lte=top, is_bot=False)
            .annotate(day=TruncDate("occurred_at", tzinfo=local_zone()))
            .values_list("day", "campaign_id", "channel", "link_id", "kind")
            .annotate(n=Count("pk")).order_by()
        )
        rows = [FunnelRollup(local_date=day, campaign_id=campaign, channel=channel, link_id=link,
                             kind=kind, count=n)
                for day, campaign, channel, link, kind, n in grouped]
        FunnelRollup.objects.bulk_create(rows, batch_size=5000)
        state.last_event_id = top
        state.gaps = []
        state.save()
    return sum(r.count for r in rows)


def add_live_tail() -> int:
    """The last 30 minutes' traffic (what the live panel reads), folded by the worker's
    own roll-up as in production, where it runs every 2 seconds and leaves only the
    events of the last few seconds (the settle lag) in the live tail. Returns the tail."""
    from carerecruit.campaigns.models import Campaign
    from carerecruit.tracking.models import Event, RollupState
    from carerecruit.tracking.rollups import catch_up

    campaigns = list(Campaign.objects.filter(slug__startswith=SLUG_PREFIX))
    now = datetime.datetime.now(datetime.UTC)
    rng = random.Random(int(now.timestamp()))
    bulk_insert(event_rows(campaigns, LIVE_TAIL_EVENTS, now - datetime.timedelta(minutes=30), 1800, rng))
    catch_up()
    watermark = RollupState.objects.get(name="funnel").last_event_id
    return Event.objects.filter(pk__gt=watermark).count()


def drop_previous_tail() -> None:
    """Fold tails left by earlier runs, so every run measures the same-sized tail."""
    from carerecruit.tracking.rollups import catch_up

    catch_up(settle_seconds=0)


# --- Measuring ------------------------------------------------------------------------


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) or a periodic
    ``ANALYZE`` (SQLite) would in production: right after a bulk load the planner knows
    nothing about the five million new rows and can pick a scan of the whole table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")



def time_runs(fn, runs: int) -> dict:
    fn()  # warm-up: connections, caches, imports
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return {"p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95(samples), 1),
            "max_ms": round(max(samples), 1)}


def measure(runs: int) -> dict:
    from django.test import Client

    from carerecruit.campaigns.models import Campaign
    from carerecruit.insights.funnel import Period, campaign_funnel
    from carerecruit.insights.live import live_panel
    from carerecruit.insights.overview import build_overview
    from carerecruit.organisations.models import Organisation, User
    from carerecruit.tracking.models import Event, FunnelRollup

    campaigns = list(Campaign.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug"))
    ids = [c.pk for c in campaigns]
    today = datetime.date.today()
    period = Period(today - datetime.timedelta(days=DAYS - 1), today)
    results = {
        "campaign_funnel": time_runs(lambda: campaign_funnel(campaigns[0], period.start, period.end), runs),
        "overview": time_runs(lambda: build_overview(campaigns, period), runs),
        "live_panel": time_runs(lambda: live_panel(ids), runs),
    }
    regional = Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_BODY).first()
    user, _ = User.objects.get_or_create(username="bench-viewer", defaults={"organisation": regional, "role": "viewer"})
    client = Client(raise_request_exception=True)
    client.force_login(user)
    live_url = f"/staff/campaigns/{campaigns[0].slug}/live/"
    get = lambda: client.get(live_url, HTTP_HOST="localhost", secure=True)  # noqa: E731
    try:
        assert get().status_code == 200
        results["dashboard_live_http"] = time_runs(get, runs)
    except Exception as error:  # the other figures still count; say why this one is missing
        print(f"dashboard_live_http not measured: {type(error).__name__}: {error}", file=sys.stderr)
    results["_data"] = {
        "events": Event.objects.count(),
        "rollup_rows": FunnelRollup.objects.count(),
        "campaigns": len(campaigns),
        "links": sum(c.links.count() for c in campaigns),
        "load_average": os.getloadavg(),
    }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--reseed", action="store_true", help="Delete the database's benchmark data first.")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from carerecruit.campaigns.models import Campaign
    from carerecruit.tracking.models import Event

    if "tracking_event" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0)
    existing = Campaign.objects.filter(slug__startswith=SLUG_PREFIX)
    if args.reseed and existing.exists():
        from carerecruit.tracking.rollups import rebuild_rollups

        Event.objects.filter(campaign__in=existing).delete()
        existing.delete()
        rebuild_rollups(settle_seconds=0)
    if Campaign.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        # Reused as it is: migrating a database seeded earlier is not what is measured.
        print(f"Reusing {Event.objects.count():,} events already seeded", flush=True)
        drop_previous_tail()
    else:
        call_command("migrate", verbosity=0)
        seed(args.events)
    tail = add_live_tail()
    analyze()
    results = measure(args.runs)
    results["_data"]["live_tail_events"] = tail
    results["_data"]["engine"] = engine()
    out = RESULTS / f"dashboard_queries_{engine().lower()}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\n{engine()}: {results['_data']['events']:,} events, {results['_data']['rollup_rows']:,} rollup rows, "
          f"{args.runs} runs each, load average {results['_data']['load_average']}")
    print("| query | p50 ms | p95 ms | max ms | target p95 |")
    print("|---|---:|---:|---:|---:|")
    for name, r in results.items():
        if name.startswith("_"):
            continue
        target = "≤ 300 ms" if name != "dashboard_live_http" else "(context)"
        print(f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
