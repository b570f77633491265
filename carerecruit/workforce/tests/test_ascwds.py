"""The ASC-WDS reader: encodings, headers, every rule, "don't know", DELETE, minimisation.

These run without a database: the job role codes are passed in."""

import io

import pytest

from carerecruit.reference.data import JOB_ROLES
from carerecruit.workforce import ascwds
from carerecruit.workforce.ascwds import AscwdsReader, Tally, WorkerRecord
from carerecruit.workforce.codes import WORKER_HEADERS, WORKPLACE_HEADERS
from carerecruit.workforce.tests.helpers import (
    AS_AT,
    WORKER_VALID,
    WORKPLACE_VALID,
    fixture_bytes,
    rows_of,
    to_csv,
)

JOB_ROLE_CODES = {code for code, *_ in JOB_ROLES}
WORKPLACE = fixture_bytes(WORKPLACE_VALID)
WORKER = fixture_bytes(WORKER_VALID)


def read(workplace: bytes = WORKPLACE, worker: bytes = WORKER, *, scope="7"):
    reader = AscwdsReader(
        io.BytesIO(workplace), io.BytesIO(worker), as_at=AS_AT, key_scope=scope, job_roles=JOB_ROLE_CODES,
    )
    workplaces = reader.read_workplaces()
    records = list(reader.iter_workers())
    return reader, workplaces, records


def messages(reader) -> list[str]:
    return [f"{p.file} {p.line} {p.column}: {p.message}" for p in reader.problems]


def edit(data: bytes, line: int, **cells) -> bytes:
    rows = rows_of(data)
    for column, value in cells.items():
        rows[line - 1][rows[0].index(column)] = value
    return to_csv(rows)


def workplace_problems(line=2, **cells) -> list[str]:
    """The workplace file's problems (a workplace made invalid can leave its staff
    records pointing nowhere, which the worker file reports separately)."""
    reader, _, _ = read(edit(WORKPLACE, line, **cells))
    return [m for m in messages(reader) if m.startswith("workplace")]


def worker_problems(line=2, **cells) -> list[str]:
    reader, _, _ = read(worker=edit(WORKER, line, **cells))
    return messages(reader)


def test_valid_files_give_minimised_records():
    reader, workplaces, records = read()
    assert reader.problems == []
    assert [w.local_establishment_id for w in workplaces] == ["WM-CARE-01", "WM-HOME-02", "WM-HQ-03"]
    home = workplaces[1]
    assert (home.name, home.postcode, home.employer_type, home.main_service, home.regulation_type) == (
        "Riverside Home Support", "B1 1BB", 7, 8, 2,
    )
    assert home.cqc_location_id == "1-234567890"
    assert home.roles == {8: (3, 4, 3), 40: (1, 0, 0), 4: (0, 1, 0)}
    assert home.unlisted == (0, 0, 0)
    head_office = workplaces[2]
    assert head_office.roles == {1: (0, 0, None), 25: (0, 1, None)}
    assert head_office.unlisted == (0, 0, None)
    assert head_office.cqc_location_id == ""
    assert len(records) == 25
    assert reader.deleted_workers == 1
    first = records[0]
    assert first._fields == (
        "workplace_key", "worker_key", "main_job_role", "contract_type", "zero_hours_contract",
        "contracted_hours", "average_hours", "start_year", "start_month", "recruitment_source",
    )
    assert first[:3] == ("WM-CARE-01", first.worker_key, 8)
    assert first[3:] == (1, False, "37.5", None, 2021, 6, 2)
    assert len(first.worker_key) == 32 and "W001" not in first.worker_key
    bank = records[7]
    # Pool/bank on a zero-hours contract: average hours kept, contracted hours ignored.
    assert (bank.contract_type, bank.zero_hours_contract, bank.contracted_hours, bank.average_hours) == (3, True, None, "12")
    assert reader.workplace_sha256 != reader.worker_sha256
    assert len(reader.workplace_sha256) == 64


def test_worker_keys_are_stable_per_organisation_and_differ_between_organisations():
    _, _, one = read(scope="7")
    _, _, again = read(scope="7")
    _, _, other = read(scope="8")
    assert [r.worker_key for r in one] == [r.worker_key for r in again]
    assert not {r.worker_key for r in one} & {r.worker_key for r in other}


