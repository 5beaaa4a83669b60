"""The thin shell the cart shows: "Report a problem" (the intake screen, the start page),
"Overview" (the store and the sync status) and "Technician" (sign-in, then the technician
screen for the person who signed in), switched with large buttons. "Dashboard" (the outcome
numbers) appears only while a technician or a manager is signed in; a manager signs in on the
same page but gets the read-only dashboard instead of the technician screen (no queue, no
bedside actions).

A "Lock" button sits on every page; while locked, the privacy screen replaces everything (the
switch included). It holds no logic of its own: pages are built by the composition root and handed
in, and the session rules that decide when to lock live in `cowapp.ui.session_control`.

The window can be shown with only its intake page (and the top bar, lock and sync strip) and
get the pages that need the opened store later (`MainWindow.attach`): the app paints the intake
screen first and opens the store right after, so a nurse sees the screen at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cowapp.ui.i18n import Retranslating, arg, installed_language
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import scroll_column

if TYPE_CHECKING:  # built by the composition root; the shell paints before they are imported
    from cowapp.ui.home import HomeSummary, HomeWindow
    from cowapp.ui.lock import LockScreen, TechnicianSignIn


class MainWindow(Retranslating, QMainWindow):
    """Three pages, a switch between them, and the lock.

    Signals:
        language_chosen(str): the other language was tapped ("nl" or "en").
        lock_requested(): the one-tap lock was tapped.
        signed_out(): the technician signed out (their screen is gone).
        pages_attached(): the pages that need the store were added (`attach`).

    Args:
        intake: the intake screen (first page, shown at start).
        overview: the overview window, embedded as the second page.
        summary: called when the overview is opened, for fresh counts.
        sign_in: the technician sign-in (third page); without it there is no technician page.
        open_technician: builds the technician screen for a signed-in staff number.
        lock: the privacy screen; without it there is no lock button.
        sync_bar: the sync status strip, shown under every page (hidden while locked).
        dashboard: the read-only outcome dashboard (a fourth page, only for a technician or
            a manager signed in), if any.
        expect_sign_in_and_lock: the sign-in and the lock come later, with `attach`; their
            buttons show from the start (the lock's disabled, as it is until someone signs in).
    """

    language_chosen = Signal(str)
    lock_requested = Signal()
    signed_out = Signal()
    pages_attached = Signal()

    def __init__(
        self,
        intake: QWidget,
        overview: HomeWindow | None = None,
        summary: Callable[[], HomeSummary] | None = None,
        sign_in: TechnicianSignIn | None = None,
        open_technician: Callable[[str], QWidget] | None = None,
        lock: LockScreen | None = None,
        sync_bar: QWidget | None = None,
        dashboard: QWidget | None = None,
        expect_sign_in_and_lock: bool = False,
    ) -> None:
        super().__init__()
        self._dashboard: QWidget | None = None
        self._overview: HomeWindow | None = None
        self._summary: Callable[[], HomeSummary] | None = None
        self._sign_in: TechnicianSignIn | None = None
        self._open_technician = open_technician
        self._technician: str | None = None
        self._manager: str | None = None
        self._lock: LockScreen | None = None
        # Their buttons show from the first paint when they come with `attach`: no jump then.
        self._sign_in_coming = self._lock_coming = expect_sign_in_and_lock
        self.setWindowTitle("cowapp")
        self.resize(1280, 800)
        self._pages = QStackedWidget()
        self._pages.addWidget(intake)
        self._tech_pages = QStackedWidget()  # sign-in, then the signed-in technician's screen
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._switch())
        layout.addWidget(self._pages, 1)
        if sync_bar is not None:
            layout.addWidget(sync_bar)
        self._screens = QStackedWidget()  # the working pages, or the privacy screen over them
        self._screens.addWidget(body)
        self.setCentralWidget(self._screens)
        self._add_sign_in_and_lock(sign_in, lock)
        if overview is not None and summary is not None:
            self.attach(overview, summary, open_technician, dashboard)
        self.retranslate_ui()

    def attach(
        self,
        overview: HomeWindow,
        summary: Callable[[], HomeSummary],
        open_technician: Callable[[str], QWidget] | None = None,
        dashboard: QWidget | None = None,
        sign_in: TechnicianSignIn | None = None,
        lock: LockScreen | None = None,
    ) -> None:
        """Add the pages that need the opened store, behind the intake page already on screen.

        Args:
            overview: the overview window, embedded as the second page.
            summary: called when the overview is opened, for fresh counts.
            open_technician: builds the technician screen for a signed-in staff number.
            dashboard: the read-only outcome dashboard, if any.
            sign_in: the technician sign-in, unless the window was built with one.
            lock: the privacy screen, unless the window was built with one.
        """
        self._add_sign_in_and_lock(sign_in, lock)
        self._overview, self._summary = overview, summary
        if open_technician is not None:
            self._open_technician = open_technician
        self.setWindowTitle(overview.windowTitle())
        overview.setWindowFlags(Qt.WindowType.Widget)  # a page here, not a window of its own
        # It scrolls rather than making the window taller than the cart's screen.
        self._overview_page = scroll_column(overview)
        self._pages.addWidget(self._overview_page)
        if self._sign_in is not None:
            self._pages.addWidget(self._tech_pages)
        if dashboard is not None:
            self._dashboard = dashboard
            self._pages.addWidget(dashboard)
        self._sign_in_coming = self._lock_coming = False
        self._show_switches()
        self.pages_attached.emit()

    @property
    def ready(self) -> bool:
        """Whether the pages behind the intake page are attached (the store is open)."""
        return self._overview is not None

    def _add_sign_in_and_lock(
        self, sign_in: TechnicianSignIn | None, lock: LockScreen | None
    ) -> None:
        if sign_in is not None:
            self._sign_in = sign_in
            self._tech_pages.addWidget(sign_in)
            sign_in.signed_in.connect(self._on_sign_in_signed_in)
        if lock is not None:
            self._lock = lock
            self._screens.addWidget(lock)
            self._lock_button.setVisible(True)

    @property
    def locked(self) -> bool:
        """Whether the privacy screen is shown."""
        return self._lock is not None and self._screens.currentWidget() is self._lock

    def show_lock(self, user: str) -> None:
        """Hide every page behind the privacy screen (which shows only ``user``)."""
        if self._lock is None:
            return
        del user  # the lock screen is told who by the session; nothing else of it shows
        for dialog in self.findChildren(QDialog):  # e.g. the needs-attention list: not over it
            dialog.reject()
        self._screens.setCurrentWidget(self._lock)
        self._lock.setFocus()  # a badge scan or PIN digits go to the lock screen

    def hide_lock(self) -> None:
        """Back to the page that was on screen before the lock."""
        self._screens.setCurrentIndex(0)
        page = self._pages.currentWidget()
        if page is not None:
            page.setFocus()

    def add_notice(self, notice: QWidget) -> None:
        """Show ``notice`` (e.g. "this is a demo") in the free space of the top bar."""
        while self._notice_slot.takeAt(0) is not None:
            pass  # the stretch that held the place
        self._notice_slot.addWidget(notice)

    def set_lock_available(self, available: bool) -> None:
        """Enable the lock button while someone is signed in (nothing to lock otherwise)."""
        self._lock_button.setEnabled(available)

    @property
    def technician(self) -> str | None:
        """The staff number of the signed-in technician, None in nurse mode (and for a manager:
        whatever acts as "the technician", such as retrying a sync item, is not theirs to do)."""
        return self._technician

    @property
    def manager(self) -> str | None:
        """The staff number of the signed-in manager, or None."""
        return self._manager

    @property
    def dashboard_available(self) -> bool:
        """Whether the Dashboard button is offered (a technician or a manager is signed in)."""
        return self._dashboard is not None and (self._technician or self._manager) is not None

    def show_intake(self) -> None:
        """Back to reporting (also where an ended session returns to)."""
        self._buttons[0].setChecked(True)
        self._pages.setCurrentIndex(0)
        page = self._pages.currentWidget()
        if page is not None:
            page.setFocus()  # the intake screen takes a badge scan

    def show_overview(self) -> None:
        """The store and sync status, with fresh counts."""
        if self._overview is None or self._summary is None:
            self._buttons[0].setChecked(True)  # not attached yet: the store is being opened
            return
        self._overview.set_summary(self._summary())
        self._buttons[1].setChecked(True)
        self._pages.setCurrentWidget(self._overview_page)
        self._pages.setFocus()  # no focus ring left on the tapped switch

    def show_technician(self) -> None:
        """Sign-in, or the technician screen of whoever signed in."""
        if not self.ready or self._sign_in is None:
            self._buttons[0].setChecked(True)  # not attached yet: the store is being opened
            return
        self._buttons[2].setChecked(True)
        self._pages.setCurrentWidget(self._tech_pages)
        page = self._tech_pages.currentWidget()
        if page is self._sign_in:
            self._sign_in.staff.setFocus()  # a badge scan goes straight into the staff field
        elif page is not None:
            page.setFocus()

    def show_dashboard(self) -> None:
        """The outcome dashboard (it loads fresh numbers when shown); only while a technician
        or a manager is signed in."""
        if self._dashboard is not None and self.dashboard_available:
            self._buttons[3].setChecked(True)
            self._pages.setCurrentWidget(self._dashboard)

    def sign_out(self) -> None:
        """End technician mode: drop the screen (nothing of it stays) and return to intake."""
        while (page := self._tech_pages.widget(1)) is not None:
            self._tech_pages.removeWidget(page)
            page.setParent(None)  # out of the window at once, not at the next event loop turn
            page.deleteLater()
        was_signed_in = (self._technician or self._manager) is not None
        self._technician = self._manager = None
        if self._sign_in is not None:
            self._sign_in.reset()
        self._sign_out.setVisible(False)
        self._show_switches()
        self.show_intake()
        if was_signed_in:
            self.signed_out.emit()

    def retranslate_ui(self) -> None:
        """Set the switch's texts in the installed language."""
        self._buttons[0].setText(self.tr("Report a problem"))
        self._buttons[1].setText(self.tr("Overview"))
        self._buttons[2].setText(self.tr("Technician"))
        self._buttons[3].setText(self.tr("Dashboard"))
        self._sign_out.setText(arg(self.tr("Sign out %1"), self._technician or self._manager or ""))
        self._lock_button.setText(self.tr("Lock"))
        # Named in its own language: whoever cannot read the current one still finds theirs.
        self._language.setText("English" if self._dutch() else "Nederlands")
        self._lock_button.setToolTip(self.tr("Lock the screen now; the session stays yours"))

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
        self._show_switches()
        self._notice_slot = QHBoxLayout()  # free space, unless a notice is put there
        self._notice_slot.setContentsMargins(SIZES.spacing, 0, SIZES.spacing, 0)
        self._notice_slot.addStretch(1)
        row.addLayout(self._notice_slot, 1)
        self._sign_out = QPushButton()
        self._sign_out.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        set_role(self._sign_out, Role.PRIMARY)
        self._sign_out.clicked.connect(self.sign_out)
        self._sign_out.setVisible(False)
        row.addWidget(self._sign_out)
        row.addSpacing(SIZES.spacing)
        self._language = QPushButton()
        self._language.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._language.clicked.connect(
            lambda: self.language_chosen.emit("en" if self._dutch() else "nl")
        )
        row.addWidget(self._language)
        self._lock_button = QPushButton()
        self._lock_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._lock_button.clicked.connect(self.lock_requested)
        self._lock_button.setVisible(self._lock_coming)
        self._lock_button.setEnabled(False)
        row.addWidget(self._lock_button)
        self._buttons[0].setChecked(True)
        return row

    @staticmethod
    def _dutch() -> bool:
        return installed_language() == "nl"

    def _show_switches(self) -> None:
        """Technician page unless a manager is signed in; Dashboard only for the signed-in."""
        technician_page = self._sign_in is not None or self._sign_in_coming
        self._buttons[2].setVisible(technician_page and self._manager is None)
        self._buttons[3].setVisible(self.dashboard_available)

    def _on_sign_in_signed_in(self, staff_id: str, role: str) -> None:
        if role == "manager":
            self._manager = staff_id
            self._sign_out.setVisible(True)
            self._show_switches()
            self.retranslate_ui()
            self.show_dashboard()
            return
        if self._open_technician is None:
            return
        self._technician = staff_id
        self._show_switches()
        from cowapp.ui.technician import TechnicianScreen  # imported by then: it built ``screen``

        screen = self._open_technician(staff_id)
        if isinstance(screen, TechnicianScreen):
            screen.walk_up_requested.connect(self.show_intake)
        self._tech_pages.addWidget(screen)
        self._tech_pages.setCurrentWidget(screen)
        self._sign_out.setVisible(True)
        self.retranslate_ui()
