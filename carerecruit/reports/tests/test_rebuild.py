"""The acceptance rule "the weekly report for a fixed week is byte-for-byte the same when
rebuilt": twice in this process, and by ``carerecruit report --week`` in two other
processes with different hash seeds, reading the same database."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from carerecruit.reports.render import build_files

from .week_fixture import WEEK, build_week


@pytest.mark.django_db
def test_rebuilding_in_process_gives_the_same_bytes(personas):
    build_week(personas.regional_admin)
    first, second = build_files(WEEK), build_files(WEEK)
    assert first.html == second.html
    assert first.pdf == second.pdf
    assert first.pdf_sha256 == second.pdf_sha256
    assert len(first.pdf) > 10_000  # a real document with its charts, not an empty one


def _database_url(tmp_path: Path) -> str:
    """A DATABASE_URL another process can open to read this test's (committed) data."""
    if connection.vendor == "sqlite":
        # The test database is in memory: copy it, fixture and all, to a file.
        copy = tmp_path / "report.sqlite3"
        target = sqlite3.connect(copy)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{quote(s['USER'] or '', safe='')}{password}@{s['HOST'] or 'localhost'}{port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_rebuilding_in_other_processes_gives_the_same_bytes(personas, tmp_path):
    build_week(personas.regional_admin)
    here = build_files(WEEK)
    url = _database_url(tmp_path)
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run-{seed}"
        out.mkdir()
        env = os.environ | {"DATABASE_URL": url, "PYTHONHASHSEED": seed, "DJANGO_SETTINGS_MODULE": "carerecruit.settings"}
        process = subprocess.Popen(
            [sys.executable, "-m", "carerecruit.manage", "report", "--week", WEEK.key, "--out", str(out)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        runs.append((out, process))
    for out, process in runs:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()
        assert f"sha256 {here.pdf_sha256}" in stdout.decode()
        assert (out / "weekly-report-2020-W13.html").read_bytes() == here.html
        assert (out / "weekly-report-2020-W13.pdf").read_bytes() == here.pdf
