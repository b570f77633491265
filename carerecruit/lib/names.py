"""Names: a folded form for search. Names themselves are stored exactly as typed."""

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
