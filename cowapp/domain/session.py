"""Who is using the shared cart right now, when the screen hides, and whose draft is whose.

`CartSession` is the shared-device rule of DOMAIN.md as a small state machine over an injected
clock. Signed out, the cart shows the intake screen (nurse mode). A person signs in (a nurse with
their badge, a technician after a PIN check) and the session is ACTIVE. After ``lock_after``
without input, or at once with the one-tap `CartSession.lock`, the PRIVACY screen hides the work
and shows only who is signed in; only that person can `CartSession.resume` (their PIN or badge,
checked by the caller), while someone else signing in ends the previous session. After
``end_after`` without input the session ends and the cart is back at intake. A tap on the privacy
screen does not count as input: a passer-by cannot keep someone else's session alive.

`DraftBook` keeps one unfinished report per author: it is handed back only to that author, also
after their session ended, and dropped after ``max_age``. Every change of state yields
`SessionEvent` data for the audit log; persisting them is the caller's job.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cowapp.domain.errors import DomainError
from cowapp.domain.intake import check_staff_number

Clock = Callable[[], datetime]


class Role(enum.StrEnum):
    """What the signed-in person may do on the cart."""

    NURSE = "nurse"
    TECHNICIAN = "technician"
    MANAGER = "manager"  # signs in with a PIN like a technician; sees only the dashboard

    @property
    def uses_pin(self) -> bool:
        """Whether this role signs in (and continues after a lock) with a PIN."""
        return self is not Role.NURSE


class SessionState(enum.StrEnum):
    """What the cart shows: intake (nobody signed in), someone's work, or the privacy screen."""

    SIGNED_OUT = "signed_out"
    ACTIVE = "active"
    PRIVACY = "privacy"


class SessionEventKind(enum.StrEnum):
    """A change of session state worth an audit entry (action ``session.<kind>``)."""

    SIGNED_IN = "signed_in"
    LOCKED = "locked"
    RESUMED = "resumed"
    ENDED = "ended"


class SessionError(DomainError):
    """A session action that the shared-device rules do not allow (message for the screen)."""


@dataclass(frozen=True)
class SessionEvent:
    """One session change, for the audit log.

    Attributes:
        kind: what happened.
        at: device time (UTC).
        user: the staff number whose session it is.
        role: their role in that session.
        reason: ``tap``, ``idle``, ``sign_out``, ``switched`` or "" (coded, never free text).
    """

    kind: SessionEventKind
    at: datetime
    user: str
    role: Role
    reason: str = ""

    @property
    def action(self) -> str:
        """The audit action, e.g. ``session.locked``."""
        return f"session.{self.kind.value}"

    @property
    def detail(self) -> str:
        """The audit detail, e.g. ``role=technician;reason=idle``."""
        return f"role={self.role.value}" + (f";reason={self.reason}" if self.reason else "")


@dataclass(frozen=True)
class SessionPolicy:
    """The cart's idle times (from config.toml ``[session]``).

    Attributes:
        lock_after: idle time before the privacy screen.
        end_after: idle time before the session ends (longer than ``lock_after``).
        draft_max_age: how long an unfinished report is kept for its author.
    """

    lock_after: timedelta = timedelta(seconds=120)
    end_after: timedelta = timedelta(seconds=600)
    draft_max_age: timedelta = timedelta(hours=8)

    def __post_init__(self) -> None:
        if not timedelta(0) < self.lock_after < self.end_after:
            raise ValueError("need 0 < lock_after < end_after")
        if self.draft_max_age <= timedelta(0):
            raise ValueError("draft_max_age must be positive")


@dataclass(frozen=True)
class _Draft:
    saved_at: datetime
    content: dict[str, Any]


