"""The issue repository: domain issues in and out, each change with its outbox rows and audit.

Every method that changes an issue runs in one ``BEGIN IMMEDIATE`` transaction that writes the
issue, its new timeline events and notes, an outbox row for each event the central service must
hear about, and an audit entry per event. Either all of it is on disk or none of it is.
"""

from __future__ import annotations

import builtins
import dataclasses
import enum
import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from cowapp.domain.errors import IllegalTransitionError
from cowapp.domain.issue import (
    OPEN_STATUSES,
    EventKind,
    Issue,
    IssueEvent,
    IssueStatus,
    IssueType,
    Note,
    ResolutionCode,
    SyncOperation,
    sync_operation_for,
)
from cowapp.domain.outbox import (
    UNSENT_STATES,
    IssueSyncState,
    OutboxState,
    RemoteUpdate,
    issue_sync_state,
)
from cowapp.domain.priority import Affected, CareImpact
from cowapp.domain.reference import new_reference
from cowapp.storage import audit
from cowapp.storage.db import Database, RowWriter, row_writer
from cowapp.storage.errors import NotFoundError
from cowapp.storage.models import Base, EventRow, IssueRow, NoteRow, OutboxRow
from cowapp.storage.outbox_store import write_state
from cowapp.storage.prepared import PreparedInsert, PreparedSQL

log = logging.getLogger(__name__)

# Scalar fields shared by Issue and IssueRow (everything but the notes and events lists).
_SCALARS = [f.name for f in dataclasses.fields(Issue) if f.name not in ("notes", "events")]
_ENUMS: dict[str, type[enum.Enum]] = {
    "issue_type": IssueType,
    "status": IssueStatus,
    "care_impact": CareImpact,
    "affected": Affected,
    "resolution_code": ResolutionCode,
}


_ISSUES = Base.metadata.tables[IssueRow.__tablename__]
_EVENTS = Base.metadata.tables[EventRow.__tablename__]
_OUTBOX = Base.metadata.tables[OutboxRow.__tablename__]
_NOTES = Base.metadata.tables[NoteRow.__tablename__]
_INSERT_ISSUE = PreparedInsert(_ISSUES, _SCALARS)
_INSERT_EVENT = PreparedInsert(_EVENTS, [c.name for c in _EVENTS.c if c.name != "seq"])
_INSERT_OUTBOX = PreparedInsert(_OUTBOX, [c.name for c in _OUTBOX.c if c.name != "seq"])
_INSERT_NOTE = PreparedInsert(_NOTES, [c.name for c in _NOTES.c])
# An unsent create or update of the issue that a later change can ride along with.
_PENDING_CREATE_OR_UPDATE = PreparedSQL(
    f"SELECT seq FROM outbox WHERE issue_id = ? AND state = '{OutboxState.PENDING.value}'"
    f" AND operation IN ('{SyncOperation.CREATE.value}', '{SyncOperation.UPDATE.value}') LIMIT 1",
    [_OUTBOX.c.issue_id],
)
_WAKE = PreparedSQL(
    "UPDATE outbox SET not_before = NULL, updated_at = ? WHERE seq = ?",
    [_OUTBOX.c.updated_at, _OUTBOX.c.seq],
)

# Loading one issue (`IssueStore.get`, once per item the sync engine sends) without the ORM.
_SELECT_ISSUE = PreparedSQL(
    f"SELECT {', '.join(_SCALARS)} FROM issues WHERE id = ?",
    [_ISSUES.c.id],
    [_ISSUES.c[name] for name in _SCALARS],
)
_NOTE_COLUMNS = ("id", "at", "author", "text")  # the order of `Note`'s fields
_SELECT_NOTES = PreparedSQL(
    f"SELECT {', '.join(_NOTE_COLUMNS)} FROM notes WHERE issue_id = ? ORDER BY at",
    [_NOTES.c.issue_id],
    [_NOTES.c[name] for name in _NOTE_COLUMNS],
)
_EVENT_COLUMNS = ("id", "kind", "at", "actor", "from_status", "to_status", "detail")
_SELECT_EVENTS = PreparedSQL(
    f"SELECT {', '.join(_EVENT_COLUMNS)} FROM issue_events WHERE issue_id = ? ORDER BY seq",
    [_EVENTS.c.issue_id],
    [_EVENTS.c[name] for name in _EVENT_COLUMNS],
)

