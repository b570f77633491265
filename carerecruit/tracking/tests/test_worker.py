import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from carerecruit.lib.localtime import local_today
from carerecruit.tracking.management.commands.worker import Job, Scheduler
from carerecruit.tracking.models import DailyVisitor, Event, FunnelRollup, VisitorSalt
from carerecruit.tracking.rollups import funnel_rows
from carerecruit.tracking.tasks import purge_visitor_salts_task, roll_up_events_task
from carerecruit.tracking.visitors import salt_for


def old_salts_and_visitors(campaign) -> None:
    old = local_today() - datetime.timedelta(days=5)
    salt_for(old)
    DailyVisitor.objects.create(day=old, campaign=campaign, visitor_hash="0" * 64, channel="direct")
    salt_for(local_today())


def test_worker_once_moves_spooled_clicks_rolls_up_and_purges(phone, link):
    old_salts_and_visitors(link.campaign)
    for _ in range(3):
        phone.get(f"/r/{link.code}")  # Fresh clicks: --once has no settle lag.
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert out.getvalue().strip() == (
        "Moved 3 spooled clicks in; rolled up 3 events; purged 1 visitor salts and 1 daily "
        "visitor rows."
    )
    assert FunnelRollup.objects.get().count == 3
    assert [r["count"] for r in funnel_rows([link.campaign_id], None, None)] == [3]
    assert list(VisitorSalt.objects.values_list("day", flat=True)) == [local_today()]


# The queue worker closes connections between tasks, as a request would: it needs real
# commits, not the test case's wrapping transaction.
@pytest.mark.django_db(transaction=True)
def test_tasks_run_through_the_database_queue(campaign, link):
    old_salts_and_visitors(campaign)
    Event.objects.create(
        kind="click", occurred_at=timezone.now() - datetime.timedelta(minutes=1),
        campaign=campaign, link=link, channel="facebook",
    )
    roll_up = roll_up_events_task.enqueue()
    purge = purge_visitor_salts_task.enqueue()
    assert roll_up.status == TaskResultStatus.READY

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    roll_up.refresh()
    purge.refresh()
    assert (roll_up.status, roll_up.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert (purge.status, purge.return_value) == (
        TaskResultStatus.SUCCESSFUL, {"salts": 1, "daily_visitors": 1}
    )


class Recorder:
    def __init__(self, fail=False):
        self.calls = 0
        self.fail = fail

    def call(self):
        self.calls += 1
        if self.fail:
            raise RuntimeError("database went away")
        return self.calls


def test_scheduler_runs_due_jobs_and_survives_a_failure(db):
    often, hourly, broken = Recorder(), Recorder(), Recorder(fail=True)
    scheduler = Scheduler([Job("often", often, 2.0), Job("hourly", hourly, 3600.0), Job("broken", broken, 2.0)])
    scheduler.tick(now=1000.0)
    assert (often.calls, hourly.calls, broken.calls) == (1, 1, 1)
    scheduler.tick(now=1001.0)
    assert (often.calls, hourly.calls, broken.calls) == (1, 1, 1)
    scheduler.tick(now=1002.0)
    assert (often.calls, hourly.calls, broken.calls) == (2, 1, 2)


def test_scheduler_thread_stops_when_asked(db):
    job = Recorder()
    scheduler = Scheduler([Job("job", job, 3600.0)])
    scheduler.start()
    scheduler.stop(timeout=5)
    assert not scheduler.is_alive()
    assert job.calls == 1


@pytest.mark.django_db(transaction=True)
def test_duplicate_detection_is_put_on_the_queue_and_flags_a_shared_phone(campaign):
    from carerecruit.candidates.models import Candidate
    from carerecruit.talentbank.models import DuplicateCandidatePair
    from carerecruit.talentbank.tasks import find_duplicates_task
    from carerecruit.tracking.management.commands.worker import Enqueue

    for name, email in (("Ann Lee", "ann@example.org"), ("Bea Newman", "bea@example.net")):
        Candidate.objects.create(full_name=name, email=email, email_normalised=email,
                                 phone_e164="+447700900123", postcode="B1 1AA")
    Enqueue(find_duplicates_task).call()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    pair = DuplicateCandidatePair.objects.get()
    assert {pair.candidate_a.full_name, pair.candidate_b.full_name} == {"Ann Lee", "Bea Newman"}


@pytest.mark.parametrize("nice", ["-1", "20"])
def test_worker_refuses_a_priority_outside_0_to_19(nice, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--nice must be from 0 to 19"):
        call_command("worker", "--nice", nice, stdout=io.StringIO())


def test_the_task_queue_polls_again_after_a_database_error(monkeypatch, caplog, db):
    from django.db import OperationalError

    from carerecruit.tracking.management.commands import worker as command

    class FlakyQueue:
        running = True
        calls = 0

        def run(self):
            self.calls += 1
            if self.calls < 3:
                raise OperationalError("database is locked")

    monkeypatch.setattr(command, "QUEUE_RETRY_SECONDS", 0)
    queue = FlakyQueue()
    command.run_queue_worker(queue)
    assert queue.calls == 3
    assert caplog.text.count("Task queue: database error; polling again") == 2


def test_a_stopping_task_queue_is_not_restarted(monkeypatch, db):
    from django.db import OperationalError

    from carerecruit.tracking.management.commands import worker as command

    class Stopping:
        running = False
        calls = 0

        def run(self):
            self.calls += 1
            raise OperationalError("server closed the connection")

    monkeypatch.setattr(command, "QUEUE_RETRY_SECONDS", 0)
    queue = Stopping()
    command.run_queue_worker(queue)
    assert queue.calls == 1
