"""``carerecruit import-ascwds`` and ``carerecruit import-workforce-reference``."""

import io

import pytest
from django.core.management import CommandError, call_command

from carerecruit.workforce.models import PublishedWorkforceEstimate, Worker, WorkforceReturn
from carerecruit.workforce.tests.helpers import (
    FIXTURES,
    WORKER_BROKEN,
    WORKER_VALID,
    WORKPLACE_BROKEN,
    WORKPLACE_VALID,
)

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ascwds(*options, workplace=WORKPLACE_VALID, worker=WORKER_VALID):
    return run("import-ascwds", str(FIXTURES / workplace), str(FIXTURES / worker), *options)


def test_import_prints_a_summary(personas):
    out, err = ascwds("--organisation", "E08000025", "--as-at", "2026-03-31")
    assert err == ""
    assert out.splitlines() == [
        "Imported workplace_valid.csv and worker_valid.csv: Birmingham's return as at 2026-03-31, council area Birmingham",
        "3 workplaces, 25 staff records",
        "Filled posts 25 (permanent or temporary 21), vacancies 6, starters 6, leavers 10",
        "Vacancy rate 21.4%, turnover rate 47.6%",
        "   1 Senior management: filled 1, vacancies not known, leavers 0, vacancy rate not known, turnover rate 0.0%",
        "   4 Registered manager: filled 2, vacancies 0, leavers 1, vacancy rate 0.0%, turnover rate 50.0%",
        "   7 Senior care worker: filled 3, vacancies 1, leavers 1, vacancy rate 25.0%, turnover rate 33.3%",
        "   8 Care worker: filled 15, vacancies 5, leavers 7, vacancy rate 25.0%, turnover rate 58.3%",
        "  25 Administrative or office staff not providing care: filled 2, vacancies not known, leavers 1, vacancy rate not known, turnover rate 100.0%",
        "  40 Care co-ordinator: filled 2, vacancies 0, leavers 0, vacancy rate 0.0%, turnover rate 0.0%",
    ]
    saved = WorkforceReturn.objects.get()
    assert (saved.organisation, saved.council, saved.uploaded_by) == (personas.council_a, personas.council_a, None)
    out, _ = ascwds("--organisation", "birmingham", "--as-at", "2026-03-31")
    assert out.splitlines()[1].startswith("Replaced the return uploaded ")
    assert WorkforceReturn.objects.filter(status="current").count() == 1


def test_dry_run_and_provider_needs_a_council(personas):
    out, _ = ascwds("--organisation", "example-home-care", "--council", "E08000026", "--as-at", "2026-03-31", "--dry-run")
    assert out.splitlines()[0] == (
        "Would import workplace_valid.csv and worker_valid.csv: Example Home Care's return as at 2026-03-31, council area Coventry"
    )
    assert WorkforceReturn.objects.count() == 0
    with pytest.raises(CommandError, match="is a provider: give --council"):
        ascwds("--organisation", "example-home-care", "--as-at", "2026-03-31")
    with pytest.raises(CommandError, match="is a council: its return counts in its own area"):
        ascwds("--organisation", "birmingham", "--council", "coventry", "--as-at", "2026-03-31")
    with pytest.raises(CommandError, match="No organisation with the slug or GSS code 'nowhere'"):
        ascwds("--organisation", "nowhere", "--as-at", "2026-03-31")
    with pytest.raises(CommandError, match="--as-at must be a date like 2026-03-31, not '31/03/2026'"):
        ascwds("--organisation", "birmingham", "--as-at", "31/03/2026")
    with pytest.raises(CommandError, match="Cannot read .*missing.csv"):
        ascwds("--organisation", "birmingham", "--as-at", "2026-03-31", workplace="missing.csv")


def test_every_error_is_printed_and_nothing_imported(personas, capsys):
    err = io.StringIO()
    with pytest.raises(CommandError, match="^9 problems; nothing imported.$"):
        call_command(
            "import-ascwds", str(FIXTURES / WORKPLACE_BROKEN), str(FIXTURES / WORKER_BROKEN),
            "--organisation", "birmingham", "--as-at", "2026-03-31", stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert len(lines) == 9
    assert lines[0] == (
        "Workplace file, line 2 (LOCALESTID “BAD-EST-01”), ESTTYPE: The code you have entered for ESTTYPE is "
        "incorrect (ESTTYPE must be 1, 3, 6, 7 or 8)"
    )
    assert lines[-1] == "Worker file, line 8 (LOCALESTID “GOOD-04”, UNIQUEWORKERID “G007”), POSTCODE: POSTCODE is incorrectly formatted"
    assert WorkforceReturn.objects.count() == Worker.objects.count() == 0


def test_import_workforce_reference(tmp_path):
    path = tmp_path / "estimates.csv"
    path.write_text(
        "gss_code,year,filled_posts,vacancy_rate,turnover_rate,source\n"
        "E08000030,2023/24,7700,9.4,,Walsall MPS\n"
        "E12000005,2019/20,151000,6.2,30.1,Regional summary\n"
    )
    out, _ = run("import-workforce-reference", str(path))
    assert out.splitlines() == [
        "Loaded 2 estimates from estimates.csv: 2 new, 0 replacing earlier figures",
        "  E08000030 Walsall 2023/24: 7,700 filled posts, vacancy rate 9.4%",
        "  E12000005 West Midlands 2019/20: 151,000 filled posts, vacancy rate 6.2%, turnover rate 30.1%",
    ]
    assert PublishedWorkforceEstimate.objects.count() == 2
    out, _ = run("import-workforce-reference", str(path), "--dry-run")
    assert out.splitlines()[0] == "Would load 2 estimates from estimates.csv: 0 new, 2 replacing earlier figures"


def test_import_workforce_reference_errors(tmp_path):
    path = tmp_path / "estimates.csv"
    path.write_text("gss_code,year,filled_posts,vacancy_rate,turnover_rate,source\nE07000192,2023/24,100,,,District\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="estimates.csv: 1 problem; nothing loaded."):
        call_command("import-workforce-reference", str(path), stderr=err)
    assert err.getvalue() == "Line 2, gss_code: GSS code “E07000192” is not a council, region or country we know\n"
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-workforce-reference", str(tmp_path / "missing.csv"))
    assert PublishedWorkforceEstimate.objects.count() == 0