def test_encodings_utf8_without_bom_and_windows_1252():
    worker = WORKER.removeprefix(b"\xef\xbb\xbf")
    assert not worker.startswith(b"\xef\xbb\xbf")
    reader, _, records = read(worker=worker)
    assert reader.problems == [] and len(records) == 25
    # Excel on Windows: "Café" in Windows-1252 is a lone 0xE9 byte, not UTF-8.
    cp1252 = WORKPLACE.decode().replace("Oak Lodge Care Home", "Oak Lodge Café").encode("cp1252")
    reader, workplaces, _ = read(cp1252)
    assert reader.problems == []
    assert workplaces[0].name == "Oak Lodge Café"
    utf8 = b"\xef\xbb\xbf" + WORKPLACE.decode().replace("Oak Lodge Care Home", "Oak Lodge Café").encode()
    _, workplaces, _ = read(utf8)
    assert workplaces[0].name == "Oak Lodge Café"


def test_not_text_at_all():
    reader, _, _ = read(WORKPLACE.replace(b"Oak", b"\x81\x8d"))
    assert messages(reader) == ["workplace None : The workplace file is not text in UTF-8 or Windows-1252"]


def test_empty_files():
    reader, _, _ = read(b"", b"")
    assert messages(reader) == ["workplace None : The workplace file is empty", "worker None : The worker file is empty"]


def test_optional_worker_columns_after_uniqueworkerid():
    for extra in (["CHGUNIQUEWRKID"], ["TRANSFERSTAFFRECORD"], ["CHGUNIQUEWRKID", "TRANSFERSTAFFRECORD"]):
        rows = rows_of(WORKER)
        rows = [row[:2] + (extra if n == 0 else [""] * len(extra)) + row[2:] for n, row in enumerate(rows)]
        reader, _, records = read(worker=to_csv(rows))
        assert reader.problems == [], extra
        assert len(records) == 25


def test_header_problems():
    rows = rows_of(WORKPLACE)
    rows[0] = rows[0][:-1]
    reader, _, _ = read(to_csv([rows[0]]))
    assert messages(reader) == [
        "workplace 1 : The workplace file's headers must be ASC-WDS's 44 columns, exactly and in this order (missing TTDIFFRATE)",
    ]
    rows = rows_of(WORKER)
    rows[0][4] = "NINO"
    reader, _, _ = read(worker=to_csv(rows[:1]))
    assert messages(reader) == [
        "worker 1 : The worker file's headers must be ASC-WDS's 44 columns, exactly and in this order (missing NINUMBER; not ASC-WDS columns: NINO)",
    ]
    rows = rows_of(WORKPLACE)
    i, j = WORKPLACE_HEADERS.index("ESTTYPE"), WORKPLACE_HEADERS.index("POSTCODE")
    rows[0][i], rows[0][j] = rows[0][j], rows[0][i]
    reader, workplaces, records = read(to_csv(rows))
    assert messages(reader) == [
        "workplace 1 ESTTYPE: The workplace file's headers must be ASC-WDS's 44 columns, exactly and in this order: column 8 is ESTTYPE but should be POSTCODE (the headers are in the wrong order)",
    ]
    # The worker rows are still checked, but nothing can be built without workplaces.
    assert workplaces == [] and records == []


def test_rows_of_the_wrong_width_and_blank_lines():
    rows = rows_of(WORKPLACE)
    rows.insert(2, [])
    rows.insert(3, [""] * 44)
    rows[4] = rows[4][:40]
    reader, workplaces, _ = read(to_csv(rows))
    assert messages(reader) == ["workplace 5 : This line has 40 values but the header has 44 columns"]
    assert [w.local_establishment_id for w in workplaces] == ["WM-CARE-01", "WM-HQ-03"]


def test_line_numbers_count_physical_lines_with_quoted_newlines():
    data = edit(WORKPLACE, 2, ADDRESS2="Flat 1\nOak Court")
    reader, _, _ = read(edit(data, 3, ESTTYPE="2"))
    assert [p.line for p in reader.problems] == [4]


