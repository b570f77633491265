import pytest

from carerecruit.lib.names import fold_name


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Siobhán O’Neill-Smith", "siobhan oneill smith"),
        ("O'Neill", "oneill"),
        ("O’Neill", "oneill"),
        ("D'Arcy", "darcy"),
        ("  Zoë   Brontë ", "zoe bronte"),
        ("José Ñúñez", "jose nunez"),
        ("Anne–Marie", "anne marie"),
        ("Groß", "gross"),
        ("Søren", "søren"),
        ("O´Brien", "obrien"),
    ],
)
def test_fold(typed, expected):
    assert fold_name(typed) == expected


def test_apostrophe_variants_fold_the_same():
    assert fold_name("O'Neill") == fold_name("O’Neill") == fold_name("O‘Neill")
