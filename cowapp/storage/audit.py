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
from cowapp.storage.models import AuditRow


def append(
    session: Session,
    at: datetime,
    actor: str,
    action: str,
    issue_id: uuid.UUID | None = None,
    detail: str = "",
) -> None:
    """Add one entry at the end of the chain (call inside a write transaction)."""
    last = session.execute(
        select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    digest = entry_hash(prev, seq, at, actor, action, issue_id, detail)
    session.add(
        AuditRow(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            issue_id=issue_id,
            detail=detail,
            prev_hash=prev,
            hash=digest,
        )
    )
    session.flush()


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
