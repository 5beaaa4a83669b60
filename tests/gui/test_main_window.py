"""The app as the composition root wires it: intake is the start page, a report goes through the
same domain path as `cowapp issue add` into the cart's real store, and the overview shows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from cowapp.composition import _submitter, _summary, _technician_screen, _verifier
from cowapp.settings import load_settings
from cowapp.storage.technician_store import TechnicianStore
from cowapp.ui.home import HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.lock import TechnicianSignIn
from cowapp.ui.main_window import MainWindow
from cowapp.ui.technician import TechnicianScreen
from cowapp.wiring import Cart, open_cart


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-07"\nward = "B4 Interne"\n')
    opened = open_cart(load_settings(tmp_path))
    yield opened
    opened.close()


def test_a_report_on_the_start_page_reaches_the_store_and_the_overview(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    intake = IntakeScreen(cart.settings.taxonomy, _submitter(cart, None), "B4 Interne")
    overview = HomeWindow(_summary(cart))
    window = MainWindow(intake, overview, lambda: _summary(cart))
    qtbot.addWidget(window)
    window.show()
    assert window.centralWidget().findChild(IntakeScreen).isVisible(), "intake is the start page"
    printing = next(t for t in intake._tiles.values() if t.label == "Printen & etiketten")
    qtbot.mouseClick(printing, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(intake.issue_submitted) as saved:
        qtbot.keyClicks(intake._staff, "104233")
        qtbot.keyClick(intake._staff, Qt.Key.Key_Return)
    [reference] = saved.args
    stored = cart.issues.by_reference(reference)
    assert (stored.category, stored.ward, stored.reporter) == ("printing", "B4 Interne", "104233")
    assert cart.issues.outbox_counts() == {"pending": 1}
    overview_button = next(b for b in window.findChildren(QPushButton) if b.text() == "Overzicht")
    qtbot.mouseClick(overview_button, Qt.MouseButton.LeftButton)
    assert overview.isVisible() and not intake.isVisible()
    texts = [label.text() for label in overview.findChildren(QLabel) if label.isVisible()]
    assert "1 melding op deze kar" in texts and "Nieuw: 1" in texts


def test_technician_signs_in_with_a_pin_works_the_queue_and_signs_out(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    TechnicianStore(cart.db, cart.settings.config.lockout_policy()).add(
        "20411", "4719", datetime.now(UTC), "test"
    )
    intake = IntakeScreen(cart.settings.taxonomy, _submitter(cart, None), "B4 Interne")
    sign_in = TechnicianSignIn(_verifier(cart))
    window = MainWindow(
        intake,
        HomeWindow(_summary(cart)),
        lambda: _summary(cart),
        sign_in,
        _technician_screen(cart),
    )
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    window.show_technician()
    assert sign_in.isVisible() and not window.findChildren(TechnicianScreen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is sign_in.staff, timeout=2000)
    qtbot.keyClicks(sign_in.staff, "20411")
    qtbot.keyClick(sign_in.staff, Qt.Key.Key_Return)
    for key in "9999✓":  # a wrong PIN first: refused, without saying how many tries are left
        qtbot.mouseClick(sign_in.pad.keys[key], Qt.MouseButton.LeftButton)
    assert sign_in.message == "Onjuiste pincode"
    for key in "4719✓":
        qtbot.mouseClick(sign_in.pad.keys[key], Qt.MouseButton.LeftButton)
    [screen] = window.findChildren(TechnicianScreen)
    assert screen.isVisible()
    sign_out = next(b for b in window.findChildren(QPushButton) if b.text() == "Afmelden 20411")
    qtbot.mouseClick(sign_out, Qt.MouseButton.LeftButton)
    assert intake.isVisible() and not screen.isVisible()
    assert sign_in.staff.text() == "", "the next person starts clean"
