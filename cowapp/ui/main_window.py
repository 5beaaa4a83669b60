"""The thin shell the cart shows: "Report a problem" (the intake screen, the start page),
"Overview" (the store and the sync status) and "Technician" (sign-in, then the technician
screen for the person who signed in), switched with large buttons.

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
from cowapp.ui.i18n import arg
from cowapp.ui.lock import TechnicianSignIn
from cowapp.ui.theme import SIZES, Role, set_role


class MainWindow(QMainWindow):
    """Two pages and a switch between them.

    Args:
        intake: the intake screen (first page, shown at start).
        overview: the overview window, embedded as the second page.
        summary: called when the overview is opened, for fresh counts.
        sign_in: the technician sign-in (third page); without it there is no technician page.
        open_technician: builds the technician screen for a signed-in staff number.
        dashboard: the read-only outcome dashboard (a fourth page), if any.
    """

    def __init__(
        self,
        intake: QWidget,
        overview: HomeWindow,
        summary: Callable[[], HomeSummary],
        sign_in: TechnicianSignIn | None = None,
        open_technician: Callable[[str], QWidget] | None = None,
        dashboard: QWidget | None = None,
    ) -> None:
        super().__init__()
        self._dashboard = dashboard
        self._overview, self._summary = overview, summary
        self._sign_in, self._open_technician = sign_in, open_technician
        self._technician: str | None = None
        self.setWindowTitle(overview.windowTitle())
        self.resize(1280, 800)
        overview.setWindowFlags(Qt.WindowType.Widget)  # a page here, not a window of its own
        self._pages = QStackedWidget()
        self._pages.addWidget(intake)
        self._pages.addWidget(overview)
        self._tech_pages = QStackedWidget()  # sign-in, then the signed-in technician's screen
        if sign_in is not None:
            self._tech_pages.addWidget(sign_in)
            sign_in.signed_in.connect(self._on_sign_in_signed_in)
            self._pages.addWidget(self._tech_pages)
        if dashboard is not None:
            self._pages.addWidget(dashboard)
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

    def show_technician(self) -> None:
        """Sign-in, or the technician screen of whoever signed in."""
        self._buttons[2].setChecked(True)
        self._pages.setCurrentIndex(2)
        page = self._tech_pages.currentWidget()
        if self._sign_in is not None and page is self._sign_in:
            self._sign_in.staff.setFocus()  # a badge scan goes straight into the staff field
        elif page is not None:
            page.setFocus()

    def show_dashboard(self) -> None:
        """The outcome dashboard (it loads fresh numbers when shown)."""
        if self._dashboard is not None:
            self._buttons[3].setChecked(True)
            self._pages.setCurrentWidget(self._dashboard)

    def sign_out(self) -> None:
        """End technician mode: drop the screen (nothing of it stays) and return to intake."""
        while (page := self._tech_pages.widget(1)) is not None:
            self._tech_pages.removeWidget(page)
            page.deleteLater()
        self._technician = None
        if self._sign_in is not None:
            self._sign_in.reset()
        self._sign_out.setVisible(False)
        self.show_intake()

    def retranslate_ui(self) -> None:
        """Set the switch's texts in the installed language."""
        self._buttons[0].setText(self.tr("Report a problem"))
        self._buttons[1].setText(self.tr("Overview"))
        self._buttons[2].setText(self.tr("Technician"))
        self._buttons[3].setText(self.tr("Dashboard"))
        self._sign_out.setText(arg(self.tr("Sign out %1"), self._technician or ""))

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
        actions = [self.show_intake, self.show_overview, self.show_technician, self.show_dashboard]
        for index, action in enumerate(actions):
            button = QPushButton()
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            set_role(button, Role.SEGMENT)
            button.clicked.connect(action)
            group.addButton(button, index)
            self._buttons.append(button)
            row.addWidget(button)
        self._buttons[2].setVisible(self._sign_in is not None)
        self._buttons[3].setVisible(self._dashboard is not None)
        row.addStretch(1)
        self._sign_out = QPushButton()
        self._sign_out.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        set_role(self._sign_out, Role.PRIMARY)
        self._sign_out.clicked.connect(self.sign_out)
        self._sign_out.setVisible(False)
        row.addWidget(self._sign_out)
        self._buttons[0].setChecked(True)
        return row

    def _on_sign_in_signed_in(self, staff_id: str) -> None:
        if self._open_technician is None:
            return
        self._technician = staff_id
        screen = self._open_technician(staff_id)
        self._tech_pages.addWidget(screen)
        self._tech_pages.setCurrentWidget(screen)
        self._sign_out.setVisible(True)
        self.retranslate_ui()
