"""The start window shows the cart, its issue counts and its pending queue (offscreen)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cowapp.ui.home import HomeSummary, HomeWindow


def test_home_window_shows_cart_and_counts(qtbot: QtBot) -> None:
    summary = HomeSummary("COW-07", "B4 Interne", "nl", {"new": 3, "resolved": 5}, pending=4)
    window = HomeWindow(summary)
    qtbot.addWidget(window)
    window.show()
    texts = [label.text() for label in window.findChildren(QLabel)]
    assert "Kar COW-07 · B4 Interne" in texts
    assert "8 meldingen op deze kar" in texts
    assert "Nieuw: 3" in texts and "Opgelost aan het bed: 5" in texts
    assert "Wacht op verzending: 4" in texts
    assert not any(text.startswith("Doorgezet") for text in texts), "zero counts are hidden"
