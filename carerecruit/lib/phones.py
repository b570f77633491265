"""Phone numbers: parse what people type and store it in E.164 (``+447700900123``).

Parsing and validity come from Google's libphonenumber data through the ``phonenumbers``
package. One documented exception: Ofcom reserves 07700 900000–900999 for TV and radio
drama ("Telephone numbers for drama purposes"). libphonenumber treats that block as
unallocated, but our tests and the simulated demo region use it precisely because it can
never reach a real person, so it is accepted as a mobile number.
"""

from __future__ import annotations

import phonenumbers

# Ofcom's mobile drama block, as an E.164 prefix followed by exactly three digits.
OFCOM_DRAMA_MOBILE_PREFIX = "+447700900"

# Long enough for any real number with an extension; longer input is rejected before
# parsing so a pasted essay costs nothing.
MAX_INPUT_LENGTH = 40


def is_ofcom_drama_number(e164: str) -> bool:
    """True when ``e164`` is in Ofcom's mobile drama block (+44 7700 900000–900999)."""
    rest = e164.removeprefix(OFCOM_DRAMA_MOBILE_PREFIX)
    return rest != e164 and len(rest) == 3 and rest.isdigit()


def normalise_phone(text: str, region: str = "GB") -> str:
    """Return ``text`` as an E.164 string, e.g. ``"(07700) 900 123"`` → ``"+447700900123"``.

    ``region`` is the ISO 3166-1 alpha-2 country assumed for numbers written without
    ``+<country code>``. Landlines are accepted (``"(0121) 496 0199"`` →
    ``"+441214960199"``); extensions are dropped. Raises ``ValueError`` when the text
    is not a phone number or not a valid (allocated) number for its country.
    """
    text = str(text).strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise ValueError("not a phone number")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("not a phone number") from exc
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_valid_number(number) or is_ofcom_drama_number(e164):
        return e164
    raise ValueError(f"{text!r} is not a valid phone number")
