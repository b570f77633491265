"""Small-number suppression: counts of 1-4 show as "<5" outside their owner, and rates
computed from them are withheld."""

from decimal import Decimal

import pytest

from carerecruit.workforce.aggregates import WorkforceFigures
from carerecruit.workforce.rates import FigureTotals
from carerecruit.workforce.suppression import (
    SUPPRESSED,
    UNRESTRICTED,
    WITHHELD,
    is_small,
    suppress,
    suppress_rate,
    suppressed_figures,
    suppression_viewer,
    viewer_owns,
)


def test_is_small():
    assert [n for n in range(0, 7) if is_small(n)] == [1, 2, 3, 4]
    assert not is_small(None)
    assert not is_small("<5")


def test_suppress_counts_outside_the_owner():
    assert [suppress(n, viewer_org=1, owner_org=2) for n in (0, 1, 4, 5, 120, None)] == [0, "<5", "<5", 5, 120, None]
    assert [suppress(n, viewer_org=2, owner_org=2) for n in (1, 4)] == [1, 4]
    assert suppress(3, viewer_org=None, owner_org=2) == SUPPRESSED  # open data
    assert suppress(3, viewer_org=UNRESTRICTED, owner_org=2) == 3
    assert suppress(3, viewer_org=2, owner_org=None) == SUPPRESSED  # several owners


def test_owner_can_be_an_organisation_an_id_or_several(personas):
    a, b = personas.council_a, personas.council_b
    assert viewer_owns(a, a) and viewer_owns(a.pk, a) and viewer_owns(a, [a.pk])
    assert not viewer_owns(a, [a, b])
    assert not viewer_owns(a, b)
    assert suppress(2, viewer_org=a, owner_org=[a.pk, a.pk]) == 2


def test_rates_from_small_counts_are_withheld():
    rate = Decimal("9.1")
    assert suppress_rate(rate, counts=(4, 40), viewer_org=1, owner_org=2) == WITHHELD
    assert suppress_rate(rate, counts=(5, 40), viewer_org=1, owner_org=2) == rate
    assert suppress_rate(rate, counts=(0, 40), viewer_org=1, owner_org=2) == rate
    assert suppress_rate(rate, counts=(4, 40), viewer_org=2, owner_org=2) == rate
    assert suppress_rate(None, counts=(4, 0), viewer_org=1, owner_org=2) is None


@pytest.mark.django_db
def test_suppression_viewer(personas, django_user_model):
    assert suppression_viewer(personas.regional_admin) is UNRESTRICTED
    assert suppression_viewer(personas.campaign_manager) is UNRESTRICTED
    assert suppression_viewer(personas.viewer) == personas.regional_body.pk
    assert suppression_viewer(personas.council_a_recruiter) == personas.council_a.pk
    assert suppression_viewer(personas.provider_recruiter) == personas.provider.pk
    from django.contrib.auth.models import AnonymousUser

    assert suppression_viewer(AnonymousUser()) is None
    personas.council_b_recruiter.is_active = False
    assert suppression_viewer(personas.council_b_recruiter) is None


def test_suppressed_figures():
    figures = WorkforceFigures(
        council_id=9, council_gss="E08000025", council_name="Birmingham", job_role_code=8,
        job_role_name="Care worker", workplaces=2,
        totals=FigureTotals(permanent=20, temporary=3, pool_bank=0, agency=2, other_contract=0,
                            starters=6, leavers=4, vacancies=5, vacancy_base=25, turnover_base=23),
        sole_owner_id=7,
    )
    shown = suppressed_figures(figures, viewer_org=1)
    assert shown == {
        "council_gss": "E08000025", "council_name": "Birmingham", "job_role_code": 8, "job_role_name": "Care worker",
        "as_at": None, "workplaces": 2, "filled_posts": 25, "directly_employed": 23, "permanent": 20,
        "temporary": "<5", "pool_bank": 0, "agency": "<5", "other_contract": 0, "starters": 6, "leavers": "<5",
        "vacancies": 5, "vacancy_rate": Decimal("16.7"), "turnover_rate": "withheld",
    }
    own = suppressed_figures(figures, viewer_org=7)
    assert (own["temporary"], own["leavers"], own["turnover_rate"]) == (3, 4, Decimal("17.4"))
    assert suppressed_figures(figures, viewer_org=UNRESTRICTED)["agency"] == 2
