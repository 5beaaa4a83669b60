"""The sync strip under every page follows the worker's status object, and the needs-attention
list acts on the cart's real outbox and wakes the real worker (offscreen, Dutch as shipped).

The worker here is the real `SyncWorker`; it cannot open an engine (no central service is
reachable in these tests), so it reports "paused" and publishes a status after every wake-up:
exactly what the strip and the list need to show that a tap reached the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cowapp.attention_actions import SCREEN_ACTOR, OutboxAttention
from cowapp.composition import _submitter, _summary, _technician_screen, _verifier, connect_sync_bar
from cowapp.domain.intake import IssueDraft
from cowapp.domain.outbox import OutboxState
from cowapp.settings import load_settings
from cowapp.storage import audit
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.sync.status import Connection, SyncStatus
from cowapp.sync.worker import EngineParts, SyncWorker
from cowapp.ui.attention import AttentionView, NotAllowedError
from cowapp.ui.home import HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.lock import LockScreen, TechnicianSignIn
from cowapp.ui.main_window import MainWindow
from cowapp.ui.sync_bar import SyncBar
from cowapp.ui.sync_bridge import SyncStatusBridge
from cowapp.ui.theme import MIN_TOUCH
from cowapp.wiring import Cart, open_cart, utc_now

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TECHNICIAN, PIN = "20411", "4719"


def _status(
    connection: Connection, pending: int = 0, attention: int = 0, **kw: object
) -> SyncStatus:
    fields: dict[str, object] = {
        "connection": connection,
        "pending": pending,
        "needs_attention": attention,
        "oldest_pending_at": None,
        "last_sync": None,
        "last_error": None,
        "checked_at": NOW,
        **kw,
    }
    return SyncStatus(**fields)  # type: ignore[arg-type]


def _publish_from_a_thread(bridge: SyncStatusBridge, status: SyncStatus) -> None:
    sender = threading.Thread(target=bridge.publish, args=(status,))  # as the worker does
    sender.start()
    sender.join()


@pytest.mark.usefixtures("translator", "themed")
def test_the_strip_shows_what_the_workers_status_says(qtbot: QtBot) -> None:
    bar = SyncBar(configured=True, clock=lambda: NOW)
    qtbot.addWidget(bar)
    bridge = SyncStatusBridge(bar)
    bridge.status_changed.connect(bar.show_status)
    bar.show()
    assert bar.state.text() == "Verbinding controleren…" and not bar.attention.isVisible()

    offline = _status(
        Connection.OFFLINE, 3, 0, oldest_pending_at=NOW - timedelta(minutes=12),
        last_sync=NOW - timedelta(days=1),
    )  # fmt: skip
    _publish_from_a_thread(bridge, offline)
    qtbot.waitUntil(lambda: bar.state.text() == "Geen verbinding", timeout=2000)
    assert bar.details.text().startswith("3 wachten op verzending · oudste 12 min · laatst bij")
    assert bar.details.text().endswith(
        (NOW - timedelta(days=1)).astimezone().strftime("%d-%m %H:%M")
    )

    paused = _status(Connection.PAUSED, 1, 2, oldest_pending_at=NOW - timedelta(hours=3))
    _publish_from_a_thread(bridge, paused)
    qtbot.waitUntil(lambda: bar.state.text() == "Verzenden gepauzeerd", timeout=2000)
    assert bar.details.text().startswith("een technicus moet de inloggegevens invoeren")
    assert "1 wacht op verzending · oudste 3 u" in bar.details.text()
    assert bar.attention.isVisible() and bar.attention.text() == "Aandacht nodig (2)"

    online = _status(Connection.ONLINE, 0, 0, last_sync=NOW)
    _publish_from_a_thread(bridge, online)
    qtbot.waitUntil(lambda: bar.state.text() == "Verbonden", timeout=2000)
    assert bar.details.text() == "Niets te verzenden · laatst bijgewerkt " + (
        NOW.astimezone().strftime("%H:%M")
    )
    assert not bar.attention.isVisible(), "nothing parked: no attention button"
    for button in (bar.send_now, bar.attention):
        assert button.sizeHint().height() >= MIN_TOUCH


def test_the_strip_without_a_service_desk_and_in_english(
    qtbot: QtBot, translator: Translator
) -> None:
    bar = SyncBar(configured=False)
    qtbot.addWidget(bar)
    bar.show()
    assert bar.state.text() == "Geen servicedesk"
    assert bar.details.text() == "Meldingen blijven op deze kar"
    assert not bar.send_now.isVisible(), "nothing to wake"
    translator.switch("en")
    qtbot.waitUntil(lambda: bar.state.text() == "No service desk", timeout=2000)
    assert bar.details.text() == "Issues stay on this cart"


@pytest.mark.usefixtures("translator")
def test_send_now_says_it_is_busy_until_the_next_status(qtbot: QtBot) -> None:
    bar = SyncBar(configured=True)
    qtbot.addWidget(bar)
    bar.show()
    with qtbot.waitSignal(bar.sync_requested, timeout=1000):
        qtbot.mouseClick(bar.send_now, Qt.MouseButton.LeftButton)
    assert bar.send_now.text() == "Verzenden…" and not bar.send_now.isEnabled()
    bar.show_status(_status(Connection.ONLINE, last_sync=NOW))
    assert bar.send_now.text() == "Nu verzenden" and bar.send_now.isEnabled()


# --- the needs-attention list on a real cart with the real worker --------------------------------


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-07"\nward = "B4 Interne"\n')
    opened = open_cart(load_settings(tmp_path))
    yield opened
    opened.close()


def _no_central_service() -> EngineParts:
    raise RuntimeError("no credentials stored")  # as wiring.open_sync without a keyring secret


class Screen:
    """The cart screen wired as `cowapp.gui.launch` wires it, with a worker that cannot connect."""

    def __init__(self, qtbot: QtBot, cart: Cart) -> None:
        overview = HomeWindow(_summary(cart))
        self.bridge = SyncStatusBridge(overview)
        self.statuses: list[SyncStatus] = []
        self.bridge.status_changed.connect(self.statuses.append)
        self.worker = SyncWorker(
            _no_central_service, OutboxStore(cart.db), self.bridge.publish, utc_now, 3600
        )
        self.intake = IntakeScreen(cart.settings.taxonomy, _submitter(cart, None), "B4 Interne")
        self.sign_in = TechnicianSignIn(_verifier(cart))
        self.bar = SyncBar(configured=True)
        self.window = MainWindow(
            self.intake, overview, lambda: _summary(cart), self.sign_in,
            _technician_screen(cart), lock=LockScreen(), sync_bar=self.bar,
        )  # fmt: skip
        qtbot.addWidget(self.window)
        self.attention: AttentionView = connect_sync_bar(
            cart, self.window, self.bar, self.bridge, self.worker
        )
        self.worker.start()
        self.window.show()

    def wait_for_status(self, qtbot: QtBot, after: int, attention: int) -> None:
        """Until a status newer than the first ``after`` says ``attention`` items are parked."""
        qtbot.waitUntil(
            lambda: len(self.statuses) > after and self.statuses[-1].needs_attention == attention,
            timeout=3000,
        )


def _park_two(cart: Cart) -> list[int]:
    submit = _submitter(cart, None)
    for category in ("printing", "network"):
        submit(IssueDraft(category=category, reporter="104233", description="label scheef"))
    outbox = OutboxStore(cart.db)
    seqs = [item.seq for item in outbox.due(utc_now())]
    for seq in seqs:
        outbox.park(seq, utc_now(), "Queue 'ICT-B4' does not exist")
    return seqs


def test_retry_from_the_list_requeues_the_item_and_wakes_the_worker(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    first, second = _park_two(cart)
    screen = Screen(qtbot, cart)
    try:
        screen.wait_for_status(qtbot, 0, attention=2)
        bar = screen.bar
        assert bar.attention.text() == "Aandacht nodig (2)"
        qtbot.mouseClick(bar.attention, Qt.MouseButton.LeftButton)
        view = screen.attention
        qtbot.waitUntil(view.isVisible, timeout=2000)
        card = view.cards[first]
        assert card.heading.text().endswith("· Nieuwe melding")
        assert card.about.text() == "Printen & etiketten · label scheef"
        assert card.message.text() == "De servicedesk meldt: Queue 'ICT-B4' does not exist"
        assert not card.discard.isVisible() and card.technicians_only.isVisible()
        seen = len(screen.statuses)
        qtbot.mouseClick(card.retry, Qt.MouseButton.LeftButton)
        assert OutboxStore(cart.db).get(first).state is OutboxState.PENDING
        assert view.outcome.text() == f"{card.reference} wordt opnieuw verzonden."
        # The worker woke (its probe interval is an hour) and said so; strip and list follow.
        screen.wait_for_status(qtbot, seen, attention=1)
        qtbot.waitUntil(lambda: bar.attention.text() == "Aandacht nodig (1)", timeout=2000)
        assert list(view.cards) == [second]
        assert _audit(cart, "sync.retry_requested") == [(SCREEN_ACTOR, f"seq={first}")]
    finally:
        assert screen.worker.stop(timeout=3.0)


def _audit(cart: Cart, action: str) -> list[tuple[str, str]]:
    with cart.db.read() as session:
        return [(e.actor, e.detail) for e in audit.entries(session) if e.action == action]


def _sign_in(qtbot: QtBot, screen: Screen) -> None:
    screen.window.show_technician()
    qtbot.keyClicks(screen.sign_in.staff, TECHNICIAN)
    qtbot.keyClick(screen.sign_in.staff, Qt.Key.Key_Return)
    for key in f"{PIN}✓":
        qtbot.mouseClick(screen.sign_in.pad.keys[key], Qt.MouseButton.LeftButton)
    assert screen.window.technician == TECHNICIAN


def test_only_a_technician_discards_and_only_after_a_second_tap(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    first, second = _park_two(cart)
    TechnicianStore(cart.db, cart.settings.config.lockout_policy()).add(
        TECHNICIAN, PIN, utc_now(), "test"
    )
    screen = Screen(qtbot, cart)
    try:
        actions = OutboxAttention(
            OutboxStore(cart.db), cart.issues, lambda: screen.window.technician, screen.worker.wake,
            utc_now,
        )  # fmt: skip
        with pytest.raises(NotAllowedError):
            actions.discard(first)  # enforced below the screen too, not just a hidden button
        assert OutboxStore(cart.db).get(first).state is OutboxState.NEEDS_ATTENTION
        _sign_in(qtbot, screen)
        screen.wait_for_status(qtbot, 0, attention=2)
        qtbot.mouseClick(screen.bar.attention, Qt.MouseButton.LeftButton)
        card = screen.attention.cards[second]
        assert card.discard.isVisible() and not card.technicians_only.isVisible()
        qtbot.mouseClick(card.discard, Qt.MouseButton.LeftButton)
        assert card.asking and card.question.text().startswith("Weggooien?")
        assert OutboxStore(cart.db).get(second).state is OutboxState.NEEDS_ATTENTION, "not yet"
        qtbot.mouseClick(card.cancel, Qt.MouseButton.LeftButton)
        assert not card.asking and card.retry.isVisible()
        qtbot.mouseClick(card.discard, Qt.MouseButton.LeftButton)
        seen = len(screen.statuses)
        qtbot.mouseClick(card.confirm, Qt.MouseButton.LeftButton)
        assert OutboxStore(cart.db).get(second).state is OutboxState.DISCARDED
        screen.wait_for_status(qtbot, seen, attention=1)
        assert _audit(cart, "sync.discarded") == [(TECHNICIAN, f"seq={second}")]
        assert list(screen.attention.cards) == [first]
    finally:
        assert screen.worker.stop(timeout=3.0)


@pytest.mark.usefixtures("themed")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_with_the_strip_fits_the_cart_screen(
    qtbot: QtBot, cart: Cart, translator: Translator, language: str
) -> None:
    translator.switch(language)
    QApplication.processEvents()  # the language change reaches the widgets
    screen = Screen(qtbot, cart)
    try:
        screen.window.resize(1280, 800)
        QApplication.processEvents()
        hint = screen.window.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 800, hint
        assert screen.window.height() == 800 and screen.bar.isVisible()
    finally:
        assert screen.worker.stop(timeout=3.0)
