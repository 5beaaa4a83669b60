"""Touch widgets shared by the screens: category tiles with a drawn icon, chips, segmented choices.

Everything here is sized for gloved hands (at least `MIN_TOUCH` px, tiles `TILE` px), reacts to a
single tap only (no drag, double tap or long press) and takes its colours from the theme through
roles and the palette, never from literals. A `FlowLayout` wraps chips onto as many rows as needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QEvent, QLineF, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from cowapp.ui.theme import SIZES, Role, set_role

ICON_SIZE = 32
"""Edge of the icon drawn on a tile, in px."""

_Drawing = Callable[[QPainter], None]


def _key(p: QPainter) -> None:
    p.drawEllipse(QPointF(7, 12), 4, 4)
    p.drawLines([QLineF(11, 12, 21, 12), QLineF(17, 12, 17, 16), QLineF(20, 12, 20, 15)])


def _shield(p: QPainter) -> None:
    path = QPainterPath(QPointF(12, 2))
    path.lineTo(20, 5)
    path.lineTo(20, 11)
    path.cubicTo(20, 16, 16, 20, 12, 22)
    path.cubicTo(8, 20, 4, 16, 4, 11)
    path.lineTo(4, 5)
    path.closeSubpath()
    p.drawPath(path)


def _monitor(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(2, 3, 20, 13), 2, 2)
    p.drawLines([QLineF(12, 16, 12, 20), QLineF(7, 21, 17, 21)])


def _pill(p: QPainter) -> None:
    p.save()
    # Turned 45° about the centre; a matrix, because test_i18n reads any translate() as Qt's.
    half = 0.5**0.5
    p.setTransform(QTransform(half, -half, half, half, 12, 12), True)
    p.drawRoundedRect(QRectF(-10, -4.5, 20, 9), 4.5, 4.5)
    p.drawLine(QLineF(0, -4.5, 0, 4.5))
    p.restore()


def _printer(p: QPainter) -> None:
    p.drawRect(QRectF(6, 2, 12, 6))
    p.drawRoundedRect(QRectF(2, 8, 20, 9), 2, 2)
    p.drawRect(QRectF(6, 14, 12, 8))


def _barcode(p: QPainter) -> None:
    for x in (3, 5.5, 9, 11.5, 14.5, 17, 20.5):
        p.drawLine(QLineF(x, 5, x, 19))


def _cart(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(4, 2, 16, 10), 1.5, 1.5)
    p.drawLines([QLineF(12, 12, 12, 18), QLineF(5, 18, 19, 18)])
    p.drawEllipse(QPointF(6, 21), 1.5, 1.5)
    p.drawEllipse(QPointF(18, 21), 1.5, 1.5)


def _wifi(p: QPainter) -> None:
    for radius in (16, 11, 6):
        p.drawArc(QRectF(12 - radius, 21 - radius, 2 * radius, 2 * radius), 45 * 16, 90 * 16)
    p.drawEllipse(QPointF(12, 20), 1.2, 1.2)


def _gauge(p: QPainter) -> None:
    p.drawArc(QRectF(2, 5, 20, 20), 0, 180 * 16)
    p.drawLines([QLineF(2, 15, 22, 15), QLineF(12, 15, 17, 9)])


def _desktop(p: QPainter) -> None:
    p.drawRoundedRect(QRectF(2, 4, 13, 10), 1.5, 1.5)
    p.drawLines([QLineF(8.5, 14, 8.5, 18), QLineF(5, 19, 12, 19)])
    p.drawRoundedRect(QRectF(17, 4, 5, 16), 1, 1)


def _question(p: QPainter) -> None:
    p.drawEllipse(QPointF(12, 12), 10, 10)
    path = QPainterPath(QPointF(9, 9.5))
    path.cubicTo(9, 5.5, 15, 5.5, 15, 9.5)
    path.cubicTo(15, 12, 12, 12, 12, 14.5)
    p.drawPath(path)
    p.drawPoint(QPointF(12, 17.5))


def _alert(p: QPainter) -> None:
    p.drawPolygon([QPointF(12, 2.5), QPointF(22, 20.5), QPointF(2, 20.5)])
    p.drawLine(QLineF(12, 9, 12, 14))
    p.drawPoint(QPointF(12, 17))


def _dot(p: QPainter) -> None:
    p.drawEllipse(QPointF(12, 12), 6, 6)


ICONS: dict[str, _Drawing] = {
    "key": _key,
    "shield": _shield,
    "monitor": _monitor,
    "pill": _pill,
    "printer": _printer,
    "barcode": _barcode,
    "cart": _cart,
    "wifi": _wifi,
    "gauge": _gauge,
    "desktop": _desktop,
    "question": _question,
    "alert": _alert,
}
"""Line icons by the taxonomy's icon names, drawn in a 24×24 box; unknown names get a dot."""


