"""The lock screen, the technician sign-in, the PIN pad and the idle watchers.

The sign-in checks PINs through a real `TechnicianStore` on a migrated SQLite file, with the
store's own lock-out. No translator is installed: the texts checked are the English sources (the
Dutch ones are not in the .ts file yet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QTimerEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.domain.session import CartSession, Role, SessionPolicy, SessionState
from cowapp.domain.technician import LockoutPolicy
from cowapp.storage.migrate import open_database
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.idle import IdleFilter, SessionTicker
from cowapp.ui.lock import LockScreen, SignInResult, TechnicianSignIn, pin_message
from cowapp.ui.pin_pad import PinPad
from cowapp.ui.theme import MIN_TOUCH

LEFT = Qt.MouseButton.LeftButton
STAFF, PIN = "12345", "4719"
START = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)


def _shown(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitExposed(widget)


def _button(widget: QWidget, text: str) -> QPushButton:
    shown = [b for b in widget.findChildren(QPushButton) if b.isVisible()]
    return next(b for b in shown if b.text() == text)


def _type(qtbot: QtBot, pad: PinPad, keys: str) -> None:
    for key in keys:
        qtbot.mouseClick(pad.keys[key], LEFT)


# --- PinPad ------------------------------------------------------------------------------------


def test_pin_pad_by_taps_and_keys(qtbot: QtBot, themed: QApplication) -> None:
    pad = PinPad()
    _shown(qtbot, pad)
    _type(qtbot, pad, "47")
    qtbot.keyClicks(pad, "19")
    assert pad.length == 4
    assert "4719" not in [label.text() for label in pad.findChildren(QLabel)]
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.mouseClick(pad.keys["✓"], LEFT)
    assert entered.args == ["4719"]
    assert pad.length == 0, "cleared after the attempt"
    qtbot.keyClicks(pad, "12345")
    with qtbot.waitSignal(pad.pin_entered) as entered:
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert entered.args == ["12345"] and pad.length == 0


def test_pin_pad_stops_at_eight_digits_and_deletes(qtbot: QtBot, themed: QApplication) -> None:
    pad = PinPad()
    _shown(qtbot, pad)
    _type(qtbot, pad, "1234567890")
    assert pad.length == 8
    _type(qtbot, pad, "⌫")
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    assert pad.length == 6
    with qtbot.waitSignal(pad.pin_entered) as entered:
        _type(qtbot, pad, "✓")
    assert entered.args == ["123456"]
    _type(qtbot, pad, "12")
    assert not pad.keys["✓"].isEnabled(), "a PIN has at least 4 digits"


def test_keys_and_buttons_are_big_enough(qtbot: QtBot, themed: QApplication) -> None:
    pad = PinPad()
    sign_in = TechnicianSignIn(lambda _s, _p: SignInResult(False, "x"))
    lock = LockScreen()
    for widget in (pad, sign_in, lock):
        _shown(qtbot, widget)
    for key in pad.keys.values():
        assert key.height() >= 72 and key.width() >= 72, key.text()
    lock.show_for(STAFF, technician=True)
    qtbot.mouseClick(_button(lock, "Continue"), LEFT)  # open the PIN pad
    assert lock.pad.isVisible()
    for widget in (sign_in, lock):
        for button in widget.findChildren(QPushButton):
            if button.isVisible():
                assert button.height() >= MIN_TOUCH and button.width() >= MIN_TOUCH, button.text()
    assert all(k.height() >= 72 for k in lock.pad.keys.values())
    _button(lock, "Back").click()
    lock.show_for("A123", technician=False)
    _button(lock, "Continue").click()  # the nurse's badge step
    for widget in (pad, sign_in, lock):
        assert widget.minimumSizeHint().height() <= 800, "fits the cart's 1280×800 screen"


# --- TechnicianSignIn on a real store ----------------------------------------------------------


@pytest.fixture
def verify(tmp_path: Path) -> Iterator[Callable[[str, str], SignInResult]]:
    """What the composition root passes: `TechnicianStore.verify` mapped to a `SignInResult`."""
    opened = open_database(tmp_path / "cowapp.sqlite3", paths.migrations_dir())
    store = TechnicianStore(opened.db, LockoutPolicy(max_attempts=3, lockout_minutes=15))
    store.add(STAFF, PIN, START, actor="A999")

    def check(staff_id: str, pin: str) -> SignInResult:
        result = store.verify(staff_id, pin, START + timedelta(minutes=1))
        return SignInResult(
            result.outcome == "ok",
            pin_message(result.outcome, result.attempts_left, result.locked_until),
        )

    yield check
    opened.db.dispose()


def _sign_in(qtbot: QtBot, verify: Callable[[str, str], SignInResult]) -> TechnicianSignIn:
    screen = TechnicianSignIn(verify)
    _shown(qtbot, screen)
    screen.staff.setFocus()
    qtbot.keyClicks(screen.staff, STAFF)
    qtbot.keyClick(screen.staff, Qt.Key.Key_Return)  # the badge reader's Enter
    assert screen.pad.isVisible()
    return screen


def test_right_pin_signs_in(qtbot: QtBot, verify: Callable[[str, str], SignInResult]) -> None:
    screen = _sign_in(qtbot, verify)
    with qtbot.waitSignal(screen.signed_in) as signed:
        _type(qtbot, screen.pad, PIN + "✓")
    assert signed.args == [STAFF, "technician"]
    assert screen.staff.isVisible() and screen.staff.text() == "", "ready for the next person"


def test_wrong_pin_then_lock_out(qtbot: QtBot, verify: Callable[[str, str], SignInResult]) -> None:
    screen = _sign_in(qtbot, verify)
    with qtbot.assertNotEmitted(screen.signed_in):
        _type(qtbot, screen.pad, "9999✓")
    assert screen.message == "Wrong PIN, 2 attempt(s) left"
    assert screen.pad.length == 0
    _type(qtbot, screen.pad, "9998✓")
    assert screen.message == "Wrong PIN, 1 attempt(s) left"
    _type(qtbot, screen.pad, "9997✓")
    assert screen.message.startswith("Locked until ")
    with qtbot.assertNotEmitted(screen.signed_in):
        _type(qtbot, screen.pad, PIN + "✓")  # the right PIN does not help while locked
    assert screen.message.startswith("Locked until ")
    texts = [label.text() for label in screen.findChildren(QLabel)]
    assert not any("999" in text or PIN in text for text in texts), "no PIN is ever shown"


def test_unknown_staff_number_reads_as_a_wrong_pin(
    qtbot: QtBot, verify: Callable[[str, str], SignInResult]
) -> None:
    screen = TechnicianSignIn(verify)
    _shown(qtbot, screen)
    qtbot.keyClicks(screen.staff, "55555")
    qtbot.keyClick(screen.staff, Qt.Key.Key_Return)
    _type(qtbot, screen.pad, PIN + "✓")
    assert screen.message.startswith("Wrong PIN")


def test_not_a_staff_number_stays_on_the_first_step(
    qtbot: QtBot, verify: Callable[[str, str], SignInResult]
) -> None:
    screen = TechnicianSignIn(verify)
    _shown(qtbot, screen)
    qtbot.keyClicks(screen.staff, "12")
    qtbot.keyClick(screen.staff, Qt.Key.Key_Return)
    assert screen.message and not screen.pad.isVisible()


# --- LockScreen --------------------------------------------------------------------------------


def test_lock_screen_shows_only_who_and_resumes_a_technician(qtbot: QtBot) -> None:
    lock = LockScreen()
    _shown(qtbot, lock)
    lock.show_for(STAFF, technician=True)
    texts = [label.text() for label in lock.findChildren(QLabel) if label.isVisible()]
    assert "Locked — signed in: 12345" in texts
    assert all(t in ("Locked — signed in: 12345", "") for t in texts), texts
    qtbot.mouseClick(_button(lock, "Continue"), LEFT)
    assert lock.pad.isVisible()
    with qtbot.waitSignal(lock.resume_requested) as resumed:
        _type(qtbot, lock.pad, PIN + "✓")
    assert resumed.args == [STAFF, PIN]
    lock.show_result("wrong_pin", 2)
    assert "Wrong PIN, 2 attempt(s) left" in [label.text() for label in lock.findChildren(QLabel)]
    lock.show_result("locked", 0, datetime(2025, 3, 4, 9, 15, tzinfo=UTC))
    until = datetime(2025, 3, 4, 9, 15, tzinfo=UTC).astimezone().strftime("%H:%M")
    assert f"Locked until {until}" in [label.text() for label in lock.findChildren(QLabel)]


def test_lock_screen_nurse_scans_badge_and_someone_else_switches(qtbot: QtBot) -> None:
    lock = LockScreen()
    _shown(qtbot, lock)
    lock.show_for("A123", technician=False)
    lock.setFocus()
    with qtbot.waitSignal(lock.resume_requested) as resumed:
        qtbot.keyClicks(lock, "A123")  # a badge scan typed anywhere opens the badge step
        qtbot.keyClick(lock.badge, Qt.Key.Key_Return)
    assert resumed.args == ["A123", ""]
    lock.reset()
    with qtbot.waitSignal(lock.switch_user_requested):
        qtbot.mouseClick(_button(lock, "Someone else"), LEFT)


# --- idle watchers -----------------------------------------------------------------------------


def test_idle_filter_counts_input_not_timers(qtbot: QtBot, qapp: QApplication) -> None:
    calls: list[int] = []
    watcher = IdleFilter(lambda: calls.append(1))
    target = QPushButton("x")
    _shown(qtbot, target)
    qapp.installEventFilter(watcher)
    try:
        qtbot.keyClick(target, Qt.Key.Key_A)
        assert calls
        calls.clear()
        qtbot.mouseClick(target, LEFT)
        assert calls
        calls.clear()
        QCoreApplication.sendEvent(target, QTimerEvent(12345))
        QCoreApplication.sendEvent(target, QEvent(QEvent.Type.UpdateRequest))
        fired: list[int] = []
        QTimer.singleShot(5, lambda: fired.append(1))
        qtbot.waitUntil(lambda: bool(fired))
        target.repaint()
        assert calls == []
    finally:
        qapp.removeEventFilter(watcher)


def test_session_ticker_locks_an_idle_session(qtbot: QtBot) -> None:
    now = [START]
    session = CartSession(lambda: now[0], SessionPolicy(timedelta(seconds=60), timedelta(600)))
    session.sign_in(STAFF, Role.TECHNICIAN)
    ticker = SessionTicker(session, interval_ms=10)
    with qtbot.assertNotEmitted(ticker.state_changed, wait=50):
        ticker.start()
    now[0] += timedelta(seconds=61)
    with qtbot.waitSignal(ticker.state_changed) as changed:
        pass
    ticker.stop()
    assert session.state is SessionState.PRIVACY
    assert [event.action for event in changed.args[0]] == ["session.locked"]
