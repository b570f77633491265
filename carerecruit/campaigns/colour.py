"""Colour contrast by the WCAG 2.x formula, for campaign brand colours.

Source: WCAG 2.2, definitions of "relative luminance" and "contrast ratio"
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance). Each sRGB channel c in 0..1 is
linearised as c / 12.92 when c <= 0.04045, else ((c + 0.055) / 1.055) ** 2.4;
luminance L = 0.2126 R + 0.7152 G + 0.0722 B; the contrast of two colours is
(L_lighter + 0.05) / (L_darker + 0.05), from 1 (none) to 21 (black on white).

Success criterion 1.4.3 (Contrast, Minimum) asks 4.5:1 for normal text. A brand colour
must reach that against white: the microsite draws it on a white page, and a colour
that passes may also carry white text or be used for text on white.
"""

from __future__ import annotations

import math
import re

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"

_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """Relative luminance (0.0 black … 1.0 white) of a ``#rrggbb`` colour.

    Raises ValueError for anything that is not six hex digits after ``#``.
    """
    match = _HEX.fullmatch(colour.strip())
    if match is None:
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    red, green, blue = (_linear(int(part, 16)) for part in match.groups())
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str = WHITE) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1.0 to 21.0; order does not
    matter). ``contrast_ratio("#1d3a5f")`` ≈ 11.52 (against white). Raises ValueError
    for a colour that is not ``#rrggbb``."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """``"4.47:1"``: two decimals, rounded *down*, so a colour that fails is never shown
    as reaching 4.50:1 (WCAG says the threshold is not to be rounded)."""
    return f"{math.floor(ratio * 100) / 100:.2f}:1"


def meets_aa_on_white(colour: str) -> bool:
    """True when ``colour`` has at least 4.5:1 contrast against white (WCAG 1.4.3)."""
    return contrast_ratio(colour, WHITE) >= AA_NORMAL_TEXT
