import pytest

from carerecruit.lib.postcodes import compact_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" b1  1aa", "B1 1AA"),
        ("b11aa", "B1 1AA"),
        ("B1 1AA", "B1 1AA"),
        ("ws111db", "WS11 1DB"),
        ("sw1a 1aa", "SW1A 1AA"),
        ("cv1\t2hu ", "CV1 2HU"),
        ("w1a0ax", "W1A 0AX"),
        ("DY1\u00a04QF", "DY1 4QF"),  # a non-breaking space pasted from a web page
    ],
)
def test_normalises(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["NOTAPOSTCODE", "", "   ", "B1", "1AA", "B1 1A", "BBB1 1AA", "B1 AAA", "B1-1AA"]
)
def test_rejects(typed):
    with pytest.raises(ValueError):
        normalise_postcode(typed)


def test_compact_key():
    assert compact_postcode(" b1  1aa") == "B11AA"
