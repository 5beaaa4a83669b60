"""The strip across the top of the window in ``cowapp --demo``: says the data is made up and how
a newcomer signs in as a technician, so nobody mistakes the demo for a real cart or gets stuck at
the PIN pad.

A fixed `QToolBar` (not movable, not floatable, no context menu to hide it), so the composition
root adds it to the main window with one call and the window itself knows nothing about demos.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar, QWidget

from cowapp.ui.i18n import arg
from cowapp.ui.theme import Role, set_role


class DemoBanner(QToolBar):
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
        self.setMovable(False)
        self.setFloatable(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.toggleViewAction().setEnabled(False)  # the window's own menu cannot hide it either
        self.label = QLabel()
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        set_role(self.label, Role.NOTICE)
        self.label.setStyleSheet("padding: 4px 16px;")  # a slim strip: the screen is 800 px high
        self.addWidget(self.label)
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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Re-translate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def add_demo_banner(window: QMainWindow, staff_id: str, pin: str) -> DemoBanner:
    """Put the banner across the top of ``window`` and return it."""
    banner = DemoBanner(staff_id, pin, window)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner)
    return banner
