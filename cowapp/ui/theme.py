"""The cart's look as data: a calm day theme, a dark night theme, touch sizes and type sizes.

A theme is a set of named colours; `build_palette` and `build_stylesheet` turn it into the Qt
palette and the application stylesheet, and `apply_theme` puts both on the application. Screens
never name a colour: they give a widget a role (`set_role`, e.g. ``title`` or ``primary``) and the
stylesheet does the rest. `TEXT_PAIRS` and `CONTROL_PAIRS` list every foreground/background pair
the stylesheet and palette use, so a test holds both themes to WCAG AA (4.5:1 text, 3:1 controls).

Touch rules for gloved hands: every control is at least `MIN_TOUCH` px high, choice tiles `TILE`
px; nothing relies on hover (a touch screen has none), and pressing gives visible feedback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from string import Template

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

MIN_TOUCH = 48
"""Smallest height (and width) of anything a finger must hit, in px (WCAG 2.5.5 asks 44)."""

TILE = 96
"""Height of a big choice tile (a category on the intake screen), in px; low enough that the
intake screen and the sync strip under it fit a 1280×800 cart screen (the issue asks ≥ 96)."""


@dataclass(frozen=True)
class Sizes:
    """Touch targets, spacing and type sizes shared by both themes.

    Attributes:
        min_touch: minimum control height in px.
        control_height: the height of buttons and inputs in px (a little over ``min_touch``).
        tile: choice tile height in px.
        spacing: gap between controls in px (keeps neighbours from being hit by a glove).
        margin: window margin in px.
        radius: corner radius in px.
        focus_width: width of the focus ring in px.
        border_width: width of a control's border in px.
        body_pt: body text in points (the application font).
        control_pt: text on buttons and in inputs.
        large_pt: text a nurse should read at a glance.
        heading_pt: section headings.
        title_pt: a screen's title.
        figure_pt: a big number a nurse reads from a step away.
    """

    min_touch: int = MIN_TOUCH
    control_height: int = 56
    tile: int = TILE
    spacing: int = 16
    margin: int = 40
    radius: int = 8
    focus_width: int = 3
    border_width: int = 2
    body_pt: int = 15
    control_pt: int = 16
    large_pt: int = 18
    heading_pt: int = 22
    title_pt: int = 28
    figure_pt: int = 40


SIZES = Sizes()


@dataclass(frozen=True)
class Colours:
    """A theme's named colours, each ``#RRGGBB``.

    Attributes:
        window: the page behind everything.
        surface: cards, inputs and plain buttons.
        pressed: a plain button while pressed.
        text: body text.
        muted_text: secondary text and input placeholders (still AA: 4.5:1).
        primary: the one accent: main buttons, checked toggles, selection, links.
        primary_pressed: a main button while pressed.
        on_primary: text on ``primary``.
        danger: destructive buttons and error text (red is for danger only).
        danger_pressed: a destructive button while pressed.
        on_danger: text on ``danger``.
        warning: the edge of a warning banner.
        warning_surface: a warning banner's background.
        success: "saved" ticks and their text.
        success_surface: a success banner's background.
        focus: the keyboard focus ring.
        border: control outlines (buttons, inputs, check boxes).
        disabled_text: text and outline of a disabled control.
        disabled_surface: a disabled control's background.
    """

    window: str
    surface: str
    pressed: str
    text: str
    muted_text: str
    primary: str
    primary_pressed: str
    on_primary: str
    danger: str
    danger_pressed: str
    on_danger: str
    warning: str
    warning_surface: str
    success: str
    success_surface: str
    focus: str
    border: str
    disabled_text: str
    disabled_surface: str


COLOUR_NAMES = tuple(f.name for f in fields(Colours))

# Every (foreground, background) pair of colour names the palette and stylesheet below put
# together. Keep these in step with `build_stylesheet`: tests/unit/ui/test_contrast.py holds every
# pair to WCAG AA in both themes, so a pair missing here is a pair nobody checks.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "window"),
    ("text", "surface"),
    ("text", "pressed"),
    ("muted_text", "window"),
    ("muted_text", "surface"),
    ("on_primary", "primary"),
    ("on_primary", "primary_pressed"),
    ("on_danger", "danger"),
    ("on_danger", "danger_pressed"),
    ("primary", "window"),  # links
    ("primary", "surface"),
    ("danger", "window"),  # error text
    ("danger", "surface"),
    ("success", "window"),  # "saved" text
    ("success", "surface"),
    ("text", "warning_surface"),
    ("text", "success_surface"),
)
"""Text on a background: WCAG 1.4.3 asks at least 4.5:1."""

CONTROL_PAIRS: tuple[tuple[str, str], ...] = (
    ("border", "window"),  # a button's or input's outline
    ("border", "surface"),
    ("border", "pressed"),
    ("primary", "window"),  # a main button or checked toggle against the page
    ("primary", "surface"),
    ("danger", "window"),
    ("danger", "surface"),
    ("focus", "window"),  # the focus ring
    ("focus", "surface"),
    ("warning", "window"),  # a banner's edge
    ("warning", "surface"),  # a warning button's edge on a card (the sync strip)
    ("warning", "warning_surface"),
    ("success", "success_surface"),
    # WCAG exempts disabled controls; we still want a nurse to read what is unavailable.
    ("disabled_text", "disabled_surface"),
)
"""Control boundaries and states against what is around them: WCAG 1.4.11 asks at least 3:1."""


class Role(StrEnum):
    """What a widget is for; the stylesheet styles each role (see `set_role`)."""

    TITLE = "title"
    HEADING = "heading"
    LARGE = "large"
    FIGURE = "figure"
    MUTED = "muted"
    ERROR = "error"
    SUCCESS = "success"
    NOTICE = "notice"
    WARNING = "warning"
    CARD = "card"
    PRIMARY = "primary"
    DANGER = "danger"
    TILE = "tile"
    SEGMENT = "segment"


@dataclass(frozen=True)
class Theme:
    """A complete look.

    Attributes:
        key: a stable name for settings (``day``, ``night``).
        label: the user-visible name, an English source text; show it with
            ``QCoreApplication.translate("Theme", theme.label)``.
        colours: the named colours.
        dark: whether the page is dark (for icons and images that must adapt).
        sizes: touch and type sizes.
    """

    key: str
    label: str
    colours: Colours
    dark: bool = False
    sizes: Sizes = SIZES


DAY = Theme(
    key="day",
    label=str(QT_TRANSLATE_NOOP("Theme", "Day")),  # str(): PySide6 types it as object
    colours=Colours(
        window="#F2F4F6",
        surface="#FFFFFF",
        pressed="#DDE4EA",
        text="#17212B",
        muted_text="#4A5661",
        primary="#005F6B",
        primary_pressed="#00434C",
        on_primary="#FFFFFF",
        danger="#B3261E",
        danger_pressed="#8C1D18",
        on_danger="#FFFFFF",
        warning="#8A5300",
        warning_surface="#FFF3D6",
        success="#1B6E35",
        success_surface="#E3F4E8",
        focus="#6D28D9",
        border="#6B7885",
        disabled_text="#6F7A85",
        disabled_surface="#E9ECEF",
    ),
)
"""Soft grey page, white cards, deep teal accent: calm under ward lighting."""

NIGHT = Theme(
    key="night",
    label=str(QT_TRANSLATE_NOOP("Theme", "Night")),
    dark=True,
    colours=Colours(
        window="#101518",
        surface="#1A2127",
        pressed="#26313A",
        text="#E6ECEF",
        muted_text="#A7B3BC",
        primary="#45AFBA",
        primary_pressed="#2E8F99",
        on_primary="#0B1B1F",
        danger="#E57368",
        danger_pressed="#C95A50",
        on_danger="#1F0B09",
        warning="#F0B55A",
        warning_surface="#3A2C10",
        success="#6FCF8E",
        success_surface="#123020",
        focus="#C4B5FD",
        border="#7F8C97",
        disabled_text="#8A949E",
        disabled_surface="#222A31",
    ),
)
"""Dark page with no white areas, for a dimmed ward at night; same contrast rules as DAY."""

THEMES: dict[str, Theme] = {theme.key: theme for theme in (DAY, NIGHT)}


def build_palette(theme: Theme) -> QPalette:
    """The Qt palette for a theme (what the Fusion style paints where the stylesheet is silent)."""
    c = theme.colours
    palette = QPalette()
    role = QPalette.ColorRole
    for qt_role, name in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.surface),
        (role.AlternateBase, c.window),
        (role.Text, c.text),
        (role.PlaceholderText, c.muted_text),
        (role.Button, c.surface),
        (role.ButtonText, c.text),
        (role.BrightText, c.on_danger),
        (role.Highlight, c.primary),
        (role.HighlightedText, c.on_primary),
        (role.Accent, c.primary),
        (role.Link, c.primary),
        (role.LinkVisited, c.primary),
        (role.ToolTipBase, c.surface),
        (role.ToolTipText, c.text),
        (role.Light, c.surface),
        (role.Midlight, c.pressed),
        (role.Mid, c.border),
        (role.Dark, c.border),
        (role.Shadow, c.text),
    ):
        palette.setColor(qt_role, QColor(name))
    disabled = QPalette.ColorGroup.Disabled
    for qt_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, qt_role, QColor(c.disabled_text))
    for qt_role in (role.Button, role.Base):
        palette.setColor(disabled, qt_role, QColor(c.disabled_surface))
    return palette


# $names are the theme's colours and sizes; `build_stylesheet` derives the few computed ones.
# No :hover rules on purpose: a touch screen has no hover, so nothing may depend on it.
_QSS = Template("""
QToolTip { color: $text; background: $surface; border: 1px solid $border; padding: 8px; }

