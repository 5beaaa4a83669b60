"""The acceptance walk of the cart screen, as a new user would do it on the demo month.

The window is composed exactly as ``cowapp --demo`` composes it (`cowapp.composition.compose`, sync
off so nothing leaves the machine): a nurse reports a problem in three taps, a demo technician signs
in with the PIN the banner shows, resolves one issue and escalates another, locks the cart, and the
language is switched to English. Every step is checked in the store, not only on screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from cowapp.composition import CartWindow, compose
from cowapp.demo import DEMO_PIN, DEMO_TECHNICIANS, seed_demo
from cowapp.domain.issue import IssueStatus
from cowapp.settings import load_settings
from cowapp.ui.i18n import Translator
from cowapp.ui.technician import TechnicianScreen
from cowapp.wiring import Cart, open_cart

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def demo_cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-DEMO"\nward = "B4 Interne"\n')
    cart = open_cart(load_settings(tmp_path))
    seed_demo(cart)
    yield cart
    cart.close()


@pytest.fixture
def app_window(
    qtbot: QtBot, themed: QApplication, demo_cart: Cart, translator: Translator
) -> Iterator[CartWindow]:
    parts = compose(themed, demo_cart, translator, sync=False)
    qtbot.addWidget(parts.window)
    parts.window.resize(1280, 800)
    parts.window.show()
    yield parts
    parts.dashboard.wait_idle()


def _tap(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    assert widget.height() >= 48, f"{widget} is {widget.height()} px: too small for a glove"
    qtbot.mouseClick(widget, LEFT)


def _button(root: QWidget, text: str) -> QPushButton:
    found = [b for b in root.findChildren(QPushButton) if b.isVisible() and b.text() == text]
    assert found, f"no visible button {text!r}"
    return found[0]


def test_a_new_user_walks_the_whole_cart(
    qtbot: QtBot, app_window: CartWindow, demo_cart: Cart
) -> None:
    window, intake = app_window.window, app_window.intake
    before = sum(demo_cart.issues.status_counts().values())

    # A nurse: tile, chip, badge scan (the reader types the number and presses Enter).
    _tap(qtbot, intake._tiles["printing"])
    _tap(qtbot, _button(intake, "Etikettenprinter"))
    with qtbot.waitSignal(intake.issue_submitted) as saved:
        qtbot.keyClicks(intake._staff, "104233")
        qtbot.keyClick(intake._staff, Qt.Key.Key_Return)
    reported = demo_cart.issues.by_reference(saved.args[0])
    assert (reported.category, reported.subcategory) == ("printing", "label_printer")
    assert sum(demo_cart.issues.status_counts().values()) == before + 1
    assert saved.args[0] in [w.text() for w in intake.findChildren(QLabel) if w.isVisible()]

    # A technician with the demo PIN.
    _tap(qtbot, _button(window, "Technicus"))
    staff = window._sign_in.staff
    qtbot.keyClicks(staff, DEMO_TECHNICIANS[0])
    qtbot.keyClick(staff, Qt.Key.Key_Return)
    for key in f"{DEMO_PIN}✓":
        _tap(qtbot, window._sign_in.pad.keys[key])
    [screen] = window.findChildren(TechnicianScreen)
    detail = screen.detail

    # Resolve the nurse's report on the spot.
    row = [screen.model.issue_id(r) for r in range(screen.model.rowCount())].index(reported.id)
    screen.select_row(row)
    _tap(qtbot, detail._buttons["claim"])
    _tap(qtbot, detail._buttons["resolve"])
    _tap(qtbot, detail._submit["resolve"])
    assert demo_cart.issues.get(reported.id).status is IssueStatus.RESOLVED

    # Escalate another open one.
    screen.model.refresh()
    assert screen.model.rowCount() > 0, "the demo leaves open issues for the technician"
    screen.select_row(0)
    other = detail.issue
    assert other is not None and other.status in (IssueStatus.NEW, IssueStatus.IN_PROGRESS)
    if other.status is IssueStatus.NEW:
        _tap(qtbot, detail._buttons["claim"])
    _tap(qtbot, detail._buttons["escalate"])
    _tap(qtbot, detail._group.buttons["Applicatiebeheer HiX"])
    qtbot.keyClicks(detail._reason.edit, "Fout reproduceerbaar op twee karren")
    _tap(qtbot, detail._submit["escalate"])
    assert demo_cart.issues.get(other.id).status is IssueStatus.ESCALATED

    # Lock: only who is signed in shows; the PIN brings the work back.
    _tap(qtbot, window._lock_button)
    assert window.locked and not screen.isVisible()
    _tap(qtbot, app_window.session._lock._continue)
    for key in f"{DEMO_PIN}✓":
        _tap(qtbot, app_window.session._lock.pad.keys[key])
    assert not window.locked and screen.isVisible()

    # English, one tap, on whatever page is open.
    _tap(qtbot, window._language)
    qtbot.waitUntil(lambda: _button(window, "Sign out T2041") is not None, timeout=2000)
    assert _button(window, "Report a problem").isVisible()
