"""Reading and checking ASC-WDS bulk-upload files: a workplace file and a worker file.

Formats, codes and rules: ``reference/domain.md`` 2.1–2.2, from Skills for Care's ASC-WDS
source (``workplaceCSVValidator.js``, ``workerCSVValidator.js``). Messages use ASC-WDS's
own wording where it has one ("POSTCODE is incorrectly formatted", "The code you have
entered for ESTTYPE is incorrect", "ALLJOBROLES and VACANCIES do not have the same number
of items …"), with the allowed codes added. Where ASC-WDS only warns and drops a value
(an out-of-range date of birth, a start date in the future), we refuse the file: a
return is imported whole or not at all, and a figure built on a value we dropped would
be wrong without anyone knowing.

Built for large files (a national return: 20,000 workplaces, a million staff records):
the worker file is streamed row by row, checks use sets and dicts loaded once (no query
per row), and only minimised :class:`WorkerRecord` tuples leave this module. Nothing
personal is kept: NI numbers, dates of birth, postcodes and names are checked here and
dropped, and messages never repeat them.

Files may be UTF-8 (with or without a byte-order mark) or Windows-1252, as Excel saves
CSV on Windows.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import hashlib
import hmac
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from django.conf import settings

from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.workforce import codes
from carerecruit.workforce.rates import FigureTotals, add_up

WORKPLACE_FILE = "workplace"
WORKER_FILE = "worker"

#: Problems kept for display; beyond this only counted (a file of the wrong kind can
#: have one per row, and a million of them would not help anyone).
MAX_PROBLEMS = 10_000

MAX_ID_LENGTH = 50  # LOCALESTID, UNIQUEWORKERID
MAX_NAME_LENGTH = 120  # ESTNAME
MAX_ADDRESS_LENGTH = 40  # ADDRESS1-3, POSTTOWN
MAX_OTHERTYPE_LENGTH = 240

# Regular expressions from the ASC-WDS validators (domain.md 2.1-2.2).
NINUMBER_RE = re.compile(r"^\s*[a-zA-Z]{2}(?:\s*\d\s*){6}[a-zA-Z]?\s*$")
WORKER_POSTCODE_RE = re.compile(r"^[A-Za-z]{1,2}[0-9]{1,2}[A-Za-z]?\s{1}[0-9][A-Za-z]{2}$")
CQC_ID_RE = re.compile(r"^[0-9]{1}-[0-9]{8,12}$")
DATE_RE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
HOURS_RE = re.compile(r"^\d{1,3}(\.[05])?$")
HOURLY_RATE_RE = re.compile(r"^\d+(\.\d{1,2})?$")
YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an upload.

    ``file`` is ``"workplace"`` or ``"worker"``; ``line`` the 1-based line in that file
    where the row starts (the header is line 1), None for the file as a whole;
    ``column`` the ASC-WDS column name(s); ``localestid``/``worker`` the row's
    LOCALESTID and UNIQUEWORKERID as given, so the employer can find it.
    """

    file: str
    line: int | None
    column: str
    message: str
    localestid: str = ""
    worker: str = ""

    @property
    def file_label(self) -> str:
        return "Workplace file" if self.file == WORKPLACE_FILE else "Worker file"

    @property
    def record(self) -> str:
        """``LOCALESTID “E1”, UNIQUEWORKERID “W7”``: which record, in ASC-WDS terms."""
        parts = []
        if self.localestid:
            parts.append(f"LOCALESTID “{self.localestid}”")
        if self.worker:
            parts.append(f"UNIQUEWORKERID “{self.worker}”")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.file_label if self.line is None else f"{self.file_label}, line {self.line}"
        if self.record:
            where += f" ({self.record})"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class ParsedWorkplace:
    """A checked workplace row, minimised to what we store.

    ``roles`` maps each ALLJOBROLES code to its (starters, leavers, vacancies); None is
    "don't know" (999). ``unlisted`` is the same triple for roles the workplace did not
    list (0, or None where the whole column was 999).
    """

    line: int
    key: str  # LOCALESTID without whitespace: ASC-WDS's matching key
    local_establishment_id: str
    name: str
    postcode: str
    employer_type: int
    main_service: int
    regulation_type: int
    cqc_location_id: str
    total_perm_temp: int
    roles: dict[int, tuple[int | None, int | None, int | None]]
    unlisted: tuple[int | None, int | None, int | None]

    def to_json(self) -> list:
        return [
            self.line, self.key, self.local_establishment_id, self.name, self.postcode,
            self.employer_type, self.main_service, self.regulation_type, self.cqc_location_id,
            self.total_perm_temp, [[code, *slv] for code, slv in self.roles.items()], list(self.unlisted),
        ]

    @classmethod
    def from_json(cls, data: list) -> ParsedWorkplace:
        (line, key, local_id, name, postcode, employer_type, main_service, regulation_type,
         location_id, total, roles, unlisted) = data
        return cls(
            line, key, local_id, name, postcode, employer_type, main_service, regulation_type,
            location_id, total, {r[0]: (r[1], r[2], r[3]) for r in roles}, tuple(unlisted),
        )


