"""The start window while the intake and technician screens are being built (issue 4).

It shows which cart this is, how many issues it holds per status and how many wait to be sent,
so a technician can already see the store working after ``cowapp --demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

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


@dataclass(frozen=True)
class HomeSummary:
    """What the window shows; computed by the composition root."""

    cart_id: str
    ward: str
    language: str
    counts: dict[str, int]
    pending: int


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
        layout.addStretch(1)
        layout.addWidget(
            self._label(
                "Het meldscherm voor verpleegkundigen en het technicusscherm volgen. Melden kan nu "
                "met: cowapp issue add",
                16,
            )
        )
        self.setCentralWidget(body)

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
