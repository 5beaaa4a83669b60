"""The whole cart window as `cowapp.composition.compose` builds it (sync off), on a fake clock, with
the taps and scans a test needs: one helper for every test of the shared-cart rules, so they drive
the composition the app runs instead of a hand-wired copy of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cowapp.composition import compose
from cowapp.storage import audit
from cowapp.ui.i18n import Translator
from cowapp.wiring import Cart
from tests.integration.sync_helpers import FakeClock


class WiredCart:
    """The composed window, its parts and the fake clock, as a test drives them."""

    def __init__(
        self, qtbot: QtBot, app: QApplication, cart: Cart, translator: Translator | None
    ) -> None:
        self.qtbot, self.cart, self.clock = qtbot, cart, FakeClock()
        parts = compose(app, cart, translator, sync=False, clock=self.clock)
        self.window, self.intake, self.dashboard = parts.window, parts.intake, parts.dashboard
        self.control = parts.session
        self.session = parts.session.session
        self.sign_in = self.window._sign_in
        self.lock = self.window._lock
        assert self.sign_in is not None and self.lock is not None
        qtbot.addWidget(self.window)
        self.window.resize(1280, 800)
        self.window.show()

    def close(self) -> None:
        """Let the dashboard's background count finish before the cart closes."""
        self.dashboard.wait_idle()

    @property
    def technician_button(self) -> QPushButton:
        return self.window._buttons[2]

    @property
    def dashboard_button(self) -> QPushButton:
        return self.window._buttons[3]

    def idle(self, seconds: int) -> None:
        """Let the cart stand untouched, ticking as the timer would."""
        for _ in range(seconds // 30):
            self.clock.advance(30)
            self.control.ticker.check()

    def signs_in(self, staff_id: str, pin: str) -> None:
        """Staff number and PIN on the sign-in page, as a technician or manager does."""
        assert self.sign_in is not None
        self.window.show_technician()
        self.qtbot.keyClicks(self.sign_in.staff, staff_id)
        self.qtbot.keyClick(self.sign_in.staff, Qt.Key.Key_Return)
        self.tap_pin(self.sign_in.pad.keys, pin)

    def tap_pin(self, keys: dict[str, QPushButton], pin: str) -> None:
        for key in f"{pin}✓":
            self.qtbot.mouseClick(keys[key], Qt.MouseButton.LeftButton)

    def scan_badge(self, staff_id: str) -> None:
        """A badge reader types the staff number into intake and presses Enter."""
        self.qtbot.keyClicks(self.intake._staff, staff_id)
        self.qtbot.keyClick(self.intake._staff, Qt.Key.Key_Return)

    def session_audit(self) -> list[tuple[str, str, str]]:
        """The session entries of the audit log: (actor, action, detail)."""
        with self.cart.db.read() as s:
            return [
                (e.actor, e.action, e.detail)
                for e in audit.entries(s)
                if e.action.startswith("session.")
            ]

    def on_screen(self) -> QWidget | None:
        return self.window._pages.currentWidget()

    def shown_texts(self) -> list[str]:
        return [w.text() for w in self.window.findChildren(QLabel) if w.isVisible()]
