"""Importing expressions of interest: the case files' right answers, exactly, in both
encodings, and the reading rules (dates, headers, encodings, duplicates, XLSX)."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from carerecruit.candidates.actions import (
    ImportHasProblems,
    do_import_applications,
    do_submit_application,
)
from carerecruit.candidates.importer import (
    Outcome,
    Problem,
    parse_day_first_date,
    parse_day_first_datetime,
    parse_file,
    plan_import,
)
from carerecruit.candidates.models import Application, Candidate, ConsentChange
from carerecruit.candidates.subject_access import build_subject_access, subject_access_csv
from carerecruit.lib.names import fold_name
from carerecruit.lib.spreadsheet import write_xlsx
from carerecruit.reference.models import JobRole
from carerecruit.tracking.models import Event
from carerecruit.tracking.rollups import funnel_rows

FIXTURES = Path(__file__).parent / "fixtures"
WHOLE = {"utf8": "expressions_of_interest_utf8_bom.csv", "cp1252": "expressions_of_interest_cp1252.csv"}
VALID = {
    "utf8": "expressions_of_interest_valid_utf8_bom.csv",
    "cp1252": "expressions_of_interest_valid_cp1252.csv",
}
FORMULA_NAME = '=HYPERLINK("http://example.invalid","Click")'
SWE_HEADER = "Social Work England registration number (if you have one)"
UTC = datetime.UTC


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def import_file(campaign, name):
    parsed = parse_file(fixture(name), name, campaign)
    return parsed, do_import_applications(campaign, parsed)


def test_fixtures_are_byte_for_byte_copies_with_bom_and_crlf():
    utf8 = fixture(WHOLE["utf8"])
    assert utf8.startswith(b"\xef\xbb\xbfID,Start time,")
    assert utf8.count(b"\r\n") == 9
    assert "Wiśniewski".encode() in utf8
    assert b"Wisniewski" in fixture(WHOLE["cp1252"])
    assert "O’Neill".encode("cp1252") in fixture(WHOLE["cp1252"])
    assert fixture(VALID["utf8"]).count(b"\r\n") == 6


@pytest.mark.parametrize("encoding", ["utf8", "cp1252"])
def test_whole_file_imports_nothing_and_reports_all_four_problems(campaign, encoding):
    parsed = parse_file(fixture(WHOLE[encoding]), WHOLE[encoding], campaign)

    assert parsed.problems == [
        Problem(7, "When could you start?",
                "“31/04/2020” is not a real date (dates are read day first, like 04/05/2020)"),
        Problem(8, "Email address",
                "“priya.raman@example” is not an email address in the correct format, like name@example.com"),
        Problem(8, SWE_HEADER,
                "“999999999” is a placeholder, not a real Social Work England registration number"),
        Problem(9, "Home postcode", "“NOTAPOSTCODE” is not a UK postcode, like B1 1AA"),
    ]
    assert [str(p) for p in parsed.problems][0] == (
        "Line 7, column “When could you start?”: “31/04/2020” is not a real date "
        "(dates are read day first, like 04/05/2020)"
    )
    assert parsed.row_count == 8
    with pytest.raises(ImportHasProblems):
        do_import_applications(campaign, parsed)
    assert (Candidate.objects.count(), Application.objects.count(), Event.objects.count()) == (0, 0, 0)


def test_encodings_are_detected(campaign):
    assert parse_file(fixture(VALID["utf8"]), "a.csv", campaign).encoding == "UTF-8 with byte-order mark"
    assert parse_file(fixture(VALID["cp1252"]), "a.csv", campaign).encoding == "Windows-1252"
    no_bom = fixture(VALID["utf8"]).removeprefix(b"\xef\xbb\xbf")
    parsed = parse_file(no_bom, "a.csv", campaign)
    assert (parsed.encoding, len(parsed.rows), parsed.problems) == ("UTF-8", 5, [])


@pytest.mark.parametrize("encoding", ["utf8", "cp1252"])
def test_valid_rows_make_four_candidates_with_one_application_each(campaign, encoding):
    parsed, result = import_file(campaign, VALID[encoding])

    assert parsed.problems == []
    assert (result.rows, result.candidates_created, result.applications_created) == (5, 4, 4)
    assert (result.repeats_in_file, result.already_applied) == (1, 0)
    assert Candidate.objects.count() == 4
    assert Application.objects.filter(campaign=campaign).count() == 4
    assert all(c.applications.count() == 1 for c in Candidate.objects.all())

    tomasz = "Tomasz Wiśniewski" if encoding == "utf8" else "Tomasz Wisniewski"
    assert sorted(Candidate.objects.values_list("full_name", flat=True)) == sorted(
        ["Siobhán O’Neill-Smith", tomasz, "D'Arcy Mensah", FORMULA_NAME]
    )

    siobhan = Candidate.objects.get(full_name="Siobhán O’Neill-Smith")
    # Rows 1 and 4 are one person: the earlier response (row 1) is kept.
    assert (siobhan.email, siobhan.email_normalised) == (
        "Siobhan.ONeill@example.org", "siobhan.oneill@example.org"
    )
    assert (siobhan.phone_e164, siobhan.postcode) == ("+447700900123", "B1 1AA")
    assert siobhan.talent_bank_consent is True
    assert siobhan.talent_bank_consent_at == datetime.datetime(2020, 4, 21, 8, 19, 40, tzinfo=UTC)
    application = siobhan.applications.get()
    assert application.swe_registration == "SW104233"
    assert application.earliest_start == datetime.date(2020, 5, 4)
    assert application.years_experience == 12
    assert application.right_to_work == "yes"
    assert application.hours_wanted == ""
    assert [r.name for r in application.job_roles.all()] == ["Social worker"]
    assert sorted(application.council_areas.values_list("gss_code", flat=True)) == [
        "E08000025", "E08000029"
    ]
    # Completion time 21/04/2020 09:19:40 is BST (UTC+1).
    assert application.submitted_at == datetime.datetime(2020, 4, 21, 8, 19, 40, tzinfo=UTC)
    assert (application.channel, application.utm_source, application.utm_medium, application.link) == (
        "other", "import", "list", None
    )
    assert application.import_batch == result.batch
    assert application.full_name_given == "Siobhán O’Neill-Smith"
    # Routed to the councils chosen (placements app), in the same transaction.
    assert sorted(application.routes.values_list("organisation__gss_code", "stage")) == [
        ("E08000025", "new"), ("E08000029", "new")
    ]

    darcy = Candidate.objects.get(full_name="D'Arcy Mensah")
    assert (darcy.phone_e164, darcy.postcode) == ("+441214960199", "WV1 1AA")
    assert (darcy.talent_bank_consent, darcy.talent_bank_consent_at) == (False, None)
    assert not ConsentChange.objects.filter(candidate=darcy).exists()
    assert [r.name for r in darcy.applications.get().job_roles.all()] == ["Occupational therapist"]
    assert darcy.applications.get().earliest_start == datetime.date(2020, 6, 1)
    # Row 3 did not consent to the talent bank, but Wolverhampton still gets the application.
    assert list(darcy.applications.get().routes.values_list("organisation__short_name", flat=True)) == [
        "Wolverhampton"
    ]

    tomasz_record = Candidate.objects.get(email_normalised="tomasz.w@example.net")
    assert tomasz_record.phone_e164 == "+447700900456"
    assert tomasz_record.postcode == "CV1 2AB"
    assert sorted(tomasz_record.applications.get().council_areas.values_list("short_name", flat=True)) == [
        "Coventry", "Warwickshire"
    ]
    formula = Candidate.objects.get(email_normalised="formula.test@example.com")
    assert formula.full_name == FORMULA_NAME
    assert formula.applications.get().years_experience == 0

    batch = result.batch
    batch.refresh_from_db()
    assert (batch.status, batch.rows, batch.candidates_created, batch.applications_created) == (
        "imported", 5, 4, 4
    )
    assert bytes(batch.content) == b""


def test_imported_applications_count_on_their_own_local_days(campaign):
    import_file(campaign, VALID["utf8"])

    assert Event.objects.filter(kind="application").count() == 4
    rows = funnel_rows([campaign.pk], None, None)
    assert [(r["local_date"], r["channel"], r["link_id"], r["kind"], r["count"]) for r in rows] == [
        (datetime.date(2020, 4, 21), "other", None, "application", 3),
        (datetime.date(2020, 4, 22), "other", None, "application", 1),
    ]


def test_search_by_folded_name_finds_siobhan(campaign):
    import_file(campaign, VALID["utf8"])

    for query in ("oneill", "O'Neill", "O’Neill", "siobhan"):
        found = Candidate.objects.filter(name_folded__contains=fold_name(query))
        assert [c.full_name for c in found] == ["Siobhán O’Neill-Smith"], query


def test_formula_name_never_reaches_a_spreadsheet_as_a_formula(campaign):
    import_file(campaign, VALID["utf8"])
    person = Candidate.objects.get(email_normalised="formula.test@example.com")

    rows = list(csv.reader(io.StringIO(subject_access_csv(build_subject_access(person)).decode("utf-8-sig"))))
    names = [row[3] for row in rows if row[2] in ("full_name", "name_as_given")]
    assert names == ["'" + FORMULA_NAME, "'" + FORMULA_NAME]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(write_xlsx([[person.full_name]], ["Name"], "People")))
    cell = book.active["A2"]
    assert (cell.value, cell.data_type) == ("'" + FORMULA_NAME, "s")


def test_reimporting_the_same_file_adds_nothing(campaign):
    import_file(campaign, VALID["utf8"])
    parsed, result = import_file(campaign, VALID["cp1252"])

    assert (result.candidates_created, result.applications_created, result.already_applied) == (0, 0, 5)
    assert (Candidate.objects.count(), Application.objects.count()) == (4, 4)
    assert Event.objects.filter(kind="application").count() == 4


def test_known_candidate_gets_an_application_and_is_not_changed(campaign):
    from carerecruit.testing.factories import make_campaign

    other = make_campaign("step-up-now", name="Step Up Now")
    existing, _ = do_submit_application(
        other,
        {
            "full_name": "Siobhan O'Neill", "email": "SIOBHAN.ONEILL@example.org",
            "phone": "+447700900999", "postcode": "B2 4QA",
            "job_roles": list(JobRole.objects.filter(code=6)), "years_experience": 13,
            "earliest_start": datetime.date(2030, 1, 1), "hours_wanted": "flexible",
            "right_to_work": "yes", "talent_bank_consent": False,
        },
        None,
        send_email=False,
    )
    parsed = parse_file(fixture(VALID["utf8"]), "x.csv", campaign)
    plan = plan_import(parsed.rows, campaign)
    assert [(p.row.line, p.outcome, p.same_as_line) for p in plan.by_line] == [
        (2, Outcome.EXISTING_CANDIDATE, None),
        (3, Outcome.NEW_CANDIDATE, None),
        (4, Outcome.NEW_CANDIDATE, None),
        (5, Outcome.REPEAT_IN_FILE, 2),
        (6, Outcome.NEW_CANDIDATE, None),
    ]

    result = do_import_applications(campaign, parsed)

    assert (result.candidates_created, result.applications_created) == (3, 4)
    person = existing.candidate
    person.refresh_from_db()
    assert (person.full_name, person.phone_e164, person.postcode, person.talent_bank_consent) == (
        "Siobhan O'Neill", "+447700900999", "B2 4QA", False
    )
    assert sorted(person.applications.values_list("campaign__slug", flat=True)) == [
        "come-back-to-care", "step-up-now"
    ]


def test_earliest_response_wins_whatever_the_file_order(campaign):
    lines = fixture(VALID["utf8"]).split(b"\r\n")
    swapped = b"\r\n".join([lines[0], lines[4], lines[1], lines[2], lines[3], lines[5], b""])
    parsed = parse_file(swapped, "swapped.csv", campaign)
    do_import_applications(campaign, parsed)

    siobhan = Candidate.objects.get(email_normalised="siobhan.oneill@example.org")
    assert siobhan.email == "Siobhan.ONeill@example.org"
    assert siobhan.applications.get().council_areas.count() == 2


def test_xlsx_with_date_cells_gives_the_same_answers(campaign):
    text = fixture(VALID["utf8"]).decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline="")))
    book = Workbook()
    sheet = book.active
    sheet.append(records[0])
    for record in records[1:]:
        values = list(record)
        values[2] = datetime.datetime.strptime(values[2], "%d/%m/%Y %H:%M:%S")
        values[12] = datetime.datetime.strptime(values[12], "%d/%m/%Y")
        values[10] = int(values[10])
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)

    parsed = parse_file(buffer.getvalue(), "responses.xlsx", campaign)
    assert (parsed.encoding, parsed.problems, len(parsed.rows)) == ("Excel workbook", [], 5)
    result = do_import_applications(campaign, parsed)
    assert (result.candidates_created, result.applications_created) == (4, 4)
    siobhan = Candidate.objects.get(email_normalised="siobhan.oneill@example.org")
    assert siobhan.applications.get().submitted_at == datetime.datetime(2020, 4, 21, 8, 19, 40, tzinfo=UTC)
    assert siobhan.applications.get().earliest_start == datetime.date(2020, 5, 4)


def test_headers_match_whatever_their_case_and_spacing(campaign):
    text = fixture(VALID["utf8"]).decode("utf-8-sig")
    header, rest = text.split("\r\n", 1)
    header = header.replace("Completion time", "  COMPLETION   time ").replace(
        "Which role are you interested in?", "which role are you interested in"
    ).replace("Do you have the right to work in the UK?", "Do you have the right to work in the UK ?")
    parsed = parse_file((header + "\r\n" + rest).encode(), "x.csv", campaign)
    assert (parsed.problems, len(parsed.rows)) == ([], 5)
    assert parsed.columns["submitted_at"] == "COMPLETION   time"


def test_missing_required_columns_are_named_on_line_1(campaign):
    data = b"Full name,Email address\r\nAnn Lee,ann@example.org\r\n"
    parsed = parse_file(data, "x.csv", campaign)
    assert parsed.problems[0] == Problem(1, "", "The file has no “Completion time” column")
    assert [p.message for p in parsed.problems] == [
        "The file has no “Completion time” column",
        "The file has no “Mobile phone number” column",
        "The file has no “Home postcode” column",
        "The file has no “Which role are you interested in?” column",
        "The file has no “Years of experience in social care” column",
        "The file has no “When could you start?” column",
        "The file has no “Do you have the right to work in the UK?” column",
    ]
    assert parsed.rows == []


def test_every_problem_in_a_row_is_reported(campaign):
    text = fixture(VALID["utf8"]).decode("utf-8-sig")
    header = text.split("\r\n", 1)[0]
    row = (
        "9,01/05/2020 10:00:00,31/13/2020 25:00:00,anonymous,,,nobody,123,ZZ,Astronaut;Care worker,"
        "sixty,SW 12,2020-02-30,Birmingham;Narnia,Maybe,Perhaps"
    )
    parsed = parse_file(f"{header}\r\n{row}\r\n".encode(), "x.csv", campaign)
    assert [(p.line, p.column) for p in parsed.problems] == [
        (2, "Completion time"),
        (2, "Full name"),
        (2, "Email address"),
        (2, "Mobile phone number"),
        (2, "Home postcode"),
        (2, "Which role are you interested in?"),
        (2, "Years of experience in social care"),
        (2, "When could you start?"),
        (2, "Which council areas could you work in?"),
        (2, "Do you have the right to work in the UK?"),
        (2, "May we keep your details in the regional talent bank and share them with councils and care providers?"),
    ]
    messages = {p.column: p.message for p in parsed.problems}
    assert messages["Which role are you interested in?"] == (
        "“Astronaut” is not a job role we know: use ASC-WDS job role names, like Care worker"
    )
    assert messages["Which council areas could you work in?"] == (
        "“Narnia” is not a council in this campaign's region"
    )
    assert messages["When could you start?"] == (
        "“2020-02-30” is not a real date (dates are read day first, like 04/05/2020)"
    )


def test_a_quoted_value_over_two_lines_reports_the_line_its_row_starts_on(campaign):
    text = fixture(VALID["utf8"]).decode("utf-8-sig")
    lines = text.split("\r\n")
    lines[1] = lines[1].replace("Siobhán O’Neill-Smith", '"Siobhán\r\nO’Neill-Smith"')
    lines[2] = lines[2].replace("CV1 2AB", "NOPE")
    parsed = parse_file("\r\n".join(lines).encode(), "x.csv", campaign)
    # The name's line break is itself a problem (control characters), reported on line 2.
    assert [(p.line, p.column) for p in parsed.problems] == [(2, "Full name"), (4, "Home postcode")]


def test_a_name_of_only_invisible_characters_is_a_problem(campaign):
    text = fixture(VALID["utf8"]).decode("utf-8-sig")
    text = text.replace("Siobhán O’Neill-Smith", "\u200b\u3164\u200b", 1)
    parsed = parse_file(text.encode(), "x.csv", campaign)
    assert [(p.line, p.column, p.message) for p in parsed.problems] == [
        (2, "Full name", "The name has no letters, only spaces or invisible characters"),
    ]


def test_file_level_problems(campaign):
    assert [str(p) for p in parse_file(b"", "x.csv", campaign).problems] == ["File: The file is empty"]
    assert parse_file(b"\xd0\xcf\x11\xe0rest", "x.xls", campaign).problems[0].message == (
        "Old Excel (.xls) files cannot be read: save it as CSV or XLSX"
    )
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    bad = b"Full name\r\nAnn\r\nB\x81b\r\n"
    assert parse_file(bad, "x.csv", campaign).problems == [
        Problem(3, "", "This line has characters that are neither UTF-8 nor Windows-1252. "
                "Save the file as “CSV UTF-8” and upload it again")
    ]
    assert parse_file(b"PK\x03\x04garbage", "x.xlsx", campaign).problems[0].message == (
        "The file cannot be opened as an Excel workbook"
    )
    header_only = fixture(VALID["utf8"]).split(b"\r\n")[0] + b"\r\n,,,\r\n"
    assert [p.message for p in parse_file(header_only, "x.csv", campaign).problems] == [
        "The file has a header but no responses"
    ]


def test_day_first_dates():
    assert parse_day_first_date("04/05/2020") == datetime.date(2020, 5, 4)
    assert parse_day_first_date("4.5.2020") == datetime.date(2020, 5, 4)
    assert parse_day_first_date("2020-05-04") == datetime.date(2020, 5, 4)
    assert parse_day_first_date(datetime.datetime(2020, 5, 4, 0, 0)) == datetime.date(2020, 5, 4)
    for bad in ("31/04/2020", "04/05/20", "May 4 2020", ""):
        with pytest.raises(ValueError):
            parse_day_first_date(bad)


def test_completion_times_are_uk_local_times():
    # BST in April, GMT in January.
    assert parse_day_first_datetime("21/04/2020 09:19:40") == datetime.datetime(2020, 4, 21, 8, 19, 40, tzinfo=UTC)
    assert parse_day_first_datetime("21/01/2020 09:19") == datetime.datetime(2020, 1, 21, 9, 19, tzinfo=UTC)
    assert parse_day_first_datetime(datetime.datetime(2020, 4, 21, 9, 19, 40)) == datetime.datetime(
        2020, 4, 21, 8, 19, 40, tzinfo=UTC
    )
    with pytest.raises(ValueError):
        parse_day_first_datetime("21/04/2020")


def test_semicolon_separated_csv_and_optional_columns(campaign):
    data = (
        "Completion time;Full name;Email address;Mobile phone number;Home postcode;"
        "Which role are you interested in?;Years of experience in social care;When could you start?;"
        "Do you have the right to work in the UK?;How many hours would you like to work?;"
        "Which council areas could you work in?\r\n"
        '01/03/2020 10:00;Ann Lee;ann@example.org;07700 900111;b11aa;"Care worker;Support worker";'
        '2;01/04/2020;Not sure;Part time;"Telford & Wrekin;city of wolverhampton council"\r\n'
    ).encode("cp1252")
    parsed = parse_file(data, "x.csv", campaign)
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.right_to_work, row.hours_wanted, row.talent_bank_consent, row.swe_registration) == (
        "not_sure", "part_time", False, ""
    )
    assert [r.name for r in row.job_roles] == ["Care worker", "Support worker"]
    assert [c.gss_code for c in row.council_areas] == ["E06000020", "E08000031"]


def test_a_shared_phone_is_one_person_only_with_the_same_name(campaign):
    """Imports follow the form's identity rule (candidates.identity): e-mail, else phone
    and folded full name, in the database and in earlier rows."""
    from carerecruit.testing.factories import make_campaign

    other = make_campaign("step-up-now", name="Step Up Now")
    cat, _ = do_submit_application(
        other,
        {
            "full_name": "Cat Jones", "email": "cat@example.org", "phone": "+447700900222",
            "postcode": "B2 4QA", "job_roles": list(JobRole.objects.filter(code=6)),
            "years_experience": 4, "earliest_start": datetime.date(2030, 1, 1),
            "hours_wanted": "flexible", "right_to_work": "yes", "talent_bank_consent": False,
        },
        None,
        send_email=False,
    )
    header = fixture(VALID["utf8"]).split(b"\r\n")[0].decode("utf-8-sig")

    def line(n, name, email, phone):
        return (f"{n},21/04/2020 09:0{n}:00,21/04/2020 09:1{n}:00,anonymous,,{name},{email},{phone},"
                "B1 1AA,Care worker,3,,04/05/2020,Birmingham,Yes,No")

    data = "\r\n".join([
        header,
        line(1, "Ann Lee", "ann@example.org", "07700 900111"),
        line(2, "Bea Lee", "bea@example.org", "07700 900111"),  # Ann's phone, her own name
        line(3, "ann lee", "ann.other@example.org", "+447700900111"),  # Ann again
        line(4, "Dan Jones", "dan@example.org", "07700 900222"),  # Cat's phone, his name
        line(5, "Cat Jones", "cat.new@example.org", "07700900222"),  # Cat, new address
        "",
    ]).encode("utf-8")
    parsed = parse_file(data, "shared.csv", campaign)
    assert parsed.problems == []
    plan = plan_import(parsed.rows, campaign)
    assert [(p.row.line, p.outcome, p.same_as_line) for p in plan.by_line] == [
        (2, Outcome.NEW_CANDIDATE, None),
        (3, Outcome.NEW_CANDIDATE, None),
        (4, Outcome.REPEAT_IN_FILE, 2),
        (5, Outcome.NEW_CANDIDATE, None),
        (6, Outcome.EXISTING_CANDIDATE, None),
    ]

    result = do_import_applications(campaign, parsed)

    assert (result.candidates_created, result.applications_created) == (3, 4)
    people = dict(Candidate.objects.values_list("email_normalised", "full_name"))
    assert people == {
        "ann@example.org": "Ann Lee", "bea@example.org": "Bea Lee", "dan@example.org": "Dan Jones",
        "cat@example.org": "Cat Jones",
    }
    assert Candidate.objects.filter(phone_e164="+447700900111").count() == 2
    assert Candidate.objects.filter(phone_e164="+447700900222").count() == 2
    cat_record = Candidate.objects.get(pk=cat.candidate_id)
    assert cat_record.email == "cat@example.org"  # an import never changes a known person
    assert sorted(cat_record.applications.values_list("campaign__slug", flat=True)) == [
        "come-back-to-care", "step-up-now"
    ]
    for email in ("bea@example.org", "dan@example.org"):
        assert Application.objects.get(candidate__email_normalised=email).campaign == campaign
