"""The upload queue as the sync engine and the technician see it.

`due` hands out the head item of each issue's queue (per-issue order is kept; an item parked for
a human blocks only its own issue). Every state change is its own short ``BEGIN IMMEDIATE``
transaction, so no database lock is ever held while a request is on the network. Small named
values the engine keeps across runs (the pause reason) live in ``sync_state``.

``request_started_at`` is set by `mark_sending` and cleared by every write that records an
outcome (`delivered`, `retry_later`, `park`, `retry_now`, `discard`) or an answer with no outcome
to record (`answered`): still set on a later try means the process that sent the request died
before it heard the answer. `release_retries`
leaves such an item alone (its request may still be at work on the server; see the engine).
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from cowapp.domain.issue import SyncOperation
from cowapp.domain.outbox import UNSENT_STATES, OutboxItem, OutboxState
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.errors import NotFoundError
from cowapp.storage.models import Base, IssueRow, OutboxRow, SyncStateRow
from cowapp.storage.prepared import PreparedSQL

_UNSENT = [s.value for s in UNSENT_STATES]
_ACTIVE = [OutboxState.PENDING.value, OutboxState.SENDING.value]
_OUTBOX = Base.metadata.tables[OutboxRow.__tablename__]
_ISSUES = Base.metadata.tables[IssueRow.__tablename__]
# The sync engine's two writes per item, as prepared statements: through a Session they cost
# ~1 ms of Python each (a get, a flush, the ORM's commit), which made a drain CPU-bound.
_MARK_SENDING = PreparedSQL(
    "UPDATE outbox SET state = ?, updated_at = ?, request_started_at = ? WHERE seq = ?",
    [_OUTBOX.c.state, _OUTBOX.c.updated_at, _OUTBOX.c.request_started_at, _OUTBOX.c.seq],
)
_MARK_DONE = PreparedSQL(
    "UPDATE outbox SET state = ?, updated_at = ?, last_error = '', request_started_at = NULL"
    " WHERE seq = ?",
    [_OUTBOX.c.state, _OUTBOX.c.updated_at, _OUTBOX.c.seq],
)
_SYNCED = PreparedSQL(
    "UPDATE issues SET synced_at = ? WHERE id = ?", [_ISSUES.c.synced_at, _ISSUES.c.id]
)
_SYNCED_TICKET = PreparedSQL(
    "UPDATE issues SET remote_ticket = ?, remote_number = ?, synced_at = ? WHERE id = ?",
    [_ISSUES.c.remote_ticket, _ISSUES.c.remote_number, _ISSUES.c.synced_at, _ISSUES.c.id],
)
_REMOTE_NUMBER = PreparedSQL("SELECT remote_number FROM issues WHERE id = ?", [_ISSUES.c.id])


@dataclass(frozen=True)
class QueueSummary:
    """The queue at a glance (for the status bar and ``cowapp sync``)."""

    pending: int
    needs_attention: int
    oldest_pending_at: datetime | None
    held: int = 0  # of the pending: issues still open at the cart, not handed over yet


@dataclass(frozen=True)
class Lane:
    """One of ``width`` disjoint shares of the issues, for sending several issues at once.

    An issue's lane is the last hex digit of its UUID modulo ``width`` (`lane_of`), so every
    item of one issue is in the same lane and one lane sends them in order. More than 16 lanes
    would leave lanes empty.
    """

    index: int
    width: int


LANES_MAX = 16


def lane_of(issue_id: uuid.UUID, width: int) -> int:
    """The lane of ``issue_id`` among ``width`` lanes (the same rule `OutboxStore.due` uses)."""
    return (issue_id.int % 16) % width


@dataclass(frozen=True)
class Delivered:
    """What the central service confirmed for an item (None fields: nothing new)."""

    remote_id: str | None = None
    remote_number: str | None = None
    action: str = "sync.sent"


class OutboxStore:
    """Queue operations for the sync engine and the needs-attention list.

    Args:
        db: the cart's database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def due(self, now: datetime, limit: int = 100, lane: Lane | None = None) -> list[OutboxItem]:
        """Head items of each issue's queue that may be tried now, oldest first.

        Args:
            now: the current time.
            limit: at most this many items.
            lane: only issues of this lane (see `Lane`); None for every issue.
        """
        query = (
            _active_heads()
            .where(or_(OutboxRow.not_before.is_(None), OutboxRow.not_before <= now))
            .order_by(OutboxRow.seq)
            .limit(limit)
        )
        if lane is not None and lane.width > 1:
            query = query.where(_lane_key(OutboxRow.issue_id) % lane.width == lane.index)
        with self._db.read() as session:
            return [_item(row) for row in session.scalars(query)]

    def next_attempt_at(self, now: datetime) -> datetime | None:
        """When the next head item becomes due: ``now`` if one is due already, None if none."""
        if self.due(now, limit=1):
            return now
        query = _active_heads().with_only_columns(func.min(OutboxRow.not_before))
        with self._db.read() as session:
            return session.scalar(query)

    def release_retries(self, now: datetime, floor: datetime | None) -> int:
        """Make items waiting out a backoff due (at ``floor`` if given); held ones stay held,
        and so do items settling after a dead run (`settle`): the service being back does not
        make a request that may still be at work on it any shorter."""
        with self._db.write("releasing retries") as session:
            rows = session.scalars(
                select(OutboxRow).where(
                    OutboxRow.state.in_(_ACTIVE),
                    OutboxRow.attempts > 0,
                    OutboxRow.not_before > (floor or now),
                    OutboxRow.request_started_at.is_(None),
                )
            ).all()
            for row in rows:
                row.not_before, row.updated_at = floor, now
            return len(rows)

    def hold(self, seq: int, until: datetime, now: datetime) -> None:
        """Not yet to be sent (an issue still open at the cart): look again at ``until``."""
        with self._db.write("holding an item") as session:
            row = self._row(session, seq)
            row.not_before, row.updated_at = until, now

    def settle(self, seq: int, until: datetime, now: datetime) -> None:
        """A dead run's request may still be at work on the server: try again at ``until``,
        with no attempt counted and the state kept. A start later than ``now`` (the clock was
        set back since) becomes ``now``, so a wrong clock holds the item back one window at most.
        """
        with self._db.write("waiting for a request to settle") as session:
            row = self._row(session, seq)
            row.not_before, row.updated_at = until, now
            if row.request_started_at is not None and row.request_started_at > now:
                row.request_started_at = now

    def answered(self, seq: int, now: datetime) -> None:
        """The server answered the item's request but there is no outcome to record (it refused
        the credentials): nothing of it is still at work there, so its retry need not wait for it
        to settle. The state is kept, so that retry still looks up first."""
        with self._db.write("recording an answered request") as session:
            row = self._row(session, seq)
            row.updated_at, row.request_started_at = now, None

    def get(self, seq: int) -> OutboxItem:
        """One item by its sequence number."""
        with self._db.read() as session:
            return _item(self._row(session, seq))

    def mark_sending(self, seq: int, now: datetime) -> None:
        """Record that a request may reach the server from now on (so a retry looks up first),
        and when it started (so a retry after a dead run can let it settle first)."""
        with self._db.write_rows("marking the item as sending") as rows:
            _changed(_MARK_SENDING.execute(rows, OutboxState.SENDING.value, now, now, seq), seq)

    def delivered(self, item: OutboxItem, now: datetime, result: Delivered) -> None:
        """Mark done; remember the ticket on the issue; audit it; all in one transaction.

        Not fsynced on its own (``durable=False``): if a power failure undoes it, the item is
        still ``sending``, so its retry looks the issue up by UUID and adopts the ticket it
        finds; exactly one ticket either way (an undone note or update is sent again, as after
        a kill -9 between its request and this record). Any later durable commit makes it
        durable too.
        """
        with self._db.write_rows("recording a sent item", durable=False) as rows:
            _changed(_MARK_DONE.execute(rows, OutboxState.DONE.value, now, item.seq), item.seq)
            if result.remote_id is not None:
                done = _SYNCED_TICKET.execute(
                    rows, result.remote_id, result.remote_number, now, item.issue_id
                )
            else:
                done = _SYNCED.execute(rows, now, item.issue_id)
            if done.rowcount != 1:
                raise NotFoundError(f"no issue with id {item.issue_id}")
            [(number,)] = _REMOTE_NUMBER.execute(rows, item.issue_id).fetchall()
            detail = f"op={item.operation.value};ticket={number or ''}"
            audit.append(rows, now, "sync", result.action, item.issue_id, detail[:200])

    def retry_later(self, seq: int, now: datetime, not_before: datetime, error: str) -> None:
        """A transient failure: count it and wait (the state stays SENDING if it was)."""
        with self._db.write("scheduling a retry") as session:
            row = self._row(session, seq)
            row.attempts += 1
            row.not_before, row.last_error, row.updated_at = not_before, error[:2000], now
            row.request_started_at = None  # the failure is known: normal backoff, no settling

    def park(self, seq: int, now: datetime, error: str) -> None:
        """Needs a human: keep the item, show the server's message, block only its issue."""
        with self._db.write("parking an item") as session:
            row = self._row(session, seq)
            row.state, row.updated_at = OutboxState.NEEDS_ATTENTION.value, now
            row.last_error, row.request_started_at = error[:2000], None

    def retry_now(self, seq: int, now: datetime, actor: str) -> None:
        """The technician asks to try a parked item again (looking up first, as any retry)."""
        with self._db.write("retrying an item") as session:
            row = self._row(session, seq)
            row.state, row.not_before, row.updated_at = OutboxState.PENDING.value, None, now
            row.attempts = max(row.attempts, 1)
            row.request_started_at = None
            audit.append(session, now, actor, "sync.retry_requested", row.issue_id, f"seq={seq}")

    def discard(self, seq: int, now: datetime, actor: str) -> None:
        """The technician gives up on a parked item; it is kept, marked discarded, audited."""
        with self._db.write("discarding an item") as session:
            row = self._row(session, seq)
            row.state, row.updated_at = OutboxState.DISCARDED.value, now
            row.request_started_at = None
            audit.append(session, now, actor, "sync.discarded", row.issue_id, f"seq={seq}")

    def summary(self, now: datetime) -> QueueSummary:
        """Pending (and of those: held) count, needs-attention count, oldest pending item."""
        with self._db.read() as session:
            counts = dict(
                session.execute(
                    select(OutboxRow.state, func.count())
                    .where(OutboxRow.state.in_(_UNSENT))
                    .group_by(OutboxRow.state)
                ).all()
            )
            oldest = session.scalar(
                select(func.min(OutboxRow.created_at)).where(OutboxRow.state.in_(_ACTIVE))
            )
            held = session.scalar(
                select(func.count())
                .select_from(OutboxRow)
                .where(OutboxRow.state == OutboxState.PENDING.value, OutboxRow.attempts == 0)
                .where(OutboxRow.not_before > now)
            )
        active = counts.get(OutboxState.PENDING.value, 0) + counts.get(OutboxState.SENDING.value, 0)
        attention = counts.get(OutboxState.NEEDS_ATTENTION.value, 0)
        return QueueSummary(active, attention, oldest, held or 0)

    def needing_attention(self) -> list[tuple[OutboxItem, str]]:
        """Parked items with their issue's reference, oldest first."""
        query = (
            select(OutboxRow, IssueRow.reference)
            .join(IssueRow, and_(IssueRow.id == OutboxRow.issue_id))
            .where(OutboxRow.state == OutboxState.NEEDS_ATTENTION.value)
            .order_by(OutboxRow.seq)
        )
        with self._db.read() as session:
            return [(_item(row), reference) for row, reference in session.execute(query).all()]

    def get_state(self, key: str) -> str | None:
        """A value the engine kept (None if never set)."""
        with self._db.read() as session:
            return session.scalar(select(SyncStateRow.value).where(SyncStateRow.key == key))

    def set_state(self, key: str, value: str | None, now: datetime) -> None:
        """Keep (or with None: forget) a named value."""
        with self._db.write("saving sync state") as session:
            write_state(session, key, value, now)

    # -- internals ------------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, seq: int) -> OutboxRow:
        row = session.get(OutboxRow, seq)
        if row is None:
            raise NotFoundError(f"no outbox item {seq}")
        return row


