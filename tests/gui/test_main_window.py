"""The app as the composition root wires it: intake is the start page, a report goes through the
same domain path as `cowapp issue add` into the cart's real store, and the overview shows it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.gui import _submitter, _summary
from cowapp.ui.home import HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.main_window import MainWindow
from cowapp.wiring import Cart, load_settings, open_cart


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-07"\nward = "B4 Interne"\n')
    opened = open_cart(load_settings(tmp_path))
    yield opened
    opened.close()


@pytest.fixture
def dutch(qapp: QApplication) -> Iterator[Translator]:
    translator = Translator(qapp, paths.resources_dir() / "translations")
    translator.switch("nl")
    yield translator
    translator.uninstall()


def test_a_report_on_the_start_page_reaches_the_store_and_the_overview(
    qtbot: QtBot, cart: Cart, dutch: Translator
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
