"""The themes on real widgets: touch sizes after the stylesheet, the palette, runtime switching.

Each test puts a theme on the shared QApplication and restores the previous look afterwards, so
no other test sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.theme import (
    CONTROL_PAIRS,
    DAY,
    MIN_TOUCH,
    NIGHT,
    TEXT_PAIRS,
    THEMES,
    Role,
    Theme,
    apply_theme,
    build_palette,
    build_stylesheet,
    set_role,
)

ALL_THEMES = pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[QApplication]:
    """The application, with its style, palette, font and stylesheet put back afterwards."""
    style, palette, font, sheet = (
        qapp.style().name(),
        qapp.palette(),
        qapp.font(),
        qapp.styleSheet(),
    )
    yield qapp
    qapp.setStyleSheet(sheet)
    if style:
        qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def _home(qtbot: QtBot, theme: str = DAY.key) -> HomeWindow:
    summary = HomeSummary("COW-07", "B4", "nl", {"new": 3}, pending=1, sync_enabled=True)
    window = HomeWindow(summary, theme=theme)
    qtbot.addWidget(window)
    window.show()
    return window


@ALL_THEMES
def test_every_control_on_the_home_window_is_touch_sized(
    restore_look: QApplication, qtbot: QtBot, theme: Theme
) -> None:
    apply_theme(restore_look, theme)
    window = _home(qtbot, theme.key)
    controls = window.findChildren(QPushButton) + window.findChildren(QLineEdit)
    assert controls, "the home window has its language and theme switches"
    for control in controls:
        hint = control.sizeHint()
        assert hint.height() >= MIN_TOUCH, f"{control.text()!r} is {hint.height()} px high"
        assert hint.width() >= MIN_TOUCH, f"{control.text()!r} is {hint.width()} px wide"
        assert control.height() >= MIN_TOUCH, "the layout keeps it at that height"


def _specimen() -> tuple[QWidget, list[QWidget]]:
    """One of every control a screen may use, including the role variants."""
    body = QWidget()
    layout = QVBoxLayout(body)
    primary, danger, tile = QPushButton("Opslaan"), QPushButton("Verwijderen"), QPushButton("HiX")
    set_role(primary, Role.PRIMARY)
    set_role(danger, Role.DANGER)
    set_role(tile, Role.TILE)
    combo = QComboBox()
    combo.addItems(["Printer", "HiX"])
    tool = QToolButton()
    tool.setText("?")
    controls: list[QWidget] = [
        QPushButton("OK"),
        primary,
        danger,
        tile,
        tool,
        QLineEdit(),
        QTextEdit(),
        combo,
        QSpinBox(),
        QCheckBox("Geen patiëntgegevens"),
        QRadioButton("Ja"),
    ]
    for control in controls:
        layout.addWidget(control)
    return body, controls


@ALL_THEMES
def test_every_kind_of_control_is_touch_sized(
    restore_look: QApplication, qtbot: QtBot, theme: Theme
) -> None:
    apply_theme(restore_look, theme)
    body, controls = _specimen()
    qtbot.addWidget(body)
    body.show()
    for control in controls:
        height = control.sizeHint().height()
        assert height >= MIN_TOUCH, f"{type(control).__name__} is {height} px high"
    tile = controls[3]
    assert tile.sizeHint().height() >= theme.sizes.tile


def test_focus_ring_keeps_the_control_size(restore_look: QApplication, qtbot: QtBot) -> None:
    apply_theme(restore_look, DAY)
    body, controls = _specimen()
    qtbot.addWidget(body)
    body.show()
    field = controls[5]
    before = field.sizeHint()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    assert field.sizeHint() == before, "a thicker focus border must not make the layout jump"


def test_palette_carries_the_theme_colours() -> None:
    c = DAY.colours
    palette = build_palette(DAY)
    role = QPalette.ColorRole
    expected = {
        role.Window: c.window,
        role.WindowText: c.text,
        role.Base: c.surface,
        role.Text: c.text,
        role.PlaceholderText: c.muted_text,
        role.Button: c.surface,
        role.ButtonText: c.text,
        role.Highlight: c.primary,
        role.HighlightedText: c.on_primary,
        role.Link: c.primary,
    }
    for qt_role, colour in expected.items():
        assert palette.color(qt_role) == QColor(colour), qt_role.name
    disabled = QPalette.ColorGroup.Disabled
    assert palette.color(disabled, role.Text) == QColor(c.disabled_text)
    assert palette.color(disabled, role.Button) == QColor(c.disabled_surface)


def test_apply_theme_sets_palette_font_and_stylesheet(restore_look: QApplication) -> None:
    apply_theme(restore_look, NIGHT)
    assert restore_look.palette().color(QPalette.ColorRole.Window) == QColor(NIGHT.colours.window)
    assert restore_look.font().pointSize() == NIGHT.sizes.body_pt
    assert restore_look.styleSheet() == build_stylesheet(NIGHT)


@ALL_THEMES
def test_stylesheet_parses_without_qt_warnings(
    restore_look: QApplication, qtbot: QtBot, qtlog: Any, theme: Theme
) -> None:
    apply_theme(restore_look, theme)
    body, _ = _specimen()
    qtbot.addWidget(body)
    body.show()  # Qt parses the stylesheet when it first styles a widget
    complaints = [r.message for r in qtlog.records if "style" in r.message.lower()]
    assert not complaints, "Qt could not use the stylesheet"


@ALL_THEMES
def test_nothing_depends_on_hover(theme: Theme) -> None:
    assert ":hover" not in build_stylesheet(theme), "a touch screen has no hover"


_COLOR = re.compile(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})")
_BACKGROUND = re.compile(r"(?<![-\w])background(?:-color)?:\s*(#[0-9A-Fa-f]{6})")


@ALL_THEMES
def test_every_text_colour_in_the_stylesheet_is_a_declared_pair(theme: Theme) -> None:
    """Text colours in the QSS are on their rule's background, or on the window or a surface."""
    names: dict[str, set[str]] = {}
    for name, value in vars(theme.colours).items():
        names.setdefault(value.upper(), set()).add(name)
    declared = set(TEXT_PAIRS) | {p for p in CONTROL_PAIRS if p[0] == "disabled_text"}
    for block in re.findall(r"\{([^}]*)\}", build_stylesheet(theme)):
        colour = _COLOR.search(block)
        if not colour:
            continue
        background = _BACKGROUND.search(block)
        grounds = (
            [background.group(1)] if background else [theme.colours.window, theme.colours.surface]
        )
        for ground in grounds:
            combos = {
                (fg, bg) for fg in names[colour.group(1).upper()] for bg in names[ground.upper()]
            }
            assert combos & declared, f"undeclared text pair in {{{block.strip()}}}: {combos}"