@pytest.mark.parametrize(("cells", "expected"), [
    ({"LOCALESTID": ""}, ["LOCALESTID: LOCALESTID has not been supplied"]),
    ({"LOCALESTID": "X" * 51}, ["LOCALESTID: LOCALESTID is longer than 50 characters"]),
    ({"STATUS": ""}, ["STATUS: STATUS is blank"]),
    ({"STATUS": "CHANGED"}, ["STATUS: The code you have entered for STATUS is incorrect (must be NEW, UPDATE, DELETE, UNCHECKED or NOCHANGE)"]),
    ({"ESTNAME": ""}, ["ESTNAME: ESTNAME has not been supplied"]),
    ({"ESTNAME": "N" * 121}, ["ESTNAME: ESTNAME is longer than 120 characters"]),
    ({"ADDRESS1": ""}, ["ADDRESS1: ADDRESS1 is blank"]),
    ({"POSTTOWN": "T" * 41}, ["POSTTOWN: POSTTOWN is longer than 40 characters"]),
    ({"POSTCODE": ""}, ["POSTCODE: POSTCODE has not been supplied"]),
    ({"POSTCODE": "B15 2T"}, ["POSTCODE: POSTCODE is incorrectly formatted"]),
    ({"ESTTYPE": ""}, ["ESTTYPE: ESTTYPE has not been supplied"]),
    ({"ESTTYPE": "2"}, ["ESTTYPE: The code you have entered for ESTTYPE is incorrect (ESTTYPE must be 1, 3, 6, 7 or 8)"]),
    ({"ESTTYPE": "six"}, ["ESTTYPE: The code you have entered for ESTTYPE is incorrect (ESTTYPE must be 1, 3, 6, 7 or 8)"]),
    ({"ESTTYPE": "8"}, ["OTHERTYPE: OTHERTYPE has not been supplied (ESTTYPE is 8, Other)"]),
    ({"PERMCQC": "2"}, ["PERMCQC: The code you have entered for PERMCQC is incorrect (must be 0, 1 or blank)"]),
    ({"REGTYPE": "1"}, ["REGTYPE: The code you have entered for REGTYPE is incorrect (must be 0 or 2)"]),
    ({"PROVNUM": "1-1234"}, ["PROVNUM: PROVNUM is incorrectly formatted (like 1-101234567)"]),
    ({"LOCATIONID": ""}, ["LOCATIONID: LOCATIONID has not been supplied (REGTYPE is 2, CQC regulated)"]),
    ({"MAINSERVICE": "3"}, ["MAINSERVICE: The code you have entered for MAINSERVICE is incorrect (not an ASC-WDS service code)"]),
    ({"TOTALPERMTEMP": ""}, ["TOTALPERMTEMP: TOTALPERMTEMP is missing"]),
    ({"TOTALPERMTEMP": "1000"}, ["TOTALPERMTEMP: TOTALPERMTEMP must be a number from 0 to 999"]),
    ({"TOTALPERMTEMP": "0"}, ["TOTALPERMTEMP: Total Permanent and Temporary (TOTALPERMTEMP) cannot be 0 except when MAINSERVICE is head office"]),
    ({"OPTOUTPEN": "3"}, ["OPTOUTPEN: The code you have entered for OPTOUTPEN is incorrect (must be 1, 2 or 999)"]),
    ({"ALLJOBROLES": "8;x;4"}, ["ALLJOBROLES: All Job Roles (ALLJOBROLES) must be whole numbers"]),
    ({"ALLJOBROLES": "8;41;4"}, ["ALLJOBROLES: ALLJOBROLES: 41 is not a valid job role code"]),
    ({"ALLJOBROLES": "8;8;4"}, ["ALLJOBROLES: ALLJOBROLES lists job role 8 more than once"]),
    ({"STARTERS": "2;0"}, ["ALLJOBROLES/STARTERS: ALLJOBROLES and STARTERS do not have the same number of items (i.e. numbers and/or semi colons)"]),
    ({"LEAVERS": "3;1;0;0"}, ["ALLJOBROLES/LEAVERS: ALLJOBROLES and LEAVERS do not have the same number of items (i.e. numbers and/or semi colons)"]),
    ({"VACANCIES": "2;1"}, ["ALLJOBROLES/VACANCIES: ALLJOBROLES and VACANCIES do not have the same number of items (i.e. numbers and/or semi colons)"]),
    ({"VACANCIES": ""}, ["ALLJOBROLES/VACANCIES: ALLJOBROLES and VACANCIES do not have the same number of items (i.e. numbers and/or semi colons)"]),
    ({"VACANCIES": "2;-1;0"}, ["VACANCIES: VACANCIES values must be whole numbers from 0 to 999 (999 means don't know)"]),
    ({"STARTERS": "2;1000;0"}, ["STARTERS: STARTERS values must be whole numbers from 0 to 999 (999 means don't know)"]),
    ({"ALLJOBROLES": "", "STARTERS": "1", "LEAVERS": "0", "VACANCIES": "0"}, ["ALLJOBROLES: ALLJOBROLES cannot be blank as you have STARTERS, LEAVERS, VACANCIES greater than zero"]),
])
def test_workplace_rules(cells, expected):
    assert workplace_problems(**cells) == [f"workplace 2 {m}" for m in expected]