class WorkerRecord(NamedTuple):
    """A checked staff record, minimised (see :class:`carerecruit.workforce.models.Worker`).

    Hours are decimal strings (``"37.5"``) or None.
    """

    workplace_key: str
    worker_key: str
    main_job_role: int
    contract_type: int
    zero_hours_contract: bool | None
    contracted_hours: str | None
    average_hours: str | None
    start_year: int | None
    start_month: int | None
    recruitment_source: int | None


@dataclass(slots=True)
class FigureRow:
    """Figures for one job role at one workplace (before they are saved)."""

    workplace_key: str
    job_role: int
    permanent: int = 0
    temporary: int = 0
    pool_bank: int = 0
    agency: int = 0
    other_contract: int = 0
    starters: int | None = 0
    leavers: int | None = 0
    vacancies: int | None = 0

    @property
    def filled_posts(self) -> int:
        return self.permanent + self.temporary + self.pool_bank + self.agency + self.other_contract

    @property
    def directly_employed(self) -> int:
        return self.permanent + self.temporary


# Position of each EMPLSTATUS code in a per-role count list (and FigureRow field order).
CONTRACT_SLOT = {codes.PERMANENT: 0, codes.TEMPORARY: 1, codes.POOL_BANK: 2, codes.AGENCY: 3, codes.OTHER_CONTRACT: 4}


class Tally:
    """Adds up a return's staff records into :class:`FigureRow` per workplace and role.

    Feed it every :class:`WorkerRecord` with :meth:`add`; :meth:`figures` then merges the
    counts with the workplaces' starters, leavers and vacancies.
    """

    def __init__(self, workplaces: Iterable[ParsedWorkplace]):
        self.workplaces = {w.key: w for w in workplaces}
        self.counts: dict[tuple[str, int], list[int]] = {}
        self.workers = 0

    def add(self, record: WorkerRecord) -> None:
        key = (record.workplace_key, record.main_job_role)
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = [0, 0, 0, 0, 0]
        counts[CONTRACT_SLOT[record.contract_type]] += 1
        self.workers += 1

    def figures(self) -> list[FigureRow]:
        """One row per (workplace, job role) with staff, starters, leavers or vacancies."""
        staffed: dict[str, set[int]] = {}
        for key, role in self.counts:
            staffed.setdefault(key, set()).add(role)
        rows = []
        for workplace in self.workplaces.values():
            for role in sorted(set(workplace.roles) | staffed.get(workplace.key, set())):
                starters, leavers, vacancies = workplace.roles.get(role, workplace.unlisted)
                counts = self.counts.get((workplace.key, role), (0, 0, 0, 0, 0))
                rows.append(FigureRow(workplace.key, role, *counts, starters, leavers, vacancies))
        return rows

    def summary(self) -> ReturnSummary:
        """Totals for the whole return and per job role."""
        rows = self.figures()
        by_role: dict[int, list[FigureRow]] = {}
        for row in rows:
            by_role.setdefault(row.job_role, []).append(row)
        return ReturnSummary(
            workplaces=len(self.workplaces),
            workers=self.workers,
            totals=add_up(rows),
            by_role={role: add_up(role_rows) for role, role_rows in sorted(by_role.items())},
        )


@dataclass(frozen=True)
class ReturnSummary:
    """What a return holds: counts of workplaces and staff records, and the figures
    (:class:`carerecruit.workforce.rates.FigureTotals`) in all and per job role code."""

    workplaces: int
    workers: int
    totals: FigureTotals
    by_role: dict[int, FigureTotals]


def worker_key_secret() -> bytes:
    """The HMAC key for worker keys, derived from ``settings.SECRET_KEY``."""
    return hashlib.sha256(b"carerecruit.workforce.worker-key\x00" + settings.SECRET_KEY.encode()).digest()


def _int(text: str) -> int | None:
    """A whole number written in ASCII digits, else None (no signs, spaces or decimals)."""
    return int(text) if text.isascii() and text.isdigit() else None


