"""The engine on hand-made series whose answers are known."""

import math

import pytest

from carerecruit.forecast import engine


def seasonal_series(months=36):
    # A steady rise of 1 a month plus a strong yearly pattern and a little fixed noise:
    # the same month last year is always 12 lower than this year, so the seasonal-naive
    # baseline misses by about 12 and a seasonal model with a trend should do far better.
    pattern = [0, 4, 10, 16, 20, 22, 20, 16, 10, 4, 0, -2]
    noise = [0.4, -0.3, 0.2, -0.5, 0.1, 0.3, -0.2, 0.5, -0.4, 0.0, 0.2, -0.1]
    return [50 + i + pattern[i % 12] + noise[i % 12] for i in range(months)]


def test_method_by_length():
    assert engine.choose_method(5) is None
    assert engine.choose_method(6) == engine.METHOD_SES
    assert engine.choose_method(11) == engine.METHOD_SES
    assert engine.choose_method(12) == engine.METHOD_DAMPED
    assert engine.choose_method(23) == engine.METHOD_DAMPED
    assert engine.choose_method(24) == engine.METHOD_SEASONAL


def test_baseline_seasonal_naive_and_naive():
    history = list(range(1, 15))  # 14 months: 1..14
    # Months 15, 16, 17 repeat months 3, 4, 5 (one year before).
    assert engine.baseline_forecast(history, 3) == [3.0, 4.0, 5.0]
    assert engine.baseline_forecast([4, 7, 9], 3) == [9.0, 9.0, 9.0]
    with pytest.raises(ValueError):
        engine.baseline_forecast([], 1)


def test_seasonal_series_model_beats_seasonal_naive():
    result = engine.forecast_series(seasonal_series())
    assert result.status == engine.OK
    assert result.method == engine.METHOD_SEASONAL
    acc = result.accuracy
    # 12 origins (24..35); origins 34 and 35 have fewer than 3 months left: 10*3 + 2 + 1.
    assert acc.points == 33
    assert acc.zero_actuals == 0
    # The baseline misses by the yearly rise (12) give or take the noise.
    assert 11 < acc.mae_baseline < 13
    assert acc.mae_model < 3
    assert acc.beats_baseline is True
    assert acc.mape_model < acc.mape_baseline
    # Month 37 is a January-type month (pattern 0): about 50 + 36 = 86.
    f = result.forecast
    assert len(f.values) == 3
    assert 80 < f.values[0] < 92
    for value, lower, upper in zip(f.values, f.lower, f.upper, strict=True):
        assert lower <= value <= upper


def test_flat_series():
    result = engine.forecast_series([10] * 8)
    assert result.status == engine.OK
    assert result.forecast.values == (10.0, 10.0, 10.0)
    assert result.forecast.lower == (10.0, 10.0, 10.0)
    acc = result.accuracy
    assert acc.points == 3  # origins 6 and 7: 2 + 1 forecasts
    assert acc.mape_model == 0.0 and acc.mape_baseline == 0.0
    assert acc.mae_model == 0.0 and acc.beats_baseline is False  # a tie is not beating


def test_zero_actuals_are_left_out_of_mape():
    history = [2, 2, 2, 2, 2, 2, 0, 4]
    acc = engine.backtest(history, origins=12)
    # Origins 6 and 7: forecasts for months 6, 7 (from origin 6) and 7 (from origin 7).
    assert acc.points == 3
    assert acc.zero_actuals == 1
    # Naive baseline: from origin 6 the last value is 2 (misses 0 by 2, 4 by 2); from
    # origin 7 the last value is 0 (misses 4 by 4). MAPE uses the two months of 4 only.
    assert acc.mae_baseline == pytest.approx((2 + 2 + 4) / 3)
    assert acc.mape_baseline == pytest.approx(100 * (0.5 + 1.0) / 2)


def test_all_zero_actuals_mape_undefined():
    acc = engine.backtest([3, 1, 2, 5, 4, 2, 0, 0, 0], origins=12)
    assert acc.zero_actuals == acc.points == 6
    assert acc.mape_model is None and acc.mape_baseline is None
    assert acc.mae_baseline == pytest.approx((2 + 2 + 2 + 0 + 0 + 0) / 6)


def test_too_short_series_gives_no_numbers():
    result = engine.forecast_series([5, 6, 7, 8, 9])
    assert result.status == engine.TOO_SHORT
    assert result.forecast is None and result.accuracy is None
    with pytest.raises(ValueError):
        engine.model_forecast([1, 2, 3])


def test_forecasts_never_negative():
    falling = [40, 32, 25, 18, 12, 7, 3, 1]
    f = engine.model_forecast(falling)
    assert all(v >= 0 for v in f.values + f.lower + f.upper)
    assert all(math.isfinite(v) for v in f.values)
