"""The nightly schedule and the ``forecast`` command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from carerecruit.forecast.models import ForecastRun
from carerecruit.forecast.tasks import NightlyForecasts, forecasts_due

UTC = datetime.UTC


def test_forecasts_due_at_once_when_there_has_never_been_a_run(db):
    assert forecasts_due(datetime.datetime(2020, 6, 1, 12, 0, tzinfo=UTC)) is True


def test_forecasts_due_from_two_in_the_morning_local(db):
    ForecastRun.objects.create(measure="applications", started_at=datetime.datetime(2020, 5, 31, 1, 0, tzinfo=UTC))
    # 1 June 2020 is in BST: 00:30 UTC is 01:30 local (not yet), 01:30 UTC is 02:30 local.
    assert forecasts_due(datetime.datetime(2020, 6, 1, 0, 30, tzinfo=UTC)) is False
    assert forecasts_due(datetime.datetime(2020, 6, 1, 1, 30, tzinfo=UTC)) is True
    ForecastRun.objects.create(measure="applications", started_at=datetime.datetime(2020, 6, 1, 1, 0, tzinfo=UTC))
    assert forecasts_due(datetime.datetime(2020, 6, 1, 1, 30, tzinfo=UTC)) is False
    assert forecasts_due(datetime.datetime(2020, 6, 2, 1, 30, tzinfo=UTC)) is True


def test_nightly_enqueues_once_a_day(db, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr("carerecruit.forecast.tasks.forecasts_due", lambda: True)
    nightly = NightlyForecasts()
    assert nightly.call() == "enqueued"
    assert nightly.call() == "not due"
    assert DBTaskResult.objects.count() == 1


def test_command(db):
    out = StringIO()
    call_command("forecast", "--measure", "applications", "--today", "2020-06-15", stdout=out)
    assert out.getvalue() == "Applications: 0 series (0 forecast, 0 with not enough history)\n"
    run = ForecastRun.objects.get()
    assert run.status == "complete" and run.series_count == 0
    with pytest.raises(CommandError):
        call_command("forecast", "--today", "15/06/2020")
