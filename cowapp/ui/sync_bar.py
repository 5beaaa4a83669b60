"""The sync status strip at the foot of every screen: where sending stands, at a glance.

It shows the connection to the central service desk in words (connected, no connection, paused
for login details, checking, not set up), how many issues wait to be sent and how old the oldest
is, when the cart last heard from the service desk, a "Send now" button and, when items were
parked for a person, an "Needs attention (N)" button. It is fed only by `SyncStatus` objects (from
the worker, through `SyncStatusBridge`) and its own clock; it never reads the database or the
network, so nothing it does can block the screen. What the buttons do is up to the composition
root, which connects the signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cowapp.sync.status import Connection, SyncStatus
from cowapp.ui.i18n import Retranslating, arg
from cowapp.ui.labels import age_text
from cowapp.ui.theme import MIN_TOUCH, SIZES, Role, set_role
from cowapp.ui.widgets import button_text, keep_text_whole, role_label

log = logging.getLogger(__name__)

NOT_SET_UP = "not_set_up"
"""The strip's state when the cart has no central service desk configured (no worker runs)."""

# The state in a few words, shown first on the strip (context "SyncBar"; str(): see home.py).
STATE_LABELS: dict[str, str] = {
    Connection.STARTING: str(QT_TRANSLATE_NOOP("SyncBar", "Checking connection…")),
    Connection.ONLINE: str(QT_TRANSLATE_NOOP("SyncBar", "Connected")),
    Connection.OFFLINE: str(QT_TRANSLATE_NOOP("SyncBar", "No connection")),
    Connection.PAUSED: str(QT_TRANSLATE_NOOP("SyncBar", "Sending paused")),
    NOT_SET_UP: str(QT_TRANSLATE_NOOP("SyncBar", "No service desk")),
}

# A tapped "Send now" shows it is busy until the next status, or at most this long.
_BUSY_MS = 30_000
# The oldest item's age ticks on between statuses (the worker may be quiet for a while).
_TICK_MS = 30_000


class SyncBar(Retranslating, QWidget):
    """A one-row strip: state and queue on the left, attention and send-now buttons on the right.

    Signals:
        sync_requested(): the user tapped "Send now" (the composition wakes the worker).
        attention_requested(): the user tapped "Needs attention (N)" (open the list).

    Args:
        configured: whether a central service desk is set up (else: no worker, no buttons).
        clock: the current UTC time, for the age of the oldest waiting item.
        parent: the owning widget.
    """

    sync_requested = Signal()
    attention_requested = Signal()

    def __init__(
        self,
        configured: bool,
        clock: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._configured = configured
        self._clock = clock or (lambda: datetime.now(UTC))
        self._status: SyncStatus | None = None
        self.state = role_label(None, wrap=False)
        font = QFont(self.state.font())
        font.setPointSize(SIZES.large_pt)
        font.setBold(True)
        self.state.setFont(font)  # the roles below colour it; the size stays
        self.details = role_label(None)  # body size, may wrap: the strip stays one row high
        # A wrapping label asks for its height at its narrowest; the row's buttons set it.
        self.details.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.attention = _button(Role.WARNING)
        self.attention.clicked.connect(self.attention_requested)
        self.send_now = _button(None)
        self.send_now.clicked.connect(self._on_send_now_clicked)
        self._layout()
        self._busy = QTimer(self, singleShot=True, interval=_BUSY_MS)
        self._busy.timeout.connect(self._end_busy)
        self._tick = QTimer(self, interval=_TICK_MS)
        self._tick.timeout.connect(self._render)
        self._tick.start()
        self.retranslate_ui()

    @property
    def status(self) -> SyncStatus | None:
        """The last status shown (None before the worker's first one)."""
        return self._status

    def show_status(self, status: SyncStatus) -> None:
        """Slot for `SyncStatusBridge.status_changed`: show where sending stands now."""
        self._status = status
        self._end_busy()
        self._render()

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._render()

    # -- internals ------------------------------------------------------------------------------

    def _layout(self) -> None:
        outer = QVBoxLayout(self)  # lined up with the page switch above, clear of the edge
        outer.setContentsMargins(SIZES.margin // 2, 0, SIZES.margin // 2, 6)
        card = QFrame()
        set_role(card, Role.CARD)
        # Buttons at the touch minimum rather than the usual control height, so that the
        # tallest page, the page switch and this strip fit a 1280×800 screen. Heights in QSS
        # count the content: take off the padding (8 + 8) and the border (2 + 2).
        inner = MIN_TOUCH - 2 * (8 + SIZES.border_width)
        card.setStyleSheet(f"QPushButton {{ min-height: {inner}px; max-height: {inner}px; }}")
        outer.addWidget(card)
        row = QHBoxLayout(card)
        row.setContentsMargins(SIZES.spacing, 2, SIZES.spacing, 2)
        row.setSpacing(SIZES.spacing)
        row.addWidget(self.state)
        row.addWidget(self.details, 1)
        row.addWidget(self.attention, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.send_now, 0, Qt.AlignmentFlag.AlignVCenter)

    def _state_key(self) -> str:
        if not self._configured:
            return NOT_SET_UP
        return self._status.connection if self._status else Connection.STARTING

    def _render(self) -> None:
        key = self._state_key()
        self.state.setText(QCoreApplication.translate("SyncBar", STATE_LABELS[key]))
        set_role(self.state, _STATE_ROLES.get(key))
        self.details.setText(self._details_text())
        attention = self._status.needs_attention if self._status else 0
        self.attention.setText(button_text(arg(self.tr("Needs attention (%1)"), attention)))
        self.attention.setVisible(attention > 0)
        if self._busy.isActive():
            self.send_now.setText(button_text(self.tr("Sending…")))
        else:
            self.send_now.setText(button_text(self.tr("Send now")))
        self.send_now.setVisible(self._configured)
        for button in (self.attention, self.send_now):
            keep_text_whole(button)

    def _details_text(self) -> str:
        status = self._status
        if not self._configured:
            return self.tr("Issues stay on this cart")
        if status is None:
            return ""
        parts = []
        if status.connection is Connection.PAUSED:
            parts.append(self.tr("a technician must enter the login details"))
        if status.pending:
            parts.append(self.tr("%n waiting to be sent", None, status.pending))
            if status.oldest_pending_at is not None:
                oldest = age_text(status.oldest_pending_at, self._clock())
                parts.append(arg(self.tr("oldest %1"), oldest))
        else:
            parts.append(self.tr("Nothing waiting"))
        if status.last_sync is not None:
            parts.append(arg(self.tr("last synced %1"), _when(status.last_sync, self._clock())))
        return " · ".join(parts)

    def _on_send_now_clicked(self) -> None:
        self._busy.start()
        self.send_now.setEnabled(False)
        self._render()
        self.sync_requested.emit()

    def _end_busy(self) -> None:
        self._busy.stop()
        self.send_now.setEnabled(True)
        self._render()


_STATE_ROLES: dict[str, Role] = {
    Connection.ONLINE: Role.SUCCESS,
    Connection.PAUSED: Role.WARNING,
    NOT_SET_UP: Role.MUTED,
}


def _button(role: Role | None) -> QPushButton:
    button = QPushButton()
    # A tap keeps no focus: the badge reader must still type into the screen's staff field.
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    set_role(button, role)
    return button


def _when(moment: datetime, now: datetime) -> str:
    """A local time of day, with the date when it was not today."""
    local, today = moment.astimezone(), now.astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d-%m %H:%M")
