"""``carerecruit worker``: run background tasks and keep the funnel rollups fresh.

Two things run in one process:

- the database task queue worker from ``django_tasks_db`` (its ``db_worker`` machinery),
  in the main thread, running whatever the apps enqueue (e-mails, imports, exports);
- a thread that moves tracked-link clicks from the click spool into the database every
  half second (``carerecruit.tracking.spool``), alone so that no slow job delays it;
- a small scheduler thread that *calls* the periodic tracking tasks directly: the event
  roll-up every 2 seconds and the visitor-salt purge every hour; and the insights
  alert evaluation every 5 minutes (``carerecruit evaluate-alerts`` does it from cron).

Why call rather than enqueue the periodic tasks: the roll-up must stay fresh even when the
queue is busy with a long import, and enqueueing a task every 2 seconds would write 43,000
task-result rows a day for nothing. Both tasks are idempotent and take turns on a
database lock, so any number of workers on any number of machines may run side by side.
A failing run is logged and retried at the next tick; the thread never dies of it.

``--once`` moves the spooled clicks in, folds every committed event and purges old
salts, then exits (tests, cron).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, close_old_connections, connection, connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from carerecruit.forecast.tasks import nightly_forecasts
from carerecruit.insights.tasks import evaluate_alerts_task
from carerecruit.regional.rollups import REFRESH_EVERY_SECONDS as REGIONAL_ROLLUPS_EVERY_SECONDS
from carerecruit.regional.tasks import refresh_regional_rollups_task
from carerecruit.reports.tasks import send_weekly_report_task
from carerecruit.talentbank.tasks import find_duplicates_task
from carerecruit.tracking import spool
from carerecruit.tracking.rollups import catch_up
from carerecruit.tracking.tasks import (
    ingest_click_spool_task,
    purge_visitor_salts_task,
    roll_up_events_task,
)
from carerecruit.tracking.visitors import purge_old_salts

logger = logging.getLogger("carerecruit.worker")

ROLLUP_EVERY_SECONDS = 2.0
# The worker shares its machine with the web server (the click spool is local). Under a
# burst of clicks the web server should have the CPU first: spooled clicks wait, none are
# lost, and at nice 10 the worker still gets about a tenth of a busy core's time, more
# than moving 2,000 clicks a second into the database takes (docs/performance.md).
# Not on SQLite: there the worker's transactions hold the one write lock that visits and
# applications also need, and a slowed lock holder would slow them (priority inversion;
# seen in the benchmark as 20-second lock waits).
WORKER_NICE = 10
# Clicks reach the dashboards through the spool, the roll-up's 5-second settle lag and
# the page's own poll; half a second here keeps that well inside the 10 seconds promised.
SPOOL_EVERY_SECONDS = 0.5
PURGE_EVERY_SECONDS = 3600.0
# Insights alerts (conversion sag, cost per application): cheap rollup reads, at most
# one alert a day each, so every few minutes is plenty.
ALERTS_EVERY_SECONDS = 300.0
# Forecasts: checks whether tonight's run is due (from 02:00 local) and, if so, enqueues
# it on the task queue, so minutes of model fitting never stall the roll-up.
FORECASTS_CHECK_EVERY_SECONDS = 600.0
# Weekly report: last week's goes out once, from Monday 07:00 Europe/London (or the first
# run later that week); checking is one query, so every few minutes is cheap.
WEEKLY_REPORT_EVERY_SECONDS = 300.0
# Duplicate candidates (same phone, similar name and postcode): a scan of every candidate,
# so it goes on the task queue a few times a day rather than run in the scheduler.
DUPLICATES_EVERY_SECONDS = 6 * 3600.0


class Enqueue:
    """A scheduled job that puts ``task`` on the task queue instead of running it in the
    scheduler's thread (for long scans that must not hold up the roll-up)."""

    def __init__(self, task) -> None:
        self.task = task

    def call(self) -> str:
        return f"enqueued {self.task.enqueue().id}"


@dataclass
class Job:
    """A task called every ``every`` seconds (monotonic clock); the first run is at once."""

    name: str
    task: object
    every: float
    next_run: float = 0.0


class Scheduler(threading.Thread):
    """Calls each due :class:`Job`'s task in this thread, then sleeps until the next one."""

    def __init__(self, jobs: list[Job], name: str = "carerecruit-scheduler"):
        super().__init__(name=name, daemon=True)
        self.jobs = jobs
        self.stopping = threading.Event()

    def tick(self, now: float | None = None) -> float:
        """Run the jobs that are due; return seconds until the next one is."""
        now = time.monotonic() if now is None else now
        for job in self.jobs:
            if now >= job.next_run:
                job.next_run = now + job.every
                try:
                    result = job.task.call()
                    logger.debug("%s: %s", job.name, result)
                except Exception:
                    logger.exception("Scheduled %s failed; retrying at the next tick", job.name)
                finally:
                    # Drop a connection that broke or outlived CONN_MAX_AGE, as a request would.
                    close_old_connections()
        return max(0.0, min(job.next_run for job in self.jobs) - time.monotonic())

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.stopping.wait(self.tick())
        finally:
            connections.close_all()

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)


