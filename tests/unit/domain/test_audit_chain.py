"""The audit chain detects removed, reordered and edited entries, and says where."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from cowapp.domain.audit import GENESIS_HASH, AuditEntry, entry_hash, verify_chain

T0 = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        at, issue = T0 + timedelta(minutes=seq), uuid.uuid4()
        digest = entry_hash(prev, seq, at, "104233", "issue.created", issue, "")
        entries.append(AuditEntry(seq, at, "104233", "issue.created", issue, "", prev, digest))
        prev = digest
    return entries


def test_intact_chain_verifies() -> None:
    assert verify_chain(chain(5)) is None
    assert verify_chain([]) is None


def test_removed_entry_is_found() -> None:
    entries = chain(5)
    del entries[2]
    assert verify_chain(entries) == "audit entry 3 is missing (found 4 next)"


def test_edited_entry_is_found() -> None:
    entries = chain(5)
    entries[3] = dataclasses.replace(entries[3], actor="999999")
    assert verify_chain(entries) == "audit entry 4 was altered"


def test_rehashed_edit_breaks_the_next_link() -> None:
    entries = chain(5)
    e = entries[1]
    forged = entry_hash(e.prev_hash, e.seq, e.at, e.actor, "issue.resolved", e.issue_id, e.detail)
    entries[1] = dataclasses.replace(e, action="issue.resolved", hash=forged)
    assert verify_chain(entries) == "audit entry 3 does not follow entry 2"
