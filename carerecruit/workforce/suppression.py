"""Small-number suppression for workforce figures shown outside their owner.

Rule (issue 5, "Who may see what" in ``design.md``): outside the organisation that owns
the figures, a count of 1 to 4 people is shown as ``"<5"``, and a rate computed from any
such count is withheld. Zero is shown: it discloses nobody. The regional body's admins
and campaign managers (and platform superusers) see everything; everyone else, including
read-only viewers, sees their own organisation's figures in full and everyone else's
suppressed. The dashboard, exports and API all apply it through these functions.

Owner: the organisation(s) whose ASC-WDS returns a figure comes from. An aggregate made
from several organisations' returns has no single owner and is suppressed for all but
the unrestricted viewers. Workplace counts are not counts of people and are not
suppressed. (This rule does not protect against differencing between overlapping
tables; aggregates are published at council and region level only.)
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

#: What a suppressed count shows.
SUPPRESSED = "<5"
#: What a withheld rate shows.
WITHHELD = "withheld"
SMALLEST_SHOWN = 5


class _Unrestricted:
    """The viewer who sees every figure unsuppressed (see :func:`suppression_viewer`)."""

    def __repr__(self) -> str:
        return "UNRESTRICTED"


UNRESTRICTED = _Unrestricted()


def is_small(value: int | None) -> bool:
    """True for a count of 1 to 4: the counts suppression hides."""
    return value is not None and not isinstance(value, str) and 0 < value < SMALLEST_SHOWN


def _org_id(org) -> int | None:
    if org is None:
        return None
    return org if isinstance(org, int) else org.pk


def viewer_owns(viewer_org, owner_org) -> bool:
    """Whether ``viewer_org`` may see ``owner_org``'s figures unsuppressed.

    ``viewer_org``: an Organisation or its id, :data:`UNRESTRICTED`, or None (a member of
    the public, open data). ``owner_org``: an Organisation or id, an iterable of them
    (every contributing organisation), or None (unknown or several: nobody owns it).
    """
    if viewer_org is UNRESTRICTED:
        return True
    viewer = _org_id(viewer_org)
    if viewer is None or owner_org is None:
        return False
    if isinstance(owner_org, Iterable) and not isinstance(owner_org, str):
        owners = {_org_id(o) for o in owner_org}
    else:
        owners = {_org_id(owner_org)}
    return owners == {viewer}


def suppress(value: Any, *, viewer_org, owner_org) -> Any:
    """``value`` unchanged, or :data:`SUPPRESSED` (``"<5"``) when it is a count of 1 to 4
    and ``viewer_org`` does not own it (see :func:`viewer_owns`)."""
    if is_small(value) and not viewer_owns(viewer_org, owner_org):
        return SUPPRESSED
    return value


def suppress_rate(rate: Decimal | None, *, counts: Iterable[int | None], viewer_org, owner_org) -> Any:
    """``rate`` unchanged, or :data:`WITHHELD` when any of the ``counts`` it was computed
    from (numerator and denominator) is 1 to 4 and ``viewer_org`` does not own them. A
    rate that could not be computed (None) stays None."""
    if rate is None:
        return None
    if any(is_small(c) for c in counts) and not viewer_owns(viewer_org, owner_org):
        return WITHHELD
    return rate


def suppression_viewer(user):
    """Who ``user`` is for suppression: :data:`UNRESTRICTED` for superusers and the
    regional body's admins and campaign managers; their organisation's id otherwise;
    None for anyone not signed in (or without an organisation)."""
    from carerecruit.organisations.access import can_manage_campaigns

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or can_manage_campaigns(user):
        return UNRESTRICTED
    return user.organisation_id


def suppressed_figures(figures, *, viewer_org) -> dict[str, Any]:
    """A :class:`carerecruit.workforce.aggregates.WorkforceFigures` as a flat dict for a
    page, download or API response, with suppression applied for ``viewer_org``.

    Keys: council_gss, council_name, job_role_code, job_role_name, as_at, workplaces,
    filled_posts, directly_employed, permanent, temporary, pool_bank, agency,
    other_contract, starters, leavers, vacancies (counts: int, None when unknown, or
    ``"<5"``), vacancy_rate and turnover_rate (Decimal percentages, None when they cannot
    be computed, or ``"withheld"``).
    """
    t = figures.totals
    owner = figures.sole_owner_id

    def count(value):
        return suppress(value, viewer_org=viewer_org, owner_org=owner)

    return {
        "council_gss": figures.council_gss,
        "council_name": figures.council_name,
        "job_role_code": figures.job_role_code,
        "job_role_name": figures.job_role_name,
        "as_at": figures.latest_as_at,
        "workplaces": figures.workplaces,
        "filled_posts": count(t.filled_posts),
        "directly_employed": count(t.directly_employed),
        "permanent": count(t.permanent),
        "temporary": count(t.temporary),
        "pool_bank": count(t.pool_bank),
        "agency": count(t.agency),
        "other_contract": count(t.other_contract),
        "starters": count(t.starters),
        "leavers": count(t.leavers),
        "vacancies": count(t.vacancies),
        "vacancy_rate": suppress_rate(
            t.vacancy_rate, counts=(t.vacancies, t.vacancy_base), viewer_org=viewer_org, owner_org=owner,
        ),
        "turnover_rate": suppress_rate(
            t.turnover_rate, counts=(t.leavers, t.turnover_base), viewer_org=viewer_org, owner_org=owner,
        ),
    }
