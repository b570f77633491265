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
