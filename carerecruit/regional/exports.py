"""Datasets as files: CSV, XLSX and Parquet, and the open-data export.

Values are written exactly as the dataset holds them, already suppressed for whoever
asked (:mod:`carerecruit.regional.datasets`): ``"<5"`` and ``"withheld"`` stay as text.
CSV and XLSX go through :mod:`carerecruit.lib.spreadsheet`, so no text cell can become a
formula. Parquet keeps types for Power BI and pandas: codes and text as strings, counts
and pence as 64-bit integers, rates and days as decimals, dates as dates, centroids as
doubles (int64 when every value is whole); a column holding a suppressed marker in this file is written as text instead
(the metadata JSON lists the columns' kinds). Parquet is data, not a spreadsheet, but
its text cells are neutralised too, for anyone who converts it to CSV.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from carerecruit.lib.spreadsheet import neutralise, write_csv, write_xlsx
from carerecruit.regional.datasets import DATASET_NAMES, Dataset, Filters, build_datasets

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
#: What the open-data README and metadata call the suppression rule.
SUPPRESSION_NOTE = (
    "Small numbers are suppressed: a count of 1 to 4 people is shown as \"<5\" and a rate, "
    "median or cost computed from such a count is \"withheld\". Zero is shown."
)


def _rows(dataset: Dataset) -> list[list]:
    return [[row.get(key) for key in dataset.keys] for row in dataset.rows]


def to_csv(dataset: Dataset) -> bytes:
    """The dataset as CSV (UTF-8 with BOM, header of column labels, text neutralised)."""
    return write_csv(_rows(dataset), [c.label for c in dataset.columns])


def to_xlsx(dataset: Dataset) -> bytes:
    """The dataset as a one-sheet XLSX workbook (numbers as numbers, text neutralised)."""
    return write_xlsx(_rows(dataset), [c.label for c in dataset.columns], sheet_title=dataset.title)


def _arrow_type(kind: str):
    import pyarrow as pa

    return {
        "count": pa.int64(), "pence": pa.int64(), "rate": pa.decimal128(9, 2), "days": pa.decimal128(9, 1),
        "number": pa.float64(), "date": pa.date32(),
    }.get(kind, pa.string())


def to_parquet(dataset: Dataset) -> bytes:
    """The dataset as a Parquet file; column names are the dataset's keys."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, fields = [], []
    for column in dataset.columns:
        values = [row.get(column.key) for row in dataset.rows]
        kind_type = _arrow_type(column.kind)
        if kind_type == pa.string() or any(isinstance(v, str) for v in values):
            values = [None if v is None else neutralise(str(v)) for v in values]
            kind_type = pa.string()
        elif column.kind == "number" and all(v is None or isinstance(v, int) for v in values):
            kind_type = pa.int64()  # whole numbers (months after start) stay whole
        elif column.kind == "number":
            values = [None if v is None else float(v) for v in values]
        elif column.kind in ("rate", "days"):
            values = [None if v is None else Decimal(v) for v in values]
        fields.append(pa.field(column.key, kind_type, metadata={"label": column.label, "kind": column.kind}))
        arrays.append(pa.array(values, type=kind_type))
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata={
        "dataset": dataset.name, "title": dataset.title, "description": dataset.description,
    }))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def render(dataset: Dataset, fmt: str) -> bytes:
    """The dataset in ``fmt`` (``"csv"``, ``"xlsx"`` or ``"parquet"``); KeyError for another."""
    return WRITERS[fmt](dataset)


def file_stem(name: str, filters: Filters) -> str:
    """``regional-<name>[-<start>][-to-<end>]``: a download's file name without suffix."""
    stem = f"regional-{name}"
    if filters.start:
        stem += f"-from-{filters.start.isoformat()}"
    if filters.end:
        stem += f"-to-{filters.end.isoformat()}"
    return stem


def metadata(datasets: dict[str, Dataset], filters: Filters, generated_at: datetime.datetime) -> dict:
    """The open-data export's description: period, suppression, and every dataset's
    columns (key, label, kind) and files."""
    return {
        "title": "Regional adult social care recruitment and workforce: open data",
        "generated_at": generated_at.isoformat(),
        "period": {
            "start": filters.start.isoformat() if filters.start else None,
            "end": filters.end.isoformat() if filters.end else None,
            "snapshot_date": filters.as_at.isoformat(),
            "time_zone": "Europe/London",
        },
        "suppression": SUPPRESSION_NOTE,
        "licence": "Open Government Licence v3.0",
        "datasets": [
            {
                "name": d.name, "title": d.title, "description": d.description, "rows": len(d.rows),
                "files": [f"{d.name}.csv", f"{d.name}.parquet"],
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in d.columns],
            }
            for d in datasets.values()
        ],
    }


def readme(meta: dict) -> str:
    """A plain-text README for the open-data export."""
    period = meta["period"]
    lines = [
        meta["title"], "=" * len(meta["title"]), "",
        f"Generated {meta['generated_at']} (UTC). Period: {period['start'] or 'open'} to "
        f"{period['end'] or 'open'} (Europe/London local dates); snapshot figures as at "
        f"{period['snapshot_date']}.", "",
        meta["suppression"], "",
        "Aggregates only: no file holds personal data. Each dataset is given as CSV (UTF-8, "
        "column labels as header) and Parquet (column keys as names, typed). metadata.json "
        "describes every column.", "",
        f"Licence: {meta['licence']}.", "",
    ]
    for d in meta["datasets"]:
        lines += [f"{d['name']}: {d['title']} ({d['rows']} rows)", f"  {d['description']}", ""]
    return "\n".join(lines)


def open_data_files(filters: Filters, *, generated_at: datetime.datetime) -> dict[str, bytes]:
    """Every dataset suppressed as for the public (viewer None), as ``{file name: bytes}``:
    ``<name>.csv`` and ``<name>.parquet`` for each of :data:`DATASET_NAMES`, plus
    ``metadata.json`` and ``README.txt``."""
    datasets = build_datasets(viewer=None, filters=filters)
    files: dict[str, bytes] = {}
    for name in DATASET_NAMES:
        files[f"{name}.csv"] = to_csv(datasets[name])
        files[f"{name}.parquet"] = to_parquet(datasets[name])
    meta = metadata(datasets, filters, generated_at)
    files["metadata.json"] = (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode()
    files["README.txt"] = readme(meta).encode()
    return files


def write_open_data(directory: Path, filters: Filters, *, generated_at: datetime.datetime) -> list[Path]:
    """Write the open-data export (:func:`open_data_files`) into ``directory`` (created
    if missing); return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in open_data_files(filters, generated_at=generated_at).items():
        path = directory / name
        path.write_bytes(content)
        written.append(path)
    return written


def open_data_zip(filters: Filters, *, generated_at: datetime.datetime) -> bytes:
    """The open-data export as one zip file (for the dashboard's download link)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in open_data_files(filters, generated_at=generated_at).items():
            info = zipfile.ZipInfo(name, date_time=generated_at.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
