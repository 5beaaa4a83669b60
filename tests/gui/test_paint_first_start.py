"""The start as `cowapp.gui.launch` runs it: the window shows the intake page before the store
is open (`_CartStart`). A report finished in that instant is not lost and not refused: saving
opens the store then and there, and the rest of the window arrives with it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.gui import _CartStart
from cowapp.settings import load_settings
from cowapp.ui.i18n import Translator
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
