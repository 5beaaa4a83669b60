"""Appending to and reading the hash-chained audit log inside the caller's write transaction.

Appends happen in the same ``BEGIN IMMEDIATE`` transaction as the change they record, so the
sequence number read here cannot race with another writer. The table itself refuses UPDATE and
DELETE (triggers in the first migration).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cowapp.domain.audit import GENESIS_HASH, AuditEntry, entry_hash, verify_chain
from cowapp.storage.db import RowWriter, row_writer
from cowapp.storage.models import AuditRow, Base
from cowapp.storage.prepared import PreparedInsert

_AUDIT = Base.metadata.tables[AuditRow.__tablename__]
_INSERT = PreparedInsert(_AUDIT, [column.name for column in _AUDIT.c])
# One step down the rowid b-tree (seq is the INTEGER PRIMARY KEY); plain text, nothing to bind.
_LAST = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
_TAIL = "cowapp_audit_tail"  # RowWriter.info key: (seq, hash) of this transaction's last append


def append(
    target: Session | RowWriter,
    at: datetime,
    actor: str,
    action: str,
    issue_id: uuid.UUID | None = None,
    detail: str = "",
) -> None:
    """Add one entry at the end of the chain (call inside a write transaction).

    The chain's tail is read once per transaction and then carried along, so a save that
    audits several steps asks for it once; the row goes in with a prepared INSERT (no ORM flush).

    Args:
        target: the write transaction: a session from `Database.write`, or the `RowWriter` of
            `Database.write_rows`.
    """
    rows = target if isinstance(target, RowWriter) else row_writer(target)
    seq, prev = rows.info.get(_TAIL) or _tail(rows)
    digest = entry_hash(prev, seq + 1, at, actor, action, issue_id, detail)
    row = {
        "seq": seq + 1,
        "at": at,
        "actor": actor,
        "action": action,
        "issue_id": issue_id,
        "detail": detail,
        "prev_hash": prev,
        "hash": digest,
    }
    _INSERT.execute(rows, row)
    rows.info[_TAIL] = (seq + 1, digest)


def _tail(rows: RowWriter) -> tuple[int, str]:
    """(seq, hash) of the newest entry, one index step."""
    last = rows.execute(_LAST).fetchone()
    return (last[0], last[1]) if last else (0, GENESIS_HASH)


def entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    """All entries in order, fetched in batches so a long log does not fill memory."""
    after = 0
    while True:
        rows = session.scalars(
            select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq).limit(batch)
        ).all()
        for row in rows:
            yield AuditEntry(
                row.seq,
                row.at,
                row.actor,
                row.action,
                row.issue_id,
                row.detail,
                row.prev_hash,
                row.hash,
            )
        if len(rows) < batch:
            return
        after = rows[-1].seq


def verify(session: Session) -> tuple[int, str | None]:
    """Return (number of entries, first problem or None)."""
    count = session.scalar(select(func.count()).select_from(AuditRow)) or 0
    return count, verify_chain(entries(session))
