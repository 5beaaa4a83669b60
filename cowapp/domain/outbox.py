"""The upload queue's items and the retry rule: capped exponential backoff with full jitter.

An outbox item says *what* the central service must be told about an issue (create, update,
note); the payload is built from the issue when it is sent. Items of one issue go out in order;
an item that needs a human blocks only its own issue.
"""

from __future__ import annotations

import enum
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from cowapp.domain.issue import IssueStatus, SyncOperation

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0


class OutboxState(enum.StrEnum):
    """Where an outbox item stands."""

    PENDING = "pending"  # waiting for its turn, its time (backoff) or the issue to be ready
    SENDING = "sending"  # a request may have reached the server: look up before retrying
    DONE = "done"
    NEEDS_ATTENTION = "needs_attention"  # parked for a human (retry or discard)
    DISCARDED = "discarded"


UNSENT_STATES = (OutboxState.PENDING, OutboxState.SENDING, OutboxState.NEEDS_ATTENTION)


@dataclass(frozen=True)
class OutboxItem:
    """One queued operation.

    Attributes:
        seq: queue order (also the per-issue order).
        attempts: failed tries so far; > 0 means the outcome of an earlier try may be unknown.
        not_before: do not try again before this time (backoff / Retry-After / settling).
        last_error: the last failure, as shown to the technician.
        request_started_at: when a request for it began whose outcome was never recorded:
            None between tries; still set on a later try, the process that sent it died
            mid-request and the server may still be working on it (see `unsettled_until`).
    """

    seq: int
    issue_id: uuid.UUID
    event_id: uuid.UUID | None
    operation: SyncOperation
    state: OutboxState
    attempts: int
    not_before: datetime | None
    last_error: str
    created_at: datetime
    request_started_at: datetime | None = None

    def unsettled_until(self, window: timedelta, now: datetime) -> datetime | None:
        """When a request left in flight by a dead run will have had ``window`` to finish at
        the server (a live client gives up after that too), if that is still ahead; else None
        (no such request, or it has had its time). A start later than ``now`` (the clock was
        set back since) counts from ``now``.
        """
        if self.request_started_at is None:
            return None
        settled = min(self.request_started_at, now) + window
        return settled if settled > now else None


def backoff_seconds(
    attempts: int,
    retry_after: float | None = None,
    rng: random.Random | None = None,
    base: float = BACKOFF_BASE_SECONDS,
    cap: float = BACKOFF_CAP_SECONDS,
) -> float:
    """Delay before try number ``attempts + 1``: full jitter in [0, min(cap, base·2^attempts)],
    never less than the server's ``Retry-After``."""
    ceiling = min(cap, base * 2 ** min(attempts, 30))
    delay = (rng or random).uniform(0, ceiling)
    return max(delay, retry_after or 0.0)


@dataclass(frozen=True)
class RemoteUpdate:
    """What the central service says about one escalated issue, ready to apply locally.

    Attributes:
        issue_id: our issue.
        status: the local status it implies (``remote_resolved`` etc.), None to keep it.
        remote_status: the system's own status word, shown as is.
        assignee: who has it centrally, if anyone.
        updated_at: the server's modification time (UTC), used to skip stale repeats.
    """

    issue_id: uuid.UUID
    status: IssueStatus | None
    remote_status: str
    assignee: str | None
    updated_at: datetime


class IssueSyncState(enum.StrEnum):
    """Where an issue stands with the central service, as the technician sees it."""

    LOCAL = "local"  # nothing to send (sync off, or nothing queued)
    QUEUED = "queued"
    SENDING = "sending"
    SYNCED = "synced"
    NEEDS_ATTENTION = "needs_attention"


def issue_sync_state(states: set[OutboxState], has_ticket: bool) -> IssueSyncState:
    """Summarise an issue's outbox items: the most urgent thing wins."""
    if OutboxState.NEEDS_ATTENTION in states:
        return IssueSyncState.NEEDS_ATTENTION
    if OutboxState.SENDING in states:
        return IssueSyncState.SENDING
    if OutboxState.PENDING in states:
        return IssueSyncState.QUEUED
    return IssueSyncState.SYNCED if has_ticket else IssueSyncState.LOCAL
