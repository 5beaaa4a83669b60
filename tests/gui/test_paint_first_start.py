"""The start as `cowapp.gui.launch` runs it: the window shows the intake page before the store
is open (`_CartStart`). A report finished in that instant is not lost and not refused: saving
opens the store then and there, and the rest of the window arrives with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.gui import CartLink, _CartStart, build_shell
from cowapp.settings import load_settings
from cowapp.ui.i18n import Translator
from cowapp.ui.theme import DAY, NIGHT, Theme, apply_base, apply_theme
from cowapp.wiring import open_cart


def test_a_report_saved_before_the_store_opened_opens_it_and_is_stored(
    qtbot: QtBot, qapp: QApplication, translator: Translator, tmp_path: Path
) -> None:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-07"\nward = "B4 Interne"\n')
    start = _CartStart(qapp, load_settings(tmp_path), translator, demo=False)
    window, intake = start.shell.window, start.shell.intake
    qtbot.addWidget(window)
    start.show()
    assert not window.ready and not (tmp_path / paths.DB_NAME).exists()

    # Before the event loop has run once (so before the paint that opens the store), the
    # nurse taps a tile and scans her badge: QTest delivers these at once.
    printing = next(t for t in intake._tiles.values() if t.label == "Printen & etiketten")
    qtbot.mouseClick(printing, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(intake.issue_submitted, timeout=5000) as saved:
        qtbot.keyClicks(intake._staff, "104233")
        qtbot.keyClick(intake._staff, Qt.Key.Key_Return)

    assert window.ready, "saving did not open the store and attach the other pages"
    window.show_overview()  # the overview page exists now and counts the report
    assert start.stop(0) == 0
    cart = open_cart(load_settings(tmp_path))
    try:
        [reference] = saved.args
        stored = cart.issues.by_reference(reference)
        assert (stored.category, stored.reporter) == ("printing", "104233")
        assert cart.issues.outbox_counts() == {"pending": 1}
    finally:
        cart.close()


@pytest.mark.parametrize("theme", [DAY, NIGHT], ids=["day", "night"])
def test_the_first_page_built_before_the_stylesheet_looks_the_same(
    qtbot: QtBot, themed: QApplication, translator: Translator, tmp_path: Path, theme: Theme
) -> None:
    """The start builds the first page between `apply_base` and the stylesheet (it is polished
    once instead of twice); a widget that sized itself from a style it did not have yet would
    show here as a pixel difference."""
    settings = load_settings(tmp_path)
    pictures = []
    for stylesheet_last in (False, True):
        themed.setStyleSheet("")  # as at the start: no stylesheet yet
        (apply_base if stylesheet_last else apply_theme)(themed, theme)
        shell = build_shell(settings, CartLink(lambda: None), translator)
        qtbot.addWidget(shell.window)
        if stylesheet_last:
            apply_theme(themed, theme)
        shell.window.show()
        qtbot.waitExposed(shell.window)
        QApplication.processEvents()  # as the event loop does before the first paint
        pictures.append(shell.window.grab().toImage())
        shell.window.close()
    assert pictures[0].size() == pictures[1].size()
    assert pictures[0] == pictures[1], "the start's first page differs from one built styled"
