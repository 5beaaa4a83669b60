"""Typing into intake and opening the technician queue never wait for the network.

The real sync worker talks to a loopback server that accepts every connection and never answers
(`FaultProxy` with every request planned to HANG, so nothing reaches any upstream), with issues
queued. While the worker sits in that request, the test types a report, taps "Send now", saves
the report and signs in to the technician queue, and a `QTimer` probe on the GUI thread shows
the event loop kept turning the whole time. At the end the proxy lets go and the worker stops
within 3 s.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from cowapp.composition import _submitter, _summary, _technician_screen, _verifier, connect_sync_bar
from cowapp.domain.intake import IssueDraft
from cowapp.settings import load_settings
from cowapp.storage.outbox_store import OutboxStore
from cowapp.storage.technician_store import TechnicianStore
from cowapp.sync.worker import SyncWorker
from cowapp.ui.home import HomeWindow
from cowapp.ui.i18n import Translator
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.lock import TechnicianSignIn
from cowapp.ui.main_window import MainWindow
from cowapp.ui.sync_bar import SyncBar
from cowapp.ui.sync_bridge import SyncStatusBridge
from cowapp.ui.technician import TechnicianScreen
from cowapp.wiring import Cart, SyncParts, open_cart, utc_now
from tests.fakes.fault_proxy import Fault, FaultProxy
from tests.integration.sync_helpers import engine_for

LEFT = Qt.MouseButton.LeftButton
HANG_SECONDS = 60.0  # the server's silence and the client's timeout: far longer than the test
PROBE_MS = 20
MAX_LAG = 1.0  # seconds between two probe ticks; a GUI waiting on the network would stall 60 s
UNUSED_UPSTREAM = "http://127.0.0.1:9"  # every request hangs, so the proxy never forwards


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[Cart]:
    (tmp_path / "config.toml").write_text('[cart]\nid = "COW-07"\nward = "B4 Interne"\n')
    opened = open_cart(load_settings(tmp_path))
    yield opened
    opened.close()


class Probe:
    """Records when a GUI-thread timer fires; its largest gap is how long events waited."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer(interval=PROBE_MS)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def turn(self, qtbot: QtBot) -> None:
        """Let the event loop run until the timer fired again (after each step of the test)."""
        seen = len(self.ticks)
        qtbot.waitUntil(lambda: len(self.ticks) > seen, timeout=int(HANG_SECONDS * 1000))
        if seen:  # the step just taken held the loop from the tick before it to this one
            lag = self.ticks[seen] - self.ticks[seen - 1]
            assert lag < MAX_LAG, f"the GUI stalled {lag:.2f} s in this step"

    def worst_lag(self) -> float:
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


def test_gui_keeps_handling_events_while_the_server_hangs(
    qtbot: QtBot, cart: Cart, translator: Translator
) -> None:
    TechnicianStore(cart.db, cart.settings.config.lockout_policy()).add(
        "20411", "4719", utc_now(), "test"
    )
    submit_queued = _submitter(cart, None)
    for category in ("printing", "network", "signin"):
        submit_queued(IssueDraft(category=category, reporter="104233"))
    with FaultProxy(UNUSED_UPSTREAM, hang_limit=HANG_SECONDS) as proxy:
        proxy.plan(Fault.HANG, times=1000)

        def open_engine() -> SyncParts:
            return engine_for(
                proxy.url, "1-2-token", cart.issues, OutboxStore(cart.db),
                cart.settings.taxonomy, utc_now, timeout=HANG_SECONDS,
            )  # fmt: skip

        overview = HomeWindow(_summary(cart))
        bridge = SyncStatusBridge(overview)
        worker = SyncWorker(open_engine, OutboxStore(cart.db), bridge.publish, utc_now, 30.0)
        intake = IntakeScreen(cart.settings.taxonomy, _submitter(cart, worker), "B4 Interne")
        sign_in = TechnicianSignIn(_verifier(cart))
        bar = SyncBar(configured=True)
        window = MainWindow(
            intake,
            overview,
            lambda: _summary(cart),
            sign_in,
            _technician_screen(cart),
            sync_bar=bar,
        )
        qtbot.addWidget(window)
        connect_sync_bar(cart, window, bar, bridge, worker)
        window.show()
        worker.start()
        try:
            # The worker's first request has reached the server, which will not answer.
            qtbot.waitUntil(lambda: proxy.count() >= 1, timeout=5000)
            probe = Probe()
            probe.turn(qtbot)
            _report_a_problem(qtbot, intake, bar, probe)
            assert OutboxStore(cart.db).summary(utc_now()).pending == 4, "saved while it hangs"
            _open_the_queue(qtbot, window, sign_in, probe)
            probe.timer.stop()
            assert probe.worst_lag() < MAX_LAG, f"the GUI stalled {probe.worst_lag():.2f} s"
            assert [r.fault_applied for r in proxy.requests] == [Fault.HANG] * len(proxy.requests)
            assert bar.status is None, "the worker is still in its first request"
            assert bar.state.text() == "Verbinding controleren…"
        finally:
            proxy.release()  # the hung request ends with a closed connection
            started = time.monotonic()
            stopped = worker.stop(timeout=3.0)
            elapsed = time.monotonic() - started
    assert stopped and elapsed < 3.0, f"the worker took {elapsed:.2f} s to stop"


def _report_a_problem(qtbot: QtBot, intake: IntakeScreen, bar: SyncBar, probe: Probe) -> None:
    """Tap a category, tap Send now, type the staff number, save; the loop turns after each."""
    printing = next(t for t in intake._tiles.values() if t.label == "Printen & etiketten")
    qtbot.mouseClick(printing, LEFT)
    probe.turn(qtbot)
    qtbot.mouseClick(bar.send_now, LEFT)  # wakes the busy worker: must not wait for it
    probe.turn(qtbot)
    assert bar.send_now.text() == "Verzenden…"
    qtbot.keyClicks(intake._staff, "104233")
    probe.turn(qtbot)
    assert intake._staff.text() == "104233"
    with qtbot.waitSignal(intake.issue_submitted, timeout=2000):
        qtbot.keyClick(intake._staff, Qt.Key.Key_Return)
    probe.turn(qtbot)


def _open_the_queue(
    qtbot: QtBot, window: MainWindow, sign_in: TechnicianSignIn, probe: Probe
) -> None:
    """Sign in with the PIN pad and see the technician queue with the queued issues."""
    window.show_technician()
    qtbot.keyClicks(sign_in.staff, "20411")
    qtbot.keyClick(sign_in.staff, Qt.Key.Key_Return)
    probe.turn(qtbot)
    for key in "4719✓":
        qtbot.mouseClick(sign_in.pad.keys[key], LEFT)
    probe.turn(qtbot)
    [screen] = window.findChildren(TechnicianScreen)
    qtbot.waitUntil(screen.isVisible, timeout=2000)
    assert screen.model.rowCount() == 4
