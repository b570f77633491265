"""The click spool: clicks appended by the redirect become exactly one event each,
whatever happens to the web server or the worker in between."""

import datetime
import json
import logging
import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from carerecruit.lib.utm import normalise_utm
from carerecruit.testing.spool import write_spooled_click
from carerecruit.tracking import spool
from carerecruit.tracking.management.commands.worker import Job, Scheduler
from carerecruit.tracking.models import ClickSpoolFile, Event
from carerecruit.tracking.tasks import ingest_click_spool_task

UTM = normalise_utm({"utm_source": "facebook", "utm_medium": "social", "utm_campaign": "Spring Push"})
# 00:30 on 29 March 2020 in London is BST's first half hour: still 28 March 23:30 UTC.
AT = datetime.datetime(2020, 3, 28, 23, 30, 0, 123456, tzinfo=datetime.UTC)


def click(link, n: int = 0, *, at=AT, bot=False) -> None:
    spool.append(occurred_at=at, campaign_id=link.campaign_id, link_id=link.pk, channel="facebook",
                 utm=UTM, click_id="" if bot else f"{n:032x}", referrer_host="l.facebook.com",
                 is_bot=bot)


def spool_dir() -> Path:
    return spool.spool_dir()


def files() -> list[Path]:
    return sorted(spool_dir().glob("clicks-*.jsonl"))


def test_a_spooled_click_becomes_the_event_the_redirect_used_to_insert(link):
    click(link, 7)
    assert Event.objects.count() == 0
    assert spool.pending_bytes() > 0

    assert spool.ingest() == 1

    event = Event.objects.get()
    assert (event.kind, event.campaign_id, event.link_id, event.channel) == (
        "click", link.campaign_id, link.pk, "facebook")
    assert (event.utm_source, event.utm_medium, event.utm_campaign, event.utm_content, event.utm_term) == (
        "facebook", "social", "Spring Push", "", "")
    assert event.occurred_at == AT  # to the microsecond, in UTC
    assert (event.click_id, event.referrer_host, event.is_bot, event.visitor_hash) == (
        f"{7:032x}", "l.facebook.com", False, "")
    assert (event.is_simulated, event.detail) == (False, {})
    assert spool.pending_bytes() == 0
    assert spool.ingest() == 0  # read once: the offset moved with the event
    assert Event.objects.count() == 1


def test_a_line_still_being_written_waits_for_its_end(link):
    click(link, 1)
    (path,) = files()
    complete = path.read_bytes()
    click(link, 2)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 10])  # the second line without its end
    assert spool.ingest() == 1
    with path.open("ab") as handle:
        handle.write(whole[len(whole) - 10:])
    assert spool.ingest() == 1
    assert sorted(Event.objects.values_list("click_id", flat=True)) == [f"{1:032x}", f"{2:032x}"]
    assert ClickSpoolFile.objects.get().offset == len(whole) > len(complete)


def test_an_unreadable_line_is_logged_and_counted_and_the_rest_kept(link, caplog):
    click(link, 1)
    (path,) = files()
    with path.open("ab") as handle:
        handle.write(b'[1,"torn\n')
        handle.write(b'[9,1,2,3,"x","","","","","","","",false]\n')  # unknown line format
    click(link, 2)
    with caplog.at_level(logging.ERROR):
        assert spool.ingest() == 2
    assert ClickSpoolFile.objects.get().bad_lines == 2
    assert f"{path.name}: unreadable line 2" in caplog.text
    assert f"{path.name}: unreadable line 3" in caplog.text


def test_a_failed_move_keeps_both_the_clicks_and_the_offset(link, monkeypatch):
    for n in range(3):
        click(link, n)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away mid-insert")

    monkeypatch.setattr(spool, "insert_clicks", broken)
    with pytest.raises(RuntimeError):
        spool.ingest()
    assert Event.objects.count() == 0
    assert ClickSpoolFile.objects.get().offset == 0
    monkeypatch.undo()
    assert spool.ingest() == 3
    assert Event.objects.count() == 3


