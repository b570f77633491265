import pytest

from carerecruit.lib.swe import InvalidRegistration, normalise_swe_registration


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SW104233", "SW104233"),
        ("sw104233", "SW104233"),
        (" sw 104 233 ", "SW104233"),
        ("SW-104233", "SW104233"),
        ("104233", "SW104233"),
        ("SW123", "SW123"),
        ("SW1", "SW1"),
        ("SW1234567", "SW1234567"),
    ],
)
def test_normalises(typed, expected):
    assert normalise_swe_registration(typed) == expected


@pytest.mark.parametrize("typed", ["999999999", "SW000000", "SW0", "SW1111", "0000"])
def test_rejects_placeholders_with_clear_message(typed):
    with pytest.raises(InvalidRegistration) as exc:
        normalise_swe_registration(typed)
    assert str(exc.value) == (
        "Enter your real Social Work England registration number, not a placeholder"
    )


@pytest.mark.parametrize("typed", ["", "SW", "SW12345678", "HCPC12345", "SW12A45", "AB104233", "SW١٢٣"])
def test_rejects_wrong_format(typed):
    with pytest.raises(InvalidRegistration) as exc:
        normalise_swe_registration(typed)
    assert str(exc.value) == (
        "Enter a Social Work England registration number in the correct format, like SW104233"
    )
