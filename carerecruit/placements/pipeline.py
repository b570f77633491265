"""The pipeline's stages, the transitions allowed between them, and working-day arithmetic.

Plain Python (no database): :mod:`carerecruit.placements.actions` enforces these rules on
every move, and the staff pages offer only the moves allowed from a route's stage.

Stages (issue 4): new → contacted → screening → interview → offer → pre-employment checks
→ placed; exits: withdrawn, not suitable (a reason is required), kept in talent bank.
"""

from __future__ import annotations

import datetime

from django.db import models


class Stage(models.TextChoices):
    """A pipeline stage. Values are stored on ``ApplicationRoute.stage`` and in history."""

    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCREENING = "screening", "Screening"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    CHECKS = "checks", "Pre-employment checks"
    PLACED = "placed", "Placed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    TALENT_BANK = "talent_bank", "Kept in talent bank"


# The way forward, in order.
FORWARD = (
    Stage.NEW, Stage.CONTACTED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER, Stage.CHECKS,
    Stage.PLACED,
)
EXITS = (Stage.WITHDRAWN, Stage.NOT_SUITABLE, Stage.TALENT_BANK)
# Stages where a route is still being worked (and can be "stuck").
OPEN_STAGES = FORWARD[:-1]
# Stages a route ends in; it stays visible, with its history, but is no longer worked.
CLOSED_STAGES = (Stage.PLACED, *EXITS)

# Every allowed move, from → to. Anything not listed is refused. Reasons for the shape:
# - forward one step, or skip one early step when a conversation covers both (a phone
#   call that is also the screening; a screening that is the interview);
# - back one step to correct a mistake or when an offer is renegotiated;
# - any open stage may exit (withdrawn, not suitable, kept in talent bank);
# - exits can be reopened: a candidate who withdrew comes back, a "not suitable" decision
#   is reviewed, a talent-bank candidate is drawn on for a new post;
# - placed is final: leaving is recorded on the retention checkpoints, not by moving.
#   Entering "placed" is done only by confirming a placement (do_place_candidate), which
#   checks every pre-employment check first.
TRANSITIONS: dict[str, frozenset[str]] = {
    Stage.NEW: frozenset({Stage.CONTACTED, Stage.SCREENING, *EXITS}),
    Stage.CONTACTED: frozenset({Stage.SCREENING, Stage.INTERVIEW, Stage.NEW, *EXITS}),
    Stage.SCREENING: frozenset({Stage.INTERVIEW, Stage.CONTACTED, *EXITS}),
    Stage.INTERVIEW: frozenset({Stage.OFFER, Stage.SCREENING, *EXITS}),
    Stage.OFFER: frozenset({Stage.CHECKS, Stage.INTERVIEW, *EXITS}),
    Stage.CHECKS: frozenset({Stage.PLACED, Stage.OFFER, *EXITS}),
    Stage.PLACED: frozenset(),
    Stage.WITHDRAWN: frozenset({Stage.CONTACTED}),
    Stage.NOT_SUITABLE: frozenset({Stage.SCREENING}),
    Stage.TALENT_BANK: frozenset({Stage.CONTACTED}),
}

# Stages entered only through their own action, never through a plain stage move.
ACTION_ONLY = frozenset({Stage.PLACED})
# Moves that must say why.
REASON_REQUIRED = frozenset({Stage.NOT_SUITABLE})

# Target time in a stage before a route counts as stuck, in working days, when the
# organisation has set none (OrganisationPipelineSettings). Pre-employment checks take
# longest: an enhanced DBS certificate commonly takes two to four weeks.
DEFAULT_TARGET_WORKING_DAYS: dict[str, int] = {
    Stage.NEW: 5,
    Stage.CONTACTED: 5,
    Stage.SCREENING: 5,
    Stage.INTERVIEW: 5,
    Stage.OFFER: 5,
    Stage.CHECKS: 20,
}


def is_allowed(from_stage: str, to_stage: str) -> bool:
    """True when the table allows moving from ``from_stage`` to ``to_stage``."""
    return to_stage in TRANSITIONS.get(from_stage, frozenset())


def moves_from(stage: str) -> list[str]:
    """Stages a recruiter may move a route to with a plain stage move (no placement),
    in pipeline order: forward stages first, then exits."""
    allowed = TRANSITIONS.get(stage, frozenset()) - ACTION_ONLY
    return [s for s in (*FORWARD, *EXITS) if s in allowed]


def stage_label(stage: str) -> str:
    """``"checks"`` → ``"Pre-employment checks"``; unknown values are returned as given."""
    try:
        return Stage(stage).label
    except ValueError:
        return stage


# ---------------------------------------------------------------------------------------
# Working days. Monday to Friday; bank holidays are not taken out (there is no holiday
# calendar in the product yet), so a target is at most a day or two generous around them.


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    Entered on Monday, on Friday it has been 4 working days; on the next Monday, 5.
    """
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if is_working_day(start + datetime.timedelta(days=weeks * 7 + offset)):
            count += 1
    return count


def stuck_cutoff(today: datetime.date, target: int) -> datetime.date:
    """The latest local date a route may have entered its stage on and be stuck today:
    routes that entered on or before it have spent more than ``target`` working days."""
    day = today
    while working_days_between(day, today) <= target:
        day -= datetime.timedelta(days=1)
    return day
