import pytest

from carerecruit.lib.phones import is_ofcom_drama_number, normalise_phone


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("(07700) 900 123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("(0121) 496 0199", "+441214960199"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_normalises_to_e164(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "123", "not a number", "07700 90012", "+44 7700 9001234", "0" * 41]
)
def test_rejects(typed):
    with pytest.raises(ValueError):
        normalise_phone(typed)


def test_drama_block_exactly():
    assert is_ofcom_drama_number("+447700900000") is True
    assert is_ofcom_drama_number("+447700900999") is True
    assert is_ofcom_drama_number("+447700901000") is False
    assert is_ofcom_drama_number("+4477009001234") is False
