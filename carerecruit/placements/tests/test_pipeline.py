"""The transition table and working-day arithmetic (plain Python, no database)."""

import datetime

import pytest

from carerecruit.placements import pipeline
from carerecruit.placements.pipeline import Stage

D = datetime.date

# The whole table, written out: a change to it must change this test.
EXPECTED = {
    "new": {"contacted", "screening", "withdrawn", "not_suitable", "talent_bank"},
    "contacted": {"screening", "interview", "new", "withdrawn", "not_suitable", "talent_bank"},
    "screening": {"interview", "contacted", "withdrawn", "not_suitable", "talent_bank"},
    "interview": {"offer", "screening", "withdrawn", "not_suitable", "talent_bank"},
    "offer": {"checks", "interview", "withdrawn", "not_suitable", "talent_bank"},
    "checks": {"placed", "offer", "withdrawn", "not_suitable", "talent_bank"},
    "placed": set(),
    "withdrawn": {"contacted"},
    "not_suitable": {"screening"},
    "talent_bank": {"contacted"},
}


def test_transition_table_is_exactly_as_designed():
    assert {k: set(v) for k, v in pipeline.TRANSITIONS.items()} == EXPECTED
    assert set(pipeline.TRANSITIONS) == set(Stage.values)


@pytest.mark.parametrize("from_stage", Stage.values)
@pytest.mark.parametrize("to_stage", Stage.values)
def test_is_allowed_matches_the_table(from_stage, to_stage):
    assert pipeline.is_allowed(from_stage, to_stage) is (to_stage in EXPECTED[from_stage])


def test_moves_offered_leave_out_placed_and_keep_pipeline_order():
    assert pipeline.moves_from("new") == ["contacted", "screening", "withdrawn", "not_suitable", "talent_bank"]
    assert pipeline.moves_from("checks") == ["offer", "withdrawn", "not_suitable", "talent_bank"]
    assert pipeline.moves_from("placed") == []
    assert pipeline.moves_from("withdrawn") == ["contacted"]


def test_stage_labels():
    assert pipeline.stage_label("checks") == "Pre-employment checks"
    assert pipeline.stage_label("talent_bank") == "Kept in talent bank"
    assert pipeline.stage_label("nonsense") == "nonsense"


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2026, 11, 23), D(2026, 11, 23), 0),  # same Monday
    (D(2026, 11, 23), D(2026, 11, 27), 4),  # Monday to Friday
    (D(2026, 11, 23), D(2026, 11, 29), 4),  # to Sunday: the weekend does not count
    (D(2026, 11, 23), D(2026, 11, 30), 5),  # to the next Monday
    (D(2026, 11, 27), D(2026, 11, 30), 1),  # Friday to Monday
    (D(2026, 11, 28), D(2026, 11, 30), 1),  # Saturday to Monday
    (D(2026, 11, 2), D(2026, 11, 30), 20),  # four weeks
    (D(2026, 11, 30), D(2026, 11, 23), 0),  # backwards
])
def test_working_days_between(start, end, expected):
    assert pipeline.working_days_between(start, end) == expected


def test_stuck_cutoff_is_the_last_entry_day_past_the_target():
    monday = D(2026, 11, 30)
    # Target 5: entered the previous Monday = 5 working days (not stuck); the Friday
    # before that = 6 (stuck).
    assert pipeline.stuck_cutoff(monday, 5) == D(2026, 11, 22)
    assert pipeline.working_days_between(D(2026, 11, 22), monday) == 6
    assert pipeline.working_days_between(D(2026, 11, 23), monday) == 5
    assert pipeline.stuck_cutoff(monday, 0) == D(2026, 11, 29)
