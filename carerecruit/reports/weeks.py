"""ISO weeks (ISO 8601: Monday to Sunday, week 1 holds the year's first Thursday) of
Europe/London local dates, named like ``2020-W18``.

Some ISO years have 53 weeks (2020, 2026) and most have 52 (2021 has no week 53), so a
week key is checked against the calendar, not just its pattern.

Supported ISO years: :data:`FIRST_YEAR` to :data:`LAST_YEAR` (2000 to 2999). Nothing the
service counts happened before 2000, and the limits keep every week's bounds (and the
next Monday) far from ``datetime``'s year 1 and 9999, where arithmetic overflows; a key
is always four digits.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from carerecruit.lib.localtime import local_day_bounds

FIRST_YEAR = 2000
LAST_YEAR = 2999

_KEY = re.compile(r"^(\d{4})-W(\d{2})$")


class BadWeek(ValueError):
    """A week key that is malformed or names a week that does not exist."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week. ``year`` is the ISO year (which may differ from the calendar year of
    some of its days: 2020-W53 runs from 28 December 2020 to 3 January 2021)."""

    year: int
    week: int

    def __post_init__(self):
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise BadWeek(
                f"{self.year:04d}-W{self.week:02d} is outside the years reports cover "
                f"({FIRST_YEAR} to {LAST_YEAR})"
            )
        try:
            datetime.date.fromisocalendar(self.year, self.week, 1)
        except ValueError:
            raise BadWeek(_no_such_week(self.year, self.week)) from None

    @classmethod
    def containing(cls, day: datetime.date) -> IsoWeek:
        """The ISO week that local date ``day`` falls in."""
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def key(self) -> str:
        """``"2020-W18"``: the form used in URLs, file names and the command line."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def start(self) -> datetime.date:
        """The Monday (a local date)."""
        return datetime.date.fromisocalendar(self.year, self.week, 1)

    @property
    def end(self) -> datetime.date:
        """The Sunday (a local date)."""
        return self.start + datetime.timedelta(days=6)

    def utc_bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """UTC instants ``[start, end)``: from Monday 00:00 to the next Monday 00:00,
        Europe/London time (a week holding a clock change is 167 or 169 hours long)."""
        return local_day_bounds(self.start)[0], local_day_bounds(self.end)[1]

    def previous(self) -> IsoWeek:
        return IsoWeek.containing(self.start - datetime.timedelta(days=7))

    def next(self) -> IsoWeek:
        return IsoWeek.containing(self.start + datetime.timedelta(days=7))

    def __str__(self) -> str:
        return self.key


def _weeks_in(year: int) -> int:
    # 28 December is always in the last ISO week of its year.
    return datetime.date(year, 12, 28).isocalendar()[1]


def _no_such_week(year: int, week: int) -> str:
    return f"{year}-W{week:02d} does not exist: ISO year {year} has weeks 1 to {_weeks_in(year)}"


def parse_week(text: str) -> IsoWeek:
    """The :class:`IsoWeek` named by ``text`` such as ``"2020-W18"`` (also accepted:
    lower-case ``w``, surrounding spaces).

    Raises :class:`BadWeek` (a ValueError) with a message for people: for a malformed
    key ("Enter the week as YYYY-Www, like 2020-W18"), a week the year does not have
    ("2021-W53 does not exist: ISO year 2021 has weeks 1 to 52") or a year outside
    :data:`FIRST_YEAR` to :data:`LAST_YEAR` ("9999-W52 is outside the years reports cover
    (2000 to 2999)").
    """
    match = _KEY.match((text or "").strip().upper())
    if not match:
        raise BadWeek(f"Enter the week as YYYY-Www, like 2020-W18, not {text!r}")
    return IsoWeek(int(match.group(1)), int(match.group(2)))


def last_complete_week(today: datetime.date) -> IsoWeek:
    """The ISO week before the one holding local date ``today``."""
    return IsoWeek.containing(today).previous()