# After the database fails under the task queue (SQLite locked for longer than its busy
# timeout, PostgreSQL restarting), wait this long and poll again.
QUEUE_RETRY_SECONDS = 5.0


def run_queue_worker(worker: Worker) -> None:
    """Run django_tasks_db's queue ``worker`` until it is stopped (a signal: SystemExit
    propagates), polling again after a database error instead of dying of it.

    Why: its loop opens each claim with an exclusive transaction outside its own
    "database is locked" handling, so one long lock on SQLite (seen in the redirect
    benchmark) ended the worker, and with it ``carerecruit serve``. A task that was
    running is not affected: the queue marks its own task failures.
    """
    while True:
        try:
            worker.run()
            return
        except OperationalError:
            if not worker.running:
                return
            logger.exception("Task queue: database error; polling again in %g s", QUEUE_RETRY_SECONDS)
            connection.close()  # the failed BEGIN may have left it in an unknown state
            time.sleep(QUEUE_RETRY_SECONDS)


class Command(BaseCommand):
    help = (
        "Run the background task queue and keep funnel rollups fresh (roll-up every 2 s, "
        "visitor salt purge hourly). --once: roll up and purge, then exit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true",
            help="Fold every committed event into the rollups, purge old salts, and exit.",
        )
        parser.add_argument(
            "--no-queue", action="store_true",
            help="Run only the scheduled roll-up and purge, not the task queue.",
        )
        parser.add_argument(
            "--queue-name", default="default",
            help="Task queues to run, comma-separated; '*' for all (default: default).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0,
            help="Seconds between queue polls when it is empty (default: 1).",
        )
        parser.add_argument(
            "--rollup-every", type=float, default=ROLLUP_EVERY_SECONDS,
            help="Seconds between roll-ups (default: 2).",
        )
        parser.add_argument(
            "--purge-every", type=float, default=PURGE_EVERY_SECONDS,
            help="Seconds between visitor-salt purges (default: 3600).",
        )
        parser.add_argument(
            "--nice", type=int, default=None,
            help=f"Lower this process's CPU priority by this much (0-19; default {WORKER_NICE} "
                 "on PostgreSQL, 0 on SQLite): on a machine shared with the web server, "
                 "requests come first.",
        )

    def handle(self, *args, **options):
        if options["once"]:
            return self.run_once()
        nice = options["nice"]
        if nice is None:
            nice = 0 if connection.vendor == "sqlite" else WORKER_NICE
        if not 0 <= nice <= 19:
            raise CommandError("--nice must be from 0 to 19.")
        if nice and hasattr(os, "nice"):
            os.nice(nice)
        if options["rollup_every"] <= 0 or options["purge_every"] <= 0 or options["interval"] < 0:
            raise CommandError("--rollup-every and --purge-every must be positive, --interval not negative.")

        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        run_queue = not options["no_queue"]
        if run_queue and not isinstance(backend, DatabaseBackend):
            logger.warning(
                "The task backend %s has no queue to work; running the scheduler only.",
                type(backend).__name__,
            )
            run_queue = False

        scheduler = Scheduler([
            Job("roll-up", roll_up_events_task, options["rollup_every"]),
            Job("salt purge", purge_visitor_salts_task, options["purge_every"]),
            Job("alert evaluation", evaluate_alerts_task, ALERTS_EVERY_SECONDS),
            Job("nightly forecasts", nightly_forecasts, FORECASTS_CHECK_EVERY_SECONDS),
            Job("weekly report", send_weekly_report_task, WEEKLY_REPORT_EVERY_SECONDS),
            Job("regional rollups", refresh_regional_rollups_task, REGIONAL_ROLLUPS_EVERY_SECONDS),
            *([Job("duplicate candidates", Enqueue(find_duplicates_task), DUPLICATES_EVERY_SECONDS)]
              if run_queue else []),
        ])
        clicks = Scheduler([Job("click spool", ingest_click_spool_task, SPOOL_EVERY_SECONDS)],
                           name="carerecruit-click-spool")
        self.stdout.write(
            f"Worker started: roll-up every {options['rollup_every']:g} s, salt purge every "
            f"{options['purge_every']:g} s" + (", task queue " + options["queue_name"] if run_queue else "")
        )
        clicks.start()
        if not run_queue:
            try:
                with contextlib.suppress(KeyboardInterrupt):
                    scheduler.run()
            finally:
                clicks.stop()
            return None

        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=False,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=True,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        scheduler.start()
        try:
            # The queue worker handles SIGINT/SIGTERM: it finishes the running task, then
            # exits (SystemExit), which lands here and lets the scheduler finish its run.
            worker.configure_signals()
            run_queue_worker(worker)
        finally:
            scheduler.stop()
            clicks.stop()
        return None

    def run_once(self) -> None:
        moved = spool.ingest()
        # No settle lag: events still in flight are caught later as gaps (see rollups).
        counted = catch_up(settle_seconds=0)
        purged = purge_old_salts()
        self.stdout.write(
            f"Moved {moved} spooled clicks in; rolled up {counted} events; purged {purged['salts']} visitor salts and "
            f"{purged['daily_visitors']} daily visitor rows."
        )
