"""Watching for a person at the cart: an input filter for the whole app and a once-a-second tick.

`IdleFilter` reports real input (keys, mouse buttons, touch) so the session knows someone is
working; `SessionTicker` calls `CartSession.tick` once a second so the idle rules (privacy screen,
session end) apply without any input. `cowapp.ui.session_control` wires both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from cowapp.domain.session import SessionEvent

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
        QEvent.Type.TabletPress,
    }
)


class IdleFilter(QObject):
    """An application-wide event filter that reports user input (never timers or paints).

    Install with ``app.installEventFilter(IdleFilter(on_activity, app))``. A bare mouse move does
    not count (a bumped cart is no user). One input may reach several receivers (the window, then
    the widget), so ``on_activity`` may run more than once per input: keep it cheap.

    Args:
        on_activity: called for each key press, mouse button press, touch or wheel.
        parent: the owner (usually the application).
    """

    def __init__(self, on_activity: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_activity = on_activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Report input; never consumes an event."""
        if event.type() in _INPUT:
            self._on_activity()
        return False


class TickingSession(Protocol):
    """What `SessionTicker` needs of a `CartSession`."""

    def tick(self) -> Sequence[SessionEvent]:
        """Apply the idle rules now; return what changed."""
        ...


class SessionTicker(QObject):
    """Calls ``session.tick()`` every second (runs once `start` is called).

    Signals:
        state_changed(object): the non-empty list of `SessionEvent` a tick produced (for the
            screen switch and the audit log).

    Args:
        session: the cart's session.
        interval_ms: how often to tick.
        parent: the owner.
    """

    state_changed = Signal(object)

    def __init__(
        self, session: TickingSession, interval_ms: int = 1000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        """Start ticking."""
        self.timer.start()

    def stop(self) -> None:
        """Stop ticking."""
        self.timer.stop()

    def check(self) -> None:
        """Tick once now; emit `state_changed` if that changed anything."""
        events = list(self._session.tick())
        if events:
            self.state_changed.emit(events)