def test_workplace_rules_that_pass():
    # Head office: no CQC location needed and no staff allowed; other type with a name.
    assert workplace_problems(4, TOTALPERMTEMP="0") == []
    assert workplace_problems(4, REGTYPE="2", PROVNUM="1-101234567", LOCATIONID="") == []
    # Postcodes in any spacing or case are normalised.
    _, workplaces, _ = read(edit(WORKPLACE, 2, POSTCODE=" b152tt "))
    assert workplaces[0].postcode == "B15 2TT"
    # A single 999 means "don't know" for every role; "999" per role too.
    _, workplaces, _ = read(edit(WORKPLACE, 2, LEAVERS="999", VACANCIES="2;999;0"))
    assert workplaces[0].roles == {8: (2, None, 2), 7: (0, None, None), 4: (0, None, 0)}
    assert workplaces[0].unlisted == (0, None, 0)
    # No roles listed and nothing to count.
    reader, workplaces, _ = read(edit(WORKPLACE, 4, ALLJOBROLES="", STARTERS="0", LEAVERS="999", VACANCIES=""))
    assert reader.problems == []
    assert (workplaces[2].roles, workplaces[2].unlisted) == ({}, (0, None, 0))


def test_duplicate_and_deleted_workplaces():
    rows = rows_of(WORKPLACE)
    rows.append(list(rows[1]))
    reader, _, _ = read(to_csv(rows))
    assert messages(reader) == ["workplace 6 LOCALESTID: LOCALESTID is not unique: it is also on line 2"]
    # A staff record at a workplace being deleted.
    reader, _, _ = read(worker=edit(WORKER, 2, LOCALESTID="WM-OLD-04"))
    assert messages(reader) == ["worker 2 LOCALESTID: LOCALESTID is a workplace whose STATUS is DELETE in the workplace file"]
    # Whitespace in LOCALESTID does not matter (ASC-WDS matches without it).
    reader, _, records = read(worker=edit(WORKER, 2, LOCALESTID="WM-CARE- 01"))
    assert reader.problems == [] and len(records) == 25


