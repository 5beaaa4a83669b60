"""The privacy (lock) screen and the technician sign-in.

`LockScreen` hides the work on the shared cart and shows only who is signed in; that person
continues with their PIN (technician) or badge (nurse), anyone else taps "Someone else", which ends
the session. `TechnicianSignIn` takes a staff number (a badge reader types it and presses Enter)
and then a PIN on the `PinPad`; it checks both through the ``verify`` callable it is given and never
touches storage. The pad itself is `cowapp.ui.pin_pad`; the idle watchers are `cowapp.ui.idle`.

Keys and buttons are sized for gloved hands and react to one tap only; a PIN is never shown, only
one dot per digit, and is cleared after every attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.errors import ValidationError
from cowapp.domain.intake import check_staff_number
from cowapp.ui.i18n import Retranslating, arg
from cowapp.ui.pin_pad import KEY_HEIGHT, KEY_WIDTH, PinPad, touch_button
from cowapp.ui.theme import SIZES, Role
from cowapp.ui.widgets import button_text, role_label

BIG_BUTTON = SIZES.tile
"""Height of the lock screen's two main buttons in px."""


def pin_message(
    outcome: str, attempts_left: int | None = None, locked_until: datetime | None = None
) -> str:
    """The text for a failed PIN check, in the installed language ("" for ``ok``).

    Args:
        outcome: a `PinOutcome` value (``ok``, ``wrong_pin``, ``locked``, ``unknown``).
        attempts_left: with ``wrong_pin``, how many more tries before the lock-out.
        locked_until: with ``locked``, the end of the lock-out (shown in local time, HH:MM).
    """
    if outcome == "ok":
        return ""
    if outcome == "locked" and locked_until is not None:
        text = QCoreApplication.translate("PinMessages", "Locked until %1")
        return arg(text, locked_until.astimezone().strftime("%H:%M"))
    if outcome == "locked":
        return QCoreApplication.translate("PinMessages", "Locked: try again later")
    if attempts_left is None:  # unknown staff number: says no more than a wrong PIN
        return QCoreApplication.translate("PinMessages", "Wrong PIN")
    return QCoreApplication.translate(
        "PinMessages", "Wrong PIN, %n attempt(s) left", "", attempts_left
    )


def _error() -> QLabel:
    label = role_label(Role.ERROR, centred=True)
    label.setStyleSheet(f"font-size: {SIZES.heading_pt}pt;")  # read from a step away
    return label


def _badge_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(11)  # a staff number: one letter and up to 10 digits
    edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return edit


