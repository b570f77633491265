"""Vacancy and turnover rates: Skills for Care's definitions, exact decimals, "don't know"."""

from decimal import Decimal

import pytest

from carerecruit.workforce.ascwds import FigureRow
from carerecruit.workforce.rates import (
    FigureTotals,
    add_up,
    percentage,
    turnover_rate,
    vacancy_rate,
)


def test_percentage_rounds_half_up_exactly():
    assert percentage(4, 44) == Decimal("9.1")
    assert percentage(1, 8) == Decimal("12.5")
    assert percentage(1, 16) == Decimal("6.3")  # 6.25 rounds up, not to even
    assert percentage(1, 3, places=2) == Decimal("33.33")
    assert percentage(0, 7) == Decimal("0.0")
    assert percentage(3, 0) is None
    with pytest.raises(ValueError):
        percentage(-1, 4)


def test_vacancy_rate_is_vacancies_over_all_posts():
    assert vacancy_rate(4, 40) == Decimal("9.1")  # 4 of (40 filled + 4 vacant)
    # Skills for Care 2024/25: 111,000 vacant of 1.6 million filled + 111,000 ≈ 6.5%
    # (published rounded as "7%").
    assert vacancy_rate(111_000, 1_600_000) == Decimal("6.5")
    assert vacancy_rate(3, 0) == Decimal("100.0")
    assert vacancy_rate(0, 0) is None
    assert vacancy_rate(None, 40) is None


def test_turnover_rate_is_leavers_over_directly_employed():
    assert turnover_rate(10, 21) == Decimal("47.6")
    assert turnover_rate(30, 20) == Decimal("150.0")  # more leavers than posts is possible
    assert turnover_rate(2, 0) is None
    assert turnover_rate(None, 21) is None


def row(permanent=0, temporary=0, pool_bank=0, agency=0, other=0, starters=0, leavers=0, vacancies=0):
    return FigureRow("W", 8, permanent, temporary, pool_bank, agency, other, starters, leavers, vacancies)


def test_add_up_leaves_dont_know_out_of_numerator_and_denominator():
    totals = add_up([
        row(permanent=30, temporary=5, agency=5, starters=4, leavers=7, vacancies=4),
        row(permanent=18, pool_bank=2, starters=None, leavers=None, vacancies=None),
    ])
    assert totals == FigureTotals(48, 5, 2, 5, 0, 4, 7, 4, 40, 35)
    assert (totals.filled_posts, totals.directly_employed) == (60, 53)
    assert totals.vacancy_rate == Decimal("9.1")  # 4 of (40 + 4): the second row did not know
    assert totals.turnover_rate == Decimal("20.0")  # 7 of 35 directly employed who knew
    assert totals.contract_mix == {1: 48, 2: 5, 3: 2, 4: 5, 7: 0}


def test_add_up_with_nothing_known():
    totals = add_up([row(permanent=3, starters=None, leavers=None, vacancies=None)])
    assert (totals.starters, totals.leavers, totals.vacancies) == (None, None, None)
    assert totals.vacancy_rate is None and totals.turnover_rate is None
    assert add_up([]) == FigureTotals()
