"""Writes for workforce data: importing ASC-WDS returns and published reference figures.

Every function here is all-or-nothing: one transaction, and nothing written when any
problem is found. The command line (``import-ascwds``, ``import-workforce-reference``),
the staff upload pages and the tests all call these; nothing else writes the workforce
models.
"""

from __future__ import annotations

import datetime
import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole
from carerecruit.workforce.ascwds import (
    AscwdsReader,
    ParsedWorkplace,
    Problem,
    ReturnSummary,
    Tally,
    WorkerRecord,
)
from carerecruit.workforce.models import (
    PendingWorkforceUpload,
    PublishedWorkforceEstimate,
    Worker,
    WorkforceReturn,
    Workplace,
    WorkplaceJobRoleFigure,
)
from carerecruit.workforce.published import EstimateRow, read_published_estimates

#: How long a checked upload waits for its uploader to confirm it.
UPLOAD_MAX_AGE = datetime.timedelta(hours=24)
#: Staff records per COPY (PostgreSQL) or executemany (SQLite) batch.
WORKER_BATCH = 5000
#: Figures and workplaces per INSERT batch.
ROW_BATCH = 1000
PAYLOAD_VERSION = 1


@dataclass
class ImportResult:
    """The outcome of checking or importing a return.

    ``problems`` lists the first :data:`carerecruit.workforce.ascwds.MAX_PROBLEMS`
    problems and ``problem_count`` counts them all; when there are any, nothing was
    written. ``summary`` describes the return's contents (None when the files could not
    be read at all). ``workforce_return`` is the saved return (None for a dry run or a
    failure); ``replaces`` the current return it replaced (or, for a check or dry run,
    would replace).
    """

    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    summary: ReturnSummary | None = None
    workforce_return: WorkforceReturn | None = None
    replaces: WorkforceReturn | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


def job_role_codes() -> frozenset[int]:
    """The ASC-WDS main job role (BUDI) codes we accept: the loaded JobRole rows."""
    return frozenset(JobRole.objects.values_list("code", flat=True))


def current_return(organisation: Organisation, as_at: datetime.date) -> WorkforceReturn | None:
    """The organisation's current return for ``as_at``, which a new upload would replace."""
    return (
        WorkforceReturn.objects.select_related("uploaded_by")
        .filter(organisation=organisation, as_at=as_at, status=WorkforceReturn.Status.CURRENT)
        .first()
    )


def _reader(organisation, as_at, workplace_file, worker_file) -> AscwdsReader:
    return AscwdsReader(
        workplace_file, worker_file, as_at=as_at, key_scope=str(organisation.pk), job_roles=job_role_codes(),
    )


def do_import_ascwds(
    *, organisation: Organisation, council: Organisation, as_at: datetime.date,
    workplace_file: BinaryIO, worker_file: BinaryIO, workplace_file_name: str, worker_file_name: str,
    user=None, dry_run: bool = False,
) -> ImportResult:
    """Check and import an ASC-WDS return: a workplace file and a worker file.

    ``workplace_file``/``worker_file`` are seekable binary files (UTF-8 with or without a
    BOM, or Windows-1252). ``as_at`` is the local date the figures describe;
    ``council`` the council area the workplaces count in. The worker file is streamed
    and saved in batches as it is read, inside one transaction that is rolled back if
    any problem turns up, so a million-row file needs little memory and imports whole
    or not at all. A current return of the same organisation and date is replaced. With
    ``dry_run`` the files are only checked and summarised.
    """
    reader = _reader(organisation, as_at, workplace_file, worker_file)
    workplaces = reader.read_workplaces()
    replaces = current_return(organisation, as_at)
    if dry_run or reader.problem_count:
        tally = Tally(workplaces)
        for record in reader.iter_workers():
            tally.add(record)
        return ImportResult(
            reader.problems, reader.problem_count, tally.summary(), replaces=replaces, dry_run=dry_run,
        )
    return _write_return(
        organisation=organisation, council=council, as_at=as_at, user=user,
        files=(workplace_file_name, reader.workplace_sha256, worker_file_name, lambda: reader.worker_sha256),
        workplaces=workplaces, records=reader.iter_workers(),
        problems=lambda: (reader.problems, reader.problem_count),
    )