def _page(*widgets: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return page


def _centre(owner: QWidget, column: QVBoxLayout, margin_v: int, share: int) -> None:
    column.setSpacing(SIZES.spacing)
    outer = QHBoxLayout(owner)
    outer.setContentsMargins(SIZES.margin, margin_v, SIZES.margin, margin_v)
    outer.addStretch(1)
    outer.addLayout(column, share)
    outer.addStretch(1)


class LockScreen(Retranslating, QWidget):
    """The privacy screen: who is signed in, "Continue" for them, "Someone else" for the rest.

    Shows no issue content at all: it is given nothing but the staff number.

    Signals:
        resume_requested(str, str): staff number and PIN ("" for a nurse, who scans their badge).
        switch_user_requested(): someone else wants the cart; end the session.
    """

    resume_requested = Signal(str, str)
    switch_user_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user = ""
        self._technician = False
        self.setAutoFillBackground(True)  # nothing behind it shows through
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._who = role_label(Role.FIGURE, centred=True)
        self._message = _error()
        self._continue = touch_button(Role.PRIMARY, BIG_BUTTON)
        self._someone_else = touch_button(None, BIG_BUTTON)
        self._continue.clicked.connect(self._on_continue)
        self._someone_else.clicked.connect(self.switch_user_requested)
        for big in (self._continue, self._someone_else):
            big.setStyleSheet(f"{big.styleSheet()} font-size: {SIZES.heading_pt}pt;")
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setSpacing(SIZES.spacing * 3)
        row.addWidget(self._continue, 1)
        row.addWidget(self._someone_else, 1)
        self.pad = PinPad()
        self.pad.pin_entered.connect(lambda pin: self.resume_requested.emit(self._user, pin))
        self._badge_prompt = role_label(Role.LARGE, centred=True)
        self.badge = _badge_field()
        self.badge.returnPressed.connect(self._on_badge)
        self._badge_ok = touch_button(Role.PRIMARY, KEY_HEIGHT)
        self._badge_ok.clicked.connect(self._on_badge)
        badge_page = _page(self._badge_prompt, self.badge, self._badge_ok)
        self._back = touch_button(None)
        self._back.setStyleSheet(f"{self._back.styleSheet()} min-width: {KEY_WIDTH * 2}px;")
        self._back.clicked.connect(self.reset)
        self._stack = QStackedWidget()
        for page in (choice, self.pad, badge_page):
            self._stack.addWidget(page)
        column = QVBoxLayout()
        column.addWidget(self._who)
        column.addWidget(self._message)
        column.addWidget(self._stack)
        column.addSpacing(SIZES.spacing * 2)  # a glove on the bottom row must not hit Back
        column.addWidget(self._back, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        _centre(self, column, SIZES.spacing, 4)
        self.retranslate_ui()
        self.reset()

    def show_for(self, user: str, technician: bool) -> None:
        """Lock for ``user`` (their staff number); ``technician``: they continue with a PIN."""
        self._user, self._technician = user, technician
        self.retranslate_ui()
        self.reset()

    def reset(self) -> None:
        """Back to the two big buttons, with no message, PIN or badge text left over."""
        self.pad.clear()
        self.badge.clear()
        self._message.clear()
        self._stack.setCurrentIndex(0)
        self._back.hide()
        self.setFocus()

    def show_result(
        self, outcome: str, attempts_left: int | None = None, locked_until: datetime | None = None
    ) -> None:
        """Show a PIN check's result (see `pin_message`); ``ok`` resets the screen."""
        if outcome == "ok":
            self.reset()
        else:
            self.show_message(pin_message(outcome, attempts_left, locked_until))

    def show_message(self, text: str) -> None:
        """Show a plain message (already translated), e.g. "only 12345 can continue"."""
        self._message.setText(text)
        self.pad.clear()
        self.badge.clear()

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._who.setText(arg(self.tr("Locked — signed in: %1"), self._user))
        self._continue.setText(button_text(self.tr("Continue")))
        self._someone_else.setText(button_text(self.tr("Someone else")))
        self._badge_prompt.setText(self.tr("Scan your badge or type your staff number"))
        self._back.setText(button_text(self.tr("Back")))
        self._badge_ok.setText(button_text(self.tr("Continue")))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """A badge scan (or PIN digits) typed anywhere goes to the right step."""
        text = event.text()
        if not text.isalnum():
            super().keyPressEvent(event)
            return
        if self._stack.currentIndex() == 0:
            self._on_continue()
        if self._technician:
            self.pad.keyPressEvent(event)
        else:
            self.badge.insert(text)

    def _on_continue(self) -> None:
        self._message.clear()
        self._stack.setCurrentIndex(1 if self._technician else 2)
        self._back.show()
        (self.pad if self._technician else self.badge).setFocus()

    def _on_badge(self) -> None:
        staff_id = self.badge.text().strip()
        self.badge.clear()
        if staff_id:
            self.resume_requested.emit(staff_id, "")


@dataclass(frozen=True)
class SignInResult:
    """A sign-in attempt's answer, mapped from a `PinCheck` by the composition root.

    Attributes:
        ok: the PIN was right.
        message: what to show otherwise (translated; e.g. from `pin_message`).
        role: with ``ok``, the account's role (``technician`` or ``manager``).
    """

    ok: bool
    message: str = ""
    role: str = "technician"


Verify = Callable[[str, str], SignInResult]


class TechnicianSignIn(Retranslating, QWidget):
    """Staff number first (badge reader or typed, then Enter), then the PIN on the pad.

    Technicians and managers sign in here alike; the role comes with the PIN check's answer.

    Signals:
        signed_in(str, str): the staff number whose PIN was right and its role (``technician``
            or ``manager``); the screen is reset already.

    Args:
        verify: checks staff number and PIN (the composition root wraps `TechnicianStore.verify`).
        parent: the owning widget.
    """

    signed_in = Signal(str, str)

    def __init__(self, verify: Verify, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._verify = verify
        self._staff_id = ""
        self._title = role_label(Role.TITLE, centred=True)
        self._message = _error()
        self._staff_prompt = role_label(Role.LARGE, centred=True)
        self.staff = _badge_field()
        self.staff.returnPressed.connect(self._on_staff)
        self.staff.textChanged.connect(lambda _text: self._message.clear())
        self._next = touch_button(Role.PRIMARY)
        self._next.clicked.connect(self._on_staff)
        first = _page(self._staff_prompt, self.staff, self._next)
        self._who = role_label(Role.LARGE, centred=True)
        self._other = touch_button(None)
        self._other.clicked.connect(self.reset)
        self.pad = PinPad()
        self.pad.pin_entered.connect(self._on_pin)
        second = QWidget()
        second_layout = QVBoxLayout(second)
        second_layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self._who, 1)
        head.addWidget(self._other)
        second_layout.addLayout(head)
        second_layout.addWidget(self.pad)
        second_layout.addStretch(1)
        self._stack = QStackedWidget()
        self._stack.addWidget(first)
        self._stack.addWidget(second)
        column = QVBoxLayout()
        column.addWidget(self._title)
        column.addWidget(self._message)
        column.addWidget(self._stack)
        # Slim top and bottom: the page, the page switch and the sync strip fit 800 px.
        _centre(self, column, SIZES.spacing // 2, 3)
        self.retranslate_ui()
        self.reset()

    @property
    def message(self) -> str:
        """The message shown now ("" for none)."""
        return self._message.text()

    def reset(self) -> None:
        """Back to an empty staff number field."""
        self._staff_id = ""
        self.staff.clear()
        self.pad.clear()
        self._message.clear()
        self._stack.setCurrentIndex(0)
        self.staff.setFocus()

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._title.setText(self.tr("Sign in: technician or manager"))
        self._staff_prompt.setText(self.tr("Scan your badge or type your staff number"))
        self.staff.setPlaceholderText(self.tr("Staff number"))
        self._next.setText(button_text(self.tr("Next")))
        self._who.setText(arg(self.tr("Staff number: %1"), self._staff_id))
        self._other.setText(button_text(self.tr("Other staff number")))

    def _on_staff(self) -> None:
        try:
            self._staff_id = check_staff_number(self.staff.text(), "staff_id")
        except ValidationError:
            self._message.setText(self.tr("A staff number has 3 to 10 digits"))
            self.staff.selectAll()
            return
        self._message.clear()
        self.retranslate_ui()
        self._stack.setCurrentIndex(1)
        self.pad.setFocus()

    def _on_pin(self, pin: str) -> None:
        result = self._verify(self._staff_id, pin)
        if result.ok:
            staff_id = self._staff_id
            self.reset()
            self.signed_in.emit(staff_id, result.role)
        else:
            self._message.setText(result.message)
