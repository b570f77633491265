"""``carerecruit export --open-data DIR``: every dataset, suppressed as for the public."""

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from carerecruit.regional.datasets import DATASET_NAMES
from carerecruit.regional.tests.fixtures import make_region

pytestmark = pytest.mark.django_db


def test_open_data_export(tmp_path, personas):
    make_region(personas)
    out = io.StringIO()
    call_command("export", "--open-data", str(tmp_path / "open"), "--start", "2026-04-01", "--end", "2026-10-31", stdout=out)
    folder = tmp_path / "open"
    expected = {f"{name}.{suffix}" for name in DATASET_NAMES for suffix in ("csv", "parquet")} | {"README.txt", "metadata.json"}
    assert {p.name for p in folder.iterdir()} == expected
    assert "Wrote 14 files" in out.getvalue()

    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["period"] == {"start": "2026-04-01", "end": "2026-10-31", "snapshot_date": "2026-10-31",
                              "time_zone": "Europe/London"}
    councils = next(d for d in meta["datasets"] if d["name"] == "councils")
    assert councils["rows"] == 14
    assert {"key": "applications", "label": "Applications routed", "kind": "count"} in councils["columns"]
    assert "<5" in (folder / "README.txt").read_text()

    rows = list(csv.reader(io.StringIO((folder / "councils.csv").read_text(encoding="utf-8-sig"))))
    by_gss = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert [by_gss[g]["Applications routed"] for g in ("E08000025", "E08000026")] == ["<5", "<5"]
    assert by_gss["E08000025"]["Filled posts (ASC-WDS)"] == "25"  # 5 or more: shown

    # Every small count in every file is suppressed.
    for name in DATASET_NAMES:
        table = pq.read_table(folder / f"{name}.parquet")
        kinds = {f.name: f.metadata[b"kind"].decode() for f in table.schema}
        for row in table.to_pylist():
            for key, value in row.items():
                if kinds[key] == "count" and key != "workplaces" and isinstance(value, (int, str)) and value not in ("<5", ""):
                    assert int(value) == 0 or int(value) >= 5, (name, key, row)
    schema = pq.read_table(folder / "councils.parquet").schema
    assert (str(schema.field("latitude").type), str(schema.field("council_gss").type)) == ("double", "string")
    assert str(pq.read_table(folder / "retention.parquet").schema.field("months").type) == "int64"
    flow = pq.read_table(folder / "flow.parquet").to_pylist()
    b_july = next(r for r in flow if r["council_gss"] == "E08000026" and r["month"] == "2026-07")
    assert (b_july["retained_3m"], b_july["retention_3m"]) == ("<5", "withheld")


def test_bad_dates(tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command("export", "--open-data", str(tmp_path), "--start", "31/04/2026")
    with pytest.raises(CommandError, match="cannot end before"):
        call_command("export", "--open-data", str(tmp_path), "--start", "2026-05-01", "--end", "2026-04-01")
