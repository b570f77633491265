"""The worker's click-spool thread, for live-server tests in which a browser clicks a
tracked link and a staff page must show the click without a reload."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def moving_spooled_clicks() -> Iterator[None]:
    """Run the thread ``carerecruit worker`` runs to move spooled clicks into the database
    (every :data:`~carerecruit.tracking.management.commands.worker.SPOOL_EVERY_SECONDS`)
    for the duration of the ``with`` block."""
    from carerecruit.tracking.management.commands.worker import SPOOL_EVERY_SECONDS, Job, Scheduler
    from carerecruit.tracking.tasks import ingest_click_spool_task

    mover = Scheduler([Job("click spool", ingest_click_spool_task, SPOOL_EVERY_SECONDS)],
                      name="test-click-spool")
    mover.start()
    try:
        yield
    finally:
        mover.stop()


def write_spooled_click(link, click_id: str, *, periods_ago: int, host: str = "webhost",
                        now: float | None = None):
    """Write a spool file as another web process would have, ``periods_ago`` rotation
    periods before ``now`` (Unix seconds; default: now), holding one click on ``link``
    at the Unix epoch; return its path."""
    import json
    import time

    from carerecruit.tracking import spool

    now = time.time() if now is None else now
    directory = spool.spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"clicks-{int(now // spool.ROTATE_SECONDS) - periods_ago}-{host}-1.jsonl"
    path.write_text(json.dumps([spool.LINE_VERSION, 0, link.campaign_id, link.pk, "facebook",
                                "", "", "", "", "", click_id, "", False]) + "\n")
    return path
