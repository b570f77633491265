"""Background tasks of the talent bank (Django's tasks API, database-backed queue)."""

from __future__ import annotations

from django_tasks import task

from carerecruit.talentbank.duplicates import find_duplicates


@task()
def find_duplicates_task() -> int:
    """Record new pairs of candidates who are probably one person for an admin to review
    at /staff/duplicates/ (:func:`carerecruit.talentbank.duplicates.find_duplicates`);
    returns the pairs added. The worker enqueues it every
    ``DUPLICATES_EVERY_SECONDS``; ``carerecruit find-duplicates`` runs it at once."""
    return find_duplicates()
