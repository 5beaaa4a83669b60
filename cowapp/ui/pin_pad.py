"""The technician's PIN pad: a 3×4 keypad for gloved hands that shows one dot per digit.

Used by the technician sign-in and the lock screen (`cowapp.ui.lock`). Keys react to one tap
only; the PIN is never shown and is cleared after every attempt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from cowapp.ui.i18n import Retranslating
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import button_text, role_label

KEY_HEIGHT = 72
"""Height of a PIN pad key in px (the brief asks at least 72)."""
KEY_WIDTH = 128
"""Width of a PIN pad key in px."""
MIN_PIN, MAX_PIN = 4, 8
"""A PIN has 4 to 8 digits (see `cowapp.domain.technician.check_pin`)."""


def touch_button(role: Role | None, height: int = SIZES.control_height) -> QPushButton:
    """A button for gloved hands: one tap, no auto-repeat, keeps the keyboard focus alone."""
    button = QPushButton()
    button.setAutoRepeat(False)  # holding a key down never repeats it
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap leaves the keyboard focus alone
    # The stylesheet's min-height wins over setMinimumHeight; it counts the content only.
    button.setStyleSheet(f"min-height: {height - 2 * (8 + SIZES.border_width)}px;")
    set_role(button, role)
    return button


class PinPad(Retranslating, QWidget):
    """A 3×4 keypad (1-9, ⌫, 0, OK) that shows one dot per digit; also takes keyboard digits.

    Signals:
        pin_entered(str): OK was pressed with 4 to 8 digits; the pad is already cleared.
    """

    pin_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits: list[str] = []
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._prompt = role_label(Role.LARGE, centred=True)
        self._dots = role_label(Role.FIGURE, wrap=False, centred=True)
        self._dots.setMinimumHeight(SIZES.control_height + 8)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(SIZES.spacing)
        grid.setVerticalSpacing(SIZES.spacing - 4)
        for index, key in enumerate("123456789⌫0✓"):
            button = touch_button(Role.PRIMARY if key == "✓" else None, KEY_HEIGHT)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the pad keeps the keyboard
            button.setMinimumWidth(KEY_WIDTH)
            sheet = button.styleSheet()
            button.setStyleSheet(f"{sheet} font-size: {SIZES.heading_pt + 4}pt;")
            button.clicked.connect(lambda _checked=False, key=key: self._press(key))
            grid.addWidget(button, index // 3, index % 3)
            self.keys[key] = button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing)
        layout.addWidget(self._prompt)
        layout.addWidget(self._dots)
        layout.addLayout(grid)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.retranslate_ui()
        self._show()

    @property
    def length(self) -> int:
        """How many digits are entered (the digits themselves are not exposed)."""
        return len(self._digits)

    def clear(self) -> None:
        """Forget the digits entered so far."""
        self._digits.clear()
        self._show()

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._prompt.setText(self.tr("Enter your PIN"))
        self.keys["⌫"].setText("⌫")
        self.keys["⌫"].setAccessibleName(self.tr("Delete last digit"))
        self.keys["✓"].setText(button_text(self.tr("OK")))
        for digit in "0123456789":
            self.keys[digit].setText(digit)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Digits type, Backspace deletes, Enter is OK, Escape clears."""
        key, text = event.key(), event.text()
        if len(text) == 1 and text in "0123456789":
            self._press(text)
        elif key == Qt.Key.Key_Backspace:
            self._press("⌫")
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._press("✓")
        elif key == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)

    def _press(self, key: str) -> None:
        if key == "⌫":
            if self._digits:
                self._digits.pop()
        elif key == "✓":
            if len(self._digits) < MIN_PIN:
                return
            pin = "".join(self._digits)
            self.clear()
            self.pin_entered.emit(pin)
            return
        elif len(self._digits) < MAX_PIN:
            self._digits.append(key)
        self._show()

    def _show(self) -> None:
        self._dots.setText(" ".join("●" * len(self._digits)) or " ")
        self._dots.setAccessibleName(self.tr("%n digit(s) entered", "", len(self._digits)))
        self.keys["✓"].setEnabled(len(self._digits) >= MIN_PIN)
        self.keys["⌫"].setEnabled(bool(self._digits))
