"""Acceptance (issue 5): an ASC-WDS workplace and worker file pair of our making imports
with exact vacancy and turnover rates; a broken pair imports nothing and names every
error with its line; a re-upload replaces the return."""

from decimal import Decimal

import pytest

from carerecruit.workforce.aggregates import figures_by_council, figures_by_council_and_role
from carerecruit.workforce.models import Worker, WorkforceReturn, Workplace, WorkplaceJobRoleFigure
from carerecruit.workforce.tests.helpers import (
    AS_AT,
    WORKER_BROKEN,
    WORKER_VALID,
    WORKER_WRONG_HEADER_ORDER,
    WORKPLACE_BROKEN,
    WORKPLACE_VALID,
    fixture_bytes,
    import_bytes,
    import_valid,
    replace_cell,
)

pytestmark = pytest.mark.django_db


def test_valid_pair_imports_with_exact_rates(personas):
    birmingham = personas.council_a
    result = import_valid(organisation=birmingham, user=personas.council_a_recruiter)

    assert result.ok
    saved = WorkforceReturn.objects.get()
    assert result.workforce_return == saved
    assert (saved.organisation, saved.council, saved.as_at, saved.status) == (birmingham, birmingham, AS_AT, "current")
    assert (saved.workplace_count, saved.worker_count) == (3, 25)
    assert saved.uploaded_by == personas.council_a_recruiter
    assert (saved.workplace_file_name, saved.worker_file_name) == (WORKPLACE_VALID, WORKER_VALID)
    assert len(saved.workplace_file_sha256) == len(saved.worker_file_sha256) == 64
    assert sorted(Workplace.objects.values_list("local_establishment_id", "postcode")) == [
        ("WM-CARE-01", "B15 2TT"), ("WM-HOME-02", "B1 1BB"), ("WM-HQ-03", "B3 2QD"),
    ]
    assert Worker.objects.count() == 25

    totals = result.summary.totals
    assert (totals.filled_posts, totals.directly_employed) == (25, 21)
    assert totals.contract_mix == {1: 19, 2: 2, 3: 1, 4: 2, 7: 1}
    assert (totals.starters, totals.leavers, totals.vacancies) == (6, 10, 6)
    # Vacancies 6 of (22 filled posts at workplaces that knew + 6): the head office
    # answered "don't know" and is left out.
    assert totals.vacancy_rate == Decimal("21.4")
    # 10 leavers of 21 permanent or temporary staff.
    assert totals.turnover_rate == Decimal("47.6")

    care_workers = result.summary.by_role[8]
    assert (care_workers.filled_posts, care_workers.vacancies, care_workers.vacancy_rate) == (15, 5, Decimal("25.0"))
    assert (care_workers.leavers, care_workers.directly_employed, care_workers.turnover_rate) == (7, 12, Decimal("58.3"))
    admin = result.summary.by_role[25]
    assert (admin.vacancies, admin.vacancy_rate, admin.turnover_rate) == (None, None, Decimal("100.0"))

    # The same figures read back from the database, as the dashboard will.
    [council] = figures_by_council(as_at=AS_AT)
    assert (council.council_gss, council.filled_posts, council.vacancy_rate, council.turnover_rate) == (
        "E08000025", 25, Decimal("21.4"), Decimal("47.6"),
    )
    by_role = {f.job_role_code: f for f in figures_by_council_and_role(as_at=AS_AT)}
    assert by_role[8].vacancy_rate == Decimal("25.0")
    assert by_role[8].turnover_rate == Decimal("58.3")
    assert by_role[4].vacancy_rate == Decimal("0.0")
    assert by_role[4].turnover_rate == Decimal("50.0")


def test_broken_pair_imports_nothing_and_names_every_error(personas):
    result = import_bytes(
        fixture_bytes(WORKPLACE_BROKEN), fixture_bytes(WORKER_BROKEN), organisation=personas.council_a,
    )

    assert not result.ok
    assert result.workforce_return is None
    assert [str(p) for p in result.problems] == [
        "Workplace file, line 2 (LOCALESTID “BAD-EST-01”), ESTTYPE: The code you have entered for ESTTYPE is incorrect (ESTTYPE must be 1, 3, 6, 7 or 8)",
        "Workplace file, line 3 (LOCALESTID “BAD-PC-02”), POSTCODE: POSTCODE is incorrectly formatted",
        "Workplace file, line 4 (LOCALESTID “BAD-LIST-03”), ALLJOBROLES/VACANCIES: ALLJOBROLES and VACANCIES do not have the same number of items (i.e. numbers and/or semi colons)",
        "Worker file, line 3 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G002”), NINUMBER: NINUMBER is incorrectly formatted",
        "Worker file, line 4 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G003”), DOB: The date of birth you have entered is not between a valid range of 14 – 100 years old on the as-at date",
        "Worker file, line 5 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G004”), MAINJOBROLE: MAINJOBROLE 99 is not a valid job role code",
        "Worker file, line 6 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G005”), EMPLSTATUS: The code you have entered for EMPLSTATUS is incorrect (EMPLSTATUS must be 1, 2, 3, 4 or 7)",
        "Worker file, line 7 (LOCALESTID “NOWHERE-99”, UNIQUEWORKERID “G006”), LOCALESTID: LOCALESTID “NOWHERE-99” is not in the workplace file: every staff record must belong to one of its workplaces",
        "Worker file, line 8 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G007”), POSTCODE: POSTCODE is incorrectly formatted",
    ]
    assert result.problem_count == 9
    # Nothing half-imported: no return, workplace, figure or staff record.
    assert WorkforceReturn.objects.count() == 0
    assert Workplace.objects.count() == WorkplaceJobRoleFigure.objects.count() == Worker.objects.count() == 0


def test_wrong_header_order_imports_nothing(personas):
    result = import_bytes(
        fixture_bytes(WORKPLACE_VALID), fixture_bytes(WORKER_WRONG_HEADER_ORDER), organisation=personas.council_a,
    )
    assert [str(p) for p in result.problems] == [
        "Worker file, line 1, GENDER: The worker file's headers must be ASC-WDS's 44 columns, exactly and in this order: "
        "column 7 is GENDER but should be DOB (the headers are in the wrong order)",
    ]
    assert WorkforceReturn.objects.count() == Workplace.objects.count() == 0


def test_an_error_late_in_the_worker_file_rolls_back_what_was_written(personas):
    """The worker file is written in batches as it streams: a problem on its last line
    must still leave nothing behind."""
    worker = replace_cell(fixture_bytes(WORKER_VALID), 27, "EMPLSTATUS", "9")
    result = import_bytes(fixture_bytes(WORKPLACE_VALID), worker, organisation=personas.council_a)
    assert [p.line for p in result.problems] == [27]
    assert WorkforceReturn.objects.count() == Workplace.objects.count() == Worker.objects.count() == 0


def test_reupload_of_the_same_return_replaces_it(personas):
    first = import_valid(organisation=personas.council_a).workforce_return
    # The second upload: the head office now knows it has 2 vacancies for role 1 and
    # none for role 25; one care worker (W001) is deleted.
    workplace = replace_cell(fixture_bytes(WORKPLACE_VALID), 4, "VACANCIES", "2;0")
    worker = replace_cell(fixture_bytes(WORKER_VALID), 2, "STATUS", "DELETE")
    result = import_bytes(workplace, worker, organisation=personas.council_a)

    assert result.ok
    second = result.workforce_return
    assert result.replaces == first
    first.refresh_from_db()
    assert (first.status, first.replaced_by) == ("replaced", second)
    assert second.status == "current"
    assert WorkforceReturn.objects.filter(status="current").get() == second
    # Only the new return's rows remain.
    assert set(Workplace.objects.values_list("workforce_return", flat=True)) == {second.pk}
    assert Worker.objects.count() == 24
    assert set(Worker.objects.values_list("workforce_return", flat=True)) == {second.pk}
    totals = result.summary.totals
    # 8 vacancies of (24 + 8) posts; 10 leavers of 20 directly employed.
    assert (totals.vacancies, totals.vacancy_rate, totals.turnover_rate) == (8, Decimal("25.0"), Decimal("50.0"))
    [council] = figures_by_council(as_at=AS_AT)
    assert (council.filled_posts, council.vacancy_rate) == (24, Decimal("25.0"))


def test_a_return_for_another_date_does_not_replace(personas):
    import datetime

    import_valid(organisation=personas.council_a)
    later = import_valid(organisation=personas.council_a, as_at=datetime.date(2026, 9, 30))
    assert later.replaces is None
    assert WorkforceReturn.objects.filter(status="current").count() == 2
    assert Worker.objects.count() == 50
