"""Read-only list queries behind the technician queue: counts, ordered id pages and display rows.

The queue shows issues highest priority first, then oldest first, filtered by status, category,
ward and a text search. A Qt model holds only the ids of the current filter (`IssueQuery.ids` and
`IssueQuery.ids_after`, a page at a time) and asks for the few rows it shows (`IssueQuery.rows`),
so opening a queue of 100,000 issues reads a couple of hundred rows. Everything handed out is plain
data (`QueueRow`, `uuid.UUID`); no ORM object leaves this module.

How the queries stay cheap (checked with EXPLAIN QUERY PLAN in the unit tests):

* Status filters walk ``ix_issues_queue (status, priority, created_at)``. For ``status IN (...)``
  SQLite seeks each status in turn and merges them in a sorter that stops taking rows from a
  status once it has ``offset + limit`` of them, so the first page costs the same with 100 or
  100,000 open issues. Without a status filter the query says ``status IN (every status)`` to get
  the same plan. ``rowid`` breaks ties on ``created_at``: it is the index's hidden last key, so it
  costs nothing and keeps paging stable. `IssueQuery.ids_after` seeks past the previous page's last
  key instead of counting over an offset, so page 500 is as cheap as page 2.
* Category, ward and text conditions are checked on the table row behind each index entry. When
  the chosen statuses cover much of the table (`SCAN_SHARE`), one sequential scan is cheaper than
  a random lookup per index entry, so the status condition is written as ``+status``, which keeps
  SQLite off the index (the documented way to disqualify a term).
* Sync states come from unsent outbox rows only (the states `issue_sync_state` looks at), which
  lets ``ix_outbox_state_issue (state, issue_id)`` answer with seeks instead of a scan.

Text search is a case-insensitive substring match over the reference, description, room and asset
tag, with ``%``, ``_`` and ``\\`` taken literally; a reference typed as read out ("kd7 m4x") is
found too. Three or more characters are looked up in ``issues_fts``, an FTS5 trigram index of
those columns kept in step by triggers (migration 0005): the phrase query matches any substring,
folding case for accented letters too ("ÉÉN" finds "één"; accents themselves still count), and
the matching rowids then go through the same filters and order as any other queue (how the index
is read once per query, and which plan is used, is in `queue_search`). A page of a common word
walks the status index and checks each entry's rowid against the matches on the index entry
alone, selecting only what the index holds, so the table is read for the page's own rows only:
200 reads instead of one per candidate the sorter took in (~640 for "printer" in 100,000
issues). One or two characters make no trigram, so they fall back to ``LIKE`` over the table
(ASCII case folding): the same results, at the cost of one table scan.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    and_,
    func,
    select,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from cowapp.domain.issue import OPEN_STATUSES, IssueStatus
from cowapp.domain.outbox import UNSENT_STATES, IssueSyncState, OutboxState, issue_sync_state
from cowapp.storage.db import Database
from cowapp.storage.models import IssueRow, OutboxRow
from cowapp.storage.queue_search import (
    ROWID,
    FirstMatches,
    first_matches,
    matching_rowids,
    text_matches,
    uses_index,
)

SUMMARY_LENGTH = 80
"""The longest description line a `QueueRow` carries (the rest is cut off with an ellipsis)."""

SCAN_SHARE = 0.2
"""Scan the whole table when the chosen statuses hold more than this share of all issues and a
category, ward or text condition must be checked row by row (measured break-even: ~25%)."""

_CHUNK = 500  # ids per IN (...) list, far below SQLite's bound-parameter limit
_ROWID = ROWID
_ORDER = (IssueRow.priority, IssueRow.created_at, _ROWID)  # rowid: ties, free from any index
_ROW_COLUMNS = (
    IssueRow.id,
    IssueRow.reference,
    IssueRow.priority,
    IssueRow.status,
    IssueRow.category,
    IssueRow.subcategory,
    IssueRow.ward,
    IssueRow.room,
    func.substr(IssueRow.description, 1, 4 * SUMMARY_LENGTH).label("description"),
    IssueRow.created_at,
    IssueRow.claimed_by,
    IssueRow.remote_ticket,
    IssueRow.remote_number,
)


@dataclass(frozen=True)
class QueueFilter:
    """Which issues a queue shows.

    Attributes:
        statuses: the statuses to show; empty shows every status. Default: the open queue.
        categories: taxonomy category codes to show; empty shows every category.
        text: a case-insensitive substring of the reference, description, room or asset tag;
            blank shows everything. ``%`` and ``_`` are ordinary characters here.
        ward: only issues of this ward; None for every ward.
    """

    statuses: frozenset[IssueStatus] = OPEN_STATUSES
    categories: frozenset[str] = field(default_factory=frozenset)
    text: str = ""
    ward: str | None = None


@dataclass(frozen=True)
class QueueRow:
    """What one line of the queue shows about an issue.

    Attributes:
        id: the issue's UUID.
        reference: the short reference a nurse quotes ("KD7-M4X").
        priority: 1 (critical) to 5 (planning).
        status: where the issue stands.
        category: taxonomy category code.
        subcategory: taxonomy subcategory code, if one was chosen.
        ward: the ward the issue was reported on.
        room: the room, may be empty.
        summary: the first non-empty line of the description, at most `SUMMARY_LENGTH` chars.
        created_at: when it was reported (UTC).
        claimed_by: the technician who has it, if anyone.
        sync_state: where it stands with the central service.
        remote_number: the ticket number people quote once it is synced.
    """

    id: uuid.UUID
    reference: str
    priority: int
    status: IssueStatus
    category: str
    subcategory: str | None
    ward: str
    room: str
    summary: str
    created_at: datetime
    claimed_by: str | None
    sync_state: IssueSyncState
    remote_number: str | None = None


class IssueQuery:
    """Read-only queries for issue lists; every call is one short read transaction.

    Args:
        db: the cart's database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def count(self, queue_filter: QueueFilter) -> int:
        """How many issues match the filter."""
        with self._db.read() as session:
            text = queue_filter.text.strip()
            if uses_index(text) and not (
                queue_filter.statuses or queue_filter.categories or queue_filter.ward
            ):  # only the text filters: count in the index, no issue row read
                matches = matching_rowids(text).subquery()
                return session.scalar(select(func.count()).select_from(matches)) or 0
            query = select(func.count()).select_from(IssueRow)
            query = query.where(*_conditions(queue_filter, _plan(session, queue_filter)))
            return session.scalar(query) or 0

    def ids(self, queue_filter: QueueFilter, offset: int, limit: int) -> list[uuid.UUID]:
        """One page of matching issue ids: priority ascending (1 first), then oldest first.

        Args:
            queue_filter: which issues.
            offset: how many matching ids to skip. The time a page takes grows with the offset
                (SQLite steps over the skipped rows); `ids_after` does not.
            limit: at most this many ids.
        """
        if limit <= 0:
            return []
        with self._db.read() as session:
            return _page(session, queue_filter, limit, offset=max(offset, 0))

    def ids_after(self, queue_filter: QueueFilter, after: uuid.UUID, limit: int) -> list[uuid.UUID]:
        """The page that follows issue ``after`` in queue order (keyset paging).

        On the status index each page costs the same however deep it is (a text search scans the
        table once per page either way), and issues added or removed before ``after`` between two
        calls do not shift the page, so nothing is repeated or skipped because of them.

        Args:
            queue_filter: which issues.
            after: the last id of the previous page (it need not match the filter any more).
            limit: at most this many ids.

        Returns:
            The next ids; empty when ``after`` is not on the cart.
        """
        if limit <= 0:
            return []
        with self._db.read() as session:
            key = session.execute(
                select(IssueRow.priority, IssueRow.created_at, _ROWID).where(IssueRow.id == after)
            ).first()
            if key is None:
                return []
            return _page(session, queue_filter, limit, after_key=tuple(key))

    def rows(self, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
        """The display rows of these issues, in the order given; unknown ids are left out.

        Up to 500 ids take one query for the issues and one grouped query for their sync states.
        """
        found: dict[uuid.UUID, Any] = {}
        unsent: dict[uuid.UUID, set[OutboxState]] = {}
        with self._db.read() as session:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                found.update(_issue_rows(session, chunk))
                _collect_unsent(session, chunk, unsent)
        return [
            _queue_row(found[issue_id], unsent.get(issue_id, set()))
            for issue_id in ids
            if issue_id in found
        ]


# -- query building -------------------------------------------------------------------------------


def _page(
    session: Session,
    queue_filter: QueueFilter,
    limit: int,
    offset: int = 0,
    after_key: tuple[Any, ...] | None = None,
) -> list[uuid.UUID]:
    plan = _plan(session, queue_filter)
    keys = (_ROWID.label("issue_rowid"), IssueRow.priority, IssueRow.created_at)
    query = select(*keys) if plan.walk else select(IssueRow.id)
    query = query.where(*_conditions(queue_filter, plan))
    if after_key is not None:  # a row-value range on the index: (priority, created_at) > (?, ?)
        query = query.where(tuple_(*_ORDER) > after_key)
    query = query.order_by(*_ORDER).offset(offset).limit(limit)
    if plan.walk:
        return list(session.scalars(_ids_of_page(query.subquery("page"))))
    return list(session.scalars(query))


def _ids_of_page(page: Subquery) -> Select[Any]:
    """The ids of a page found on the status index alone, in its order.

    The walk selects only what ``ix_issues_queue`` holds (a covering index), so it reads the
    table for the page's rows only, not for every candidate its sorter takes in and drops.
    """
    return (
        select(IssueRow.id)
        .join(page, page.c.issue_rowid == _ROWID)
        .order_by(page.c.priority, page.c.created_at, page.c.issue_rowid)
    )


@dataclass(frozen=True)
class _Plan:
    """How a query should run: ``scan_table`` keeps the status term off the index (``+status``);
    ``walk`` checks text-index matches per status-index entry; ``matches`` are the text's
    `first_matches` (see `queue_search`)."""

    scan_table: bool = False
    walk: bool = False
    matches: FirstMatches | None = None


def _plan(session: Session, queue_filter: QueueFilter) -> _Plan:
    text = queue_filter.text.strip()
    if uses_index(text):
        matches = first_matches(session, text)
        if matches.complete:  # read the few matches by rowid: status off the index
            return _Plan(scan_table=True, matches=matches)
        return _Plan(walk=True, matches=matches)  # the status index in queue order, LIMIT hits
    return _Plan(scan_table=_scan_table(session, queue_filter))


def _conditions(queue_filter: QueueFilter, plan: _Plan) -> list[ColumnElement[bool]]:
    """The WHERE terms, written so that SQLite follows ``plan``."""
    conditions = _residual(queue_filter, plan.matches)
    statuses = [s.value for s in queue_filter.statuses or IssueStatus]
    if plan.scan_table:
        if queue_filter.statuses:
            conditions.append(_unindexed(IssueRow.status.expression).in_(statuses))
    else:
        conditions.append(IssueRow.status.in_(statuses))
    return conditions


def _residual(
    queue_filter: QueueFilter, matches: FirstMatches | None = None
) -> list[ColumnElement[bool]]:
    """Terms checked on each table row (no index helps with them)."""
    conditions: list[ColumnElement[bool]] = []
    if queue_filter.categories:
        conditions.append(IssueRow.category.in_(sorted(queue_filter.categories)))
    if queue_filter.ward is not None:
        conditions.append(IssueRow.ward == queue_filter.ward)
    if queue_filter.text.strip():
        conditions.append(text_matches(queue_filter.text.strip(), matches))
    return conditions


def _unindexed(column: ColumnElement[str]) -> ColumnElement[str]:
    """``+column``: the same value, but SQLite will not use an index for a term on it."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=String())


def _scan_table(session: Session, queue_filter: QueueFilter) -> bool:
    """Whether one table scan beats walking the status index with a lookup per entry."""
    if not _residual(queue_filter):
        return False  # the index alone answers: bounded, whatever the table size
    if not queue_filter.statuses:
        return True
    statuses = [s.value for s in queue_filter.statuses]
    candidates = session.scalar(
        select(func.count()).select_from(IssueRow).where(IssueRow.status.in_(statuses))
    )
    # max(rowid) is one index step; issues are not deleted, so it is close to the row count
    table_size = session.scalar(select(func.max(_ROWID)).select_from(IssueRow))
    return (candidates or 0) > SCAN_SHARE * (table_size or 0)


# -- rows -----------------------------------------------------------------------------------------


def _issue_rows(session: Session, ids: Sequence[uuid.UUID]) -> Iterable[tuple[uuid.UUID, Any]]:
    for row in session.execute(select(*_ROW_COLUMNS).where(IssueRow.id.in_(ids))):
        yield row.id, row


def _collect_unsent(
    session: Session, ids: Sequence[uuid.UUID], into: dict[uuid.UUID, set[OutboxState]]
) -> None:
    query = (
        select(OutboxRow.issue_id, OutboxRow.state)
        .where(
            and_(
                OutboxRow.state.in_([state.value for state in UNSENT_STATES]),
                OutboxRow.issue_id.in_(ids),
            )
        )
        .group_by(OutboxRow.issue_id, OutboxRow.state)
    )
    for issue_id, state in session.execute(query):
        into.setdefault(issue_id, set()).add(OutboxState(state))


def _queue_row(row: Any, unsent: set[OutboxState]) -> QueueRow:
    return QueueRow(
        id=row.id,
        reference=row.reference,
        priority=row.priority,
        status=IssueStatus(row.status),
        category=row.category,
        subcategory=row.subcategory,
        ward=row.ward,
        room=row.room,
        summary=first_line(row.description),
        created_at=row.created_at,
        claimed_by=row.claimed_by,
        sync_state=issue_sync_state(unsent, row.remote_ticket is not None),
        remote_number=row.remote_number,
    )


def first_line(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first non-empty line of ``text``, cut to ``length`` characters with an ellipsis."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"
