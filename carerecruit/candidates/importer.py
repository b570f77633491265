"""Reading lists of expressions of interest (CSV or XLSX) gathered before the platform.

The shape is a Microsoft Forms export (``docs/importing-applications.md`` has the full
column list): one row per response, a header row naming the questions, UK day-first
dates and times (``04/05/2020`` is 4 May 2020), multi-select answers joined with ``;``.

Rules:

- **Encoding** (CSV): UTF-8 with or without a byte-order mark (Excel "CSV UTF-8"), else
  Windows-1252 (older Excel on Windows); UTF-16 with a byte-order mark (Excel "Unicode
  text") too. XLSX is recognised by its content, not its name.
- **Columns** are found by header name, ignoring case, spacing, curly apostrophes and a
  trailing ``?`` or ``:``; their order does not matter and other columns (Forms' ``ID``,
  ``Start time``, ``Email`` = "anonymous", ``Name``) are ignored. See :data:`COLUMNS`.
- **Line numbers** are the file's own: the header is line 1, so the first response is
  line 2 (in XLSX, the spreadsheet row number). A quoted value spanning several lines
  is reported at the line where its record starts.
- **All or nothing**: every row is checked and *every* problem is reported with its line
  and column; a file with any problem imports nothing.
- **Normalisation** reuses ``carerecruit.lib``: postcodes (``b1  1aa`` → ``B1 1AA``),
  phones to E.164 (``07700 900123`` → ``+447700900123``), Social Work England numbers
  (``sw 104233`` → ``SW104233``); names are kept exactly as typed (trimmed).
- **Duplicates** are settled as the public form settles them
  (:mod:`carerecruit.candidates.identity`): a person is found by e-mail
  (case-insensitive), else by phone (E.164) together with the folded full name, in
  earlier rows of the file and in the database; a phone given with another name is a
  new person (the talent bank's duplicate check flags the pair). A person has one
  application per campaign, the earliest response (by completion time) wins and later
  ones are reported as repeats.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from carerecruit.candidates.identity import name_key
from carerecruit.candidates.models import Application, Candidate, HoursWanted, RightToWork
from carerecruit.lib.localtime import local_zone
from carerecruit.lib.names import has_visible_letter
from carerecruit.lib.phones import normalise_phone
from carerecruit.lib.postcodes import normalise_postcode
from carerecruit.lib.swe import InvalidRegistration, normalise_swe_registration
from carerecruit.organisations.models import Organisation
from carerecruit.reference.models import JobRole

# Bigger uploads are refused before parsing: a list of expressions of interest is a few
# thousand rows at most, and the whole file is validated in memory.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_YEARS_EXPERIENCE = 60

MULTI_SELECT_SEPARATOR = ";"


@dataclass(frozen=True)
class Column:
    """One expected column: the field it fills, the header Microsoft Forms writes, other
    headers accepted, and whether the file must have it."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True
    hint: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("submitted_at", "Completion time", ("Submitted at", "Submission time", "Timestamp"),
           hint="day first, with the time: 21/04/2020 09:19:40 (UK time)"),
    Column("full_name", "Full name", ("Your full name",), hint="kept exactly as typed"),
    Column("email", "Email address", ("E-mail address", "Your email address")),
    Column("phone", "Mobile phone number", ("Phone number", "Mobile number", "Phone", "Telephone")),
    Column("postcode", "Home postcode", ("Postcode",)),
    Column("job_roles", "Which role are you interested in?",
           ("Which roles are you interested in?", "Job role", "Job roles", "Role"),
           hint="ASC-WDS job role names separated by ;"),
    Column("years_experience", "Years of experience in social care",
           ("Years of experience in social care or social work", "Years of experience"),
           hint="a whole number, 0 to 60"),
    Column("swe_registration", "Social Work England registration number (if you have one)",
           ("Social Work England registration number", "SWE registration number"),
           required=False, hint="like SW104233; may be empty"),
    Column("earliest_start", "When could you start?", ("Earliest start date", "Start date"),
           hint="day first: 04/05/2020"),
    Column("council_areas", "Which council areas could you work in?",
           ("Which council areas would you work in?", "Council areas"), required=False,
           hint="council short names separated by ;, like Birmingham;Solihull; may be empty"),
    Column("right_to_work", "Do you have the right to work in the UK?", ("Right to work",),
           hint="Yes, No or Not sure"),
    Column("talent_bank_consent",
           "May we keep your details in the regional talent bank and share them with councils "
           "and care providers?", ("Talent bank consent", "Talent bank"), required=False,
           hint="Yes or No; empty or a missing column means No"),
    Column("hours_wanted", "How many hours would you like to work?", ("Hours",), required=False,
           hint="Full time, Part time or Flexible; may be empty"),
    Column("current_role", "Current or last job title", ("Current role",), required=False),
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: ``line`` (1 = header; 0 = the file as a whole),
    ``column`` (the header as written in the file, or "" for the whole row/file) and a
    message for the person who uploaded it."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "File"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


