"""Vacancy and turnover rates, as Skills for Care defines them.

**Vacancy rate** = vacancies ÷ (filled posts + vacancies): the share of all posts, filled
or not, that are vacant. This is how Skills for Care states its estimates: "total posts
1.71 million, of which 1.6 million filled and 111,000 vacant; vacancy rate 7%"
(*The state of the adult social care sector and workforce in England*, 2025;
``reference/domain.md`` 2.6). Filled posts are the return's staff records (worker file
rows) in the job role, every contract type included (permanent, temporary, pool/bank,
agency, other); vacancies are the workplace file's VACANCIES.

**Turnover rate** = leavers in the last 12 months ÷ directly employed filled posts
(permanent and temporary staff records). Skills for Care publishes "the staff turnover
rate of permanent and temporarily employed staff" (skillsforcare.org.uk, *Recruitment and
retention*), and ASC-WDS asks employers for leavers "who have left permanent and temporary
job roles" in the last 12 months (ASC-WDS front end, ``do-you-have-leavers`` page), so
numerator and denominator cover the same staff. Like Skills for Care's, ours divides by
the staff in post on the as-at date, not an average over the year.

"Don't know" (999) is not zero: a workplace that did not know its vacancies (or leavers)
for a role is left out of that rate entirely, numerator and denominator, rather than
counted as having none (which would understate the rate). Rates are percentages rounded
half up to one decimal place (``Decimal("9.1")`` for 4 of 44), None when the
denominator is zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol


def percentage(numerator: int, denominator: int, *, places: int = 1) -> Decimal | None:
    """``numerator / denominator`` as a percentage rounded half up to ``places``
    decimals (``percentage(1, 8)`` → ``Decimal("12.5")``); None when ``denominator`` is 0.

    Exact: integer arithmetic in Decimal, no binary floating point. Raises ValueError for
    a negative count.
    """
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    if denominator == 0:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def vacancy_rate(vacancies: int | None, filled_posts: int) -> Decimal | None:
    """Vacancies as a percentage of all posts (filled posts + vacancies), Skills for
    Care's definition. None when vacancies are unknown or there are no posts at all.

    ``vacancy_rate(4, 40)`` → ``Decimal("9.1")``.
    """
    if vacancies is None:
        return None
    return percentage(vacancies, filled_posts + vacancies)


def turnover_rate(leavers: int | None, directly_employed: int) -> Decimal | None:
    """Leavers in the last 12 months as a percentage of directly employed (permanent and
    temporary) filled posts, Skills for Care's definition. Can exceed 100. None when
    leavers are unknown or nobody is directly employed.

    ``turnover_rate(10, 21)`` → ``Decimal("47.6")``.
    """
    if leavers is None:
        return None
    return percentage(leavers, directly_employed)


class FigureLike(Protocol):
    """What :func:`add_up` reads from each row (a per-workplace, per-role figure)."""

    permanent: int
    temporary: int
    pool_bank: int
    agency: int
    other_contract: int
    starters: int | None
    leavers: int | None
    vacancies: int | None


@dataclass(frozen=True)
class FigureTotals:
    """Figures added up over workplaces (and roles), with the rates they give.

    ``starters``, ``leavers`` and ``vacancies`` are sums over the rows that knew them,
    None when none did. ``vacancy_base`` is the filled posts of the rows whose vacancies
    were known; ``turnover_base`` the directly employed posts of the rows whose leavers
    were known: the rates' denominators (with vacancies added for the vacancy rate).
    """

    permanent: int = 0
    temporary: int = 0
    pool_bank: int = 0
    agency: int = 0
    other_contract: int = 0
    starters: int | None = None
    leavers: int | None = None
    vacancies: int | None = None
    vacancy_base: int = 0
    turnover_base: int = 0

    @property
    def filled_posts(self) -> int:
        return self.permanent + self.temporary + self.pool_bank + self.agency + self.other_contract

    @property
    def directly_employed(self) -> int:
        return self.permanent + self.temporary

    @property
    def vacancy_rate(self) -> Decimal | None:
        return vacancy_rate(self.vacancies, self.vacancy_base)

    @property
    def turnover_rate(self) -> Decimal | None:
        return turnover_rate(self.leavers, self.turnover_base)

    @property
    def contract_mix(self) -> dict[int, int]:
        """Filled posts by ASC-WDS EMPLSTATUS code: ``{1: permanent, 2: temporary,
        3: pool or bank, 4: agency, 7: other}``."""
        return {1: self.permanent, 2: self.temporary, 3: self.pool_bank, 4: self.agency, 7: self.other_contract}


def _plus(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return value if total is None else total + value


def add_up(rows: Iterable[FigureLike]) -> FigureTotals:
    """Add up per-workplace, per-role figures, leaving "don't know" out as described in
    the module docstring."""
    permanent = temporary = pool_bank = agency = other = vacancy_base = turnover_base = 0
    starters = leavers = vacancies = None
    for row in rows:
        permanent += row.permanent
        temporary += row.temporary
        pool_bank += row.pool_bank
        agency += row.agency
        other += row.other_contract
        starters = _plus(starters, row.starters)
        leavers = _plus(leavers, row.leavers)
        vacancies = _plus(vacancies, row.vacancies)
        if row.vacancies is not None:
            vacancy_base += row.permanent + row.temporary + row.pool_bank + row.agency + row.other_contract
        if row.leavers is not None:
            turnover_base += row.permanent + row.temporary
    return FigureTotals(
        permanent, temporary, pool_bank, agency, other, starters, leavers, vacancies, vacancy_base, turnover_base,
    )