@pytest.mark.parametrize(("cells", "expected"), [
    ({"UNIQUEWORKERID": ""}, ["UNIQUEWORKERID: UNIQUEWORKERID has not been supplied"]),
    ({"UNIQUEWORKERID": "U" * 51}, ["UNIQUEWORKERID: UNIQUEWORKERID is longer than 50 characters"]),
    ({"STATUS": "GONE"}, ["STATUS: The STATUS you have supplied is incorrect (must be NEW, UPDATE, DELETE, UNCHECKED, NOCHANGE or CHGSUB)"]),
    ({"NINUMBER": "Q123456C"}, ["NINUMBER: NINUMBER is incorrectly formatted"]),
    ({"POSTCODE": "B12  9QL"}, ["POSTCODE: POSTCODE is incorrectly formatted"]),
    ({"DOB": "1985-07-14"}, ["DOB: The date of birth you have entered is incorrectly formatted (use DD/MM/YYYY)"]),
    ({"DOB": "31/02/1985"}, ["DOB: The date of birth you have entered is incorrectly formatted (use DD/MM/YYYY)"]),
    ({"DOB": "01/04/2012"}, ["DOB: The date of birth you have entered is not between a valid range of 14 – 100 years old on the as-at date"]),
    ({"DOB": "30/03/1925"}, ["DOB: The date of birth you have entered is not between a valid range of 14 – 100 years old on the as-at date"]),
    ({"GENDER": "5"}, ["GENDER: The code you have entered for GENDER is incorrect (must be 1, 2, 3 or 4)"]),
    ({"ETHNICITY": "30"}, ["ETHNICITY: The code you have entered for ETHNICITY is incorrect (must be 31 to 47, 98 or 99)"]),
    ({"BRITISHCITIZENSHIP": "3"}, ["BRITISHCITIZENSHIP: The code you have entered for BRITISHCITIZENSHIP is incorrect (must be 1, 2 or 999)"]),
    ({"DISABLED": "4"}, ["DISABLED: The code you have entered for DISABLED is incorrect (must be 0, 1, 2 or 3)"]),
    ({"CARECERT": "0"}, ["CARECERT: The code you have entered for CARECERT is incorrect (must be 1, 2 or 3)"]),
    ({"RECSOURCE": "3"}, ["RECSOURCE: The code you have entered for RECSOURCE is incorrect (not an ASC-WDS recruitment source code)"]),
    ({"YEAROFENTRY": "99"}, ["YEAROFENTRY: YEAROFENTRY is incorrectly formatted (a 4-digit year, not after the as-at date)"]),
    ({"STARTDATE": "1/6/2021"}, ["STARTDATE: STARTDATE is incorrectly formatted (use DD/MM/YYYY)"]),
    ({"STARTDATE": "01/04/2026"}, ["STARTDATE: STARTDATE is after the as-at date of this return"]),
    ({"STARTINSECT": "15"}, ["STARTINSECT: STARTINSECT is incorrectly formatted (a 4-digit year or 999)"]),
    ({"EMPLSTATUS": ""}, ["EMPLSTATUS: EMPLSTATUS has not been supplied"]),
    ({"EMPLSTATUS": "5"}, ["EMPLSTATUS: The code you have entered for EMPLSTATUS is incorrect (EMPLSTATUS must be 1, 2, 3, 4 or 7)"]),
    ({"ZEROHRCONT": "0"}, ["ZEROHRCONT: The code you have entered for ZEROHRCONT is incorrect (must be 1, 2 or 999)"]),
    ({"MAINJOBROLE": ""}, ["MAINJOBROLE: MAINJOBROLE has not been supplied"]),
    ({"MAINJOBROLE": "41"}, ["MAINJOBROLE: MAINJOBROLE 41 is not a valid job role code"]),
    ({"SALARYINT": "2", "HOURLYRATE": ""}, ["SALARYINT: The code you have entered for SALARYINT is incorrect (must be 1, 3 or 999)"]),
    ({"HOURLYRATE": "12.555"}, ["HOURLYRATE: The code you have entered for HOURLYRATE is incorrect (pounds, like 12.21)"]),
    ({"SALARY": "28000"}, ["SALARYINT: The code you have entered for SALARYINT does not match SALARY (SALARYINT must be 1, Annually)"]),
    ({"SALARY": "200001", "SALARYINT": "1", "HOURLYRATE": ""}, ["SALARY: SALARY must be a whole number of pounds from 500 to 200,000"]),
    ({"NMCREG": "6"}, ["NMCREG: The code you have entered for NMCREG is incorrect (must be 1, 2, 3, 4 or 5)"]),
    ({"CWPCATEGORY": "8"}, ["CWPCATEGORY: The code you have entered for CWPCATEGORY is incorrect (must be 1, 2, 3, 4, 5, 6, 7, 998 or 999)"]),
    ({"L2CARECERT": "4;2020"}, ["L2CARECERT: L2CARECERT is incorrectly formatted (code;year, with code 1, 2 or 3)"]),
    ({"SCQUAL": "1;9"}, ["SCQUAL: SCQUAL is incorrectly formatted (indicator;level, indicator 1, 2 or 999 and level 0 to 8 or 999)"]),
    ({"CONTHOURS": "37.25"}, ["CONTHOURS: CONTHOURS must be a number of hours from 0 to 75 in steps of 0.5 (999 means don't know)"]),
    ({"CONTHOURS": "80"}, ["CONTHOURS: CONTHOURS must be a number of hours from 0 to 75 in steps of 0.5 (999 means don't know)"]),
])
def test_worker_rules(cells, expected):
    assert worker_problems(**cells) == [f"worker 2 {m}" for m in expected]