def _write_return(
    *, organisation, council, as_at, user, files, workplaces: list[ParsedWorkplace],
    records: Iterable[WorkerRecord], problems: Callable[[], tuple[list[Problem], int]],
) -> ImportResult:
    """Save a return from checked workplaces and a stream of staff records, replacing
    the current return for the same organisation and date. ``files`` is (workplace file
    name, its SHA-256, worker file name, a callable giving the worker file's SHA-256 once
    the stream has been read). ``problems()`` reports what
    the stream has found so far: once it finds any, nothing more is written and the
    transaction is rolled back when the stream ends."""
    workplace_name, workplace_sha, worker_name, worker_sha = files
    tally = Tally(workplaces)
    with transaction.atomic():
        # Uploads of one organisation take turns, so two at once cannot both replace
        # the same return (SQLite serialises writers anyway).
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        replaces = (
            WorkforceReturn.objects.select_for_update()
            .filter(organisation=organisation, as_at=as_at, status=WorkforceReturn.Status.CURRENT)
            .first()
        )
        if replaces is not None:
            _retire(replaces)
        new = WorkforceReturn.objects.create(
            organisation=organisation, council=council, as_at=as_at, uploaded_by=user,
            workplace_file_name=workplace_name[:255], workplace_file_sha256=workplace_sha,
            worker_file_name=worker_name[:255], worker_file_sha256="",
        )
        saved = Workplace.objects.bulk_create(
            [
                Workplace(
                    workforce_return=new, council=council, local_establishment_id=w.local_establishment_id,
                    name=w.name, postcode=w.postcode, employer_type=w.employer_type,
                    main_service=w.main_service, regulation_type=w.regulation_type,
                    cqc_location_id=w.cqc_location_id, total_perm_temp=w.total_perm_temp,
                )
                for w in workplaces
            ],
            batch_size=ROW_BATCH,
        )
        workplace_ids = {w.key: s.pk for w, s in zip(workplaces, saved, strict=True)}
        batch: list[tuple] = []
        failed = False
        for record in records:
            if failed or problems()[1]:
                # Keep reading to report every problem, but write nothing more.
                failed = True
                continue
            tally.add(record)
            batch.append((
                new.pk, workplace_ids[record.workplace_key], record.worker_key, record.main_job_role,
                record.contract_type, record.zero_hours_contract, _hours(record.contracted_hours),
                _hours(record.average_hours), record.start_year, record.start_month, record.recruitment_source,
            ))
            if len(batch) >= WORKER_BATCH:
                _insert_workers(batch)
                batch = []
        found, count = problems()
        if count:
            transaction.set_rollback(True)
            return ImportResult(found, count, None, replaces=replaces)
        if batch:
            _insert_workers(batch)
        WorkplaceJobRoleFigure.objects.bulk_create(
            [
                WorkplaceJobRoleFigure(
                    workplace_id=workplace_ids[f.workplace_key], job_role_id=f.job_role,
                    permanent=f.permanent, temporary=f.temporary, pool_bank=f.pool_bank, agency=f.agency,
                    other_contract=f.other_contract, filled_posts=f.filled_posts,
                    starters=f.starters, leavers=f.leavers, vacancies=f.vacancies,
                )
                for f in tally.figures()
            ],
            batch_size=ROW_BATCH,
        )
        new.workplace_count = len(workplaces)
        new.worker_count = tally.workers
        new.worker_file_sha256 = worker_sha()
        new.save(update_fields=["workplace_count", "worker_count", "worker_file_sha256"])
        if replaces is not None:
            replaces.replaced_by = new
            replaces.save(update_fields=["replaced_by"])
    return ImportResult([], 0, tally.summary(), workforce_return=new, replaces=replaces)


# Staff records do not go through bulk_create: it spent about 60 µs more CPU per row
# building Worker objects and compiling SQL value by value, nearly doubling the import
# (docs/performance.md, "ASC-WDS import"). PostgreSQL takes them with COPY, its bulk-load
# path; SQLite, an in-process library, with executemany. Same columns, and the database's
# constraints and foreign keys check every row either way. Workplaces and figures, a few
# thousand rows, use bulk_create.
_WORKER_FIELDS = (
    "workforce_return", "workplace", "worker_key", "main_job_role", "contract_type", "zero_hours_contract",
    "contracted_hours", "average_hours", "start_year", "start_month", "recruitment_source",
)