# Free text that stays on the cart only until the central service has it (DESIGN.md, Privacy).
PURGED_FIELDS = ("description", "error_text", "resolution_notes", "escalation_reason")

Change = Callable[[Issue], IssueEvent | Sequence[IssueEvent]]


class IssueStore:
    """Issues on the cart.

    Args:
        db: the cart's database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        issue: Issue,
        audit_details: Sequence[tuple[str, str]] = (),
        also: Callable[[RowWriter], None] | None = None,
    ) -> Issue:
        """Store a new issue with all its events, outbox rows and audit entries, atomically.

        Args:
            issue: built by `cowapp.domain.intake.create_issue` (and maybe resolved already).
            audit_details: extra (action, coded detail) audit entries, e.g. confirmed warnings.
            also: writes more rows in the same transaction (a known-issue link, say), with
                prepared statements and `audit.append`.

        Returns:
            The issue as stored (its reference may differ after a rare local collision).
        """
        for _attempt in range(5):
            try:
                # Prepared statements in the order the foreign keys need, without a Session
                with self._db.write_rows("saving the issue") as rows:
                    _INSERT_ISSUE.execute(rows, _row_values(issue))
                    self._persist_new(rows, issue, issue.events, issue.notes)
                    for action, detail in audit_details:
                        audit.append(
                            rows, issue.created_at, issue.reporter, action, issue.id, detail
                        )
                    if also is not None:
                        also(rows)
                return issue
            except IntegrityError as error:
                if "issues.reference" not in str(error.orig):
                    raise
                issue.reference = new_reference()
        raise RuntimeError("could not find a free issue reference after 5 tries")

    def change(
        self, issue_id: uuid.UUID, apply: Change, audit_details: Sequence[tuple[str, str]] = ()
    ) -> Issue:
        """Load an issue, apply a domain method to it and store the result, atomically.

        Args:
            issue_id: the issue to change.
            apply: calls one or more `Issue` methods and returns their event(s); a domain
                error it raises leaves the database untouched.
            audit_details: extra (action, coded detail) audit entries.
        """
        with self._db.write("saving the change") as session:
            issue = self._load(row_writer(session), issue_id)
            known_events, known_notes = len(issue.events), len(issue.notes)
            apply(issue)
            row = session.get(IssueRow, issue_id)
            for name, value in _row_values(issue).items():
                setattr(row, name, value)
            new_events = issue.events[known_events:]
            self._persist_new(row_writer(session), issue, new_events, issue.notes[known_notes:])
            for action, detail in audit_details:
                at = new_events[-1].at if new_events else issue.updated_at
                audit.append(
                    session,
                    at,
                    new_events[-1].actor if new_events else "system",
                    action,
                    issue.id,
                    detail,
                )
            return issue

    def get(self, issue_id: uuid.UUID) -> Issue:
        """The issue with its notes and events; `NotFoundError` if there is none."""
        with self._db.read_rows() as rows:  # the sync engine loads one per item it sends
            return self._load(rows, issue_id)

    def by_reference(self, reference: str) -> Issue:
        """The issue with this human reference; `NotFoundError` if there is none."""
        with self._db.read() as session:
            issue_id = session.scalar(select(IssueRow.id).where(IssueRow.reference == reference))
            if issue_id is None:
                raise NotFoundError(f"no issue with reference {reference} on this cart")
            return self._load(row_writer(session), issue_id)

    def list(self, statuses: Sequence[IssueStatus] = (), limit: int | None = None) -> list[Issue]:
        """Issues (without notes and events), highest priority then oldest first."""
        query = select(IssueRow).order_by(IssueRow.priority, IssueRow.created_at)
        if statuses:
            query = query.where(IssueRow.status.in_([s.value for s in statuses]))
        with self._db.read() as session:
            return [_to_issue(row) for row in session.scalars(query.limit(limit))]

    def open_in_category(
        self, category: str, exclude: uuid.UUID, limit: int = 6
    ) -> builtins.list[Issue]:
        """The newest open issues of ``category`` other than ``exclude`` (duplicate candidates)."""
        query = (
            select(IssueRow)
            .where(IssueRow.category == category)
            .where(IssueRow.status.in_([s.value for s in OPEN_STATUSES]))
            .where(IssueRow.id != exclude)
            .order_by(IssueRow.created_at.desc())
            .limit(limit)
        )
        with self._db.read() as session:
            return [_to_issue(row) for row in session.scalars(query)]

    def sync_states(self, issues: Sequence[Issue]) -> dict[uuid.UUID, IssueSyncState]:
        """Each issue's sync state, from its outbox items (one grouped query per 500 issues)."""
        found: dict[uuid.UUID, set[OutboxState]] = {issue.id: set() for issue in issues}
        ids = list(found)
        with self._db.read() as session:
            for start in range(0, len(ids), 500):
                query = (
                    select(OutboxRow.issue_id, OutboxRow.state)
                    .where(OutboxRow.state.in_([s.value for s in UNSENT_STATES]))  # an index
                    .where(OutboxRow.issue_id.in_(ids[start : start + 500]))
                    .group_by(OutboxRow.issue_id, OutboxRow.state)
                )
                for issue_id, state in session.execute(query):
                    found[issue_id].add(OutboxState(state))
        return {
            issue.id: issue_sync_state(found[issue.id], issue.remote_ticket is not None)
            for issue in issues
        }

    def count(self) -> int:
        """How many issues the cart holds."""
        with self._db.read() as session:
            return session.scalar(select(func.count()).select_from(IssueRow)) or 0

    def status_counts(self) -> dict[IssueStatus, int]:
        """How many issues are in each status (statuses with none are left out)."""
        query = select(IssueRow.status, func.count()).group_by(IssueRow.status)
        with self._db.read() as session:
            return {IssueStatus(status): n for status, n in session.execute(query)}

    def outbox_counts(self) -> dict[str, int]:
        """Outbox rows per state."""
        query = select(OutboxRow.state, func.count()).group_by(OutboxRow.state)
        with self._db.read() as session:
            return {state: n for state, n in session.execute(query)}

    def purge_synced_text(self, now: datetime, retention_days: int) -> int:
        """Blank the free text of issues the central service confirmed over ``retention_days`` ago.

        Only issues with nothing left to send are purged, so a queued note or update is never
        emptied before it leaves. Returns how many issues were purged (audited as a count).
        """
        cutoff = now - timedelta(days=retention_days)
        unsent = select(OutboxRow.issue_id).where(
            OutboxRow.state.in_(
                [
                    OutboxState.PENDING.value,
                    OutboxState.SENDING.value,
                    OutboxState.NEEDS_ATTENTION.value,
                ]
            )
        )
        with self._db.write("purging old free text") as session:
            ids = list(
                session.scalars(
                    select(IssueRow.id).where(
                        IssueRow.synced_at < cutoff,
                        IssueRow.purged_at.is_(None),
                        IssueRow.id.not_in(unsent),
                    )
                )
            )
            if not ids:
                return 0
            blank = dict.fromkeys(PURGED_FIELDS, "")
            session.execute(
                update(IssueRow).where(IssueRow.id.in_(ids)).values(**blank, purged_at=now)
            )
            session.execute(update(NoteRow).where(NoteRow.issue_id.in_(ids)).values(text=""))
            audit.append(session, now, "system", "retention.purged", None, f"count={len(ids)}")
            return len(ids)

    def apply_remote(
        self, updates: Sequence[RemoteUpdate], state: dict[str, str], now: datetime
    ) -> int:
        """Apply read-back statuses and save the engine's cursor in the same transaction.

        Updates older than what the issue already has are skipped (the read-back overlaps on
        purpose). Returns how many issues changed.
        """
        changed = 0
        with self._db.write("saving what the central service reported") as session:
            for update in updates:
                row = session.get(IssueRow, update.issue_id)
                if row is None or (
                    row.remote_updated_at and update.updated_at <= row.remote_updated_at
                ):
                    continue
                issue = self._load(row_writer(session), update.issue_id)
                known = len(issue.events)
                issue.remote_status, issue.remote_assignee = update.remote_status, update.assignee
                issue.remote_updated_at = update.updated_at
                if update.status is not None and update.status is not issue.status:
                    try:
                        issue.apply_remote_status(update.status, now, "sync")
                    except IllegalTransitionError as error:  # keep the remote words, log it
                        log.warning("read-back skipped a status change: %s", error)
                for name, value in _row_values(issue).items():
                    setattr(row, name, value)
                self._persist_new(row_writer(session), issue, issue.events[known:], ())
                changed += 1
            for key, value in state.items():
                write_state(session, key, value, now)
        return changed

    def remotely_owned(self) -> builtins.list[Issue]:
        """Escalated issues the central service has a ticket for (read-back candidates)."""
        statuses = [IssueStatus.ESCALATED.value, IssueStatus.REMOTE_RESOLVED.value]
        query = select(IssueRow).where(
            IssueRow.status.in_(statuses), IssueRow.remote_ticket.is_not(None)
        )
        with self._db.read() as session:
            return [_to_issue(row) for row in session.scalars(query)]

    # -- internals ------------------------------------------------------------------------------

    @staticmethod
    def _load(rows: RowWriter, issue_id: uuid.UUID) -> Issue:
        found = _SELECT_ISSUE.fetch(rows, issue_id)
        if not found:
            raise NotFoundError(f"no issue with id {issue_id} on this cart")
        issue = _to_issue(dict(zip(_SCALARS, found[0], strict=True)))
        issue.notes.extend(Note(*note) for note in _SELECT_NOTES.fetch(rows, issue_id))
        for event_id, kind, at, actor, from_status, to_status, detail in _SELECT_EVENTS.fetch(
            rows, issue_id
        ):
            issue.events.append(
                IssueEvent(
                    event_id,
                    EventKind(kind),
                    at,
                    actor,
                    IssueStatus(from_status) if from_status else None,
                    IssueStatus(to_status),
                    detail,
                )
            )
        return issue

    def _persist_new(
        self, rows: RowWriter, issue: Issue, events: Sequence[IssueEvent], notes: Sequence[Note]
    ) -> None:
        for note in notes:
            values = {
                "id": note.id,
                "issue_id": issue.id,
                "at": note.at,
                "author": note.author,
                "text": note.text,
            }
            _INSERT_NOTE.execute(rows, values)
        for event in events:
            values = {
                "id": event.id,
                "issue_id": issue.id,
                "kind": event.kind.value,
                "at": event.at,
                "actor": event.actor,
                "from_status": event.from_status.value if event.from_status else None,
                "to_status": event.to_status.value,
                "detail": event.detail,
            }
            _INSERT_EVENT.execute(rows, values)
            self._enqueue(rows, issue, event)
            audit.append(
                rows,
                event.at,
                event.actor,
                f"issue.{event.kind.value}",
                issue.id,
                event.detail if event.kind is not EventKind.NOTE_ADDED else "",
            )

    def _enqueue(self, rows: RowWriter, issue: Issue, event: IssueEvent) -> None:
        operation = sync_operation_for(event.kind)
        if operation is None:
            return
        if operation is SyncOperation.UPDATE:
            queued = _PENDING_CREATE_OR_UPDATE.execute(rows, issue.id).fetchone()
            if queued is not None:  # it is built from the current state when sent: wake it
                _WAKE.execute(rows, event.at, queued[0])
                return
        values = {
            "issue_id": issue.id,
            "event_id": event.id,
            "operation": operation.value,
            "state": OutboxState.PENDING.value,
            "attempts": 0,
            "not_before": None,
            "last_error": "",
            "created_at": event.at,
            "updated_at": event.at,
            "request_started_at": None,  # set only when a run sends it
        }
        _INSERT_OUTBOX.execute(rows, values)


def _row_values(issue: Issue) -> dict[str, Any]:
    values = {name: getattr(issue, name) for name in _SCALARS}
    for name in _ENUMS:
        if values[name] is not None:
            values[name] = values[name].value
    return values


def _to_issue(row: IssueRow | dict[str, Any]) -> Issue:
    """An `Issue` (without notes and events) from an ORM row or its scalar values by name."""
    values = row if isinstance(row, dict) else {name: getattr(row, name) for name in _SCALARS}
    for name, kind in _ENUMS.items():
        if values[name] is not None:
            values[name] = kind(values[name])
    return Issue(**values)
