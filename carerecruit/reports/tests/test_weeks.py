"""ISO week keys: parsing, weeks that do and do not exist, local bounds across BST."""

import datetime

import pytest

from carerecruit.reports.weeks import BadWeek, IsoWeek, last_complete_week, parse_week

UTC = datetime.UTC


def test_parses_a_week_to_its_monday_and_sunday():
    week = parse_week("2020-W18")
    assert (week.year, week.week) == (2020, 18)
    assert week.start == datetime.date(2020, 4, 27)
    assert week.end == datetime.date(2020, 5, 3)
    assert week.key == "2020-W18"
    assert parse_week(" 2020-w18 ") == week


def test_week_53_exists_in_2020_and_spans_the_new_year():
    week = parse_week("2020-W53")
    assert week.start == datetime.date(2020, 12, 28)
    assert week.end == datetime.date(2021, 1, 3)
    assert week.next() == IsoWeek(2021, 1)


def test_2021_has_no_week_53():
    with pytest.raises(BadWeek) as error:
        parse_week("2021-W53")
    assert str(error.value) == "2021-W53 does not exist: ISO year 2021 has weeks 1 to 52"


@pytest.mark.parametrize("text", ["2020-W00", "2020-W54"])
def test_week_numbers_out_of_range(text):
    with pytest.raises(BadWeek, match="ISO year 2020 has weeks 1 to 53"):
        parse_week(text)


@pytest.mark.parametrize("text", ["", "2020-18", "2020W18", "2020-W1", "20-W18", "2020-W18x", "week 18"])
def test_malformed_keys_say_what_to_type(text):
    with pytest.raises(BadWeek, match=r"Enter the week as YYYY-Www, like 2020-W18"):
        parse_week(text)


def test_bad_week_is_a_value_error():
    assert issubclass(BadWeek, ValueError)


def test_utc_bounds_of_the_week_clocks_go_forward():
    # 2020-W13: Monday 23 March (GMT) to Sunday 29 March, when BST began at 01:00 UTC.
    start, end = IsoWeek(2020, 13).utc_bounds()
    assert start == datetime.datetime(2020, 3, 23, 0, 0, tzinfo=UTC)
    assert end == datetime.datetime(2020, 3, 29, 23, 0, tzinfo=UTC)  # Monday 00:00 BST
    assert end - start == datetime.timedelta(hours=167)


def test_utc_bounds_of_the_week_clocks_go_back():
    # 2020-W43 ends on Sunday 25 October, when BST ended.
    start, end = IsoWeek(2020, 43).utc_bounds()
    assert start == datetime.datetime(2020, 10, 18, 23, 0, tzinfo=UTC)
    assert end == datetime.datetime(2020, 10, 26, 0, 0, tzinfo=UTC)
    assert end - start == datetime.timedelta(hours=169)


def test_last_complete_week():
    assert last_complete_week(datetime.date(2020, 5, 4)) == IsoWeek(2020, 18)  # a Monday
    assert last_complete_week(datetime.date(2020, 5, 10)) == IsoWeek(2020, 18)  # a Sunday
    assert last_complete_week(datetime.date(2021, 1, 4)) == IsoWeek(2020, 53)


@pytest.mark.parametrize(("text", "message"), [
    ("9999-W52", "9999-W52 is outside the years reports cover (2000 to 2999)"),
    ("0001-W01", "0001-W01 is outside the years reports cover (2000 to 2999)"),
    ("1999-W52", "1999-W52 is outside the years reports cover (2000 to 2999)"),
    ("3000-W01", "3000-W01 is outside the years reports cover (2000 to 2999)"),
])
def test_years_outside_the_supported_range(text, message):
    with pytest.raises(BadWeek) as error:
        parse_week(text)
    assert str(error.value) == message


def test_the_supported_range_ends_have_bounds():
    assert IsoWeek(2000, 1).start == datetime.date(2000, 1, 3)
    last = parse_week("2999-W52")
    assert last.utc_bounds()[1] == datetime.datetime(2999, 12, 30, 0, 0, tzinfo=UTC)
