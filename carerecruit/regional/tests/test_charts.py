"""Chart specs: valid Vega-Lite, numbers only (suppressed values never drawn)."""

import pytest

from carerecruit.regional import charts
from carerecruit.regional.datasets import Filters, build_datasets
from carerecruit.regional.tests.fixtures import END, START, make_region

pytestmark = pytest.mark.django_db


def test_specs_validate_and_leave_suppressed_values_out(personas):
    make_region(personas)
    data = build_datasets(viewer=personas.council_a.pk, filters=Filters(START, END))
    for name in charts.CHARTS:
        charts.build_chart(name, data[charts.SOURCES[name]]).to_dict(validate=True)
    points = {p["council"]: p for p in charts.values("map", data["councils"])}
    assert len(points) == 14
    assert (points["Birmingham"]["candidates"], points["Coventry"]["candidates"], points["Coventry"]["shown"]) == (3, None, "<5")
    assert "Coventry" in charts.describe("map", data["councils"])
    bars = charts.values("supply-demand", data["councils"])
    assert {(b["council"], b["measure"]) for b in bars} == {
        ("Birmingham", "Talent-bank candidates"), ("Birmingham", "Open vacancy posts"),
        ("Birmingham", "Reported vacancies (ASC-WDS)"), ("Coventry", "Open vacancy posts"),
        ("Coventry", "Reported vacancies (ASC-WDS)"),
    }
    # Cost per placement from 5 placements: shown to everyone (£60.00).
    assert charts.values("cost", data["campaign-return"]) == [{"group": "Come Back to Care: Facebook", "pounds": 60.0}]
