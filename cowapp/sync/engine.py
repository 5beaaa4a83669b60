"""The sync engine: drains the outbox to the central service exactly once and reads status back.

No threads and no Qt: `SyncEngine.run_once` does everything that can be done now and returns;
the worker calls it, and so do the tests and ``cowapp sync --once``. The exactly-once recipe
(DESIGN.md): mark an item ``sending`` (and when its request started) before the request; on any
retry look the issue up by its UUID first (adopt one, create if none, park for a human if more);
after a create, read back and check the reference stuck. No HTTP runs inside a database
transaction.

A lookup only helps once the server has finished what it was sent. A live client that gives up
has waited one request timeout, so its retry never comes sooner than that after the request
started. A process killed mid-request records no outcome, and its restart could look up while
the server is still creating the ticket, find nothing and create a second one. So an item whose
request started less than one request timeout (`SyncSettings.timeout_seconds`) ago with no
outcome recorded is not tried yet: it settles until that window has passed (``not_before``;
no attempt counted, the state kept) while the other items go on. After the window a retry after
a kill sees the server as settled as a retry after a timeout does. The same holds for an update
or a note (resent, not looked up): the dead run's request cannot land after its resend. Only a
dead run's item waits: a recorded failure clears the start and follows its normal backoff,
and refused credentials clear it too (the server answered; the item waits for the pause).
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cowapp.domain.issue import Issue, IssueStatus, SyncOperation
from cowapp.domain.outbox import OutboxItem, OutboxState, RemoteUpdate, backoff_seconds
from cowapp.domain.privacy import scan_fields
from cowapp.domain.taxonomy import Taxonomy
from cowapp.domain.ticket import (
    TicketPayload,
    TicketState,
    build_ticket,
    note_text,
    typed_text,
)
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.outbox_store import LANES_MAX, Delivered, Lane, OutboxStore
from cowapp.sync.connectors.base import (
    AuthError,
    Connector,
    RejectedError,
    RemoteState,
    RemoteStatus,
    RemoteTicket,
    SyncError,
    TransientError,
    VerificationError,
)
from cowapp.sync.lanes import FanOut, InTurn
from cowapp.sync.settings import SyncSettings

log = logging.getLogger(__name__)

PAUSED_KEY = "paused_reason"
RETRY_AFTER_KEY = "retry_after_until"
CURSOR_KEY = "readback_cursor"
READBACK_OVERLAP = timedelta(minutes=2)
# After this many transient failures in a row the service is taken to be down for this run.
GIVE_UP_AFTER = 3
_LOCAL_FOR_REMOTE = {
    RemoteState.OPEN: IssueStatus.ESCALATED,
    RemoteState.RESOLVED: IssueStatus.REMOTE_RESOLVED,
    RemoteState.CLOSED: IssueStatus.REMOTE_CLOSED,
}


@dataclass
class RunSummary:
    """What one `SyncEngine.run_once` did, and where the queue stands afterwards."""

    sent: int = 0
    adopted: int = 0
    failed: int = 0
    parked: int = 0
    held: int = 0
    settling: int = 0  # waited for a request of a run that died to settle at the server
    read_back: int = 0
    pending: int = 0
    needs_attention: int = 0
    paused: str | None = None
    online: bool = True
    errors: list[str] = field(default_factory=list)

    @property
    def last_error(self) -> str | None:
        """The most recent failure message of this run."""
        return self.errors[-1] if self.errors else None


class _Park(Exception):  # noqa: N818 - an outcome, not an error condition
    """Internal: this item needs a human, with this message."""


class SyncEngine:
    """Drains the outbox through one connector.

    Args:
        issues: the issue repository.
        outbox: the queue.
        connector: the central system.
        taxonomy: for the ticket subject's category labels.
        settings: the sync settings (hand-over time of open issues).
        clock: returns the current UTC time (tests pass a fake clock).
        language: the language of the category labels in tickets.
        rng: randomness for backoff jitter.
    """

    def __init__(
        self,
        issues: IssueStore,
        outbox: OutboxStore,
        connector: Connector,
        taxonomy: Taxonomy,
        settings: SyncSettings,
        clock: Callable[[], datetime],
        language: str = "nl",
        rng: random.Random | None = None,
    ) -> None:
        self._issues, self._outbox, self._connector = issues, outbox, connector
        self._taxonomy, self._settings, self._clock = taxonomy, settings, clock
        self._language, self._rng = language, rng or random.Random()

    # -- public ---------------------------------------------------------------------------------

    def run_once(
        self,
        limit: int = 1000,
        read_back: bool = True,
        fan_out: FanOut | None = None,
        stopping: Callable[[], bool] = lambda: False,
    ) -> RunSummary:
        """Send everything that can be sent now, then (optionally) read back escalated status.

        Args:
            limit: try at most this many items.
            read_back: also read the status of escalated issues back.
            fan_out: runs the lanes (several issues at once, each issue's items in order);
                None sends one item after another.
            stopping: asked before each item; True ends the run early (the app is closing).
        """
        summary = RunSummary()
        if not self._resume_if_paused(summary):
            return self._finish(summary)
        self._drain(summary, limit, fan_out or InTurn(), stopping)
        if read_back and summary.online and summary.paused is None:
            self._read_back(summary)
        return self._finish(summary)

    def recover(self) -> int:
        """The service answers again: items that failed during the outage may go now (never
        before a ``Retry-After`` the server gave). Returns how many were released."""
        now = self._clock()
        stored = self._outbox.get_state(RETRY_AFTER_KEY)
        floor = datetime.fromisoformat(stored) if stored else None
        return self._outbox.release_retries(now, floor if floor and floor > now else None)

    def probe(self) -> SyncError | None:
        """Check reachability and credentials; return None if fine, else what went wrong."""
        try:
            self._connector.probe()
        except SyncError as error:
            return error
        return None

    # -- draining -------------------------------------------------------------------------------

    def _drain(
        self, summary: RunSummary, limit: int, fan_out: FanOut, stopping: Callable[[], bool]
    ) -> None:
        width = max(1, min(fan_out.width, LANES_MAX))
        lanes = [_LaneRun(Lane(index, width), RunSummary()) for index in range(width)]
        share = -(-limit // width)  # the limit, split over the lanes (rounded up)

        def task(lane: _LaneRun) -> Callable[[], None]:
            return lambda: self._send_due(lane, share, lambda: stopping() or _paused(lanes))

        fan_out([task(lane) for lane in lanes])
        for lane in lanes:
            _merge(summary, lane.summary)
        # Nothing got through and something failed: the service is down, not one item poisoned.
        if summary.failed and not (summary.sent or summary.adopted):
            summary.online = False

    def _send_due(self, lane: _LaneRun, limit: int, halted: Callable[[], bool]) -> None:
        """One lane: its issues' head items, one at a time (so each issue's order is kept)."""
        failures_in_a_row, tried = 0, set[int]()
        while len(tried) < limit:
            due = self._outbox.due(self._clock(), limit=50, lane=lane.lane)
            batch = [i for i in due if i.seq not in tried]
            if not batch:
                return
            for item in batch:
                if halted() or len(tried) >= limit:
                    return
                tried.add(item.seq)
                outcome = self._attempt(item, lane.summary)
                if outcome == "paused":
                    return
                failures_in_a_row = failures_in_a_row + 1 if outcome == "failed" else 0
                if failures_in_a_row >= GIVE_UP_AFTER:  # the service is struggling: stop here
                    return

    def _attempt(self, item: OutboxItem, summary: RunSummary) -> str:
        try:
            outcome = self._process(item)
        except TransientError as error:
            delay = backoff_seconds(item.attempts, error.retry_after, self._rng)
            now = self._clock()
            if error.retry_after:  # the server's own minimum holds for every item
                until = now + timedelta(seconds=error.retry_after)
                self._outbox.set_state(RETRY_AFTER_KEY, until.isoformat(), now)
            self._outbox.retry_later(item.seq, now, now + timedelta(seconds=delay), str(error))
            summary.failed += 1
            summary.errors.append(str(error))
            return "failed"
        except AuthError as error:
            # The item stays as it is: if it was marked sending, a request may have reached the
            # server (a 401 on the read-back after a create), so the retry must look up first.
            # But the server answered: the retry after the pause need not let anything settle.
            self._outbox.answered(item.seq, self._clock())
            self._pause(str(error), summary)
            return "paused"
        except (RejectedError, VerificationError, _Park) as error:
            self._outbox.park(item.seq, self._clock(), str(error))
            summary.parked += 1
            summary.errors.append(str(error))
            return "parked"
        if outcome == "adopted":
            summary.adopted += 1
        elif outcome == "sent":
            summary.sent += 1
        elif outcome == "settling":
            summary.settling += 1
        return outcome

    def _process(self, item: OutboxItem) -> str:
        now = self._clock()
        until = item.unsettled_until(timedelta(seconds=self._settings.timeout_seconds), now)
        if until is not None:  # a dead run's request: the server may still be at work on it
            self._outbox.settle(item.seq, until, now)
            return "settling"
        issue = self._issues.get(item.issue_id)
        if item.operation is SyncOperation.CREATE:
            return self._create(item, issue)
        ticket = self._ticket_of(issue)
        if item.operation is SyncOperation.UPDATE:
            payload = self._payload(issue)
            self._outbox.mark_sending(item.seq, self._clock())
            self._connector.update(ticket, payload)
        else:
            note = next((n for n in issue.notes if str(n.id) == _event_detail(issue, item)), None)
            if note is None:
                raise _Park("the note to send no longer exists on this cart")
            self._guard({"note": note.text})
            self._outbox.mark_sending(item.seq, self._clock())
            self._connector.add_note(ticket, note_text(note))
        self._outbox.delivered(item, self._clock(), Delivered(action=f"sync.{item.operation}"))
        return "sent"

    def _create(self, item: OutboxItem, issue: Issue) -> str:
        payload = self._payload(issue)
        if payload.state is TicketState.OPEN:
            handover = self._handover_at(issue)
            if handover is None or handover > self._clock():
                never = self._clock() + timedelta(days=1)  # checked again daily; a change wakes it
                self._outbox.hold(item.seq, handover or never, self._clock())
                return "held"
        if item.attempts > 0 or item.state is OutboxState.SENDING:
            existing = self._connector.find(payload.external_id)
            if len(existing) > 1:
                numbers = ", ".join(t.number for t in existing)
                raise _Park(
                    f"{len(existing)} central tickets carry this issue's reference "
                    f"({numbers}); merge them, then discard or retry"
                )
            if existing:
                self._connector.update(existing[0], payload)
                self._deliver(item, existing[0], "sync.adopted")
                return "adopted"
        self._outbox.mark_sending(item.seq, self._clock())
        created = self._connector.create(payload)
        stored = self._connector.find(payload.external_id)
        if [t.id for t in stored] != [created.id]:
            raise VerificationError(
                f"ticket {created.number} was created but the central service did not keep "
                "this issue's reference on it (check the reference field and its rights); it "
                "was not sent again, to avoid a duplicate"
            )
        self._deliver(item, created, "sync.created")
        return "sent"

    def _deliver(self, item: OutboxItem, ticket: RemoteTicket, action: str) -> None:
        result = Delivered(remote_id=ticket.id, remote_number=ticket.number, action=action)
        self._outbox.delivered(item, self._clock(), result)

    # -- helpers --------------------------------------------------------------------------------

    def _payload(self, issue: Issue) -> TicketPayload:
        category = self._taxonomy.category(issue.category)
        sub = category.subcategory(issue.subcategory).label if issue.subcategory else None
        self._guard(typed_text(issue))
        return build_ticket(
            issue, category.label(self._language), sub(self._language) if sub else None
        )

    @staticmethod
    def _guard(fields: dict[str, str]) -> None:
        # Warnings were confirmed by a person at save time; a block means the rules changed
        # since, and then nothing leaves the cart until a human has looked at it.
        report = scan_fields(fields)
        if report.blocked:
            kinds = ", ".join(k.value for k in report.kinds)
            raise _Park(
                f"the privacy guard stopped sending: the text contains {kinds}; edit the "
                "issue (patient data may never leave the cart)"
            )

    def _handover_at(self, issue: Issue) -> datetime | None:
        minutes = self._settings.send_open_after_minutes
        return issue.created_at + timedelta(minutes=minutes) if minutes > 0 else None

    @staticmethod
    def _ticket_of(issue: Issue) -> RemoteTicket:
        if issue.remote_ticket is None:
            raise _Park("the central ticket for this issue is unknown (its create was discarded)")
        return RemoteTicket(
            issue.remote_ticket, issue.remote_number or issue.remote_ticket, str(issue.id)
        )

    def _pause(self, reason: str, summary: RunSummary) -> None:
        message = (
            f"sync paused: the central service refused the credentials ({reason}); set "
            "them again with `cowapp credentials set`; every issue is kept"
        )
        self._outbox.set_state(PAUSED_KEY, message, self._clock())
        summary.paused = message
        summary.errors.append(message)

    def _resume_if_paused(self, summary: RunSummary) -> bool:
        reason = self._outbox.get_state(PAUSED_KEY)
        if reason is None:
            return True
        problem = self.probe()
        if problem is None:
            self._outbox.set_state(PAUSED_KEY, None, self._clock())
            log.info("sync resumed: credentials accepted again")
            return True
        summary.paused = reason
        summary.online = isinstance(problem, AuthError)  # reachable, but still refusing us
        return False

    # -- read-back ------------------------------------------------------------------------------

    def _read_back(self, summary: RunSummary) -> None:
        owned = {str(issue.id): issue for issue in self._issues.remotely_owned()}
        if not owned:
            return
        stored = self._outbox.get_state(CURSOR_KEY)
        since = (
            datetime.fromisoformat(stored)
            if stored
            else min(i.escalated_at or i.created_at for i in owned.values())
        )
        try:
            changes = self._connector.changed_since(since - READBACK_OVERLAP)
        except TransientError as error:
            summary.online = False
            summary.errors.append(f"reading status back failed: {error}")
            return
        except AuthError as error:
            self._pause(str(error), summary)
            return
        except SyncError as error:
            summary.errors.append(f"reading status back failed: {error}")
            return
        updates = [self._update_for(s) for s in changes if s.ticket.external_id in owned]
        newest = max([since, *(s.updated_at for s in changes)])
        state = {CURSOR_KEY: newest.isoformat()}
        summary.read_back += self._issues.apply_remote(updates, state, self._clock())

    @staticmethod
    def _update_for(status: RemoteStatus) -> RemoteUpdate:
        return RemoteUpdate(
            issue_id=uuid.UUID(str(status.ticket.external_id)),
            status=_LOCAL_FOR_REMOTE[status.state],
            remote_status=status.raw_status,
            assignee=status.assignee,
            updated_at=status.updated_at,
        )

    def _finish(self, summary: RunSummary) -> RunSummary:
        queue = self._outbox.summary(self._clock())
        summary.pending, summary.needs_attention = queue.pending, queue.needs_attention
        summary.held = queue.held
        return summary


@dataclass
class _LaneRun:
    lane: Lane
    summary: RunSummary


def _paused(lanes: Sequence[_LaneRun]) -> bool:
    """One lane met refused credentials: every lane stops (each keeps its items)."""
    return any(lane.summary.paused for lane in lanes)


def _merge(total: RunSummary, part: RunSummary) -> None:
    total.sent += part.sent
    total.adopted += part.adopted
    total.failed += part.failed
    total.parked += part.parked
    total.settling += part.settling
    total.errors += part.errors
    total.paused = total.paused or part.paused


def _event_detail(issue: Issue, item: OutboxItem) -> str:
    return next((e.detail for e in issue.events if e.id == item.event_id), "")
