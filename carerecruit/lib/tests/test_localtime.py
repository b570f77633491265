import datetime

import pytest

from carerecruit.lib.localtime import local_date, local_day_bounds

UTC = datetime.UTC


def test_late_evening_utc_in_summer_is_the_next_local_day():
    assert local_date(datetime.datetime(2020, 4, 20, 23, 30, tzinfo=UTC)) == datetime.date(2020, 4, 21)


def test_late_evening_utc_in_winter_is_the_same_local_day():
    assert local_date(datetime.datetime(2020, 1, 20, 23, 30, tzinfo=UTC)) == datetime.date(2020, 1, 20)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime.datetime(2020, 1, 20, 23, 30))


def test_day_bounds_in_bst_start_at_2300_utc_the_day_before():
    assert local_day_bounds(datetime.date(2020, 4, 21)) == (
        datetime.datetime(2020, 4, 20, 23, 0, tzinfo=UTC),
        datetime.datetime(2020, 4, 21, 23, 0, tzinfo=UTC),
    )


def test_day_bounds_in_gmt_are_utc_midnights():
    assert local_day_bounds(datetime.date(2020, 1, 20)) == (
        datetime.datetime(2020, 1, 20, 0, 0, tzinfo=UTC),
        datetime.datetime(2020, 1, 21, 0, 0, tzinfo=UTC),
    )


def test_clocks_going_forward_make_a_23_hour_day_and_back_a_25_hour_day():
    start, end = local_day_bounds(datetime.date(2020, 3, 29))
    assert end - start == datetime.timedelta(hours=23)
    start, end = local_day_bounds(datetime.date(2020, 10, 25))
    assert end - start == datetime.timedelta(hours=25)
