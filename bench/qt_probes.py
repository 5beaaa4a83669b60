"""Qt probes for `bench.qt_child`: a first-paint watcher and an event-loop lag timer.

In their own module so that `bench.qt_child` imports Qt only where the measured code would:
the app child imports `cowapp.app` first, as the ``cowapp`` command does.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

PROBE_MS = 10


class FirstPaint(QObject):
    """Records when a widget of ``kind`` is first painted, then calls ``then``."""

    def __init__(self, kind: type[QWidget], then: Any) -> None:
        super().__init__()
        self._kind, self._then = kind, then
        self.at: float | None = None
        self.widget: QWidget | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Note the first paint of a ``kind`` widget."""
        if (
            self.at is None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, self._kind)
        ):
            self.at = time.time()
            self.widget = watched
            QTimer.singleShot(0, self._then)
        return False


class LagProbe:
    """A 10 ms timer; each lag is how much later than due it fired (ms)."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Start measuring now."""
        self._last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lags.append(max(0.0, (now - self._last) * 1000 - PROBE_MS))
        self._last = now