class DraftBook:
    """One unfinished report per author, never handed to anyone else.

    Args:
        clock: the device clock (UTC).
        max_age: a draft not saved again for this long is dropped.
    """

    def __init__(self, clock: Clock, max_age: timedelta = timedelta(hours=8)) -> None:
        self._clock = clock
        self._max_age = max_age
        self._drafts: dict[str, _Draft] = {}

    def save_draft(self, author: str, draft: Mapping[str, Any]) -> None:
        """Keep (a copy of) ``draft`` as ``author``'s draft, replacing their previous one."""
        author = check_staff_number(author, "author")
        self._drafts[author] = _Draft(self._clock(), copy.deepcopy(dict(draft)))

    def draft_for(self, author: str) -> dict[str, Any] | None:
        """A copy of ``author``'s own draft, or None (none, or older than the maximum age)."""
        self.drop_expired()
        found = self._drafts.get(author.strip())
        return copy.deepcopy(found.content) if found else None

    def discard(self, author: str) -> None:
        """Forget ``author``'s draft (their report was saved, or they threw it away)."""
        self._drafts.pop(author.strip(), None)

    def drop_expired(self) -> int:
        """Forget drafts older than the maximum age; return how many went."""
        cutoff = self._clock() - self._max_age
        old = [author for author, draft in self._drafts.items() if draft.saved_at <= cutoff]
        for author in old:
            del self._drafts[author]
        return len(old)


