"""The audit trail's rules: what an entry holds and how entries are chained by hash.

Each entry records who did what, when, to which issue, with a short coded detail and never free
text. Its hash covers the previous entry's hash, so removing, reordering or editing any entry
breaks the chain from there on; `verify_chain` says where.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One audit line. ``detail`` is codes/counts only (e.g. ``kinds=phone,date``)."""

    seq: int
    at: datetime
    actor: str
    action: str
    issue_id: uuid.UUID | None
    detail: str
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    issue_id: uuid.UUID | None,
    detail: str,
) -> str:
    """The SHA-256 that chains an entry to its predecessor."""
    fields = [prev_hash, str(seq), at.isoformat(), actor, action, str(issue_id or ""), detail]
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def verify_chain(entries: Iterable[AuditEntry]) -> str | None:
    """Check sequence numbers and hashes; return a description of the first break, or None."""
    prev, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        if entry.seq != expected_seq:
            return f"audit entry {expected_seq} is missing (found {entry.seq} next)"
        if entry.prev_hash != prev:
            return f"audit entry {entry.seq} does not follow entry {entry.seq - 1}"
        recomputed = entry_hash(
            prev, entry.seq, entry.at, entry.actor, entry.action, entry.issue_id, entry.detail
        )
        if recomputed != entry.hash:
            return f"audit entry {entry.seq} was altered"
        prev, expected_seq = entry.hash, expected_seq + 1
    return None
