"""ONSPD import (by header name, live postcodes, region filter, placeholder location),
the council rule (oscty when a real county, else oslaua) and the district fallback."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carerecruit.placements import postcodes
from carerecruit.placements.models import PostcodeLocation
from carerecruit.placements.postcodes import (
    DATA_DIR,
    OnspdFormatError,
    cassr_code,
    council_for_postcode,
    import_onspd,
    resolve_columns,
)

SAMPLE = DATA_DIR / "onspd_sample.csv"
WEST_MIDLANDS = {"E12000005"}

# Every postcode in the sample that the default import keeps → the council's GSS code.
EXPECTED_COUNCILS = {
    "B1 1BB": "E08000025", "B15 2TT": "E08000025", "CV1 5RR": "E08000026",
    "DY1 1HF": "E08000027", "HR4 0LE": "E06000019", "B69 3DE": "E08000028",
    "SY2 6ND": "E06000051", "B91 3QB": "E08000029", "ST4 1HH": "E06000021",
    "TF3 4JG": "E06000020", "WS1 1TP": "E08000030", "WV1 1SH": "E08000031",
    # Staffordshire's districts: Stafford, Lichfield, Cannock Chase, East Staffordshire,
    # Newcastle-under-Lyme, South Staffordshire, Staffordshire Moorlands, Tamworth.
    "ST16 2DH": "E10000028", "WS13 6YY": "E10000028", "WS11 1BG": "E10000028",
    "DE14 2EB": "E10000028", "ST5 1BL": "E10000028", "WV8 1PX": "E10000028",
    "ST13 6HQ": "E10000028", "B79 7BZ": "E10000028",
    # Warwickshire's: Warwick, North Warwickshire, Nuneaton and Bedworth, Rugby, Stratford.
    "CV34 4RL": "E10000031", "CV9 1DE": "E10000031", "CV11 5AA": "E10000031",
    "CV21 2RR": "E10000031", "CV37 6HX": "E10000031",
    # Worcestershire's: Worcester, Bromsgrove, Malvern Hills, Redditch, Wychavon, Wyre Forest.
    "WR5 2NP": "E10000034", "B61 8DA": "E10000034", "WR14 3AF": "E10000034",
    "B98 8AH": "E10000034", "WR10 1PT": "E10000034", "DY11 7WF": "E10000034",
    "WS10 8SA": "E08000030",
    "WS13 9ZZ": "E10000028",
}


def test_council_rule_uses_a_real_county_else_the_district():
    assert cassr_code("E10000028", "E07000194") == "E10000028"  # Lichfield → Staffordshire
    assert cassr_code("E99999999", "E08000025") == "E08000025"  # Birmingham
    assert cassr_code("", "E06000021") == "E06000021"
    assert cassr_code(" E10000034 ", "E07000237") == "E10000034"


def test_columns_are_found_by_name_in_any_order_and_spelling():
    header = ["PCDS", "lat", "long", "doterm", "lad25cd", "CTY25CD", "rgn25cd", "wd25cd", "extra"]
    assert resolve_columns(header) == {
        "pcds": 0, "lat": 1, "long": 2, "doterm": 3, "oslaua": 4, "oscty": 5, "rgn": 6, "osward": 7,
    }
    # NSPL spellings.
    assert resolve_columns(["\ufeffpcds", "doterm", "cty", "laua", "lat", "long"])["oslaua"] == 3


def test_a_file_without_the_needed_columns_is_refused():
    with pytest.raises(OnspdFormatError, match="no column for doterm, oscty, oslaua"):
        resolve_columns(["pcds", "lat", "long", "postcode_area"])


@pytest.mark.django_db
def test_import_keeps_live_west_midlands_postcodes_with_the_council_code():
    result = import_onspd(SAMPLE, regions=WEST_MIDLANDS)

    assert (result.imported, result.terminated, result.other_region, result.malformed) == (33, 1, 1, 0)
    assert result.without_location == 1
    rows = {p.pcds: p for p in PostcodeLocation.objects.all()}
    assert {pcds: p.cassr_gss for pcds, p in rows.items()} == EXPECTED_COUNCILS
    lichfield = rows["WS13 6YY"]
    assert (lichfield.compact, lichfield.oslaua, lichfield.rgn, lichfield.icb) == (
        "WS136YY", "E07000194", "E12000005", "E54000010",
    )
    assert (lichfield.latitude, lichfield.longitude) == (52.6827, -1.8263)
    # ONSPD's "no grid reference" placeholder is not a place.
    assert (rows["WS13 9ZZ"].latitude, rows["WS13 9ZZ"].longitude) == (None, None)
    assert "B1 9ZZ" not in rows and "SW1A 2AA" not in rows


@pytest.mark.django_db
def test_import_replaces_by_default_and_appends_on_request():
    import_onspd(SAMPLE, regions=None)
    assert PostcodeLocation.objects.count() == 34  # London included, terminated still out
    import_onspd(SAMPLE, regions=WEST_MIDLANDS)
    assert PostcodeLocation.objects.count() == 33
    small = io.StringIO("pcds,doterm,oscty,oslaua,lat,long,rgn\nB1 1BB,,E99999999,E08000025,52.5,-1.9,E12000005\n")
    import_onspd(small, regions=WEST_MIDLANDS, replace=False)
    assert PostcodeLocation.objects.count() == 33
    assert PostcodeLocation.objects.get(compact="B11BB").latitude == 52.5


@pytest.mark.django_db
def test_import_reads_the_published_zip(tmp_path):
    archive = tmp_path / "ONSPD_NOV_2026.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Documents/readme.csv", "a,b\n1,2\n")
        z.writestr("Data/ONSPD_NOV_2026_UK.csv", SAMPLE.read_bytes())
    assert import_onspd(archive, regions=WEST_MIDLANDS).imported == 33


@pytest.mark.django_db
def test_command_reports_what_it_did():
    out = StringIO()
    call_command("import-onspd", str(SAMPLE), stdout=out)
    assert out.getvalue().splitlines() == [
        "Imported 33 live postcodes (E12000005).",
        "Skipped 1 terminated, 1 in other regions, 0 malformed. 1 have no grid reference "
        "(kept, without coordinates).",
    ]
    out = StringIO()
    call_command("import-onspd", str(SAMPLE), "--all-regions", stdout=out)
    assert out.getvalue().startswith("Imported 34 live postcodes (every region).")


@pytest.mark.django_db
def test_command_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,council\nB1 1BB,Birmingham\n")
    with pytest.raises(CommandError, match="not an ONSPD file: no column for pcds"):
        call_command("import-onspd", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import-onspd", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="not both"):
        call_command("import-onspd", str(bad), "--all-regions", "--region", "E12000005")


@pytest.mark.django_db
def test_every_council_is_found_from_onspd():
    import_onspd(SAMPLE, regions=WEST_MIDLANDS)
    found = {pcds: council_for_postcode(pcds) for pcds in EXPECTED_COUNCILS}
    assert {pcds: m.council.gss_code for pcds, m in found.items()} == EXPECTED_COUNCILS
    assert {m.source for m in found.values()} == {"postcode"}
    assert len({m.council.gss_code for m in found.values()}) == 14
    # Any spacing or case.
    assert council_for_postcode(" ws136yy").council.short_name == "Staffordshire"


@pytest.mark.django_db
def test_onspd_beats_the_district_table():
    # WS10 is mostly Sandwell (Wednesbury); WS10 8SA is in Darlaston, Walsall.
    assert council_for_postcode("WS10 8SA").council.gss_code == "E08000028"
    assert council_for_postcode("WS10 8SA").source == "district"
    import_onspd(SAMPLE, regions=WEST_MIDLANDS)
    match = council_for_postcode("WS10 8SA")
    assert (match.council.gss_code, match.source) == ("E08000030", "postcode")


@pytest.mark.django_db
def test_district_fallback_when_onspd_is_not_imported():
    assert PostcodeLocation.objects.count() == 0
    match = council_for_postcode("WS13 6QG")
    assert (match.council.gss_code, match.source) == ("E10000028", "district")
    assert council_for_postcode("b15 2tt").council.gss_code == "E08000025"
    assert council_for_postcode("CV37 9AB").council.gss_code == "E10000031"
    assert council_for_postcode("SW1A 2AA") is None  # not our region
    assert council_for_postcode("not a postcode") is None


@pytest.mark.django_db
def test_a_known_postcode_outside_our_councils_is_not_guessed_from_its_district():
    import_onspd(SAMPLE, regions=None)
    assert council_for_postcode("SW1A 2AA") is None


def test_district_table_covers_every_council_and_only_real_codes():
    table = postcodes.district_table()
    assert len(table) == 217
    assert len(set(table.values())) == 14
    assert table["B1"] == "E08000025" and table["WS13"] == "E10000028" and table["DY4"] == "E08000028"
    assert all(postcodes.outward_code(f"{o} 1AA") == o for o in table)