@dataclass
class ImportRow:
    """One valid response, normalised: ``submitted_at`` aware UTC; ``phone`` E.164;
    ``postcode`` canonical; ``job_roles``/``council_areas`` lists of model instances;
    ``hours_wanted``/``right_to_work`` model choice values ("" = not asked)."""

    line: int
    submitted_at: datetime.datetime
    full_name: str
    email: str
    phone: str
    postcode: str
    job_roles: list[JobRole]
    years_experience: int
    swe_registration: str
    earliest_start: datetime.date
    council_areas: list[Organisation]
    right_to_work: str
    talent_bank_consent: bool
    hours_wanted: str = ""
    current_role: str = ""

    @property
    def email_normalised(self) -> str:
        return self.email.strip().lower()


class Outcome:
    NEW_CANDIDATE = "new_candidate"
    EXISTING_CANDIDATE = "existing_candidate"
    ALREADY_APPLIED = "already_applied"
    REPEAT_IN_FILE = "repeat_in_file"

    LABELS = {
        NEW_CANDIDATE: "New candidate",
        EXISTING_CANDIDATE: "Known candidate, new application",
        ALREADY_APPLIED: "Already applied to this campaign: nothing to add",
        REPEAT_IN_FILE: "Same person as an earlier row: not added again",
    }


@dataclass
class PlannedRow:
    """What importing ``row`` will do: its :class:`Outcome`, the existing candidate it
    matched (None for a new person), and for a repeat the line of the row it repeats."""

    row: ImportRow
    outcome: str
    candidate: Candidate | None = None
    same_as_line: int | None = None

    @property
    def outcome_label(self) -> str:
        label = Outcome.LABELS[self.outcome]
        if self.outcome == Outcome.REPEAT_IN_FILE and self.same_as_line:
            label = f"Same person as line {self.same_as_line}: not added again"
        return label

    @property
    def creates_application(self) -> bool:
        return self.outcome in (Outcome.NEW_CANDIDATE, Outcome.EXISTING_CANDIDATE)


@dataclass
class ParsedFile:
    """A checked file: its valid ``rows`` (empty when the header is unusable), every
    ``problems`` found, the ``encoding`` read and the header found for each field."""

    file_name: str
    encoding: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


@dataclass
class ImportPlan:
    """Every row's :class:`PlannedRow`, in the order they are applied (completion time,
    then line), with counts."""

    rows: list[PlannedRow]

    def count(self, outcome: str) -> int:
        return sum(1 for p in self.rows if p.outcome == outcome)

    @property
    def candidates_created(self) -> int:
        return self.count(Outcome.NEW_CANDIDATE)

    @property
    def applications_created(self) -> int:
        return sum(1 for p in self.rows if p.creates_application)

    @property
    def by_line(self) -> list[PlannedRow]:
        return sorted(self.rows, key=lambda p: p.row.line)