class CartSession:
    """The shared cart's session state machine.

    Every method that takes input first applies the idle rules at the clock's time and returns
    the events that produced, then its own; the caller writes them to the audit log. Call `tick`
    about once a second (a GUI timer) so the screen follows the rules without input. Not
    thread-safe: one session object, used from the GUI thread.

    Args:
        clock: the device clock (UTC), injected so tests can move time.
        policy: the idle times.
        drafts: where drafts are kept (default: a new `DraftBook` with the policy's maximum age).
    """

    def __init__(
        self, clock: Clock, policy: SessionPolicy | None = None, drafts: DraftBook | None = None
    ) -> None:
        self._clock = clock
        self.policy = policy or SessionPolicy()
        self.drafts = drafts or DraftBook(clock, self.policy.draft_max_age)
        self._state = SessionState.SIGNED_OUT
        self._user: str | None = None
        self._role = Role.NURSE
        self._last_input = clock()

    # -- what the screen shows ------------------------------------------------------------------

    @property
    def state(self) -> SessionState:
        """The state as of the last call (call `tick` to apply the idle rules first)."""
        return self._state

    @property
    def user(self) -> str | None:
        """Who is signed in (also shown on the privacy screen), or None."""
        return self._user

    @property
    def role(self) -> Role | None:
        """The signed-in person's role, or None."""
        return self._role if self._user else None

    @property
    def locks_at(self) -> datetime | None:
        """When the privacy screen comes up without further input (None unless ACTIVE)."""
        active = self._state is SessionState.ACTIVE
        return self._last_input + self.policy.lock_after if active else None

    @property
    def ends_at(self) -> datetime | None:
        """When the session ends without further input (None when signed out)."""
        return self._last_input + self.policy.end_after if self._user else None

    # -- input ----------------------------------------------------------------------------------

    def tick(self) -> list[SessionEvent]:
        """Apply the idle rules at the clock's time."""
        return self._evaluate(self._clock())

    def touch(self) -> list[SessionEvent]:
        """Any input on a working screen; ignored on the privacy and intake screens."""
        now = self._clock()
        events = self._evaluate(now)
        if self._state is SessionState.ACTIVE:
            self._last_input = now
        return events

    def sign_in(self, user: str, role: Role) -> list[SessionEvent]:
        """Start a session (the caller has checked the badge or the technician's PIN).

        The same person signing in again resumes their session (and may change role); someone
        else may sign in from the privacy screen, which ends the previous session.

        Raises:
            ValidationError: ``user`` is not a staff number.
            SessionError: someone else is working on the cart (they must lock it first).
        """
        user = check_staff_number(user, "user")
        now = self._clock()
        events = self._evaluate(now)
        if self._user is not None and self._user != user:
            if self._state is SessionState.ACTIVE:
                raise SessionError(f"{self._user} is working on this cart; lock it first")
            events.append(self._end(now, "switched"))
        if self._user == user:
            events += self._reactivate(now, role)
            return events
        self._user, self._role = user, role
        self._state, self._last_input = SessionState.ACTIVE, now
        events.append(self._event(SessionEventKind.SIGNED_IN, now))
        return events

    def lock(self) -> list[SessionEvent]:
        """The one-tap lock: show the privacy screen now (the tap counts as input: the session
        ends ``end_after`` from now)."""
        now = self._clock()
        events = self._evaluate(now)
        if self._state is SessionState.ACTIVE:
            self._state, self._last_input = SessionState.PRIVACY, now
            events.append(self._event(SessionEventKind.LOCKED, now, "tap"))
        return events

    def resume(self, user: str) -> list[SessionEvent]:
        """Back from the privacy screen, by the person signed in (caller checked PIN or badge).

        Raises:
            SessionError: someone else asked, or the session has ended meanwhile.
        """
        now = self._clock()
        events = self._evaluate(now)
        if self._user is None:
            raise SessionError("the session has ended; sign in again")
        if user.strip() != self._user:
            raise SessionError(
                f"only {self._user} can continue this session; sign in yourself to end it"
            )
        events += self._reactivate(now, self._role)
        return events

    def sign_out(self, reason: str = "sign_out") -> list[SessionEvent]:
        """End the session now (the draft stays with its author)."""
        now = self._clock()
        events = self._evaluate(now)
        if self._user is not None:
            events.append(self._end(now, reason))
        return events

    # -- drafts ---------------------------------------------------------------------------------

    def save_draft(self, draft: Mapping[str, Any]) -> None:
        """Keep the signed-in person's unfinished report (works on the privacy screen too, so a
        screen can save on lock; never after the session ended).

        Raises:
            SessionError: nobody is signed in.
        """
        if self._user is None:
            raise SessionError("nobody is signed in: a draft needs its author")
        self.drafts.save_draft(self._user, draft)

    def current_draft(self) -> dict[str, Any] | None:
        """The signed-in person's own draft, only while their work is on screen; else None."""
        if self._user is None or self._due(self._clock()) is not SessionState.ACTIVE:
            return None
        return self.drafts.draft_for(self._user)

    def discard_draft(self) -> None:
        """Forget the signed-in person's draft (their report was saved)."""
        if self._user is not None:
            self.drafts.discard(self._user)

    # -- rules ----------------------------------------------------------------------------------

    def _due(self, now: datetime) -> SessionState:
        """The state the idle rules call for at ``now`` (pure)."""
        if self._user is None:
            return SessionState.SIGNED_OUT
        idle = now - self._last_input
        if idle >= self.policy.end_after:
            return SessionState.SIGNED_OUT
        if idle >= self.policy.lock_after:
            return SessionState.PRIVACY
        return self._state

    def _evaluate(self, now: datetime) -> list[SessionEvent]:
        due = self._due(now)
        if due is self._state:
            return []
        if due is SessionState.SIGNED_OUT:
            return [self._end(now, "idle")]
        self._state = due
        return [self._event(SessionEventKind.LOCKED, now, "idle")]

    def _reactivate(self, now: datetime, role: Role) -> list[SessionEvent]:
        events = []
        if self._state is SessionState.PRIVACY:
            events.append(self._event(SessionEventKind.RESUMED, now))
        if role is not self._role:
            self._role = role
            events.append(self._event(SessionEventKind.SIGNED_IN, now))
        self._state, self._last_input = SessionState.ACTIVE, now
        return events

    def _end(self, now: datetime, reason: str) -> SessionEvent:
        event = self._event(SessionEventKind.ENDED, now, reason)
        self._user, self._role, self._state = None, Role.NURSE, SessionState.SIGNED_OUT
        return event

    def _event(self, kind: SessionEventKind, now: datetime, reason: str = "") -> SessionEvent:
        assert self._user is not None
        return SessionEvent(kind, now, self._user, self._role, reason)
