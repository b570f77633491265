"""Names: a folded form for search (names themselves are stored exactly as typed), and
checks that typed text shows something on screen."""

from __future__ import annotations

import re
import unicodedata

# Apostrophes people and phones type: ASCII, right/left single quotes, modifier letter,
# grave and acute accents used as apostrophes.
_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼ`´"), None)
# Hyphens and dashes join name parts; folded to a space so each part is searchable.
_HYPHENS = dict.fromkeys(map(ord, "-‐‑‒–—"), " ")
_SPACES = re.compile(r"\s+")


def fold_name(text: str) -> str:
    """Return ``text`` folded for search: ``"Siobhán O’Neill-Smith"`` → ``"siobhan oneill smith"``.

    Steps: case-fold (Unicode ``str.casefold``, so ``ß`` → ``ss``); decompose (NFKD) and
    drop combining marks, so accents go; remove apostrophes (``O'Neill`` and ``O’Neill``
    fold the same); hyphens and dashes become spaces; runs of whitespace become one
    space. Letters with no decomposition (``ø``, ``ł``) are kept as they are.
    Source: Unicode Standard Annex #15 (normalisation forms).
    """
    # Apostrophes go before decomposing too: NFKD turns a spacing acute (´) into a space.
    decomposed = unicodedata.normalize("NFKD", str(text).casefold().translate(_APOSTROPHES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_APOSTROPHES).translate(_HYPHENS)
    return _SPACES.sub(" ", stripped).strip()


# Letters by Unicode category that draw nothing: the Hangul fillers (U+115F, U+1160,
# U+3164, U+FFA0) are category Lo but blank, and are the usual way to make a name "look
# empty". Zero-width spaces, joiners and marks (categories Cf, Mn, Zs) are not letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")


def has_visible_letter(text: str) -> bool:
    """True when ``text`` holds at least one letter that shows on screen (Unicode
    category L*, not a blank Hangul filler). False for text made only of spaces,
    zero-width characters (U+200B–U+200D, U+2060, U+FEFF), combining marks,
    punctuation, digits or blank fillers, which would make a name nobody can read.
    Source: Unicode Standard Annex #44 (General_Category)."""
    return any(
        unicodedata.category(ch).startswith("L") and ch not in _BLANK_LETTERS for ch in str(text)
    )


# Categories that draw nothing by themselves: controls (Cc), formatting characters such
# as zero-width spaces, joiners, the soft hyphen and bidi controls (Cf), surrogates and
# unassigned code points (Cs, Cn), separators (Zs, Zl, Zp) and combining marks with
# nothing to sit on (Mn, Me).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Characters in a visible category that are blank all the same: the Hangul fillers and
# the blank braille pattern (U+2800, category So).
_BLANK_CHARACTERS = _BLANK_LETTERS | {"\u2800"}


def has_visible_character(text: str) -> bool:
    """True when ``text`` holds at least one character that shows on screen: a letter,
    digit, punctuation mark or symbol (``"5"``, ``"?"`` and ``"🙂"`` count). False for
    text made only of spaces, line breaks, zero-width or formatting characters (U+200B–
    U+200D, U+2060, U+FEFF, U+00AD, bidi controls), lone combining marks or blank
    fillers (U+3164, U+2800…): a note or a name that looks empty. For free text; a
    person's name needs :func:`has_visible_letter`.
    Source: Unicode Standard Annex #44 (General_Category)."""
    return any(
        unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _BLANK_CHARACTERS for ch in str(text)
    )
