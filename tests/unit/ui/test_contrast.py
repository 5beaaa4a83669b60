"""The WCAG contrast formula against known values, and both themes against WCAG AA.

Every (foreground, background) pair the palette and stylesheet use is declared in
`cowapp.ui.theme`; text must reach 4.5:1 and controls 3:1 in the day and the night theme.
"""

from __future__ import annotations

import pytest

from cowapp.ui.contrast import (
    AA_NON_TEXT,
    AA_TEXT,
    contrast_ratio,
    parse_hex,
    relative_luminance,
)
from cowapp.ui.theme import COLOUR_NAMES, CONTROL_PAIRS, TEXT_PAIRS, THEMES, Theme


def test_black_on_white_is_21_to_1() -> None:
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)


def test_known_greys_on_white() -> None:
    # #777 narrowly fails AA for text; #767676 is the lightest grey that passes.
    assert contrast_ratio("#777", "#fff") == pytest.approx(4.48, abs=0.005)
    assert contrast_ratio("#777777", "#fff") < AA_TEXT
    assert contrast_ratio("#767676", "#fff") == pytest.approx(4.54, abs=0.005)
    assert contrast_ratio("#767676", "#fff") >= AA_TEXT


def test_known_colours() -> None:
    # Values from WebAIM's contrast checker.
    assert contrast_ratio("#0000FF", "#FFFFFF") == pytest.approx(8.59, abs=0.005)
    assert contrast_ratio("#FF0000", "#FFFFFF") == pytest.approx(4.0, abs=0.005)
    assert contrast_ratio("#008000", "#FFFFFF") == pytest.approx(5.14, abs=0.005)


def test_ratio_is_symmetric_and_one_for_equal_colours() -> None:
    assert contrast_ratio("#005F6B", "#F2F4F6") == contrast_ratio("#F2F4F6", "#005F6B")
    assert contrast_ratio("#123456", "#123456") == 1.0


def test_luminance_ends_and_short_form() -> None:
    assert relative_luminance("#000") == 0.0
    assert relative_luminance("#fff") == pytest.approx(1.0)
    assert relative_luminance("#abc") == relative_luminance("#AABBCC")
    assert parse_hex("#0a0B0c") == (10, 11, 12)


@pytest.mark.parametrize("bad", ["red", "#12345", "123456", "#GGGGGG", "#1234567", ""])
def test_not_a_hex_colour_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="hex colour"):
        parse_hex(bad)


def _pairs(pairs: tuple[tuple[str, str], ...]) -> list[object]:
    return [
        pytest.param(theme, fg, bg, id=f"{key}:{fg}/{bg}")
        for key, theme in THEMES.items()
        for fg, bg in pairs
    ]


@pytest.mark.parametrize(("theme", "foreground", "background"), _pairs(TEXT_PAIRS))
def test_text_pairs_reach_aa(theme: Theme, foreground: str, background: str) -> None:
    fg, bg = getattr(theme.colours, foreground), getattr(theme.colours, background)
    ratio = contrast_ratio(fg, bg)
    assert ratio >= AA_TEXT, f"{theme.key}: {foreground} {fg} on {background} {bg} is {ratio:.2f}"


@pytest.mark.parametrize(("theme", "foreground", "background"), _pairs(CONTROL_PAIRS))
def test_control_pairs_reach_aa(theme: Theme, foreground: str, background: str) -> None:
    fg, bg = getattr(theme.colours, foreground), getattr(theme.colours, background)
    ratio = contrast_ratio(fg, bg)
    assert ratio >= AA_NON_TEXT, (
        f"{theme.key}: {foreground} {fg} on {background} {bg} is {ratio:.2f}"
    )


def test_pairs_name_real_colours_and_every_colour_is_checked() -> None:
    named = {name for pair in TEXT_PAIRS + CONTROL_PAIRS for name in pair}
    assert named <= set(COLOUR_NAMES), f"unknown colour names: {named - set(COLOUR_NAMES)}"
    assert set(COLOUR_NAMES) <= named, f"colours no pair checks: {set(COLOUR_NAMES) - named}"


def test_both_themes_are_valid_hex() -> None:
    for theme in THEMES.values():
        for name in COLOUR_NAMES:
            parse_hex(getattr(theme.colours, name))
