"""The forecast and back-test engine: plain functions over a list of monthly values.

Nothing here touches the database, so every rule is tested on hand-made series
(``tests/test_engine.py``). :mod:`carerecruit.forecast.series` builds the monthly
history; :mod:`carerecruit.forecast.actions` stores what this computes.

Which model (statsmodels' ``ETSModel``, additive errors; Hyndman & Athanasopoulos,
*Forecasting: Principles and Practice*, 3rd ed., ch. 8):

============================  ========================================================
history (months)              model
============================  ========================================================
fewer than 6                  none: "not enough history", no number is invented
6 to 11                       simple exponential smoothing, ETS(A,N,N): a level only
12 to 23                      Holt's damped trend, ETS(A,Ad,N): level and a trend that
                              flattens out (an undamped trend over-shoots on short series)
24 or more                    damped trend with additive monthly seasonality,
                              ETS(A,Ad,A), period 12: two full years are the least from
                              which a seasonal pattern can be told from noise
============================  ========================================================

A fit that fails or gives no finite answer (a series with no variation at all, say)
falls back to the naive method: the last value, with an interval from the spread of the
month-to-month changes. Counts cannot be negative, so forecasts and lower bounds are
cut at 0.

The interval is the model's own :data:`INTERVAL_LEVEL` (80%) prediction interval: about
8 months in 10 the actual figure should fall inside it.

Back-test (rolling origin, "evaluation on a rolling forecasting origin", FPP3 §5.10): the
forecast origin moves month by month over the last :data:`BACKTEST_ORIGINS` months; at
each origin the same model choice is fitted on the history up to that month only and
forecasts 1 to :data:`HORIZON` months ahead, which are compared with what happened. The
baseline makes the same forecasts by the **seasonal-naive** method (the value of the same
month a year before) when at least 12 months are known at the origin, else the
**naive** method (the last value).

Errors: MAPE (mean absolute percentage error, %) is undefined when the actual is 0, so
months whose actual is 0 are left out of MAPE (and counted in ``zero_actuals``); when
every back-tested actual is 0 MAPE is None. MAE (mean absolute error, in the measure's
own units) uses every back-tested month and is always given alongside. Whether the
model beats the baseline is judged on MAE, because it is always defined and is not
inflated by months with small actuals.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

MIN_HISTORY = 6
DAMPED_TREND_MIN = 12
SEASONAL_MIN = 24
SEASON = 12
HORIZON = 3
BACKTEST_ORIGINS = 12
INTERVAL_LEVEL = 0.80
# The standard normal quantile for a two-sided 80% interval (for the naive fallback).
_Z80 = 1.2815515655446004

TOO_SHORT = "too_short"
OK = "ok"

METHOD_SES = "ets_ann"
METHOD_DAMPED = "ets_aadn"
METHOD_SEASONAL = "ets_aada"
METHOD_NAIVE = "naive"
METHOD_LABELS = {
    METHOD_SES: "Simple exponential smoothing, ETS(A,N,N)",
    METHOD_DAMPED: "Damped trend, ETS(A,Ad,N)",
    METHOD_SEASONAL: "Damped trend with monthly seasonality, ETS(A,Ad,A)",
    METHOD_NAIVE: "Naive (last value)",
}


@dataclass(frozen=True)
class Forecast:
    """Forecasts for the next ``len(values)`` months, with the 80% prediction interval
    (``lower``/``upper``, same length). Values are in the measure's units, never
    negative."""

    method: str
    values: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]


@dataclass(frozen=True)
class Accuracy:
    """Back-test result. ``points``: forecasts compared with actuals (every origin,
    every horizon). ``zero_actuals``: how many of them had an actual of 0 (left out of
    MAPE). MAPE in percent, MAE in the measure's units; None when not defined.
    ``actuals``: the back-tested actual values (for suppression: an error computed from
    small counts is withheld outside their owner)."""

    points: int
    zero_actuals: int
    mape_model: float | None
    mape_baseline: float | None
    mae_model: float | None
    mae_baseline: float | None
    actuals: tuple[float, ...] = ()

    @property
    def beats_baseline(self) -> bool | None:
        """True when the model's MAE is lower than the baseline's; None with no points."""
        if self.mae_model is None or self.mae_baseline is None:
            return None
        return self.mae_model < self.mae_baseline


@dataclass(frozen=True)
class SeriesResult:
    """The engine's answer for one series: ``status`` is :data:`OK` or
    :data:`TOO_SHORT` (then ``forecast`` and ``accuracy`` are None)."""

    status: str
    method: str | None
    forecast: Forecast | None
    accuracy: Accuracy | None


def choose_method(months: int) -> str | None:
    """The model for a history of ``months`` months (see the module table); None when
    it is shorter than :data:`MIN_HISTORY`."""
    if months < MIN_HISTORY:
        return None
    if months < DAMPED_TREND_MIN:
        return METHOD_SES
    if months < SEASONAL_MIN:
        return METHOD_DAMPED
    return METHOD_SEASONAL


def baseline_forecast(history: Sequence[float], horizon: int = HORIZON) -> list[float]:
    """Seasonal naive (same month one year before) with 12 or more months of
    ``history``, else naive (the last value). Raises ValueError on an empty history."""
    if not history:
        raise ValueError("The baseline needs at least one month of history")
    n = len(history)
    if n >= SEASON:
        # Month n + h - 1 (0-based) repeats month n + h - 1 - 12k for the smallest k
        # that lands inside the history.
        return [float(history[n + h - 1 - SEASON * math.ceil(h / SEASON)]) for h in range(1, horizon + 1)]
    return [float(history[-1])] * horizon


def _naive_forecast(history: Sequence[float], horizon: int) -> Forecast:
    last = float(history[-1])
    changes = [b - a for a, b in zip(history, history[1:], strict=False)]
    if len(changes) > 1:
        mean = sum(changes) / len(changes)
        sd = math.sqrt(sum((c - mean) ** 2 for c in changes) / (len(changes) - 1))
    else:
        sd = 0.0
    lower = tuple(max(0.0, last - _Z80 * sd * math.sqrt(h)) for h in range(1, horizon + 1))
    upper = tuple(last + _Z80 * sd * math.sqrt(h) for h in range(1, horizon + 1))
    return Forecast(METHOD_NAIVE, (max(0.0, last),) * horizon, lower, upper)


def _ets(history: Sequence[float], method: str, horizon: int, params=None) -> tuple[Forecast, object]:
    """ETS forecast and the parameters used: estimated by maximum likelihood, or, when
    ``params`` are given, those applied without re-estimating (the back-test)."""
    import numpy as np
    import pandas as pd
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    # A monthly index: statsmodels wants dates (any will do) to label its predictions.
    y = pd.Series(np.asarray(history, dtype=float), index=pd.period_range("2000-01", periods=len(history), freq="M"))
    options: dict = {"error": "add"}
    if method in (METHOD_DAMPED, METHOD_SEASONAL):
        options.update(trend="add", damped_trend=True)
    if method == METHOD_SEASONAL:
        options.update(seasonal="add", seasonal_periods=SEASON)
    with warnings.catch_warnings():
        # Convergence chatter from the optimiser on short or flat series: the result is
        # checked for finiteness below and replaced by the naive method if need be.
        warnings.simplefilter("ignore")
        model = ETSModel(y, **options)
        fitted = model.fit(disp=False) if params is None else model.smooth(params)
        frame = fitted.get_prediction(start=len(y), end=len(y) + horizon - 1).summary_frame(
            alpha=1 - INTERVAL_LEVEL
        )
    mean = [float(v) for v in frame["mean"]]
    lower = [float(v) for v in frame["pi_lower"]]
    upper = [float(v) for v in frame["pi_upper"]]
    if not all(math.isfinite(v) for v in mean + lower + upper):
        raise ArithmeticError("ETS gave a non-finite forecast")
    forecast = Forecast(
        method,
        tuple(max(0.0, v) for v in mean),
        tuple(max(0.0, v) for v in lower),
        tuple(max(0.0, v) for v in upper),
    )
    return forecast, fitted.params


def _forecast_and_params(
    history: Sequence[float], horizon: int, method: str, params=None,
) -> tuple[Forecast, object]:
    import numpy as np

    if method == METHOD_NAIVE or max(history) == min(history):
        return _naive_forecast(history, horizon), None
    try:
        return _ets(history, method, horizon, params)
    except (ArithmeticError, ValueError, np.linalg.LinAlgError):
        return _naive_forecast(history, horizon), None


def model_forecast(history: Sequence[float], horizon: int = HORIZON, method: str | None = None) -> Forecast:
    """Forecast the ``horizon`` months after ``history`` with ``method`` (default: the
    one :func:`choose_method` picks). Raises ValueError when the history is shorter than
    :data:`MIN_HISTORY`. A series with no variation, or a fit that fails, gets the naive
    method."""
    method = method or choose_method(len(history))
    if method is None:
        raise ValueError(f"A forecast needs at least {MIN_HISTORY} months of history")
    return _forecast_and_params(history, horizon, method)[0]


def _mape(pairs: list[tuple[float, float]]) -> float | None:
    terms = [abs(actual - forecast) / abs(actual) for actual, forecast in pairs if actual != 0]
    return 100.0 * sum(terms) / len(terms) if terms else None


def _mae(pairs: list[tuple[float, float]]) -> float | None:
    return sum(abs(a - f) for a, f in pairs) / len(pairs) if pairs else None


def backtest(history: Sequence[float], horizon: int = HORIZON, origins: int = BACKTEST_ORIGINS) -> Accuracy:
    """Rolling-origin back-test of the model against the baseline over the last
    ``origins`` months of ``history`` (see the module docstring). An origin needs at
    least :data:`MIN_HISTORY` months before it; with none, ``points`` is 0 and every
    error is None."""
    n = len(history)
    model_pairs: list[tuple[float, float]] = []
    baseline_pairs: list[tuple[float, float]] = []
    # Parameters are estimated once per model, at the first origin that uses it, from
    # the history before that origin only, and then applied unchanged as the origin
    # moves on (fitting anew at every origin costs about a second per seasonal fit).
    params_by_method: dict[str, object] = {}
    for origin in range(max(MIN_HISTORY, n - origins), n):
        train = history[:origin]
        steps = min(horizon, n - origin)
        method = choose_method(origin)
        forecast, params = _forecast_and_params(train, steps, method, params_by_method.get(method))
        if params is not None:
            params_by_method.setdefault(method, params)
        predicted = forecast.values
        naive = baseline_forecast(train, steps)
        for h in range(steps):
            actual = float(history[origin + h])
            model_pairs.append((actual, predicted[h]))
            baseline_pairs.append((actual, naive[h]))
    actuals = tuple(a for a, _ in model_pairs)
    return Accuracy(
        points=len(model_pairs),
        zero_actuals=sum(1 for a in actuals if a == 0),
        mape_model=_mape(model_pairs),
        mape_baseline=_mape(baseline_pairs),
        mae_model=_mae(model_pairs),
        mae_baseline=_mae(baseline_pairs),
        actuals=actuals,
    )


def forecast_series(
    history: Sequence[float], horizon: int = HORIZON, origins: int = BACKTEST_ORIGINS,
) -> SeriesResult:
    """Forecast and back-test one monthly series (oldest first, no gaps: a month with
    nothing is 0). Shorter than :data:`MIN_HISTORY`: ``TOO_SHORT`` and nothing else."""
    method = choose_method(len(history))
    if method is None:
        return SeriesResult(TOO_SHORT, None, None, None)
    forecast = model_forecast(history, horizon, method)
    return SeriesResult(OK, forecast.method, forecast, backtest(history, horizon, origins))
