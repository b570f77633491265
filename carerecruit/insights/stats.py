"""Exact binomial tail probabilities, for deciding when a conversion rate has really fallen.

No SciPy: the lower tail is summed exactly in log space with :func:`math.lgamma`, which
is exact enough (relative error ~1e-12) for any n a campaign day can have and cannot
overflow. This is the one-sided exact binomial test, as in R's
``binom.test(x, n, p, alternative = "less")`` (Conover, *Practical Nonparametric
Statistics*, 3rd ed., 1999, §3.1, "the binomial test").
"""

from __future__ import annotations

import math


def _log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
        + k * math.log(p) + (n - k) * math.log1p(-p)
    )


def binomial_lower_tail(x: int, n: int, p: float) -> float:
    """P(X ≤ x) for X ~ Binomial(n, p): the one-sided p-value for "fewer successes than
    rate ``p`` predicts".

    ``x`` and ``n`` are counts with 0 ≤ x ≤ n; ``p`` a probability in [0, 1]. Raises
    ValueError otherwise. Sums the x + 1 terms of the lower tail in log space
    (log-sum-exp), so n in the millions is fine.
    """
    if n < 0 or x < 0 or x > n:
        raise ValueError(f"Need 0 <= x <= n, got x={x}, n={n}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a probability, got {p}")
    if p == 0.0:
        return 1.0
    if p == 1.0:
        return 1.0 if x == n else 0.0
    if x == n:
        return 1.0
    logs = [_log_pmf(k, n, p) for k in range(x + 1)]
    top = max(logs)
    total = top + math.log(math.fsum(math.exp(v - top) for v in logs))
    return min(1.0, math.exp(total))
