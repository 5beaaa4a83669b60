"""The notice in the window's top bar in ``cowapp --demo``: says the data is made up and how a
newcomer signs in as a technician, so nobody mistakes the demo for a real cart or gets stuck at
the PIN pad.

It sits in the free space of the top bar (`MainWindow.add_notice`) rather than in a strip of its
own: the cart's screen is 800 px high and every page already uses it. The window itself knows
nothing about demos.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from cowapp.ui.i18n import Retranslating, arg
from cowapp.ui.theme import Role, set_role


class DemoBanner(Retranslating, QWidget):
    """A one-line notice: demo data, and the demo technician's staff number and PIN.

    Args:
        staff_id: a demo technician's staff number.
        pin: that technician's PIN.
        parent: the owning widget.
    """

    def __init__(self, staff_id: str, pin: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._staff_id, self._pin = staff_id, pin
        self.setObjectName("demo_banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        set_role(self.label, Role.NOTICE)
        self.label.setStyleSheet("padding: 2px 12px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set the text in the installed language."""
        self.label.setText(
            arg(
                self.tr(
                    "Demo with made-up issues, gone when the app closes · Technician: %1, PIN %2"
                ),
                self._staff_id,
                self._pin,
            )
        )


class NoticeHost(Protocol):
    """A window with room for a notice (`cowapp.ui.main_window.MainWindow`)."""

    def add_notice(self, notice: QWidget) -> None:
        """Show ``notice`` in the top bar."""
        ...


def add_demo_banner(window: NoticeHost, staff_id: str, pin: str) -> DemoBanner:
    """Put the banner in ``window``'s top bar and return it."""
    banner = DemoBanner(staff_id, pin)
    window.add_notice(banner)
    return banner
