"""The thin shell the cart shows: a "Report a problem" page (the intake screen, the default) and
an "Overview" page (the store and the sync status), switched with two large buttons.

It holds no logic of its own; pages are built by the composition root and handed in.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cowapp.ui.home import HomeSummary, HomeWindow
from cowapp.ui.theme import SIZES, Role, set_role


class MainWindow(QMainWindow):
    """Two pages and a switch between them.

    Args:
        intake: the intake screen (first page, shown at start).
        overview: the overview window, embedded as the second page.
        summary: called when the overview is opened, for fresh counts.
    """

    def __init__(
        self, intake: QWidget, overview: HomeWindow, summary: Callable[[], HomeSummary]
    ) -> None:
        super().__init__()
        self._overview, self._summary = overview, summary
        self.setWindowTitle(overview.windowTitle())
        self.resize(1280, 800)
        overview.setWindowFlags(Qt.WindowType.Widget)  # a page here, not a window of its own
        self._pages = QStackedWidget()
        self._pages.addWidget(intake)
        self._pages.addWidget(overview)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._switch())
        layout.addWidget(self._pages, 1)
        self.setCentralWidget(body)
        self.retranslate_ui()

    def show_intake(self) -> None:
        """Back to reporting (also where an ended session returns to)."""
        self._buttons[0].setChecked(True)
        self._pages.setCurrentIndex(0)
        page = self._pages.currentWidget()
        if page is not None:
            page.setFocus()  # the intake screen takes a badge scan

    def show_overview(self) -> None:
        """The store and sync status, with fresh counts."""
        self._overview.set_summary(self._summary())
        self._buttons[1].setChecked(True)
        self._pages.setCurrentIndex(1)
        self._pages.setFocus()  # no focus ring left on the tapped switch

    def retranslate_ui(self) -> None:
        """Set the switch's texts in the installed language."""
        self._buttons[0].setText(self.tr("Report a problem"))
        self._buttons[1].setText(self.tr("Overview"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        """Re-translate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _switch(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(SIZES.margin // 2, SIZES.spacing, SIZES.margin // 2, 0)
        group = QButtonGroup(self)
        self._buttons: list[QPushButton] = []
        for index, action in enumerate((self.show_intake, self.show_overview)):
            button = QPushButton()
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            set_role(button, Role.SEGMENT)
            button.clicked.connect(action)
            group.addButton(button, index)
            self._buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self._buttons[0].setChecked(True)
        return row