class FileProblem(Exception):
    """The file as a whole cannot be read; ``problem`` says why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# ---------------------------------------------------------------------------------------
# Reading the file


def header_key(text: str) -> str:
    """The comparison key of a header: NFKC, curly quotes straightened, case-folded,
    whitespace collapsed, a trailing ``?`` or ``:`` dropped
    (``"  Which ROLE are you  interested in ? "`` → ``"which role are you interested in"``)."""
    text = unicodedata.normalize("NFKC", str(text or "")).replace("’", "'").replace("‘", "'")
    text = " ".join(text.casefold().split())
    return text.rstrip("?: ").strip()


_COLUMN_BY_KEY = {
    header_key(name): column for column in COLUMNS for name in (column.header, *column.aliases)
}


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding label)``; raises FileProblem when neither UTF-8 nor
    Windows-1252 decodes it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileProblem(Problem(0, "", "The file is not valid UTF-16 text")) from None
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8 with byte-order mark" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            Problem(line, "", "This line has characters that are neither UTF-8 nor Windows-1252. "
                    "Save the file as “CSV UTF-8” and upload it again")
        ) from None


def _delimiter(header_line: str) -> str:
    # Excel in some locales saves CSV with ";" (multi-selects are then quoted) or, as
    # "Unicode text", with tabs. Forms' own CSV export uses commas.
    for candidate in (",", "\t", ";"):
        if candidate in header_line:
            return candidate
    return ","


def _read_csv(data: bytes) -> tuple[str, list[tuple[int, list]]]:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise FileProblem(Problem(0, "", "The file is not a CSV text file"))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    records = []
    start = 1
    try:
        for values in reader:
            records.append((start, values))
            start = reader.line_num + 1
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(Problem(0, "", f"The file has more than {MAX_ROWS:,} rows"))
    except csv.Error as exc:
        raise FileProblem(Problem(start, "", f"The line cannot be read as CSV ({exc})")) from None
    return encoding, records


def _read_xlsx(data: bytes) -> tuple[str, list[tuple[int, list]]]:
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula is read as its text, never as a computed value, so a
        # name typed as "=..." arrives exactly as typed.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a damaged or foreign zip
        raise FileProblem(Problem(0, "", "The file cannot be opened as an Excel workbook")) from None
    try:
        sheet = workbook.worksheets[0]
        records = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((number, list(values)))
            if len(records) > MAX_ROWS + 1:
                raise FileProblem(Problem(0, "", f"The file has more than {MAX_ROWS:,} rows"))
    finally:
        workbook.close()
    return "Excel workbook", records


def read_records(data: bytes) -> tuple[str, list[tuple[int, list]]]:
    """``(encoding label, [(line, values), ...])`` for CSV or XLSX bytes, header
    included. Raises FileProblem for an empty, oversized, binary or unreadable file."""
    if not data.strip():
        raise FileProblem(Problem(0, "", "The file is empty"))
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(Problem(0, "", f"The file must be smaller than {MAX_FILE_BYTES // 1024 // 1024} MB"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(Problem(0, "", "Old Excel (.xls) files cannot be read: save it as CSV or XLSX"))
    return _read_csv(data)


# ---------------------------------------------------------------------------------------
# Values


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


_DAY_FIRST_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_day_first_date(value) -> datetime.date:
    """A UK date: ``04/05/2020`` (also ``4.5.2020``, ``04-05-2020``) is 4 May 2020;
    ``2020-05-04`` (ISO) and spreadsheet date cells are accepted too. Raises ValueError
    with a message for anything else, including dates that do not exist (31/04/2020)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    match = _DAY_FIRST_DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"“{text}” is not a date: write it day first, like 04/05/2020")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real date (dates are read day first, like 04/05/2020)") from None


def parse_day_first_datetime(value) -> datetime.datetime:
    """A UK local date and time (``21/04/2020 09:19:40``, seconds optional; a
    spreadsheet date-time cell) in Europe/London, returned as an aware UTC datetime.
    Raises ValueError with a message."""
    zone = local_zone()
    if isinstance(value, datetime.datetime):
        local = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        return local.astimezone(datetime.UTC)
    text = _text(value)
    parts = text.replace("T", " ").split()
    if len(parts) != 2 or not _TIME.fullmatch(parts[1]):
        raise ValueError(f"“{text}” is not a date and time: write it like 21/04/2020 09:19:40")
    day = parse_day_first_date(parts[0])
    hour, minute, second = (int(g or 0) for g in _TIME.fullmatch(parts[1]).groups())
    try:
        local = datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=zone)
    except ValueError:
        raise ValueError(f"“{text}” is not a real time of day") from None
    return local.astimezone(datetime.UTC)


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_NOT_SURE = {"not sure", "i'm not sure", "im not sure", "don't know", "unsure", "not_sure"}


