"""Social Work England registration numbers.

Format (Social Work England's public register; DfE's Social Work Induction Programme
service): "SW" followed by digits, no fixed length documented (HCPC-era numbers such as
SW12345 were kept). We normalise by removing spaces and upper-casing, and check
``^SW[0-9]{1,7}$`` as a sanity check only: registration is confirmed against the public
register during pre-employment checks, never by this function.

Decisions:
- Digits alone (``104233``) are accepted and given the ``SW`` prefix: people often copy
  only the number, and DfE's service itself keys registrants by the integer part.
- Obvious placeholders are rejected with their own message: four or more of one digit
  (``999999999``, ``SW1111``) or a value of zero (``SW000000``). Short repeats such as
  ``SW11`` may be real early numbers, so they pass the sanity check.
"""

from __future__ import annotations

import re

SWE_RE = re.compile(r"^SW([0-9]{1,7})$")
_DIGITS = re.compile(r"^[0-9]+$")
PLACEHOLDER_MIN_LENGTH = 4


class InvalidRegistration(ValueError):
    """The text is not a Social Work England registration number; ``str()`` is a
    message fit to show the person who typed it."""


def normalise_swe_registration(text: str) -> str:
    """Return the registration number as ``SW`` + digits, e.g. ``"sw 104 233"`` → ``"SW104233"``.

    Spaces (and hyphens) are removed and letters upper-cased; digits alone get the ``SW``
    prefix. Raises :class:`InvalidRegistration` (a ``ValueError``) for placeholders and
    anything not shaped ``SW`` + 1 to 7 digits.
    """
    compact = "".join(str(text).split()).replace("-", "").upper()
    if _DIGITS.fullmatch(compact):
        compact = f"SW{compact}"
    digits = compact.removeprefix("SW")
    if _DIGITS.fullmatch(digits) and (
        int(digits) == 0 or (len(digits) >= PLACEHOLDER_MIN_LENGTH and len(set(digits)) == 1)
    ):
        raise InvalidRegistration(
            "Enter your real Social Work England registration number, not a placeholder"
        )
    if not SWE_RE.fullmatch(compact):
        raise InvalidRegistration(
            "Enter a Social Work England registration number in the correct format, like SW104233"
        )
    return compact