def test_worker_rules_that_pass():
    # Blank optional answers, ages 14 and 100 on the as-at date, 999 hours, CHGSUB.
    assert worker_problems(NINUMBER="", POSTCODE="", DOB="", GENDER="", ETHNICITY="") == []
    assert worker_problems(DOB="31/03/2012") == []
    assert worker_problems(DOB="31/03/1926") == []
    assert worker_problems(NINUMBER=" qq 12 34 56 ", STATUS="chgsub") == []
    assert worker_problems(STARTDATE="31/03/2026") == []
    assert worker_problems(SALARY="250000", SALARYINT="1", HOURLYRATE="", MAINJOBROLE="1") == []
    _, _, records = read(worker=edit(WORKER, 2, CONTHOURS="999", RECSOURCE="", STARTDATE=""))
    assert records[0][5:] == (None, None, None, None, None)


def test_duplicate_staff_records():
    reader, _, _ = read(worker=edit(WORKER, 3, UNIQUEWORKERID="W001"))
    assert messages(reader) == [
        "worker 3 UNIQUEWORKERID: UNIQUEWORKERID is not unique within LOCALESTID “WM-CARE-01”: it is also on line 2",
    ]
    # The same UNIQUEWORKERID at another workplace is another person.
    reader, _, records = read(worker=edit(WORKER, 15, UNIQUEWORKERID="W001"))
    assert reader.problems == [] and len(records) == 25


def test_deleted_staff_records_are_not_checked_or_counted():
    reader, _, records = read(worker=edit(WORKER, 2, STATUS="delete", EMPLSTATUS="", MAINJOBROLE="x"))
    assert reader.problems == []
    assert len(records) == 24 and reader.deleted_workers == 2


def test_messages_never_repeat_personal_data():
    worker = edit(WORKER, 2, NINUMBER="QQ12345X9", DOB="01/01/2020", POSTCODE="B12 9Q")
    reader, _, _ = read(worker=worker)
    text = " ".join(str(p) for p in reader.problems)
    assert len(reader.problems) == 3
    for personal in ("QQ12345X9", "01/01/2020", "B12 9Q", "Worker W001"):
        assert personal not in text


def test_problems_are_capped_but_counted(monkeypatch):
    monkeypatch.setattr(ascwds, "MAX_PROBLEMS", 5)
    rows = rows_of(WORKER)
    for row in rows[1:]:
        row[WORKER_HEADERS.index("EMPLSTATUS")] = "9"
    reader, _, _ = read(worker=to_csv(rows))
    assert len(reader.problems) == 5
    assert reader.problem_count == 25


def test_tally_merges_staff_counts_with_starters_leavers_and_vacancies():
    _, workplaces, records = read()
    tally = Tally(workplaces)
    for record in records:
        tally.add(record)
    rows = {(f.workplace_key, f.job_role): f for f in tally.figures()}
    assert sorted(rows) == [
        ("WM-CARE-01", 4), ("WM-CARE-01", 7), ("WM-CARE-01", 8),
        ("WM-HOME-02", 4), ("WM-HOME-02", 8), ("WM-HOME-02", 40),
        ("WM-HQ-03", 1), ("WM-HQ-03", 25),
    ]
    care = rows[("WM-CARE-01", 8)]
    assert (care.permanent, care.temporary, care.pool_bank, care.agency, care.other_contract) == (6, 1, 1, 0, 0)
    assert (care.starters, care.leavers, care.vacancies) == (2, 3, 2)
    assert rows[("WM-HQ-03", 25)].vacancies is None
    # A role with staff the workplace did not list: no starters, leavers or vacancies.
    tally.add(WorkerRecord("WM-CARE-01", "k", 52, 1, None, None, None, None, None, None))
    extra = {(f.workplace_key, f.job_role): f for f in tally.figures()}[("WM-CARE-01", 52)]
    assert (extra.filled_posts, extra.starters, extra.leavers, extra.vacancies) == (1, 0, 0, 0)