def _answer_key(value) -> str:
    return header_key(_text(value)).rstrip(".")


def parse_yes_no(value, *, blank=None) -> bool:
    """``Yes``/``No`` (any case; also y/n, true/false, 1/0) → bool; empty → ``blank``
    (ValueError when ``blank`` is None)."""
    key = _answer_key(value)
    if not key and blank is not None:
        return blank
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(f"“{_text(value)}” is not an answer we understand: use Yes or No")


def parse_right_to_work(value) -> str:
    key = _answer_key(value)
    if key in _YES:
        return RightToWork.YES
    if key in _NO:
        return RightToWork.NO
    if key in _NOT_SURE:
        return RightToWork.NOT_SURE
    if not key:
        raise ValueError("Give an answer: Yes, No or Not sure")
    raise ValueError(f"“{_text(value)}” is not an answer we understand: use Yes, No or Not sure")


_HOURS = {
    **{header_key(v): v for v in HoursWanted.values},
    **{header_key(label): value for value, label in HoursWanted.choices},
    "full time": HoursWanted.FULL_TIME,
    "part time": HoursWanted.PART_TIME,
    "flexible": HoursWanted.FLEXIBLE,
    "bank": HoursWanted.FLEXIBLE,
}


def parse_hours(value) -> str:
    key = _answer_key(value)
    if not key:
        return ""
    if key in _HOURS:
        return _HOURS[key]
    raise ValueError(f"“{_text(value)}” is not an answer we understand: use Full time, Part time or Flexible")


def _multi(value) -> list[str]:
    items = [item.strip() for item in _text(value).split(MULTI_SELECT_SEPARATOR)]
    return list(dict.fromkeys(item for item in items if item))


def _choice_key(text: str) -> str:
    return " ".join(header_key(text).replace("&", " and ").split())


class Lookups:
    """Job roles by name or ASC-WDS code and the campaign region's councils by short
    name, official name, slug or GSS code, all compared by :func:`_choice_key`."""

    def __init__(self, campaign):
        self.roles: dict[str, JobRole] = {}
        for role in JobRole.objects.all():
            self.roles[_choice_key(role.name)] = role
            self.roles[str(role.code)] = role
        self.councils: dict[str, Organisation] = {}
        for council in Organisation.objects.filter(
            region_id=campaign.region_id, kind=Organisation.Kind.COUNCIL
        ):
            for name in (council.short_name, council.name, council.slug, council.gss_code):
                if name:
                    self.councils[_choice_key(name)] = council


# ---------------------------------------------------------------------------------------
# Checking rows


def _map_header(header: list) -> tuple[dict[str, tuple[int, str]], list[Problem]]:
    """``{field key: (index, header as written)}`` and any header problems (line 1)."""
    found: dict[str, tuple[int, str]] = {}
    problems = []
    for index, raw in enumerate(header):
        written = _text(raw)
        column = _COLUMN_BY_KEY.get(header_key(written))
        if column is None:
            continue
        if column.key in found:
            problems.append(Problem(1, written, (
                f"Two columns give the same answer (“{found[column.key][1]}” and “{written}”): "
                "remove one of them")))
            continue
        found[column.key] = (index, written)
    for column in COLUMNS:
        if column.required and column.key not in found:
            problems.append(Problem(1, "", f"The file has no “{column.header}” column"))
    return found, problems


class _RowChecker:
    def __init__(self, line: int, values: list, columns: dict[str, tuple[int, str]]):
        self.line = line
        self.values = values
        self.columns = columns
        self.problems: list[Problem] = []

    def raw(self, key: str):
        if key not in self.columns:
            return None
        index = self.columns[key][0]
        return self.values[index] if index < len(self.values) else None

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.line, self.columns[key][1] if key in self.columns else "", message))

    def value(self, key: str, parse, *, required_message: str | None = None):
        raw = self.raw(key)
        if required_message and not _text(raw):
            self.problem(key, required_message)
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.problem(key, str(exc))
            return None