def _changed(cursor: sqlite3.Cursor, seq: int) -> None:
    """`NotFoundError` unless the UPDATE on outbox item ``seq`` found it."""
    if cursor.rowcount != 1:
        raise NotFoundError(f"no outbox item {seq}")


def _active_heads() -> Select[OutboxRow]:
    """Each issue's first unsent item, when it is one the engine may try (not parked)."""
    heads = (
        select(OutboxRow.issue_id, func.min(OutboxRow.seq).label("head"))
        .where(OutboxRow.state.in_(_UNSENT))
        .group_by(OutboxRow.issue_id)
        .subquery()
    )
    return (
        select(OutboxRow)
        .join(heads, OutboxRow.seq == heads.c.head)
        .where(OutboxRow.state.in_(_ACTIVE))
    )


def _lane_key(column: InstrumentedAttribute[uuid.UUID]) -> ColumnElement[int]:
    """The last hex digit (0..15) of a stored UUID (SQLite keeps them as 32 hex characters)."""
    last = func.lower(func.substr(column, -1))
    return func.instr("0123456789abcdef", last) - 1


def write_state(session: Session, key: str, value: str | None, now: datetime) -> None:
    """Upsert or delete a ``sync_state`` value inside the caller's transaction."""
    row = session.get(SyncStateRow, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SyncStateRow(key=key, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        seq=row.seq,
        issue_id=uuid.UUID(str(row.issue_id)),
        event_id=row.event_id,
        operation=SyncOperation(row.operation),
        state=OutboxState(row.state),
        attempts=row.attempts,
        not_before=row.not_before,
        last_error=row.last_error,
        created_at=row.created_at,
        request_started_at=row.request_started_at,
    )