QLabel[role="title"] { font-size: ${title_pt}pt; font-weight: 600; }
QLabel[role="heading"] { font-size: ${heading_pt}pt; font-weight: 600; }
QLabel[role="large"] { font-size: ${large_pt}pt; }
QLabel[role="figure"] { font-size: ${figure_pt}pt; font-weight: 600; }
QLabel[role="muted"] { color: $muted_text; }
QLabel[role="error"] { color: $danger; font-weight: 600; }
QLabel[role="success"] { color: $success; font-weight: 600; }
QLabel[role="notice"] {
    color: $text; background: $surface; border: 1px solid $pressed;
    border-radius: ${radius}px; padding: ${notice_padding_v}px ${notice_padding_h}px;
}
QLabel[role="warning"] {
    color: $text; background: $warning_surface; border: ${border_width}px solid $warning;
    border-radius: ${radius}px; padding: 12px 16px;
}
QFrame[role="card"] {
    background: $surface; border: 1px solid $pressed; border-radius: ${radius}px;
}

QPushButton, QToolButton {
    min-height: ${button_content}px; min-width: ${min_touch}px; padding: 8px 20px;
    font-size: ${control_pt}pt; font-weight: 600;
    color: $text; background: $surface;
    border: ${border_width}px solid $border; border-radius: ${radius}px;
}
QPushButton:pressed, QToolButton:pressed { background: $pressed; }
QPushButton:checked, QToolButton:checked,
QPushButton[role="primary"], QPushButton[role="segment"]:checked {
    color: $on_primary; background: $primary; border-color: $primary;
}
QPushButton[role="primary"]:pressed {
    background: $primary_pressed; border-color: $primary_pressed;
}
QPushButton[role="danger"] { color: $on_danger; background: $danger; border-color: $danger; }
QPushButton[role="danger"]:pressed { background: $danger_pressed; border-color: $danger_pressed; }
QPushButton[role="warning"] {
    color: $text; background: $warning_surface; border-color: $warning;
}
QPushButton[role="warning"]:pressed { background: $pressed; }
QPushButton[role="tile"] {
    min-height: ${tile_content}px; font-size: ${heading_pt}pt; text-align: left; padding: 8px 24px;
}
QPushButton:focus, QToolButton:focus {
    border: ${focus_width}px solid $focus; padding: ${focus_padding_v}px ${focus_padding_h}px;
}
QPushButton[role="tile"]:focus { padding: ${focus_padding_v}px ${focus_tile_padding_h}px; }
QPushButton:disabled, QToolButton:disabled {
    color: $disabled_text; background: $disabled_surface; border-color: $disabled_text;
}

QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox {
    min-height: ${button_content}px; padding: 8px 12px; font-size: ${control_pt}pt;
    color: $text; background: $surface;
    border: ${border_width}px solid $border; border-radius: ${radius}px;
    selection-color: $on_primary; selection-background-color: $primary;
    placeholder-text-color: $muted_text;
}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QAbstractSpinBox:focus {
    border: ${focus_width}px solid $focus; padding: 7px 11px;
}
QLineEdit:disabled, QPlainTextEdit:disabled, QTextEdit:disabled, QComboBox:disabled,
QAbstractSpinBox:disabled {
    color: $disabled_text; background: $disabled_surface; border-color: $disabled_text;
}
/* A combo box opens wherever it is tapped. Spin box arrows stay half height: use -/+ buttons. */
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: ${min_touch}px; }
QAbstractItemView { font-size: ${control_pt}pt; outline: none; }
QAbstractItemView::item { min-height: ${min_touch}px; padding: 4px 12px; }

QCheckBox, QRadioButton {
    min-height: ${check_content}px; padding: 4px 0; spacing: 12px; font-size: ${control_pt}pt;
}
/* Fusion derives the indicator outline from the window colour (invisible at night), so the
   indicators are drawn here: an outlined box, filled with the accent when checked. */
QCheckBox::indicator, QRadioButton::indicator {
    width: 24px; height: 24px; background: $surface;
    border: ${border_width}px solid $border; border-radius: 4px;
}
QCheckBox::indicator:checked { /* same outer size as unchecked: 16 + 2 * 4 padding = 24 */
    width: 16px; height: 16px; padding: 4px; border-color: $primary;
    background-clip: content; background-color: $primary;
}
QRadioButton::indicator { border-radius: 14px; }
QRadioButton::indicator:checked { /* a dot in a thick ring: 10 + 2 * 9 = 24 + 2 * 2 */
    width: 10px; height: 10px; border: 9px solid $primary; background: $on_primary;
}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {
    border-color: $disabled_text; background: $disabled_surface;
}