def _parse_name(value) -> str:
    name = _text(value)
    if len(name) > 200:
        raise ValueError("The name must be 200 characters or fewer")
    if any(ord(ch) < 32 for ch in name):
        raise ValueError("The name must not contain control characters")
    if name and not has_visible_letter(name):
        raise ValueError("The name has no letters, only spaces or invisible characters")
    return name


def _parse_email(value) -> str:
    email = _text(value)
    if len(email) > 254:
        raise ValueError("The email address must be 254 characters or fewer")
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(
            f"“{email}” is not an email address in the correct format, like name@example.com"
        ) from None
    return email


def _parse_phone(value) -> str:
    try:
        return normalise_phone(_text(value))
    except ValueError:
        raise ValueError(f"“{_text(value)}” is not a UK phone number, like 07700 900123") from None


def _parse_postcode(value) -> str:
    try:
        return normalise_postcode(_text(value))
    except ValueError:
        raise ValueError(f"“{_text(value)}” is not a UK postcode, like B1 1AA") from None


def _parse_years(value) -> int:
    text = _text(value)
    if not re.fullmatch(r"\d{1,3}", text):
        raise ValueError(f"“{text}” is not a whole number of years, like 3")
    years = int(text)
    if years > MAX_YEARS_EXPERIENCE:
        raise ValueError(f"Years of experience must be {MAX_YEARS_EXPERIENCE} or fewer")
    return years


def _parse_swe(value) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        return normalise_swe_registration(text)
    except InvalidRegistration as exc:
        if "placeholder" in str(exc):
            raise ValueError(
                f"“{text}” is a placeholder, not a real Social Work England registration number"
            ) from None
        raise ValueError(
            f"“{text}” is not a Social Work England registration number, like SW104233"
        ) from None


def _parse_submitted_at(value) -> datetime.datetime:
    moment = parse_day_first_datetime(value)
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise ValueError(f"“{_text(value)}” is in the future")
    return moment


def check_row(line: int, values: list, columns, lookups: Lookups) -> tuple[ImportRow | None, list[Problem]]:
    """Check one data row; return ``(ImportRow, [])`` or ``(None, problems)``."""
    c = _RowChecker(line, values, columns)
    submitted_at = c.value("submitted_at", _parse_submitted_at, required_message="Enter the completion time")
    full_name = c.value("full_name", _parse_name, required_message="Enter the person's full name")
    email = c.value("email", _parse_email, required_message="Enter the email address")
    phone = c.value("phone", _parse_phone, required_message="Enter the phone number")
    postcode = c.value("postcode", _parse_postcode, required_message="Enter the postcode")

    roles = []
    names = _multi(c.raw("job_roles"))
    if not names:
        c.problem("job_roles", "Give at least one job role")
    for name in names:
        role = lookups.roles.get(_choice_key(name))
        if role is None:
            c.problem("job_roles", f"“{name}” is not a job role we know: use ASC-WDS job role names, like Care worker")
        else:
            roles.append(role)

    years = c.value("years_experience", _parse_years, required_message="Enter the years of experience, like 3")
    swe = c.value("swe_registration", _parse_swe)
    start = c.value("earliest_start", parse_day_first_date, required_message="Enter the date they could start")

    councils = []
    for name in _multi(c.raw("council_areas")):
        council = lookups.councils.get(_choice_key(name))
        if council is None:
            c.problem("council_areas", f"“{name}” is not a council in this campaign's region")
        elif council not in councils:
            councils.append(council)

    right_to_work = c.value("right_to_work", parse_right_to_work)
    consent = c.value("talent_bank_consent", lambda v: parse_yes_no(v, blank=False))
    hours = c.value("hours_wanted", parse_hours)
    current_role = _text(c.raw("current_role"))[:200]

    if c.problems:
        return None, c.problems
    return (
        ImportRow(
            line=line, submitted_at=submitted_at, full_name=full_name, email=email, phone=phone,
            postcode=postcode, job_roles=roles, years_experience=years,
            swe_registration=swe or "", earliest_start=start, council_areas=councils,
            right_to_work=right_to_work, talent_bank_consent=bool(consent),
            hours_wanted=hours or "", current_role=current_role,
        ),
        [],
    )


