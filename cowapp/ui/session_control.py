"""The shared-cart rules on screen: idle lock, session end, one-tap lock and drafts per author.

`SessionControl` connects the domain's `CartSession` (who is signed in, when the privacy screen
comes up, when the session ends) to the widgets: the main window's lock page, the intake screen
whose unfinished report is the author's draft, and the technician sign-in. Input anywhere in the
application (an `IdleFilter`) counts as activity; a `SessionTicker` applies the idle rules once a
second. Every session change is handed to ``record`` for the audit log.

A manager signs in with a PIN on the same page as a technician and is treated like one here:
the PIN to continue after the lock, the same idle lock and session end, the role in the audit.

Who is the author: a technician (or manager) after their PIN; a nurse once her staff number is
scanned or typed on the intake screen. A form nobody has put their name to belongs to no one, so
after the idle time it is cleared instead of being kept: the next person never sees it. A draft is
kept for its author when their session locks or ends and comes back when they sign in again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject

from cowapp.domain.errors import DomainError
from cowapp.domain.session import (
    CartSession,
    Role,
    SessionEvent,
    SessionEventKind,
    SessionState,
)
from cowapp.ui.idle import IdleFilter, SessionTicker
from cowapp.ui.intake import IntakeScreen
from cowapp.ui.lock import LockScreen, SignInResult, TechnicianSignIn
from cowapp.ui.main_window import MainWindow

log = logging.getLogger(__name__)

Record = Callable[[Sequence[SessionEvent]], None]
Verify = Callable[[str, str], SignInResult]


class SessionControl(QObject):
    """Applies `CartSession` to the main window, the intake screen and the lock screen.

    Args:
        session: the cart's session (its clock decides; tests inject a fake one).
        window: the main window (it shows the lock page and drops the technician screen).
        intake: the intake screen (its form is the signed-in person's draft).
        lock: the privacy screen shown over everything while locked.
        verify: the technician PIN check (counted and audited by the store).
        record: writes session events to the audit log.
        sign_in: the technician sign-in page, whose success starts a technician session.
        clock: the same clock as the session's (for the form nobody has signed).
    """

    def __init__(
        self,
        session: CartSession,
        window: MainWindow,
        intake: IntakeScreen,
        lock: LockScreen,
        verify: Verify,
        record: Record,
        sign_in: TechnicianSignIn | None,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(window)
        self.session = session
        self._window, self._intake, self._lock = window, intake, lock
        self._verify, self._record, self._clock = verify, record, clock
        self._last_input = clock()
        self.ticker = SessionTicker(self, parent=self)
        self.ticker.state_changed.connect(self._apply)
        self.idle_filter = IdleFilter(self.on_activity, self)
        intake.author_entered.connect(self._on_intake_author_entered)
        intake.issue_submitted.connect(self._on_intake_issue_submitted)
        lock.resume_requested.connect(self._on_lock_resume_requested)
        lock.switch_user_requested.connect(self._on_lock_switch_user_requested)
        window.lock_requested.connect(self.lock_now)
        window.signed_out.connect(self._on_window_signed_out)
        if sign_in is not None:
            sign_in.signed_in.connect(self._on_sign_in_signed_in)
        self._show_lock_button()

    def start(self) -> None:
        """Watch the application's input and tick once a second."""
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle_filter)
        self.ticker.start()

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self.ticker.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle_filter)

    # -- what the ticker and the idle filter call ------------------------------------------------

    def tick(self) -> list[SessionEvent]:
        """Apply the idle rules: the author's draft is kept first when they are about to hide or
        end the work (also after a sleep that skipped the lock), an unsigned form is cleared."""
        locks_at = self.session.locks_at  # None unless someone's work is on screen
        if locks_at is not None and self._clock() >= locks_at:
            self._keep_draft()
        elif self.session.user is None and self._left_unsigned():
            log.info("an unsigned form was left idle; cleared so the next person won't see it")
            self._intake.reset()
        return self.session.tick()

    def on_activity(self) -> None:
        """Input somewhere in the app: the working session stays open."""
        self._last_input = self._clock()
        self._apply(self.session.touch())

    def lock_now(self) -> None:
        """The one-tap lock."""
        self._keep_draft()
        self._apply(self.session.lock())

    # -- slots -----------------------------------------------------------------------------------

    def _on_intake_author_entered(self, staff_id: str) -> None:
        if self._pin_session():
            return  # a walk-up report: the technician's session covers it, the nurse is reporter
        if self.session.user == staff_id:
            return
        if self.session.user is not None:
            # Someone else put their name to what is on screen: it is theirs now, not a draft of
            # the person before (who would otherwise get the same report back later).
            self.session.discard_draft()
            self._step_aside()
        events = self._sign_in(staff_id, Role.NURSE)
        if events is not None and not self._intake.has_content():
            self._restore_draft()

    def _on_intake_issue_submitted(self, _reference: str) -> None:
        if self.session.role is Role.NURSE:
            self.session.discard_draft()
            # Recorded, not applied: the receipt stays until "New report" or the idle time.
            self._record(self.session.sign_out())
            self._show_lock_button()

    def _on_sign_in_signed_in(self, staff_id: str, role: str) -> None:
        if self.session.user not in (None, staff_id):
            self._keep_draft()  # whoever was working steps aside; their draft is kept for them
            self._step_aside()
            self._intake.reset()
        signed_in = self._sign_in(staff_id, Role(role))
        if signed_in is not None and not self._intake.has_content():
            self._restore_draft()

    def _on_lock_resume_requested(self, staff_id: str, pin: str) -> None:
        if self._pin_session():
            if staff_id != self.session.user:
                return
            result = self._verify(staff_id, pin)
            if not result.ok:
                self._lock.show_message(result.message)
                return
        try:
            self._apply(self.session.resume(staff_id))
        except DomainError as error:
            log.info("resume refused: %s", error)
            self._lock.show_message(self._refusal())

    def _on_lock_switch_user_requested(self) -> None:
        self._apply(self.session.sign_out("switched"))

    def _on_window_signed_out(self) -> None:
        self._keep_draft()
        self._apply(self.session.sign_out())

    # -- applying --------------------------------------------------------------------------------

    def _apply(self, events: Sequence[SessionEvent]) -> None:
        if not events:
            return
        self._record(events)
        for event in events:
            if event.kind is SessionEventKind.LOCKED:
                self._keep_draft()
                self._window.show_lock(event.user)
                self._lock.show_for(event.user, event.role.uses_pin)
            elif event.kind is SessionEventKind.RESUMED:
                self._window.hide_lock()
            elif event.kind is SessionEventKind.ENDED:
                self._window.hide_lock()
                self._intake.reset()
                if event.role.uses_pin:
                    self._window.sign_out()
                else:
                    self._window.show_intake()
        self._show_lock_button()

    def _step_aside(self) -> None:
        """End the current session for someone else, recorded but without any screen change."""
        self._record(self.session.lock() + self.session.sign_out("switched"))

    def _sign_in(self, staff_id: str, role: Role) -> list[SessionEvent] | None:
        try:
            events = self.session.sign_in(staff_id, role)
        except DomainError as error:  # someone is still working; they lock first
            log.info("sign-in refused: %s", error)
            return None
        self._apply(events)
        self._show_lock_button()
        return events

    def _keep_draft(self) -> None:
        if self.session.user is not None and self._intake.has_content():
            self.session.save_draft(self._intake.draft_content())

    def _restore_draft(self) -> None:
        draft = self.session.current_draft()
        if draft:
            notice = self.tr("Your unfinished report is back: check it and tap “Save report”")
            self._intake.restore_draft(draft, notice)

    def _left_unsigned(self) -> bool:
        idle = self._clock() - self._last_input
        return idle >= self.session.policy.lock_after and not self._intake.is_blank()

    def _pin_session(self) -> bool:
        """Whether a technician or a manager (who continue with a PIN) holds the session."""
        return self.session.role is not None and self.session.role.uses_pin

    def _show_lock_button(self) -> None:
        self._window.set_lock_available(self.session.state is SessionState.ACTIVE)

    def _refusal(self) -> str:
        if self.session.user is None:
            return self.tr("The session has ended; sign in again")
        return self.tr("Only the person signed in can continue; tap “Someone else”")
