"""The audit log of access to candidates' personal data (who, what, when).

Call :func:`log_access` from every view, export, search and API response that shows a
candidate's personal data. Lines go to the ``PersonalDataAccess`` table and to the
``carerecruit.audit`` logger (for shipping to durable storage); neither holds names,
e-mails, phones or postcodes — only opaque candidate codes.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable

from carerecruit.organisations.models import PersonalDataAccess

logger = logging.getLogger("carerecruit.audit")


def log_access(
    user, action: str, resource: str, *, candidate_codes: Iterable[uuid.UUID] = (),
    count: int | None = None, detail: str = "",
) -> None:
    """Record that ``user`` performed ``action`` on ``resource``.

    ``candidate_codes``: the Candidate.code values shown (one line each, up to 500; a
    larger export is one summary line with ``count``). ``action`` is a
    ``PersonalDataAccess.Action`` value. ``user`` may be None (a candidate acting on their
    own data through self-service). Never raises for an anonymous user.
    """
    staff = user if getattr(user, "is_authenticated", False) else None
    org_id = getattr(staff, "organisation_id", None)
    codes = list(candidate_codes)
    total = count if count is not None else max(len(codes), 1)
    if codes and len(codes) <= 500:
        rows = [
            PersonalDataAccess(
                user=staff, organisation_id=org_id, action=action, resource=resource,
                candidate_code=code, subject_count=1, detail=detail[:255],
            )
            for code in codes
        ]
    else:
        rows = [
            PersonalDataAccess(
                user=staff, organisation_id=org_id, action=action, resource=resource,
                subject_count=total, detail=detail[:255],
            )
        ]
    PersonalDataAccess.objects.bulk_create(rows)
    logger.info(
        "user=%s org=%s action=%s resource=%s subjects=%d",
        getattr(staff, "pk", None), org_id, action, resource, total,
    )


def forget_candidate(candidate_code: uuid.UUID) -> int:
    """Unlink an erased candidate from the audit log; returns the lines changed."""
    return PersonalDataAccess.objects.filter(candidate_code=candidate_code).update(candidate_code=None)