def parse_file(data: bytes, file_name: str, campaign) -> ParsedFile:
    """Read and check a whole file for ``campaign`` (its region's councils are the ones
    a response may name). Never raises for bad content: every problem is in
    ``ParsedFile.problems``, sorted by line."""
    parsed = ParsedFile(file_name=file_name)
    try:
        parsed.encoding, records = read_records(data)
    except FileProblem as exc:
        parsed.problems.append(exc.problem)
        return parsed
    if not records:
        parsed.problems.append(Problem(0, "", "The file is empty"))
        return parsed
    columns, problems = _map_header(records[0][1])
    parsed.columns = {key: written for key, (_index, written) in columns.items()}
    parsed.problems.extend(problems)
    if problems:
        return parsed
    lookups = Lookups(campaign)
    for line, values in records[1:]:
        if not any(_text(v) for v in values):
            continue  # Spreadsheets often end with empty rows.
        parsed.row_count += 1
        row, row_problems = check_row(line, values, columns, lookups)
        if row is not None:
            parsed.rows.append(row)
        parsed.problems.extend(row_problems)
    if parsed.row_count == 0:
        parsed.problems.append(Problem(0, "", "The file has a header but no responses"))
    parsed.problems.sort(key=lambda p: p.line)
    return parsed


# ---------------------------------------------------------------------------------------
# Planning against the database


def plan_import(rows: list[ImportRow], campaign) -> ImportPlan:
    """Decide what each row does, exactly as the public form would if the people had
    applied in completion-time order: find the person by e-mail, else by phone and
    folded full name (:mod:`carerecruit.candidates.identity`), among existing
    candidates and earlier rows; one application per person per campaign.

    Reads the database (one query per distinct e-mail/phone batch); writes nothing.
    """
    ordered = sorted(rows, key=lambda r: (r.submitted_at, r.line))
    emails = {r.email_normalised for r in ordered}
    phones = {r.phone for r in ordered}
    by_email = {c.email_normalised: c for c in Candidate.objects.filter(email_normalised__in=emails)}
    # Keyed by (phone, folded name): a phone alone is not a person. Oldest record first
    # when two share both, as the form chooses.
    by_phone: dict[tuple[str, str], Candidate] = {}
    for c in Candidate.objects.filter(phone_e164__in=phones).order_by("pk"):
        by_phone.setdefault((c.phone_e164, c.name_folded), c)
    known_ids = {c.pk for c in (*by_email.values(), *by_phone.values())}
    applied = set(
        Application.objects.filter(campaign=campaign, candidate_id__in=known_ids).values_list(
            "candidate_id", flat=True
        )
    )
    # A person first seen in this file is keyed by the line that creates them.
    new_by_email: dict[str, int] = {}
    new_by_phone: dict[tuple[str, str], int] = {}
    planned = []
    for row in ordered:
        phone_key = (row.phone, name_folded(row))
        existing = by_email.get(row.email_normalised)
        new_line = None if existing else new_by_email.get(row.email_normalised)
        if existing is None and new_line is None:
            existing = by_phone.get(phone_key)
            new_line = None if existing else new_by_phone.get(phone_key)
        if new_line is not None:
            planned.append(PlannedRow(row, Outcome.REPEAT_IN_FILE, same_as_line=new_line))
        elif existing is not None and existing.pk in applied:
            first = next(
                (p.row.line for p in planned if p.candidate is existing and p.creates_application), None
            )
            outcome = Outcome.REPEAT_IN_FILE if first else Outcome.ALREADY_APPLIED
            planned.append(PlannedRow(row, outcome, candidate=existing, same_as_line=first))
        elif existing is not None:
            applied.add(existing.pk)
            planned.append(PlannedRow(row, Outcome.EXISTING_CANDIDATE, candidate=existing))
        else:
            new_by_email[row.email_normalised] = row.line
            new_by_phone.setdefault(phone_key, row.line)
            planned.append(PlannedRow(row, Outcome.NEW_CANDIDATE))
    return ImportPlan(planned)


def name_folded(row: ImportRow) -> str:
    """``Candidate.name_folded`` for the row's name (:func:`identity.name_key`)."""
    return name_key(row.full_name)
