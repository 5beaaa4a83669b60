"""The start window while the intake and technician screens are being built (issue 4).

It shows which cart this is, how many issues it holds per status and how many wait to be sent,
so a technician can already see the store working after ``cowapp --demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from cowapp.sync.status import Connection, SyncStatus

_STATUS_NL = {
    "new": "Nieuw",
    "in_progress": "In behandeling",
    "resolved": "Opgelost aan het bed",
    "instructed": "Uitleg gegeven",
    "no_fault_found": "Geen storing gevonden",
    "escalated": "Doorgezet",
    "remote_resolved": "Opgelost door IT",
    "remote_closed": "Gesloten door IT",
}


NO_SYNC = "Geen centrale servicedesk ingesteld: meldingen blijven op deze kar"
CHECKING = "Verbinding met de centrale servicedesk controleren…"


def describe_sync(status: SyncStatus) -> str:
    """One Dutch line about the sync status, for people (no jargon)."""
    if status.connection is Connection.ONLINE:
        when = status.last_sync.astimezone().strftime("%H:%M") if status.last_sync else "-"
        text = f"Verbonden met de centrale servicedesk · laatst verzonden {when}"
    elif status.connection is Connection.PAUSED:
        text = "Verzenden gepauzeerd: de technicus moet de inloggegevens opnieuw instellen"
    elif status.connection is Connection.OFFLINE:
        text = "Geen verbinding met de centrale servicedesk: meldingen blijven veilig op de kar"
    else:
        text = CHECKING
    if status.needs_attention:
        text += f" · {status.needs_attention} vraagt aandacht"
    return text


@dataclass(frozen=True)
class HomeSummary:
    """What the window shows; computed by the composition root."""

    cart_id: str
    ward: str
    language: str
    counts: dict[str, int]
    pending: int
    sync_enabled: bool = False


class HomeWindow(QMainWindow):
    """A plain, large-type overview of the cart's store."""

    def __init__(self, summary: HomeSummary) -> None:
        super().__init__()
        self.setWindowTitle(f"cowapp — {summary.cart_id}")
        self.resize(1280, 800)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addWidget(self._label(f"Kar {summary.cart_id} · {summary.ward}", 32, bold=True))
        total = sum(summary.counts.values())
        layout.addWidget(self._label(f"{total} meldingen op deze kar", 22))
        for status, label in _STATUS_NL.items():
            if summary.counts.get(status):
                layout.addWidget(self._label(f"{label}: {summary.counts[status]}", 20))
        layout.addWidget(self._label(f"Wacht op verzending: {summary.pending}", 20))
        self._sync_label = self._label(NO_SYNC if not summary.sync_enabled else CHECKING, 20)
        layout.addWidget(self._sync_label)
        layout.addStretch(1)
        layout.addWidget(
            self._label(
                "Het meldscherm voor verpleegkundigen en het technicusscherm volgen. Melden kan nu "
                "met: cowapp issue add",
                16,
            )
        )
        self.setCentralWidget(body)

    def show_sync(self, status: SyncStatus) -> None:
        """Slot for `SyncStatusBridge.status_changed`: say where sending stands."""
        self._sync_label.setText(describe_sync(status))

    @staticmethod
    def _label(text: str, points: int, bold: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = label.font()
        font.setPointSize(points)
        font.setBold(bold)
        label.setFont(font)
        return label
