"""WCAG 2.x contrast of sRGB colours, so the themes can be checked by a test rather than by eye.

Plain Python with no Qt: `contrast_ratio` takes two ``#RRGGBB`` (or ``#RGB``) strings and returns
the ratio WCAG uses for success criteria 1.4.3 (text, AA 4.5:1) and 1.4.11 (non-text, 3:1).
"""

from __future__ import annotations

import re

AA_TEXT = 4.5
"""WCAG 2.x SC 1.4.3 (Contrast, Minimum): normal text against its background."""

AA_NON_TEXT = 3.0
"""WCAG 2.x SC 1.4.11 (Non-text Contrast): control boundaries, focus rings, state indicators."""

_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def parse_hex(colour: str) -> tuple[int, int, int]:
    """The 8-bit red, green and blue of an sRGB hex colour.

    Args:
        colour: ``#RRGGBB`` or the short form ``#RGB`` (``#777`` is ``#777777``).

    Returns:
        The channels, each 0-255.

    Raises:
        ValueError: the text is not a hex colour in one of those forms.
    """
    match = _HEX.fullmatch(colour.strip())
    if not match:
        raise ValueError(f"not an sRGB hex colour (#RRGGBB or #RGB): {colour!r}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def _linear(channel: int) -> float:
    """One sRGB channel (0-255) linearised, as in the WCAG definition of relative luminance.

    WCAG 2.0/2.1 print the threshold as 0.03928 (from an old sRGB draft); WCAG 2.2 and the sRGB
    standard use 0.04045. No 8-bit value lies between the two, so the results are identical.
    """
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour: 0 for black, 1 for white.

    WCAG 2.2, definition "relative luminance" (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance):
    ``L = 0.2126 * R + 0.7152 * G + 0.0722 * B``, where each of R, G and B is the channel
    ``C = C8bit / 255`` linearised: ``C / 12.92`` if ``C <= 0.04045``, else
    ``((C + 0.055) / 1.055) ** 2.4``.

    Args:
        colour: ``#RRGGBB`` or ``#RGB``.

    Returns:
        The luminance, 0.0-1.0.
    """
    red, green, blue = (_linear(c) for c in parse_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two sRGB colours, from 1.0 (same) to 21.0 (black on white).

    WCAG 2.2, definition "contrast ratio" (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio):
    ``(L1 + 0.05) / (L2 + 0.05)``, where L1 is the relative luminance of the lighter colour and L2
    that of the darker one. The order of the arguments does not matter.

    Args:
        first: ``#RRGGBB`` or ``#RGB``.
        second: ``#RRGGBB`` or ``#RGB``.

    Returns:
        The ratio; compare it with `AA_TEXT` or `AA_NON_TEXT` (no rounding up: 4.49 fails 4.5).
    """
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
