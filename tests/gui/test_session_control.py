"""The shared-cart rules on the real main window with a fake clock: the one-tap lock, the privacy
screen after the idle time, the session's end after the longer one, and drafts that stay with their
author and are never shown to the next person. Every change lands in the cart's audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from cowapp.domain.session import SessionState
from cowapp.settings import load_settings
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.home import HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.technician import TechnicianScreen
from cowapp.ui.theme import MIN_TOUCH
from cowapp.wiring import Cart, open_cart
from tests.gui.wired_cart import WiredCart

TECH, PIN = "20411", "4719"


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text(
        '[cart]\nid = "COW-07"\nward = "B4 Interne"\n'
        "[session]\nlock_after_seconds = 120\nend_after_seconds = 600\n"
    )
    opened = open_cart(load_settings(tmp_path))
    TechnicianStore(opened.db).add(TECH, PIN, datetime.now(UTC), "test")
    yield opened
    opened.close()


@pytest.fixture
def wired(
    qtbot: QtBot, themed: QApplication, cart: Cart, translator: Translator
) -> Iterator[WiredCart]:
    wired = WiredCart(qtbot, themed, cart, translator)
    yield wired
    wired.close()


def test_idle_technician_gets_the_privacy_screen_then_the_session_ends(wired: WiredCart) -> None:
    wired.signs_in(TECH, PIN)
    [screen] = wired.window.findChildren(TechnicianScreen)
    assert screen.isVisible()
    wired.idle(90)
    assert not wired.window.locked, "not yet: the lock comes after two idle minutes"
    wired.idle(30)
    assert wired.window.locked and wired.lock.isVisible() and not screen.isVisible()
    assert "Vergrendeld — aangemeld: 20411" in wired.shown_texts()
    assert wired.session.state is SessionState.PRIVACY
    wired.idle(480)
    assert not wired.window.locked and wired.intake.isVisible()
    assert not wired.window.findChildren(TechnicianScreen), "nothing of the session stays"
    assert wired.session_audit() == [
        (TECH, "session.signed_in", "role=technician"),
        (TECH, "session.locked", "role=technician;reason=idle"),
        (TECH, "session.ended", "role=technician;reason=idle"),
    ]


def test_one_tap_lock_and_only_the_right_pin_resumes(wired: WiredCart) -> None:
    lock_button = wired.window._lock_button
    assert not lock_button.isEnabled(), "nobody signed in: nothing to lock"
    wired.signs_in(TECH, PIN)
    assert lock_button.isEnabled() and lock_button.height() >= MIN_TOUCH
    wired.qtbot.mouseClick(lock_button, Qt.MouseButton.LeftButton)
    assert wired.window.locked
    wired.qtbot.mouseClick(wired.lock._continue, Qt.MouseButton.LeftButton)
    wired.tap_pin(wired.lock.pad.keys, "1111")
    assert wired.window.locked and "Onjuiste pincode" in wired.shown_texts()
    wired.tap_pin(wired.lock.pad.keys, PIN)
    assert not wired.window.locked
    [screen] = wired.window.findChildren(TechnicianScreen)
    assert screen.isVisible(), "back where the technician was"
    assert [a for _, a, _ in wired.session_audit()] == [
        "session.signed_in",
        "session.locked",
        "session.resumed",
    ]


def test_someone_else_ends_the_locked_session_and_starts_clean(wired: WiredCart) -> None:
    wired.signs_in(TECH, PIN)
    wired.qtbot.mouseClick(wired.window._lock_button, Qt.MouseButton.LeftButton)
    wired.qtbot.mouseClick(wired.lock._someone_else, Qt.MouseButton.LeftButton)
    assert not wired.window.locked and wired.intake.isVisible()
    assert not wired.window.findChildren(TechnicianScreen)
    assert wired.session_audit()[-1] == (TECH, "session.ended", "role=technician;reason=switched")


def test_a_nurses_draft_comes_back_to_her_only(wired: WiredCart) -> None:
    intake = wired.intake
    wired.scan_badge("104233")  # first the badge: nothing chosen yet, so nothing is saved
    assert wired.session.user == "104233"
    printing = next(t for t in intake._tiles.values() if t.label == "Printen & etiketten")
    wired.qtbot.mouseClick(printing, Qt.MouseButton.LeftButton)
    wired.qtbot.mouseClick(intake._details_toggle, Qt.MouseButton.LeftButton)
    wired.qtbot.keyClicks(intake._room, "Kamer 12")
    wired.idle(600)  # she was called away: lock, then the end of her session
    assert not wired.window.locked and intake.is_blank(), "the next person sees an empty form"
    assert wired.cart.issues.status_counts() == {}, "a draft is not a report"
    wired.scan_badge("107788")  # the next nurse
    assert intake.draft_content()["room"] == "" and intake.draft_content()["category"] is None
    wired.idle(600)
    wired.scan_badge("104233")  # she is back
    content = intake.draft_content()
    assert (content["category"], content["room"]) == ("printing", "Kamer 12")
    back = "Je onafgemaakte melding is terug: controleer hem en tik op ‘Melding opslaan’"
    assert back in wired.shown_texts()
    assert wired.cart.issues.status_counts() == {}, "the scan that brought it back did not send it"
    with wired.qtbot.waitSignal(intake.issue_submitted):
        wired.qtbot.mouseClick(intake._save, Qt.MouseButton.LeftButton)
    assert wired.session.user is None and wired.session.drafts.draft_for("104233") is None


def test_a_form_nobody_signed_is_cleared_after_the_idle_time(wired: WiredCart) -> None:
    intake = wired.intake
    scanners = next(t for t in intake._tiles.values() if t.label.startswith("Scanners"))
    wired.qtbot.mouseClick(scanners, Qt.MouseButton.LeftButton)
    wired.idle(90)
    assert intake.has_content()
    wired.idle(30)
    assert intake.is_blank() and wired.session_audit() == []


def test_the_receipt_does_not_stay_on_screen_for_the_next_person(wired: WiredCart) -> None:
    intake = wired.intake
    scanners = next(t for t in intake._tiles.values() if t.label.startswith("Scanners"))
    wired.qtbot.mouseClick(scanners, Qt.MouseButton.LeftButton)
    with wired.qtbot.waitSignal(intake.issue_submitted):
        wired.scan_badge("104233")
    assert wired.session.user is None, "a nurse's session ends with her report"
    assert not intake.is_blank()
    wired.idle(120)
    assert intake.is_blank()


def test_a_technician_enters_a_walk_up_report_for_a_nurse_and_stays_signed_in(
    wired: WiredCart,
) -> None:
    wired.signs_in(TECH, PIN)
    [screen] = wired.window.findChildren(TechnicianScreen)
    wired.qtbot.mouseClick(screen.walk_up, Qt.MouseButton.LeftButton)
    assert wired.intake.isVisible()
    network = next(t for t in wired.intake._tiles.values() if t.label == "Netwerk & wifi")
    wired.qtbot.mouseClick(network, Qt.MouseButton.LeftButton)
    with wired.qtbot.waitSignal(wired.intake.issue_submitted) as saved:
        wired.scan_badge("104233")  # the nurse's badge: she is the reporter
    assert wired.cart.issues.by_reference(saved.args[0]).reporter == "104233"
    assert wired.session.user == TECH, "the technician's session goes on"
    wired.window.show_technician()
    assert screen.isVisible()
    assert screen.model.rowCount() == 1, "the walk-up report is in the queue on return"


def test_the_other_language_is_one_tap_away_on_every_page(
    wired: WiredCart, translator: Translator
) -> None:
    button = wired.window._language
    assert button.text() == "English" and button.height() >= MIN_TOUCH
    wired.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wired.qtbot.waitUntil(lambda: "What is not working?" in wired.shown_texts(), timeout=2000)
    assert button.text() == "Nederlands" and wired.window._lock_button.text() == "Lock"
    overview = wired.window.findChild(HomeWindow)
    assert overview._language_buttons["en"].isChecked(), "the overview's switch follows"
    wired.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wired.qtbot.waitUntil(lambda: "Wat werkt er niet?" in wired.shown_texts(), timeout=2000)


def test_locking_closes_a_list_opened_over_the_window(wired: WiredCart) -> None:
    wired.signs_in(TECH, PIN)
    dialog = QDialog(wired.window)  # e.g. the needs-attention list
    dialog.open()
    assert dialog.isVisible()
    wired.qtbot.mouseClick(wired.window._lock_button, Qt.MouseButton.LeftButton)
    assert wired.window.locked and not dialog.isVisible()


def test_a_draft_survives_a_sleep_that_skips_the_lock(wired: WiredCart) -> None:
    intake = wired.intake
    wired.scan_badge("104233")
    wired.qtbot.mouseClick(intake._tiles["network"], Qt.MouseButton.LeftButton)
    wired.clock.advance(700)  # the cart slept: one tick finds the session past its end
    wired.control.ticker.check()
    assert wired.session.user is None and intake.is_blank()
    wired.scan_badge("104233")
    assert intake.draft_content()["category"] == "network"