def _date(text: str) -> datetime.date | None:
    match = DATE_RE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class AscwdsReader:
    """Reads and checks one return's workplace and worker files.

    Call :meth:`read_workplaces` first (the worker file's LOCALESTIDs are checked against
    it), then iterate :meth:`iter_workers`, which yields a :class:`WorkerRecord` for each
    valid staff record still in the return (STATUS other than DELETE). Problems collect
    in :attr:`problems` (the first :data:`MAX_PROBLEMS`) and :attr:`problem_count`.

    ``workplace_file`` and ``worker_file`` are seekable binary files. ``as_at`` is the
    return's local date: ages and start dates are checked against it. ``key_scope`` (the
    organisation's id) goes into each worker key; ``job_roles`` is the set of valid BUDI
    job role codes (from :class:`carerecruit.reference.models.JobRole`).
    """

    def __init__(
        self, workplace_file: BinaryIO, worker_file: BinaryIO, *, as_at: datetime.date,
        key_scope: str, job_roles: Iterable[int],
    ):
        self.workplace_file = workplace_file
        self.worker_file = worker_file
        self.as_at = as_at
        self.key_scope = key_scope
        self.job_roles = frozenset(job_roles)
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.workplace_sha256 = ""
        self.worker_sha256 = ""
        self.workplaces: dict[str, ParsedWorkplace] = {}
        # Every LOCALESTID key on a non-DELETE row, valid or not, with its line.
        self._workplace_lines: dict[str, int] = {}
        self._deleted_workplaces: set[str] = set()
        self._workplace_file_read = False
        self.deleted_workers = 0

    # --- plumbing ------------------------------------------------------------------

    def _add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def _open(self, handle: BinaryIO, file: str) -> tuple[io.TextIOWrapper | None, str]:
        """Work out the encoding (UTF-8, else Windows-1252) and the SHA-256 in one pass;
        return a text stream from the start of the file, or None with a problem."""
        handle.seek(0)
        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8")()
        utf8 = True
        size = 0
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            digest.update(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
        handle.seek(0)
        label = "workplace" if file == WORKPLACE_FILE else "worker"
        if size == 0:
            self._add(Problem(file, None, "", f"The {label} file is empty"))
            return None, digest.hexdigest()
        # "utf-8-sig" drops a byte-order mark if there is one.
        encoding = "utf-8-sig" if utf8 else "cp1252"
        return io.TextIOWrapper(handle, encoding=encoding, newline=""), digest.hexdigest()

    @staticmethod
    def _close(text: io.TextIOWrapper) -> None:
        # Detach rather than close: the caller owns the binary file.
        with contextlib.suppress(ValueError):
            text.detach()

    def _header(self, reader, file: str, expected: tuple[str, ...]) -> list[str] | None:
        """The file's header if it is ASC-WDS's, exactly and in order; else None."""
        label = "workplace" if file == WORKPLACE_FILE else "worker"
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            self._add(Problem(file, None, "", f"The {label} file is empty"))
            return None
        except UnicodeDecodeError:
            self._add(Problem(file, None, "", f"The {label} file is not text in UTF-8 or Windows-1252"))
            return None
        except csv.Error as exc:
            self._add(Problem(file, 1, "", f"The {label} file is not valid CSV here ({exc})"))
            return None
        if header == list(expected):
            return header
        # The worker file may carry CHGUNIQUEWRKID and/or TRANSFERSTAFFRECORD after
        # UNIQUEWORKERID.
        if file == WORKER_FILE:
            for extra in (["CHGUNIQUEWRKID"], ["TRANSFERSTAFFRECORD"], list(codes.WORKER_OPTIONAL_HEADERS)):
                if header == list(expected[:2]) + extra + list(expected[2:]):
                    return header
        self._header_problem(header, file, expected)
        return None

    def _header_problem(self, header: list[str], file: str, expected: tuple[str, ...]) -> None:
        label = "workplace" if file == WORKPLACE_FILE else "worker"
        intro = f"The {label} file's headers must be ASC-WDS's {len(expected)} columns, exactly and in this order"
        if sorted(header) == sorted(expected):
            for position, (found, wanted) in enumerate(zip(header, expected, strict=True), start=1):
                if found != wanted:
                    self._add(Problem(
                        file, 1, found,
                        f"{intro}: column {position} is {found} but should be {wanted} (the headers are in the wrong order)",
                    ))
                    return
        missing = [name for name in expected if name not in header]
        unknown = [name for name in header if name not in expected and name not in codes.WORKER_OPTIONAL_HEADERS]
        details = []
        if missing:
            details.append(f"missing {', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}")
        if unknown:
            details.append(f"not ASC-WDS columns: {', '.join(unknown[:10])}{' …' if len(unknown) > 10 else ''}")
        if not details:
            details.append("a column is repeated or in the wrong place")
        self._add(Problem(file, 1, "", f"{intro} ({'; '.join(details)})"))

    def _rows(self, reader, file: str, columns: int) -> Iterator[tuple[int, list[str]]]:
        """``(line, values)`` per data row: blank lines skipped, wrong widths reported."""
        previous = reader.line_num
        label = "workplace" if file == WORKPLACE_FILE else "worker"
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                self._add(Problem(file, None, "", f"The {label} file is not text in UTF-8 or Windows-1252"))
                return
            except csv.Error as exc:
                self._add(Problem(file, reader.line_num, "", f"The {label} file is not valid CSV here ({exc})"))
                return
            line = previous + 1
            previous = reader.line_num
            if not row or (not row[0].strip() and not any(value.strip() for value in row)):
                continue
            if len(row) != columns:
                local = row[0].strip()
                self._add(Problem(
                    file, line, "", f"This line has {len(row)} values but the header has {columns} columns",
                    localestid=local[:MAX_ID_LENGTH],
                ))
                if file == WORKPLACE_FILE and local:
                    # Its staff records are not "not in the workplace file" as well.
                    self._workplace_lines.setdefault("".join(local.split()), line)
                continue
            yield line, row

    # --- workplace file ------------------------------------------------------------

    def read_workplaces(self) -> list[ParsedWorkplace]:
        """Read and check the workplace file; return its valid workplaces still in the
        return (STATUS other than DELETE)."""
        text, self.workplace_sha256 = self._open(self.workplace_file, WORKPLACE_FILE)
        if text is None:
            return []
        try:
            reader = csv.reader(text)
            if self._header(reader, WORKPLACE_FILE, codes.WORKPLACE_HEADERS) is None:
                return []
            self._workplace_file_read = True
            for line, row in self._rows(reader, WORKPLACE_FILE, len(codes.WORKPLACE_HEADERS)):
                workplace = self._workplace(line, row)
                if workplace is not None:
                    self.workplaces[workplace.key] = workplace
        finally:
            self._close(text)
        return list(self.workplaces.values())

    def _workplace(self, line: int, r: list[str]) -> ParsedWorkplace | None:
        (local, status, name, address1, address2, address3, town, postcode, esttype, othertype,
         permcqc, permla, regtype, provnum, locationid, mainservice, _allservices, _capacity,
         _utilisation, _servicedesc, _serviceusers, _otheruserdesc, dha, _dhaactivities,
         totalpermtemp, alljobroles, starters, leavers, vacancies, *rest) = (v.strip() for v in r)
        optoutpen, sleepins, sleepinpay = rest[9], rest[11], rest[12]
        before = self.problem_count

        def problem(column: str, message: str) -> None:
            self._add(Problem(WORKPLACE_FILE, line, column, message, localestid=local))

        if not local:
            problem("LOCALESTID", "LOCALESTID has not been supplied")
        elif len(local) > MAX_ID_LENGTH:
            problem("LOCALESTID", f"LOCALESTID is longer than {MAX_ID_LENGTH} characters")
        key = "".join(local.split())
        status = status.upper()
        if not status:
            problem("STATUS", "STATUS is blank")
        elif status not in codes.WORKPLACE_STATUSES:
            problem("STATUS", "The code you have entered for STATUS is incorrect (must be NEW, UPDATE, DELETE, UNCHECKED or NOCHANGE)")
        if key:
            first = self._workplace_lines.get(key)
            if first is not None or key in self._deleted_workplaces:
                problem("LOCALESTID", f"LOCALESTID is not unique: it is also on line {first}" if first else "LOCALESTID is not unique")
            elif status == codes.DELETE:
                self._deleted_workplaces.add(key)
            else:
                self._workplace_lines[key] = line
        if status == codes.DELETE:
            return None

        if not name:
            problem("ESTNAME", "ESTNAME has not been supplied")
        elif len(name) > MAX_NAME_LENGTH:
            problem("ESTNAME", f"ESTNAME is longer than {MAX_NAME_LENGTH} characters")
        if not address1:
            problem("ADDRESS1", "ADDRESS1 is blank")
        for column, value in (("ADDRESS1", address1), ("ADDRESS2", address2), ("ADDRESS3", address3), ("POSTTOWN", town)):
            if len(value) > MAX_ADDRESS_LENGTH:
                problem(column, f"{column} is longer than {MAX_ADDRESS_LENGTH} characters")
        normalised_postcode = ""
        if not postcode:
            problem("POSTCODE", "POSTCODE has not been supplied")
        else:
            try:
                normalised_postcode = normalise_postcode(postcode)
            except ValueError:
                problem("POSTCODE", "POSTCODE is incorrectly formatted")

        employer_type = _int(esttype)
        if not esttype:
            problem("ESTTYPE", "ESTTYPE has not been supplied")
        elif employer_type not in codes.ESTTYPE:
            problem("ESTTYPE", f"The code you have entered for ESTTYPE is incorrect (ESTTYPE must be {codes.codes_phrase(codes.ESTTYPE)})")
        if employer_type == codes.ESTTYPE_OTHER and not othertype:
            problem("OTHERTYPE", "OTHERTYPE has not been supplied (ESTTYPE is 8, Other)")
        elif len(othertype) > MAX_OTHERTYPE_LENGTH:
            problem("OTHERTYPE", f"OTHERTYPE is longer than {MAX_OTHERTYPE_LENGTH} characters")
        for column, value in (("PERMCQC", permcqc), ("PERMLA", permla)):
            if value not in codes.SHARE_PERMISSION:
                problem(column, f"The code you have entered for {column} is incorrect (must be 0, 1 or blank)")

        main_service = _int(mainservice)
        if not mainservice:
            problem("MAINSERVICE", "MAINSERVICE has not been supplied")
        elif main_service not in codes.MAINSERVICE:
            problem("MAINSERVICE", "The code you have entered for MAINSERVICE is incorrect (not an ASC-WDS service code)")
        head_office = main_service == codes.MAINSERVICE_HEAD_OFFICE

        regulation_type = _int(regtype)
        if not regtype:
            problem("REGTYPE", "REGTYPE has not been supplied")
        elif regulation_type not in codes.REGTYPE:
            problem("REGTYPE", "The code you have entered for REGTYPE is incorrect (must be 0 or 2)")
        if regulation_type == codes.REGTYPE_CQC:
            if not provnum:
                problem("PROVNUM", "PROVNUM has not been supplied (REGTYPE is 2, CQC regulated)")
            elif not CQC_ID_RE.match(provnum):
                problem("PROVNUM", "PROVNUM is incorrectly formatted (like 1-101234567)")
            if not head_office:
                if not locationid:
                    problem("LOCATIONID", "LOCATIONID has not been supplied (REGTYPE is 2, CQC regulated)")
                elif not CQC_ID_RE.match(locationid):
                    problem("LOCATIONID", "LOCATIONID is incorrectly formatted (like 1-101234567)")

        total = _int(totalpermtemp)
        if not totalpermtemp:
            problem("TOTALPERMTEMP", "TOTALPERMTEMP is missing")
        elif total is None or total > codes.MAX_COUNT:
            problem("TOTALPERMTEMP", f"TOTALPERMTEMP must be a number from 0 to {codes.MAX_COUNT}")
        elif total == 0 and main_service is not None and not head_office:
            problem("TOTALPERMTEMP", "Total Permanent and Temporary (TOTALPERMTEMP) cannot be 0 except when MAINSERVICE is head office")

        for column, value in (("DHA", dha), ("OPTOUTPEN", optoutpen), ("SLEEPINS", sleepins), ("SLEEPINPAY", sleepinpay)):
            if value and _int(value) not in codes.YES_NO_DONT_KNOW:
                problem(column, f"The code you have entered for {column} is incorrect (must be 1, 2 or 999)")

        roles, unlisted = self._job_roles(alljobroles, starters, leavers, vacancies, problem)

        if self.problem_count != before:
            return None
        return ParsedWorkplace(
            line, key, local, name, normalised_postcode, employer_type, main_service, regulation_type,
            locationid if regulation_type == codes.REGTYPE_CQC and not head_office else "", total,
            roles, unlisted,
        )

    def _job_roles(self, alljobroles: str, starters: str, leavers: str, vacancies: str, problem):
        """ALLJOBROLES with STARTERS, LEAVERS and VACANCIES: ``;``-separated lists aligned
        by position; each count 0-999 (999 don't know), or the whole column a single
        999. ALLJOBROLES may be blank only if no count is above zero (999 aside)."""
        role_codes: list[int] = []
        if alljobroles:
            for item in alljobroles.split(";"):
                code = _int(item.strip())
                if code is None:
                    problem("ALLJOBROLES", "All Job Roles (ALLJOBROLES) must be whole numbers")
                    return {}, (0, 0, 0)
                if code not in self.job_roles:
                    problem("ALLJOBROLES", f"ALLJOBROLES: {code} is not a valid job role code")
                elif code in role_codes:
                    problem("ALLJOBROLES", f"ALLJOBROLES lists job role {code} more than once")
                role_codes.append(code)
        columns = (("STARTERS", starters), ("LEAVERS", leavers), ("VACANCIES", vacancies))
        per_role: list[list[int | None]] = []
        unlisted: list[int | None] = []
        blank_roles_reported = False
        for column, raw in columns:
            items = [item.strip() for item in raw.split(";")] if raw else []
            if items == [str(codes.DONT_KNOW)]:
                per_role.append([None] * len(role_codes))
                unlisted.append(None)
                continue
            unlisted.append(0)
            if not role_codes:
                if any((_int(item) or 0) > 0 and _int(item) != codes.DONT_KNOW for item in items) and not blank_roles_reported:
                    problem("ALLJOBROLES", "ALLJOBROLES cannot be blank as you have STARTERS, LEAVERS, VACANCIES greater than zero")
                    blank_roles_reported = True
                per_role.append([])
                continue
            if len(items) != len(role_codes):
                problem(
                    f"ALLJOBROLES/{column}",
                    f"ALLJOBROLES and {column} do not have the same number of items (i.e. numbers and/or semi colons)",
                )
                per_role.append([0] * len(role_codes))
                continue
            values = [_int(item) for item in items]
            if any(value is None or value > codes.MAX_COUNT for value in values):
                problem(column, f"{column} values must be whole numbers from 0 to {codes.MAX_COUNT} (999 means don't know)")
            per_role.append([None if value == codes.DONT_KNOW else value for value in values])
        roles = {code: (per_role[0][i], per_role[1][i], per_role[2][i]) for i, code in enumerate(role_codes)}
        return roles, tuple(unlisted)

    # --- worker file ---------------------------------------------------------------

    def iter_workers(self) -> Iterator[WorkerRecord]:
        """Read and check the worker file, yielding each valid staff record still in the
        return. Call :meth:`read_workplaces` first."""
        text, self.worker_sha256 = self._open(self.worker_file, WORKER_FILE)
        if text is None:
            return
        try:
            reader = csv.reader(text)
            header = self._header(reader, WORKER_FILE, codes.WORKER_HEADERS)
            if header is None:
                return
            yield from self._workers(reader, header)
        finally:
            self._close(text)

    def _workers(self, reader, header: list[str]) -> Iterator[WorkerRecord]:
        at = {name: i for i, name in enumerate(header)}
        i_local, i_uid, i_status = at["LOCALESTID"], at["UNIQUEWORKERID"], at["STATUS"]
        i_ni, i_postcode, i_dob, i_start = at["NINUMBER"], at["POSTCODE"], at["DOB"], at["STARTDATE"]
        i_empl, i_role, i_zero = at["EMPLSTATUS"], at["MAINJOBROLE"], at["ZEROHRCONT"]
        i_cont, i_avg, i_rec = at["CONTHOURS"], at["AVGHOURS"], at["RECSOURCE"]
        i_year_entry, i_in_sector = at["YEAROFENTRY"], at["STARTINSECT"]
        i_salary_int, i_salary, i_hourly = at["SALARYINT"], at["SALARY"], at["HOURLYRATE"]
        i_l2, i_scqual, i_nonscqual = at["L2CARECERT"], at["SCQUAL"], at["NONSCQUAL"]
        # Columns whose value, when given, must be one of a set of codes.
        coded = [
            (at[column], column, frozenset(allowed), phrase)
            for column, allowed, phrase in (
                ("GENDER", codes.GENDER, None),
                ("ETHNICITY", codes.ETHNICITY_CODES, "31 to 47, 98 or 99"),
                ("BRITISHCITIZENSHIP", codes.YES_NO_DONT_KNOW, None),
                ("DISABLED", codes.DISABLED, None),
                ("CARECERT", codes.CARECERT, None),
                ("HANDCVISA", codes.YES_NO_DONT_KNOW, None),
                ("INOUTUK", codes.YES_NO_DONT_KNOW, None),
                ("DHA", codes.YES_NO_DONT_KNOW, None),
                ("APPRENTICE", codes.YES_NO_DONT_KNOW, None),
                ("ZEROHRCONT", codes.YES_NO_DONT_KNOW, None),
                ("SALARYINT", codes.SALARYINT, None),
                ("NMCREG", codes.NMCREG, None),
                ("AMHP", codes.YES_NO_DONT_KNOW, None),
                ("CWPCATEGORY", codes.CWPCATEGORY, None),
            )
        ]
        recsource_codes = frozenset(codes.RECSOURCE)
        emplstatus_phrase = codes.codes_phrase(codes.EMPLSTATUS)
        job_roles = self.job_roles
        workplaces = self.workplaces
        workplace_lines = self._workplace_lines
        deleted_workplaces = self._deleted_workplaces
        check_workplace = self._workplace_file_read
        seen: dict[str, int] = {}
        secret = worker_key_secret()
        scope = self.key_scope
        as_at = self.as_at
        columns = len(header)

        for line, r in self._rows(reader, WORKER_FILE, columns):
            before = self.problem_count
            local = r[i_local].strip()
            uid = r[i_uid].strip()

            def problem(column: str, message: str, _line=line, _local=local, _uid=uid) -> None:
                self._add(Problem(WORKER_FILE, _line, column, message, localestid=_local, worker=_uid[:MAX_ID_LENGTH]))

            local_key = "".join(local.split())
            if not local:
                problem("LOCALESTID", "LOCALESTID has not been supplied")
            elif check_workplace and local_key not in workplace_lines:
                if local_key in deleted_workplaces:
                    problem("LOCALESTID", "LOCALESTID is a workplace whose STATUS is DELETE in the workplace file")
                else:
                    problem("LOCALESTID", f"LOCALESTID “{local}” is not in the workplace file: every staff record must belong to one of its workplaces")
            if not uid:
                problem("UNIQUEWORKERID", "UNIQUEWORKERID has not been supplied")
            elif len(uid) > MAX_ID_LENGTH:
                problem("UNIQUEWORKERID", f"UNIQUEWORKERID is longer than {MAX_ID_LENGTH} characters")
            status = r[i_status].strip().upper()
            if status not in codes.WORKER_STATUSES:
                problem("STATUS", "The STATUS you have supplied is incorrect (must be NEW, UPDATE, DELETE, UNCHECKED, NOCHANGE or CHGSUB)")
            worker_key = hmac.new(
                secret, f"{scope}\x1f{local_key}\x1f{''.join(uid.split())}".encode(), "sha256",
            ).hexdigest()[:32]
            if uid:
                first = seen.get(worker_key)
                if first is not None:
                    problem("UNIQUEWORKERID", f"UNIQUEWORKERID is not unique within LOCALESTID “{local}”: it is also on line {first}")
                else:
                    seen[worker_key] = line
            if status == codes.DELETE:
                self.deleted_workers += 1
                continue

            ninumber = r[i_ni]
            if ninumber and not NINUMBER_RE.match(ninumber):
                problem("NINUMBER", "NINUMBER is incorrectly formatted")
            postcode = r[i_postcode].strip()
            if postcode and not WORKER_POSTCODE_RE.match(postcode):
                problem("POSTCODE", "POSTCODE is incorrectly formatted")
            dob_text = r[i_dob].strip()
            if dob_text:
                born = _date(dob_text)
                if born is None:
                    problem("DOB", "The date of birth you have entered is incorrectly formatted (use DD/MM/YYYY)")
                elif not codes.MIN_AGE <= _age_on(born, as_at) <= codes.MAX_AGE:
                    problem("DOB", "The date of birth you have entered is not between a valid range of 14 – 100 years old on the as-at date")

            for index, column, allowed, phrase in coded:
                value = r[index].strip()
                if value and _int(value) not in allowed:
                    problem(column, f"The code you have entered for {column} is incorrect (must be {phrase or codes.codes_phrase(allowed)})")
            recsource_text = r[i_rec].strip()
            recruitment_source = _int(recsource_text)
            if recsource_text and recruitment_source not in recsource_codes:
                problem("RECSOURCE", "The code you have entered for RECSOURCE is incorrect (not an ASC-WDS recruitment source code)")

            year_of_entry = r[i_year_entry].strip()
            if year_of_entry and (not YEAR_RE.match(year_of_entry) or int(year_of_entry) > as_at.year):
                problem("YEAROFENTRY", "YEAROFENTRY is incorrectly formatted (a 4-digit year, not after the as-at date)")
            start_text = r[i_start].strip()
            start_year = start_month = None
            if start_text:
                started = _date(start_text)
                if started is None:
                    problem("STARTDATE", "STARTDATE is incorrectly formatted (use DD/MM/YYYY)")
                elif started > as_at:
                    problem("STARTDATE", "STARTDATE is after the as-at date of this return")
                else:
                    start_year, start_month = started.year, started.month
            in_sector = r[i_in_sector].strip()
            if in_sector and not (in_sector == "999" or (YEAR_RE.match(in_sector) and int(in_sector) <= as_at.year)):
                problem("STARTINSECT", "STARTINSECT is incorrectly formatted (a 4-digit year or 999)")

            contract_text = r[i_empl].strip()
            contract_type = _int(contract_text)
            if not contract_text:
                problem("EMPLSTATUS", "EMPLSTATUS has not been supplied")
            elif contract_type not in codes.EMPLSTATUS:
                problem("EMPLSTATUS", f"The code you have entered for EMPLSTATUS is incorrect (EMPLSTATUS must be {emplstatus_phrase})")
            role_text = r[i_role].strip()
            main_job_role = _int(role_text)
            if not role_text:
                problem("MAINJOBROLE", "MAINJOBROLE has not been supplied")
            elif main_job_role not in job_roles:
                problem("MAINJOBROLE", f"MAINJOBROLE {role_text} is not a valid job role code")

            salary = r[i_salary].strip()
            if salary:
                amount = _int(salary)
                ceiling = codes.SALARY_MAX_SENIOR_MANAGEMENT if main_job_role == codes.SENIOR_MANAGEMENT_ROLE else codes.SALARY_MAX
                if amount is None or not codes.SALARY_MIN <= amount <= ceiling:
                    problem("SALARY", f"SALARY must be a whole number of pounds from {codes.SALARY_MIN} to {ceiling:,}")
                elif r[i_salary_int].strip() != "1":
                    problem("SALARYINT", "The code you have entered for SALARYINT does not match SALARY (SALARYINT must be 1, Annually)")
            hourly = r[i_hourly].strip()
            if hourly:
                if not HOURLY_RATE_RE.match(hourly):
                    problem("HOURLYRATE", "The code you have entered for HOURLYRATE is incorrect (pounds, like 12.21)")
                elif r[i_salary_int].strip() != "3":
                    problem("SALARYINT", "The code you have entered for SALARYINT does not match HOURLYRATE (SALARYINT must be 3, Hourly)")
            l2 = r[i_l2].strip()
            if l2:
                code, _, year = l2.partition(";")
                if _int(code.strip()) not in codes.L2CARECERT_CODES or (year.strip() and not YEAR_RE.match(year.strip())):
                    problem("L2CARECERT", "L2CARECERT is incorrectly formatted (code;year, with code 1, 2 or 3)")
            for index, column in ((i_scqual, "SCQUAL"), (i_nonscqual, "NONSCQUAL")):
                value = r[index].strip()
                if value:
                    indicator, _, level = value.partition(";")
                    indicator_code = _int(indicator.strip())
                    if indicator_code not in codes.YES_NO_DONT_KNOW or (
                        level.strip() and _int(level.strip()) not in codes.QUALIFICATION_LEVELS
                    ):
                        problem(column, f"{column} is incorrectly formatted (indicator;level, indicator 1, 2 or 999 and level 0 to 8 or 999)")

            zero_text = r[i_zero].strip()
            zero_hours = True if zero_text == "1" else False if zero_text == "2" else None
            hours = []
            for index, column in ((i_cont, "CONTHOURS"), (i_avg, "AVGHOURS")):
                value = r[index].strip()
                if not value:
                    hours.append(None)
                elif not HOURS_RE.match(value) or not (float(value) <= codes.MAX_WEEKLY_HOURS or float(value) == codes.DONT_KNOW):
                    problem(column, f"{column} must be a number of hours from 0 to {codes.MAX_WEEKLY_HOURS} in steps of 0.5 (999 means don't know)")
                    hours.append(None)
                else:
                    hours.append(None if float(value) == codes.DONT_KNOW else value)

            if self.problem_count != before or local_key not in workplaces:
                # A record of an invalid workplace adds nothing: that workplace's own
                # problems are already reported.
                continue
            directly_employed = contract_type in codes.DIRECTLY_EMPLOYED
            # ASC-WDS ignores contracted hours unless permanent or temporary (and not on
            # a zero-hours contract), and average hours otherwise.
            contracted = hours[0] if directly_employed and zero_hours is not True else None
            average = hours[1] if not directly_employed or zero_hours is True else None
            yield WorkerRecord(
                local_key, worker_key, main_job_role, contract_type, zero_hours, contracted, average,
                start_year, start_month, recruitment_source,
            )