def test_old_files_are_deleted_once_read_and_the_current_one_kept(link):
    now = AT.timestamp()
    old_period = int(now // spool.ROTATE_SECONDS) - 2
    old = spool_dir() / f"clicks-{old_period}-otherhost-42.jsonl"
    spool_dir().mkdir(parents=True, exist_ok=True)
    line = [1, 0, link.campaign_id, link.pk, "facebook", "facebook", "social", "x", "", "", "a" * 32, "", False]
    old.write_text(json.dumps(line) + "\n" + '{"torn')
    click(link, 5)
    current = [p for p in files() if p != old]

    assert spool.ingest(now=now) == 2
    assert not old.exists()
    assert [p.exists() for p in current] == [True]
    assert list(ClickSpoolFile.objects.values_list("name", flat=True)) == [current[0].name]
    assert Event.objects.filter(click_id="a" * 32).count() == 1


def test_files_that_are_not_spool_files_are_left_alone(link):
    spool_dir().mkdir(parents=True, exist_ok=True)
    (spool_dir() / "notes.txt").write_text("hello")
    (spool_dir() / "clicks-abc-host-1.jsonl").write_text("[]\n")
    assert spool.ingest() == 0
    assert ClickSpoolFile.objects.count() == 0


def test_no_spool_directory_is_nothing_to_do(settings, db):
    settings.CLICK_SPOOL_DIR = ""
    assert spool.ingest() == 0
    with pytest.raises(spool.SpoolUnavailable):
        spool.append(occurred_at=AT, campaign_id=1, link_id=1, channel="x", utm=UTM, click_id="",
                     referrer_host="", is_bot=False)


def test_many_threads_lose_no_click_and_interleave_no_line(link):
    def burst(start):
        for n in range(start, start + 250):
            click(link, n)

    threads = [threading.Thread(target=burst, args=(k * 1000,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert spool.ingest() == 2000
    assert Event.objects.values("click_id").distinct().count() == 2000


def _child(directory: str, link_id: int, campaign_id: int, start: int, crash: bool) -> None:
    from django.conf import settings

    settings.CLICK_SPOOL_DIR = directory
    for n in range(start, start + 300):
        spool.append(occurred_at=AT, campaign_id=campaign_id, link_id=link_id, channel="facebook",
                     utm=UTM, click_id=f"{n:032x}", referrer_host="", is_bot=False)
    if crash:
        os._exit(1)  # killed: no clean-up, no flush by Python


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_processes_that_die_after_their_clicks_lose_none(link):
    click(link, 10**6)  # the parent's own file is open when the children are forked
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=_child, args=(str(spool_dir()), link.pk, link.campaign_id, k * 1000, k % 2 == 0))
        for k in range(4)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join()
    assert [child.exitcode for child in children] == [1, 0, 1, 0]
    assert len(files()) == 5  # one file per process: the pid is in the name
    assert spool.ingest() == 1201
    assert Event.objects.values("click_id").distinct().count() == 1201


# The scheduler closes connections between runs, as a request would: real commits.
@pytest.mark.django_db(transaction=True)
def test_the_worker_task_and_its_thread_move_clicks_in(link):
    click(link, 1)
    assert ingest_click_spool_task.call() == 1
    click(link, 2)
    scheduler = Scheduler([Job("click spool", ingest_click_spool_task, 0.05)], name="test-spool")
    scheduler.tick()
    assert Event.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_insert_each_click_once(link):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:") or (
        connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"])
    ):
        pytest.skip("an in-memory SQLite database is one connection")
    for n in range(3000):
        click(link, n, at=timezone.now())
    errors = []

    def work():
        try:
            spool.ingest()
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Event.objects.count() == 3000
    assert Event.objects.values("click_id").distinct().count() == 3000


def test_a_click_whose_campaign_or_link_was_deleted_meanwhile_does_not_block_the_rest(campaign):
    from carerecruit.testing.factories import make_campaign, make_link

    kept = make_link(campaign)
    gone_link = make_link(campaign, utm_content="deleted-post")
    other = make_campaign(slug="step-up-now", name="Step Up Now")
    gone_campaign_link = make_link(other)
    click(kept, 1)
    click(gone_link, 2)
    click(gone_campaign_link, 3)
    gone_link.delete()
    other.delete()

    assert spool.ingest() == 2
    assert sorted(Event.objects.values_list("click_id", "link_id")) == [
        (f"{1:032x}", kept.pk), (f"{2:032x}", None)]
    assert spool.pending_bytes() == 0


def test_one_file_that_fails_does_not_hold_up_the_others(link, monkeypatch):
    click(link, 1)
    write_spooled_click(link, "b" * 32, periods_ago=0, host="otherhost", now=AT.timestamp())
    real = spool._ingest_chunk

    def first_fails(path, record):
        if "otherhost" in path.name:
            raise RuntimeError("disk error")
        return real(path, record)

    monkeypatch.setattr(spool, "_ingest_chunk", first_fails)
    with pytest.raises(RuntimeError):
        spool.ingest()
    assert list(Event.objects.values_list("click_id", flat=True)) == [f"{1:032x}"]


def test_staff_pages_say_when_no_worker_moves_the_clicks(link, client, personas):
    from carerecruit.testing.personas import PASSWORD

    now = time.time()
    write_spooled_click(link, "c" * 32, periods_ago=3, now=now)
    assert spool.clicks_waiting(now=now) is True
    client.login(username=personas.campaign_manager.username, password=PASSWORD)
    pages = [f"/staff/campaigns/{link.campaign.slug}/", f"/staff/campaigns/{link.campaign.slug}/links/"]
    for url in pages:
        assert "Some recent clicks are not counted yet" in client.get(url).content.decode(), url
    # Once a worker has moved them in, the warning goes.
    spool.ingest(now=now)
    assert spool.clicks_waiting(now=now) is False
    for url in pages:
        assert "Some recent clicks are not counted yet" not in client.get(url).content.decode(), url


def test_a_file_being_read_or_just_begun_is_not_waiting(link):
    click(link, 1)  # this minute's file: the worker has a minute before anyone is told
    assert spool.clicks_waiting() is False


def _ids_in_child(queue) -> None:
    from carerecruit.tracking.clickids import new_click_id

    queue.put([new_click_id() for _ in range(1000)])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_click_ids_are_unique_across_forked_workers():
    from carerecruit.tracking.clickids import new_click_id

    mine = [new_click_id() for _ in range(1000)]  # the generator exists before the fork
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_ids_in_child, args=(queue,)) for _ in range(3)]
    for child in children:
        child.start()
    theirs = [queue.get(timeout=30) for _ in children]
    for child in children:
        child.join()
    every = mine + [i for ids in theirs for i in ids]
    assert len(set(every)) == 4000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in every)
