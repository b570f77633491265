import math

import pytest

from carerecruit.insights.alerts import judge_sag
from carerecruit.insights.stats import binomial_lower_tail


@pytest.mark.parametrize(
    ("x", "n", "p", "expected"),
    [
        # Exact values: sum of comb(n, k) p^k (1-p)^(n-k) in rational arithmetic.
        (0, 10, 0.5, 0.0009765625),
        (5, 10, 0.5, 0.623046875),
        (2, 100, 0.1, 0.0019448846518800164),
        (10, 100, 0.1, 0.5831555122664918),
        (0, 50, 0.1, 0.0051537752073201135),
        (40, 1000, 0.06, 0.0031715295246899744),
    ],
)
def test_lower_tail_matches_r(x, n, p, expected):
    assert binomial_lower_tail(x, n, p) == pytest.approx(expected, rel=1e-9)


def test_huge_n_does_not_overflow():
    # Mean 50,000; 49,000 is 4.5 standard deviations below.
    value = binomial_lower_tail(49_000, 1_000_000, 0.05)
    assert 0 < value < 1e-5
    assert math.isfinite(value)


def test_edges():
    assert binomial_lower_tail(3, 3, 0.4) == 1.0
    assert binomial_lower_tail(0, 0, 0.4) == 1.0
    assert binomial_lower_tail(2, 5, 0.0) == 1.0
    assert binomial_lower_tail(2, 5, 1.0) == 0.0
    for bad in [(-1, 5, 0.5), (6, 5, 0.5), (1, 5, 1.5)]:
        with pytest.raises(ValueError):
            binomial_lower_tail(*bad)


class TestSagRule:
    def test_collapse_is_flagged(self):
        judged = judge_sag(visits=200, applications=2, baseline_visits=2800, baseline_applications=280)
        assert judged.flagged
        assert judged.expected == pytest.approx(20.0)
        assert judged.p_value < 0.001

    def test_a_small_day_never_cries_wolf(self):
        # 10% baseline, 40 visits → 4 expected: even no application is not flagged.
        judged = judge_sag(visits=40, applications=0, baseline_visits=2800, baseline_applications=280)
        assert (judged.flagged, judged.reason) == (False, "day too small")

    def test_a_small_dip_on_a_big_day_is_not_flagged(self):
        # 8% against 10% on 5,000 visits is "significant" but not half the rate.
        judged = judge_sag(visits=5000, applications=400, baseline_visits=70000, baseline_applications=7000)
        assert (judged.flagged, judged.reason) == (False, "fall too small")

    def test_a_half_rate_that_could_be_chance_is_not_flagged(self):
        # 6 expected, 2 seen: below half, but P(X <= 2) = 6% is chance.
        judged = judge_sag(visits=60, applications=2, baseline_visits=1400, baseline_applications=140)
        assert (judged.flagged, judged.reason) == (False, "not significant")
        assert judged.p_value == pytest.approx(0.0530, abs=0.001)

    def test_an_untrustworthy_baseline_is_not_used(self):
        judged = judge_sag(visits=500, applications=0, baseline_visits=90, baseline_applications=30)
        assert (judged.flagged, judged.reason) == (False, "baseline too small")
        judged = judge_sag(visits=500, applications=0, baseline_visits=900, baseline_applications=9)
        assert (judged.flagged, judged.reason) == (False, "baseline too small")