def _hours(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _insert_workers(rows: list[tuple]) -> None:
    """INSERT staff records given as tuples in :data:`_WORKER_FIELDS` order."""
    quote = connection.ops.quote_name
    table = quote(Worker._meta.db_table)
    columns = ", ".join(quote(Worker._meta.get_field(name).column) for name in _WORKER_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # cursor.cursor is psycopg's own cursor, in the same transaction.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(_WORKER_FIELDS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608 (names from the model, values as parameters)


def _retire(old: WorkforceReturn) -> None:
    """Mark ``old`` replaced and delete its workplaces, figures and staff records (the
    return row stays as history). Bulk deletes: no per-row queries."""
    Worker.objects.filter(workforce_return=old).delete()
    WorkplaceJobRoleFigure.objects.filter(workplace__workforce_return=old).delete()
    Workplace.objects.filter(workforce_return=old).delete()
    old.status = WorkforceReturn.Status.REPLACED
    old.save(update_fields=["status"])


# --- The staff pages' two steps: check and keep, then confirm ---------------------------


def encode_payload(workplaces: list[ParsedWorkplace], records: list[WorkerRecord]) -> bytes:
    """The minimised contents of a checked upload, for :class:`PendingWorkforceUpload`:
    zlib-compressed JSON ``{"version", "workplaces", "workers"}``."""
    data = {
        "version": PAYLOAD_VERSION,
        "workplaces": [w.to_json() for w in workplaces],
        "workers": [list(r) for r in records],
    }
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 6)


def decode_payload(payload: bytes) -> tuple[list[ParsedWorkplace], list[WorkerRecord]]:
    """The inverse of :func:`encode_payload`. Raises ValueError for another version."""
    data = json.loads(zlib.decompress(payload))
    if data.get("version") != PAYLOAD_VERSION:
        raise ValueError("Unknown pending upload format")
    return (
        [ParsedWorkplace.from_json(w) for w in data["workplaces"]],
        [WorkerRecord(*r) for r in data["workers"]],
    )


def do_store_workforce_upload(
    *, user, organisation: Organisation, council: Organisation, as_at: datetime.date,
    workplace_file: BinaryIO, worker_file: BinaryIO, workplace_file_name: str, worker_file_name: str,
) -> tuple[ImportResult, PendingWorkforceUpload | None]:
    """Check an uploaded return; if it has no problems, keep its minimised contents
    until the uploader confirms (see :class:`PendingWorkforceUpload`). Returns the check's
    result and the pending upload (None when there were problems). Deletes every pending
    upload older than :data:`UPLOAD_MAX_AGE`, whoever made it."""
    reader = _reader(organisation, as_at, workplace_file, worker_file)
    workplaces = reader.read_workplaces()
    records = list(reader.iter_workers())
    tally = Tally(workplaces)
    for record in records:
        tally.add(record)
    result = ImportResult(
        reader.problems, reader.problem_count, tally.summary(), replaces=current_return(organisation, as_at),
        dry_run=True,
    )
    if not result.ok:
        return result, None
    with transaction.atomic():
        PendingWorkforceUpload.objects.filter(uploaded_at__lt=timezone.now() - UPLOAD_MAX_AGE).delete()
        pending = PendingWorkforceUpload.objects.create(
            organisation=organisation, council=council, as_at=as_at, uploaded_by=user,
            workplace_file_name=workplace_file_name[:255], workplace_file_sha256=reader.workplace_sha256,
            worker_file_name=worker_file_name[:255], worker_file_sha256=reader.worker_sha256,
            payload=encode_payload(workplaces, records),
        )
    return result, pending


def pending_summary(pending: PendingWorkforceUpload) -> ReturnSummary:
    """What a pending upload holds, for its preview page."""
    workplaces, records = decode_payload(bytes(pending.payload))
    tally = Tally(workplaces)
    for record in records:
        tally.add(record)
    return tally.summary()


def do_confirm_workforce_upload(pending: PendingWorkforceUpload, *, user) -> ImportResult:
    """Import a pending upload (replacing the current return for its organisation and
    date) and delete it, in one transaction."""
    workplaces, records = decode_payload(bytes(pending.payload))
    with transaction.atomic():
        result = _write_return(
            organisation=pending.organisation, council=pending.council, as_at=pending.as_at, user=user,
            files=(pending.workplace_file_name, pending.workplace_file_sha256,
                   pending.worker_file_name, lambda: pending.worker_file_sha256),
            workplaces=workplaces, records=records, problems=lambda: ([], 0),
        )
        pending.delete()
    return result


# --- Published reference figures -------------------------------------------------------


@dataclass
class EstimateImportResult:
    """The outcome of importing published estimates: ``problems`` (nothing written when
    there are any), the rows read, and how many were new or replaced an existing
    (GSS code, year)."""

    problems: list = field(default_factory=list)
    rows: list[EstimateRow] = field(default_factory=list)
    created: int = 0
    replaced: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def do_import_published_estimates(data: bytes, *, user=None, dry_run: bool = False) -> EstimateImportResult:
    """Load published Skills for Care estimates from CSV bytes (see
    :mod:`carerecruit.workforce.published` for the columns). All or nothing; a row for a
    (GSS code, year) already loaded replaces it."""
    rows, problems = read_published_estimates(data)
    if problems:
        return EstimateImportResult(problems=problems, dry_run=dry_run)
    existing = set(
        PublishedWorkforceEstimate.objects.filter(gss_code__in={r.gss_code for r in rows})
        .values_list("gss_code", "year")
    )
    replaced = sum(1 for r in rows if (r.gss_code, r.year) in existing)
    result = EstimateImportResult(rows=rows, created=len(rows) - replaced, replaced=replaced, dry_run=dry_run)
    if dry_run:
        return result
    now = timezone.now()
    with transaction.atomic():
        for row in rows:
            PublishedWorkforceEstimate.objects.update_or_create(
                gss_code=row.gss_code, year=row.year,
                defaults={
                    "area_kind": row.area_kind, "council": row.council, "region": row.region,
                    "filled_posts": row.filled_posts, "vacancy_rate": row.vacancy_rate,
                    "turnover_rate": row.turnover_rate, "source": row.source,
                    "imported_at": now, "imported_by": user,
                },
            )
    return result
