"""An application's status in plain words, for the candidate's self-service page.

The pipeline belongs to the placements app; it tells us each routed organisation's stage
through a registered *status reader* (registered in its ``AppConfig.ready()``)::

    from carerecruit.candidates.status import register_status_reader

    def read_routes(application):
        return [(route.organisation.short_name, route.stage) for route in application.routes.all()]

    register_status_reader(read_routes)

A reader returns ``(organisation name, stage code)`` pairs, or an empty list when it has
nothing for this application. Stage codes are mapped to words by :data:`PLAIN_WORDS`;
an unknown code reads as "A council is looking at your application" rather than leaking
internal jargon. Without any reader (or with nothing routed yet) the status is "We've
received your application".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

RECEIVED = "We've received your application"
LOOKING = "A council is looking at your application"
WITHDRAWN = "Withdrawn"

# Pipeline stage codes (issue 4: new → contacted → screening → interview → offer →
# pre-employment checks → placed; exits withdrawn, not suitable, kept in talent bank).
PLAIN_WORDS = {
    "received": RECEIVED,
    "new": RECEIVED,
    "contacted": LOOKING,
    "screening": LOOKING,
    "interview": "Interview",
    "offer": "Offer made",
    "checks": "Checks in progress",
    "pre_employment_checks": "Checks in progress",
    "placed": "You've been placed",
    "withdrawn": WITHDRAWN,
    "not_suitable": "Not taken forward this time",
    "talent_bank": "Kept in the talent bank for other jobs",
    "kept_in_talent_bank": "Kept in the talent bank for other jobs",
}

StatusReader = Callable[[object], list[tuple[str, str]]]

_readers: list[StatusReader] = []


def register_status_reader(reader: StatusReader) -> StatusReader:
    """Register ``reader`` (see the module docstring). Idempotent; returns ``reader``."""
    if reader not in _readers:
        _readers.append(reader)
    return reader


@dataclass(frozen=True)
class StatusLine:
    """One organisation's view of an application: ``organisation`` ("" when not yet
    routed), the internal ``stage`` code and its plain ``words``."""

    organisation: str
    stage: str
    words: str

    @property
    def words_with_organisation(self) -> str:
        return f"{self.organisation}: {self.words}" if self.organisation else self.words


def plain_words(stage: str) -> str:
    """The candidate-facing words for a pipeline stage code (see :data:`PLAIN_WORDS`)."""
    return PLAIN_WORDS.get(stage, LOOKING)


def application_status(application) -> list[StatusLine]:
    """The status lines of ``application`` (a ``candidates.models.Application``).

    Withdrawn by the candidate → one line "Withdrawn". Otherwise one line per routed
    organisation from the registered readers, or a single "We've received your
    application" line.
    """
    if application.withdrawn_at is not None:
        return [StatusLine("", "withdrawn", WITHDRAWN)]
    lines = []
    for reader in _readers:
        for organisation, stage in reader(application) or []:
            lines.append(StatusLine(str(organisation), str(stage), plain_words(str(stage))))
    return lines or [StatusLine("", "received", RECEIVED)]
