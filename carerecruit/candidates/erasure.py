"""The erasure registry: apps plug in scrubbers for rows that hold copies of a candidate's
personal data which deleting the Candidate cannot reach.

:func:`carerecruit.candidates.actions.do_erase_candidate` deletes the Candidate; the
database's ON DELETE CASCADE then removes their applications and every row keyed to a
candidate or an application by a CASCADE foreign key (pipeline routes, stage history,
notes, checks, placements, consent history...). What cascade cannot reach is a *copy*:
an e-mail address and body kept in a message log, a name typed into a free-text note on
another record, a row whose foreign key is SET_NULL. Each app that keeps such copies
registers an eraser in its ``AppConfig.ready()``::

    from carerecruit.candidates.erasure import register_eraser

    def erase_messages(subject):
        SentMessage.objects.filter(application_id__in=subject.application_ids).delete()
        SentMessage.objects.filter(to_address__iexact=subject.email).delete()

    class PlacementsConfig(AppConfig):
        def ready(self):
            register_eraser(erase_messages)

An eraser receives an :class:`ErasureSubject` and runs inside the erasure's transaction
*before* the Candidate is deleted, so the rows keyed to the candidate still exist and can
be found. It must not raise for a candidate it holds nothing about; an exception aborts
the whole erasure (nothing is deleted), which is what we want: a half-erased person is
worse than a retried request. Rows that only count things (funnel events, rollups) hold
no personal data and stay, so statistics are unchanged.

A foreign key to Candidate or Application with ``on_delete=PROTECT`` would make erasure
fail; use CASCADE (or SET_NULL plus an eraser that scrubs the row's copied fields).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from carerecruit.candidates.models import Candidate


@dataclass(frozen=True)
class ErasureSubject:
    """Who is being erased, with every identifier a copy might hold.

    ``candidate`` is the live instance (deleted after the erasers run); ``code`` its
    public UUID; ``application_ids``/``application_codes`` its applications' primary
    keys and UUIDs; ``names`` every name it gave (``Candidate.full_name`` and each
    ``Application.full_name_given``); ``email`` as typed, ``email_normalised``
    lower-case; ``phone_e164`` (``+447700900123``, may be ""); ``postcode`` canonical
    (``B1 1AA``).
    """

    candidate: Candidate
    code: uuid.UUID
    application_ids: tuple[int, ...]
    application_codes: tuple[uuid.UUID, ...]
    names: tuple[str, ...]
    email: str
    email_normalised: str
    phone_e164: str
    postcode: str
    requested_by: object | None = field(default=None, compare=False)

    @classmethod
    def of(cls, candidate: Candidate, *, requested_by=None) -> ErasureSubject:
        applications = list(candidate.applications.values_list("pk", "code", "full_name_given"))
        names = [candidate.full_name] + [given for _pk, _code, given in applications if given]
        return cls(
            candidate=candidate,
            code=candidate.code,
            application_ids=tuple(pk for pk, _code, _given in applications),
            application_codes=tuple(code for _pk, code, _given in applications),
            names=tuple(dict.fromkeys(names)),
            email=candidate.email,
            email_normalised=candidate.email_normalised,
            phone_e164=candidate.phone_e164,
            postcode=candidate.postcode,
            requested_by=requested_by,
        )

    def identifiers(self) -> tuple[str, ...]:
        """Every non-empty identifying string (names, e-mails, phone, postcode)."""
        values = (*self.names, self.email, self.email_normalised, self.phone_e164, self.postcode)
        return tuple(v for v in dict.fromkeys(values) if v)


Eraser = Callable[[ErasureSubject], object]

_erasers: list[Eraser] = []


def register_eraser(eraser: Eraser) -> Eraser:
    """Register ``eraser`` (called as ``eraser(subject)`` on every erasure, in
    registration order). Registering the same function twice has no effect. Returns
    the function, so it also works as a decorator."""
    if eraser not in _erasers:
        _erasers.append(eraser)
    return eraser


def registered_erasers() -> tuple[Eraser, ...]:
    """The registered erasers, in registration order."""
    return tuple(_erasers)


def run_erasers(subject: ErasureSubject) -> None:
    """Call every registered eraser with ``subject`` (exceptions propagate)."""
    for eraser in registered_erasers():
        eraser(subject)
