"""The sync half of ``cowapp --demo``: what a month of the sync worker would have left behind.

Replays the outbox of freshly seeded issues through `OutboxStore` (delivered with an RT ticket
number, held while open, queued in a Wi-Fi dead zone, parked with the server's message) and
reads escalated tickets back through `IssueStore.apply_remote`, with server times, as the engine
does. No network: the central system's answers are made up here, its side effects are real rows.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from cowapp import demo_data as data
from cowapp.domain import bedside
from cowapp.domain.issue import OPEN_STATUSES, Issue, IssueEvent, IssueStatus, SyncOperation
from cowapp.domain.outbox import OutboxItem, RemoteUpdate
from cowapp.storage.outbox_store import Delivered, OutboxStore
from cowapp.sync.engine import CURSOR_KEY
from cowapp.wiring import Cart

HANDOVER = timedelta(minutes=240)  # issues still open this long are sent anyway (SyncSettings)
QUEUED = 6  # the last issues closed at the cart, not sent yet: it is in a Wi-Fi dead zone
FIRST_TICKET = 48_100


class SyncHistory:
    """Plays the sync worker's part afterwards: every item the cart could send went out (a
    ticket number each), the last hour's did not, three were parked for a human, and escalated
    tickets were read back — all through `OutboxStore` and `IssueStore.apply_remote`."""

    def __init__(self, cart: Cart, rng: random.Random, now: datetime) -> None:
        self._cart, self._rng, self._now = cart, rng, now
        self._outbox = OutboxStore(cart.db)
        self._next_ticket = FIRST_TICKET
        self._parked: dict[uuid.UUID, str] = {}
        self._tickets: set[uuid.UUID] = set()
        self._queued: set[uuid.UUID] = set()

    def replay(self, issues: list[Issue], late: Issue | None) -> None:
        """Send, hold, queue and park the outbox as a month of syncing would have left it."""
        by_id = {issue.id: issue for issue in issues}
        self._choose_parked(issues)
        seen: set[int] = set()
        while batch := [i for i in self._outbox.due(self._now, 500) if i.seq not in seen]:
            for item in batch:
                seen.add(item.seq)
                self._settle(item, by_id[item.issue_id])
        if late is not None:
            self._escalate_late(late)
        self._read_back([i for i in issues if i.id in self._tickets])

    def _choose_parked(self, issues: list[Issue]) -> None:
        """A HiX escalation of the last days and a fix of yesterday are parked; the last few
        issues closed at the cart stay queued."""
        now, recent = self._now, list(reversed(issues))
        day = timedelta(days=1)
        hix = next(
            (i for i in recent if i.escalation_group == "Applicatiebeheer HiX"
             and now - 3 * day < (i.escalated_at or now) < now - day),
            None,
        )  # fmt: skip
        lost = next(
            (i for i in recent if i.status is IssueStatus.RESOLVED
             and now - 1.25 * day < (i.resolved_at or now) < now - day / 4),
            None,
        )  # fmt: skip
        for issue, message in ((hix, data.PARKED_MESSAGES[0]), (lost, data.PARKED_MESSAGES[2])):
            if issue is not None:
                self._parked[issue.id] = message
        closed = [i for i in issues if i.status not in OPEN_STATUSES and i.id not in self._parked]
        closed.sort(key=lambda i: i.resolved_at or i.escalated_at or i.created_at)
        self._queued = {i.id for i in closed[-QUEUED:]}

    def _settle(self, item: OutboxItem, issue: Issue) -> None:
        ready = self._ready_at(item, issue)
        if ready is None:  # still open at the cart: the worker holds it until the hand-over
            self._outbox.hold(item.seq, issue.created_at + HANDOVER, self._now)
            return
        if issue.id in self._queued:  # done in the dead zone: waiting for Wi-Fi
            if self._rng.random() < 0.4:
                retry = ready + timedelta(minutes=2)
                self._outbox.retry_later(
                    item.seq, retry, retry + timedelta(minutes=5), data.OFFLINE_ERROR
                )
            return
        sent = min(ready + timedelta(minutes=self._rng.randint(1, 15)), self._now)
        if issue.id in self._parked and item.operation is SyncOperation.CREATE:
            self._outbox.mark_sending(item.seq, sent)
            message = self._parked[issue.id].format(number=self._ticket())
            self._outbox.park(item.seq, sent, message)
            return
        result = Delivered(action=f"sync.{item.operation.value}")
        if item.operation is SyncOperation.CREATE:
            number = self._ticket()
            result = Delivered(number, number, "sync.created")
            self._tickets.add(issue.id)
        self._outbox.delivered(item, sent, result)

    def _ready_at(self, item: OutboxItem, issue: Issue) -> datetime | None:
        if item.operation is not SyncOperation.CREATE:
            return item.created_at
        if issue.status in OPEN_STATUSES:
            handover = issue.created_at + HANDOVER
            return handover if handover < self._now else None
        return issue.resolved_at or issue.escalated_at

    def _ticket(self) -> str:
        self._next_ticket += self._rng.randint(1, 9)  # other wards' tickets come in between
        return str(self._next_ticket)

    def _escalate_late(self, pump: Issue) -> None:
        """Escalated after its ticket existed: the update is refused and parked."""
        at = pump.created_at + timedelta(hours=6)
        if pump.id not in self._tickets or at > self._now:
            return
        policy = self._cart.settings.config.intake_policy()
        group = "Medische Technologie"

        def escalate(issue: Issue) -> IssueEvent:
            bedside.escalate(
                issue,
                policy=policy,
                actor=issue.claimed_by or issue.reporter,
                at=at,
                group=group,
                reason=data.ESCALATION_REASONS[group][0],
                confirmed_not_patient_data=False,
            )
            return issue.events[-1]

        stored = self._cart.issues.change(pump.id, escalate)
        item = next(i for i in self._outbox.due(self._now, 500) if i.issue_id == pump.id)
        self._outbox.mark_sending(item.seq, at + timedelta(minutes=2))
        message = data.PARKED_MESSAGES[1].format(number=stored.remote_number)
        self._outbox.park(item.seq, at + timedelta(minutes=2), message)

    def _read_back(self, synced: list[Issue]) -> None:
        updates = [self._remote(i) for i in synced if i.status is IssueStatus.ESCALATED]
        for update in sorted(updates, key=lambda u: u.updated_at):
            read_at = min(
                update.updated_at + timedelta(minutes=self._rng.randint(1, 10)), self._now
            )
            cursor = {CURSOR_KEY: update.updated_at.isoformat()}
            self._cart.issues.apply_remote([update], cursor, read_at)

    def _remote(self, issue: Issue) -> RemoteUpdate:
        """What RT says now about an escalated issue: older ones mostly resolved."""
        escalated = issue.escalated_at or issue.created_at
        days = (self._now - escalated) / timedelta(days=1)
        done = 0.2 if days < 1 else 0.45 if days < 3 else 0.75
        roll = self._rng.random()
        if roll < done:
            word, status = (
                ("rejected", IssueStatus.REMOTE_CLOSED)
                if roll < 0.08
                else ("resolved", IssueStatus.REMOTE_RESOLVED)
            )
        else:
            word, status = self._rng.choice(("open", "open", "stalled")), IssueStatus.ESCALATED
        hours = self._rng.uniform(0.5, min(days * 24 - 0.2, 72))
        owner = self._rng.choice(data.REMOTE_OWNERS)
        return RemoteUpdate(
            issue_id=issue.id,
            status=status,
            remote_status=word,
            assignee=None if owner == "Nobody" else owner,
            updated_at=_office_hours(escalated + timedelta(hours=hours), self._now),
        )


def _office_hours(at: datetime, now: datetime) -> datetime:
    """Move a resolver group's answer into its working day (08:00-17:00 local, weekdays),
    unless that day has not come yet."""
    local = at.astimezone()
    if local.hour >= 17:
        local = (local + timedelta(days=1)).replace(hour=8)
    elif local.hour < 8:
        local = local.replace(hour=8)
    while local.weekday() >= 5:
        local += timedelta(days=1)
    moved = local.astimezone(UTC)
    return moved if moved < now - timedelta(minutes=15) else at