def test_a_role_set_on_a_shown_widget_restyles_its_box(
    restore_look: QApplication, qtbot: QtBot
) -> None:
    apply_theme(restore_look, DAY)
    label = QLabel("Verzenden gepauzeerd")
    qtbot.addWidget(label)
    label.show()
    plain = label.sizeHint().height()
    set_role(label, Role.WARNING)
    assert label.contentsMargins().left() > 0, "the warning banner gets its padding"
    assert label.sizeHint().height() > plain
    set_role(label, None)
    assert label.sizeHint().height() == plain


def test_home_window_switches_emit_their_keys(qtbot: QtBot) -> None:
    window = _home(qtbot)
    buttons = {button.text(): button for button in window.findChildren(QPushButton)}
    with qtbot.waitSignal(window.theme_chosen) as theme:
        qtbot.mouseClick(buttons["Night"], Qt.MouseButton.LeftButton)  # no translator installed
    with qtbot.waitSignal(window.language_chosen) as language:
        qtbot.mouseClick(buttons["English"], Qt.MouseButton.LeftButton)
    assert theme.args == ["night"] and language.args == ["en"]
    assert buttons["Night"].isChecked() and not buttons["Day"].isChecked()


def test_switching_theme_at_runtime_restyles_an_open_window(
    restore_look: QApplication, qtbot: QtBot
) -> None:
    apply_theme(restore_look, DAY)
    window = _home(qtbot)
    window.theme_chosen.connect(lambda key: apply_theme(restore_look, THEMES[key]))
    night = next(b for b in window.findChildren(QPushButton) if b.text() == "Night")
    qtbot.mouseClick(night, Qt.MouseButton.LeftButton)
    assert window.palette().color(QPalette.ColorRole.Window) == QColor(NIGHT.colours.window)
    pixel = window.grab().toImage().pixelColor(5, 5)
    assert pixel == QColor(NIGHT.colours.window), "the open window is repainted dark"
