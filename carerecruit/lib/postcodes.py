"""UK postcodes: normalise what people type into the canonical one-space form.

Source of the rule: Ideal Postcodes' ``postcode`` library (``lib/index.ts``), which
postcodes.io uses: remove all whitespace, upper-case, check the shape, then split the
inward code (always the last 3 characters) from the outward code with one space. The
result equals the ONS Postcode Directory's ``pcds`` column. Shape is not existence: a
well-formed postcode may still be absent from ONSPD.
"""

from __future__ import annotations

import re

# Ideal Postcodes' POSTCODE_REGEX applied to the compact (no space) form. It does not
# accept the special non-geographic "GIR 0AA" (Girobank), which no candidate lives at.
COMPACT_POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$")


def compact_postcode(text: str) -> str:
    """Return ``text`` with all whitespace removed, upper-cased (``" b1  1aa"`` → ``"B11AA"``).

    No validation; use it as a comparison key, as postcodes.io's ``pc_compact`` does.
    """
    return "".join(str(text).split()).upper()


def normalise_postcode(text: str) -> str:
    """Return the canonical UK postcode, e.g. ``" b1  1aa"`` or ``"b11aa"`` → ``"B1 1AA"``.

    Accepts any spacing (including none) and any case. Raises ``ValueError`` when the
    compact form does not have a UK postcode's shape (``A9 9AA``, ``A99 9AA``,
    ``AA9 9AA``, ``AA99 9AA``, ``A9A 9AA``, ``AA9A 9AA``).
    """
    compact = compact_postcode(text)
    if not COMPACT_POSTCODE_RE.fullmatch(compact):
        raise ValueError(f"{text!r} is not a UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"