QTabBar::tab { min-height: ${button_content}px; min-width: 96px; padding: 8px 20px; }
QMenu::item { min-height: ${min_touch}px; padding: 4px 24px; }
QScrollBar:vertical { width: 24px; }
QScrollBar:horizontal { height: 24px; }
""")


def build_stylesheet(theme: Theme) -> str:
    """The application stylesheet (QSS) for a theme: touch sizes, type roles, focus ring, states.

    Heights in QSS count the content only, so the padding and border are taken off
    ``control_height`` here; a control's outer height comes out at ``sizes.control_height``.
    """
    s = theme.sizes
    padding_v = 8
    frame = 2 * (padding_v + s.border_width)
    values: dict[str, object] = {**asdict(theme.colours), **asdict(s)}
    values.update(
        button_content=s.control_height - frame,
        tile_content=s.tile - frame,
        check_content=s.control_height - 8,
        # a notice has a 1 px hairline where a warning has its border, so both are the same size
        notice_padding_v=12 + s.border_width - 1,
        notice_padding_h=16 + s.border_width - 1,
        focus_padding_v=padding_v + s.border_width - s.focus_width,
        focus_padding_h=20 + s.border_width - s.focus_width,
        focus_tile_padding_h=24 + s.border_width - s.focus_width,
    )
    return _QSS.substitute(values)


def set_role(widget: QWidget, role: Role | None) -> None:
    """Give a widget a stylesheet role (None: plain); restyles it if it is already on screen."""
    widget.setProperty("role", role.value if role else "")
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        # style().unpolish()/polish() refreshes colours but leaves padding and borders at the old
        # role's; touching the widget's own sheet makes Qt recompute its whole box.
        sheet = widget.styleSheet()
        widget.setStyleSheet(f"{sheet}/* role */")
        widget.setStyleSheet(sheet)


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Put a theme on the whole application: Fusion style, palette, font and stylesheet.

    Fusion draws the same on Windows and Linux carts and follows the palette; the native Windows
    style ignores much of it. Calling this again with another theme restyles every open window.
    """
    apply_base(app, theme)
    app.setStyleSheet(build_stylesheet(theme))


def apply_base(app: QApplication, theme: Theme) -> None:
    """Everything of `apply_theme` but the stylesheet (set it with `apply_theme` afterwards).

    For the start: a widget built while a stylesheet is set is polished as it is built and again
    when its page is put into the window; widgets built before it are polished once, when it is
    set. Building the first page between the two halves its cost (about 70 to 35 ms here), and
    the pixels are the same (tests/gui/test_paint_first_start.py).
    """
    app.setStyle("Fusion")
    app.setPalette(build_palette(theme))
    font = QFont(app.font())
    font.setPointSize(theme.sizes.body_pt)
    app.setFont(font)