def paint_icon(painter: QPainter, name: str, rect: QRect, colour: QColor) -> None:
    """Draw the named line icon into ``rect`` (a square) in ``colour``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scale = QTransform(rect.width() / 24, 0, 0, rect.height() / 24, rect.x(), rect.y())
    painter.setTransform(scale, True)
    pen = QPen(colour, 2.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    ICONS.get(name, _dot)(painter)
    painter.restore()


class Tile(QPushButton):
    """A big checkable choice: a line icon above a label that wraps and shrinks to fit.

    QPushButton cannot wrap its text, so the tile paints its own label; `label` holds it (also set
    as the accessible name for screen readers and tests).

    Args:
        icon: a key of `ICONS`.
        parent: the owning widget.
    """

    MIN_POINT_SIZE = 13

    def __init__(self, icon: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self._label = ""
        self._point_size = 0
        self.setCheckable(True)
        # A tap must not move the keyboard focus: the badge reader types into the staff field.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # Tiles share out the column's height, but never get lower than a tile.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(SIZES.tile)
        set_role(self, Role.TILE)

    @property
    def label(self) -> str:
        """The text shown on the tile."""
        return self._label

    def set_label(self, text: str) -> None:
        """Show ``text`` on the tile."""
        self._label = text
        self.setAccessibleName(text)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """A tile is `SIZES.tile` high; its width comes from the grid."""
        return QSize(160, max(SIZES.tile, super().sizeHint().height()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """Paint the themed button face, then the icon and the wrapped label on it."""
        # The face as QPushButton paints it (its own text is empty): drawing it here through
        # QStyle would load QStyle's Python class, ~12 ms of a cold start before this paint.
        super().paintEvent(event)
        painter = QPainter(self)
        role = QPalette.ColorRole.HighlightedText if self.isChecked() else QPalette.ColorRole.Text
        colour = self.palette().color(role)
        # Icon and label as one block, centred in the tile's height.
        font = self._font(self._point_size or SIZES.large_pt)
        area = self._text_rect()
        text_height = QFontMetrics(font).boundingRect(area, _WRAP, self._label).height()
        top = max(_PAD // 2, (self.height() - ICON_SIZE - _GAP - text_height) // 2)
        paint_icon(painter, self._icon, QRect(_PAD, top, ICON_SIZE, ICON_SIZE), colour)
        painter.setFont(font)
        painter.setPen(colour)
        text_top = top + ICON_SIZE + _GAP
        painter.drawText(area.adjusted(0, text_top - area.top(), 0, 0), _WRAP, self._label)

    def fitting_point_size(self) -> int:
        """The largest type size (at most `SIZES.large_pt`) at which the label fits the tile."""
        rect = self._text_rect()
        for size in range(SIZES.large_pt, self.MIN_POINT_SIZE, -1):
            bounds = QFontMetrics(self._font(size)).boundingRect(rect, _WRAP, self._label)
            if bounds.height() <= rect.height() and bounds.width() <= rect.width():
                return size
        return self.MIN_POINT_SIZE

    def set_point_size(self, size: int) -> None:
        """Use this type size for the label (one size for all tiles looks calm)."""
        if size != self._point_size:
            self._point_size = size
            self.update()

    def _text_rect(self) -> QRect:
        return self.rect().adjusted(_PAD, _PAD // 2 + ICON_SIZE + _GAP, -_PAD, -_PAD // 2)

    def _font(self, size: int) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSize(size)
        return font


def fit_tiles(tiles: Iterable[Tile]) -> None:
    """Give every tile the one type size at which all their labels fit."""
    tiles = list(tiles)
    size = min((tile.fitting_point_size() for tile in tiles), default=SIZES.large_pt)
    for tile in tiles:
        tile.set_point_size(size)


_PAD = 16
_GAP = 6


class TileGrid(QWidget):
    """Tiles in a grid of equal cells, one type size for all of them, refitted on every resize.

    Args:
        columns: tiles per row.
        parent: the owning widget.
    """

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._tiles: list[Tile] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(SIZES.spacing // 2 + 4)

    def add(self, tile: Tile) -> None:
        """Put ``tile`` in the next cell."""
        index = len(self._tiles)
        self._grid.addWidget(tile, index // self._columns, index % self._columns)
        self._tiles.append(tile)

    def refit(self) -> None:
        """Choose the type size again (after the labels changed)."""
        fit_tiles(self._tiles)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """The layout has placed the tiles at their new size by now: refit the type."""
        super().resizeEvent(event)
        self.refit()


_WRAP = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap


def button_text(text: str) -> str:
    """``text`` for a button: a lone ``&`` would turn the next letter into a shortcut."""
    return text.replace("&", "&&")


def segment(text: str = "") -> QPushButton:
    """A checkable touch button (a chip or one answer of a segmented choice)."""
    button = QPushButton(button_text(text))
    button.setCheckable(True)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    set_role(button, Role.SEGMENT)
    return button


class SegmentedChoice(QWidget):
    """One answer out of a few, as a grid of big toggle buttons; tapping the answer again clears it.

    Signals:
        choice_changed(str): the chosen key, or "" when nothing is chosen.

    Args:
        keys: the answers' stable keys, in display order.
        columns: buttons per row.
        parent: the owning widget.
    """

    choice_changed = Signal(str)

    def __init__(self, keys: list[str], columns: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = {key: segment() for key in keys}
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)  # exclusive groups cannot be cleared by a tap
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(SIZES.spacing // 2 + 4)
        for index, (key, button) in enumerate(self._buttons.items()):
            self._group.addButton(button)
            button.clicked.connect(lambda checked, key=key: self._on_button_clicked(key, checked))
            grid.addWidget(button, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    @property
    def buttons(self) -> Mapping[str, QPushButton]:
        """The buttons by key."""
        return self._buttons

    def value(self) -> str | None:
        """The chosen key, or None."""
        return next((key for key, b in self._buttons.items() if b.isChecked()), None)

    def set_texts(self, texts: Mapping[str, str]) -> None:
        """Label the buttons (key → text)."""
        for key, text in texts.items():
            self._buttons[key].setText(button_text(text))
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Measure again once the stylesheet's fonts apply (they do not before the first show)."""
        self._fit()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Measure again when the theme or font changes."""
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit()
        super().changeEvent(event)

    def _fit(self) -> None:
        for button in self._buttons.values():
            keep_text_whole(button)

    def clear(self) -> None:
        """Choose nothing."""
        for button in self._buttons.values():
            button.setChecked(False)

    def choose(self, key: str | None) -> None:
        """Choose ``key`` (None or an unknown key: nothing), without emitting `choice_changed`."""
        for other, button in self._buttons.items():
            button.setChecked(other == key)

    def _on_button_clicked(self, key: str, checked: bool) -> None:
        for other, button in self._buttons.items():
            if other != key:
                button.setChecked(False)
        self.choice_changed.emit(key if checked else "")


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them onto new rows (for chips).

    Args:
        parent: the widget the layout manages.
        spacing: the gap between items, both ways, in px.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = SIZES.spacing // 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt's name)
        """Take ownership of an item (called by addWidget)."""
        self._items.append(item)

    def count(self) -> int:
        """The number of items."""
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt's name)
        """The item at ``index``, or None."""
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt's name)
        """Remove and return the item at ``index``, or None."""
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt's name)
        """Never asks for more room than it needs."""
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        """Its height depends on its width (more rows when narrower)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        """The height the items need at ``width``."""
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt's name)
        """Place the items inside ``rect``; the owning widget grows to hold every row."""
        super().setGeometry(rect)
        height = self._arrange(rect, move=True)
        # Box layouts and scroll areas ask for one height, not a height per width: tell them.
        owner = self.parentWidget()
        if owner is not None and owner.minimumHeight() != height:
            owner.setMinimumHeight(height)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """The size of the widest item (it grows downwards)."""
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt's name)
        """At least the largest item."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height > 0:
                x, y = rect.x(), y + row_height + self._gap
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


def role_label(role: Role | None, wrap: bool = True, centred: bool = False) -> QLabel:
    """A read-only label styled by its theme role (text never selectable on a touch screen)."""
    label = QLabel()
    label.setWordWrap(wrap)
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    set_role(label, role)
    return label


def keep_text_whole(button: QPushButton) -> None:
    """Stop a layout squeezing a button below its text (the stylesheet's min-width would let it);
    measured after polishing, so the theme's font is the one measured."""
    button.ensurePolished()
    button.setMinimumWidth(0)
    button.setMinimumWidth(button.sizeHint().width())


def scroll_column(content: QWidget) -> QScrollArea:
    """``content`` in a frameless area that scrolls up and down only, filling the width: a column
    taller than the cart's 800 px scrolls instead of making the window taller."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll
