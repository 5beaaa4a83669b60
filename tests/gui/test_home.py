"""The start window shows the cart, its issue counts and its pending queue (offscreen).

The texts are checked in Dutch, the cart's default language, with the shipped translations
installed as the app installs them.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cowapp.sync.status import Connection, SyncStatus
from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.sync_bridge import SyncStatusBridge


@pytest.mark.usefixtures("translator")
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


@pytest.mark.usefixtures("translator")
def test_sync_status_from_the_worker_thread_reaches_the_window(qtbot: QtBot) -> None:
    window = HomeWindow(HomeSummary("COW-07", "B4", "nl", {}, pending=2, sync_enabled=True))
    qtbot.addWidget(window)
    bridge = SyncStatusBridge(window)
    bridge.status_changed.connect(window.show_sync)
    now = datetime.now(UTC)
    offline = SyncStatus(Connection.OFFLINE, 2, 1, now, None, "connection refused", now)
    sender = threading.Thread(target=bridge.publish, args=(offline,))  # as the worker does
    sender.start()
    sender.join()
    labels = lambda: [label.text() for label in window.findChildren(QLabel)]  # noqa: E731
    qtbot.waitUntil(lambda: any("Geen verbinding" in text for text in labels()), timeout=2000)
    assert any("1 vraagt aandacht" in text for text in labels())
    bridge.publish(SyncStatus(Connection.ONLINE, 0, 0, None, now, None, now))
    assert any(text.startswith("Verbonden met de centrale servicedesk") for text in labels())


def test_home_window_turns_english_at_runtime(qtbot: QtBot, translator: Translator) -> None:
    summary = HomeSummary("COW-07", "B4 Interne", "nl", {"new": 1}, pending=4)
    window = HomeWindow(summary)
    qtbot.addWidget(window)
    window.show()
    window.show_sync(SyncStatus(Connection.ONLINE, 0, 0, None, None, None, datetime.now(UTC)))
    texts = lambda: [label.text() for label in window.findChildren(QLabel)]  # noqa: E731
    assert "1 melding op deze kar" in texts()
    translator.switch("en")
    qtbot.waitUntil(lambda: "Cart COW-07 · B4 Interne" in texts(), timeout=2000)
    assert "1 issue on this cart" in texts()
    assert "New: 1" in texts() and "Waiting to be sent: 4" in texts()
    assert any(t.startswith("Connected to the central service desk · last sent -") for t in texts())
