"""``carerecruit report --week 2020-W13 [--out DIR] [--send | --resend]``."""

import hashlib
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from carerecruit.reports.actions import do_set_report_recipients
from carerecruit.reports.models import WeeklyReport

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_writes_the_html_and_pdf_with_their_digests(personas, tmp_path):
    output = run("--week", "2020-W13", "--out", str(tmp_path))
    html = (tmp_path / "weekly-report-2020-W13.html").read_bytes()
    pdf = (tmp_path / "weekly-report-2020-W13.pdf").read_bytes()
    assert output.splitlines() == [
        f"{tmp_path}/weekly-report-2020-W13.html  sha256 {hashlib.sha256(html).hexdigest()}",
        f"{tmp_path}/weekly-report-2020-W13.pdf  sha256 {hashlib.sha256(pdf).hexdigest()}",
    ]
    assert mail.outbox == []
    assert not WeeklyReport.objects.exists()


@pytest.mark.parametrize(("week", "message"), [
    ("2021-W53", "2021-W53 does not exist: ISO year 2021 has weeks 1 to 52"),
    ("2020-18", "Enter the week as YYYY-Www, like 2020-W18, not '2020-18'"),
    ("2999-W01", "2999-W01 has not ended yet (31 December 2998 to 6 January 2999)."),
    ("9999-W52", "9999-W52 is outside the years reports cover (2000 to 2999)"),
    ("0001-W01", "0001-W01 is outside the years reports cover (2000 to 2999)"),
])
def test_bad_weeks_are_clear_errors(personas, tmp_path, week, message):
    with pytest.raises(CommandError) as error:
        run("--week", week, "--out", str(tmp_path))
    assert str(error.value) == message
    assert list(tmp_path.iterdir()) == []


def test_out_must_be_a_folder(personas, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run("--week", "2020-W13", "--out", str(tmp_path / "missing"))


def test_send_then_send_again_then_resend(personas, tmp_path):
    do_set_report_recipients([personas.regional_admin], by=personas.regional_admin)
    assert "Sent 2020-W13 to 1 recipients." in run("--week", "2020-W13", "--out", str(tmp_path), "--send")
    assert "was sent already" in run("--week", "2020-W13", "--out", str(tmp_path), "--send")
    assert len(mail.outbox) == 1
    assert "Sent 2020-W13 to 1 recipients." in run("--week", "2020-W13", "--out", str(tmp_path), "--resend")
    assert len(mail.outbox) == 2
    row = WeeklyReport.objects.get()
    assert row.pdf_sha256 == hashlib.sha256((tmp_path / "weekly-report-2020-W13.pdf").read_bytes()).hexdigest()


def test_send_with_nobody_subscribed_is_an_error(personas, tmp_path):
    with pytest.raises(CommandError, match="Not sent: no recipients."):
        run("--week", "2020-W13", "--out", str(tmp_path), "--send")
