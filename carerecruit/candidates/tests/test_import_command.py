"""``carerecruit import-applications FILE --campaign SLUG [--dry-run]``."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carerecruit.candidates.models import Application, ApplicationImport, Candidate
from carerecruit.tracking.models import Event

FIXTURES = Path(__file__).parent / "fixtures"
WHOLE = FIXTURES / "expressions_of_interest_utf8_bom.csv"
VALID = FIXTURES / "expressions_of_interest_valid_cp1252.csv"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-applications", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_the_valid_rows_and_prints_the_summary(campaign):
    out, err = run(VALID, "--campaign", campaign.slug)

    assert err == ""
    assert out.splitlines() == [
        "Imported expressions_of_interest_valid_cp1252.csv (Windows-1252) into Come Back to Care.",
        "  5 rows",
        "  4 new candidates, 0 known candidates with a new application",
        "  4 applications added",
        "  line 5 is the same person as line 2: not added again",
    ]
    assert (Candidate.objects.count(), Application.objects.count()) == (4, 4)
    batch = ApplicationImport.objects.get()
    assert (batch.status, batch.file_name, batch.applications_created, batch.uploaded_by) == (
        "imported", "expressions_of_interest_valid_cp1252.csv", 4, None
    )
    assert len(batch.sha256) == 64


def test_dry_run_writes_nothing(campaign):
    out, _ = run(VALID, "--campaign", campaign.slug, "--dry-run")

    assert out.splitlines()[0] == (
        "Dry run: expressions_of_interest_valid_cp1252.csv (Windows-1252) is ready to import "
        "into Come Back to Care; nothing was imported."
    )
    assert "  4 applications to add" in out.splitlines()
    assert (Candidate.objects.count(), Application.objects.count(), Event.objects.count()) == (0, 0, 0)
    assert not ApplicationImport.objects.exists()


def test_problems_are_all_printed_and_exit_non_zero(campaign):
    err = io.StringIO()
    with pytest.raises(CommandError, match="Fix the problems and run the import again"):
        call_command("import-applications", str(WHOLE), "--campaign", campaign.slug, stderr=err)
    assert err.getvalue().splitlines() == [
        "expressions_of_interest_utf8_bom.csv: 4 problems; nothing was imported.",
        "  Line 7, column “When could you start?”: “31/04/2020” is not a real date (dates are read day first, like 04/05/2020)",
        "  Line 8, column “Email address”: “priya.raman@example” is not an email address in the correct format, like name@example.com",
        "  Line 8, column “Social Work England registration number (if you have one)”: “999999999” is a placeholder, not a real Social Work England registration number",
        "  Line 9, column “Home postcode”: “NOTAPOSTCODE” is not a UK postcode, like B1 1AA",
    ]
    assert Candidate.objects.count() == 0


def test_exit_status_is_one_on_problems(campaign):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["carerecruit", "import-applications", str(WHOLE), "--campaign", campaign.slug])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code == 1


def test_unknown_campaign_and_missing_file(campaign, tmp_path):
    with pytest.raises(CommandError, match="No campaign with slug 'nope'"):
        run(VALID, "--campaign", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv", "--campaign", campaign.slug)
