import pytest

from carerecruit.lib.names import fold_name, has_visible_character, has_visible_letter


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


@pytest.mark.parametrize("name", ["Ann Lee", "Siobhán O’Neill-Smith", "\u200bAnn", "李小龍", "Ø", "محمد"])
def test_names_with_letters_are_visible(name):
    assert has_visible_letter(name)


@pytest.mark.parametrize("name", [
    "", "   ", "\u200b\u200c\u200d", "\u2060\ufeff", "\u3164", "\u115f\u1160", "\uffa0",
    "\u0301\u0301", "\u2800", "---", "123", "\u00a0\u2003",
])
def test_invisible_or_letterless_names_are_not(name):
    assert not has_visible_letter(name)


@pytest.mark.parametrize("text", ["5", "?", "Ann", "\u200b-", "£12", "李", "\u0915\u093f", "🙂"])
def test_text_with_anything_that_shows_is_visible(text):
    assert has_visible_character(text)


@pytest.mark.parametrize("text", [
    "", "   ", "\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u3164", "\u115f\u1160", "\uffa0",
    "\u0301\u0301", "\u2800", "\u00a0\u2003\u3000", "\n\t\r", "\u00ad", "\u202e\u2066",
])
def test_text_of_only_invisible_characters_is_not(text):
    assert not has_visible_character(text)
