"""The queue remembers when a request that may still be in flight started, and forgets it as
soon as the outcome of that request is recorded, by every write that records one; a recovery
does not hurry an item whose request a dead run may have left at work on the server; a queue
migrated from before those start times (revision 0007) is tried as before."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cowapp import paths
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.outbox import OutboxItem, OutboxState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.storage.outbox_store import Delivered, OutboxStore
from tests.helpers_schema import column_names, downgrade

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=20)
POLICY = IntakePolicy("COW-07", "B4 Interne")


@pytest.fixture
def queue(db: Database) -> OutboxStore:
    return OutboxStore(db)


def queued_create(store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy) -> OutboxItem:
    """Save an issue; return its queued ``create``."""
    draft = IssueDraft(category="printing", reporter="104233", description="Printer kamer 12")
    issue = store.add(create_issue(draft, taxonomy, POLICY, T0)[0])
    [item] = [i for i in queue.due(T0) if i.issue_id == issue.id]
    return item


def sent(queue: OutboxStore, item: OutboxItem, at: datetime = T0) -> OutboxItem:
    queue.mark_sending(item.seq, at)
    return queue.get(item.seq)


OUTCOMES: dict[str, Callable[[OutboxStore, OutboxItem], None]] = {
    "delivered": lambda q, i: q.delivered(i, T0, Delivered("7", "7", "sync.created")),
    "retry_later": lambda q, i: q.retry_later(i.seq, T0, T0 + timedelta(seconds=2), "timeout"),
    "park": lambda q, i: q.park(i.seq, T0, "HTTP 400: bad queue"),
    "retry_now": lambda q, i: q.retry_now(i.seq, T0, "T2041"),
    "discard": lambda q, i: q.discard(i.seq, T0, "T2041"),
    "answered": lambda q, i: q.answered(i.seq, T0),  # credentials refused: the queue pauses
}


def test_marking_an_item_sending_records_when_its_request_started(
    store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    item = queued_create(store, queue, taxonomy)
    assert item.request_started_at is None
    started = sent(queue, item, T0 + timedelta(seconds=5))
    assert (started.state, started.request_started_at) == (
        OutboxState.SENDING,
        T0 + timedelta(seconds=5),
    )


@pytest.mark.parametrize("record", OUTCOMES.values(), ids=OUTCOMES.keys())
def test_every_recorded_outcome_forgets_the_start(
    record: Callable[[OutboxStore, OutboxItem], None],
    store: IssueStore,
    queue: OutboxStore,
    taxonomy: Taxonomy,
) -> None:
    item = sent(queue, queued_create(store, queue, taxonomy))
    record(queue, item)
    after = queue.get(item.seq)
    assert after.request_started_at is None
    assert after.unsettled_until(WINDOW, T0) is None  # nothing to wait for: tried as before


def test_a_delivery_marks_the_item_done_and_remembers_and_audits_the_ticket(
    db: Database, store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    item = sent(queue, queued_create(store, queue, taxonomy))
    queue.delivered(item, T0 + timedelta(seconds=1), Delivered("41", "I 2612 041", "sync.created"))
    # a later item of the same issue confirms nothing new: the ticket stays, the audit names it
    later = T0 + timedelta(minutes=3)
    queue.delivered(item, later, Delivered(action="sync.note"))
    done, issue = queue.get(item.seq), store.get(item.issue_id)
    assert (done.state, done.last_error) == (OutboxState.DONE, "")
    ticket = (issue.remote_ticket, issue.remote_number, issue.synced_at)
    assert ticket == ("41", "I 2612 041", later)
    with db.read() as session:
        trail = [(e.actor, e.action, e.detail) for e in audit.entries(session)][-2:]
        assert audit.verify(session) == (len(list(audit.entries(session))), None)
    assert trail == [
        ("sync", "sync.created", "op=create;ticket=I 2612 041"),
        ("sync", "sync.note", "op=create;ticket=I 2612 041"),
    ]


def test_an_unknown_item_or_issue_is_refused_and_nothing_is_recorded(
    db: Database, store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    item = queued_create(store, queue, taxonomy)
    with pytest.raises(NotFoundError, match="no outbox item 999"):
        queue.mark_sending(999, T0)
    stranger = dataclasses.replace(item, issue_id=uuid.uuid4())
    with pytest.raises(NotFoundError, match=f"no issue with id {stranger.issue_id}"):
        queue.delivered(stranger, T0, Delivered("41", "I 2612 041"))
    assert queue.get(item.seq) == item  # the item's own update was rolled back with the rest
    with db.read() as session:
        assert not [e for e in audit.entries(session) if e.actor == "sync"]


def test_a_refused_request_keeps_the_item_sending_so_its_retry_looks_up_first(
    store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    """A 401 on the read-back after a create: the ticket may exist, but the server answered."""
    item = sent(queue, queued_create(store, queue, taxonomy))
    queue.answered(item.seq, T0)
    after = queue.get(item.seq)
    assert (after.state, after.attempts, after.request_started_at) == (OutboxState.SENDING, 0, None)
    assert [i.seq for i in queue.due(T0)] == [item.seq]


def test_settling_waits_without_an_attempt_or_a_state_change(
    store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    item = sent(queue, queued_create(store, queue, taxonomy))
    now = T0 + timedelta(seconds=3)
    until = item.unsettled_until(WINDOW, now)
    assert until == T0 + WINDOW
    queue.settle(item.seq, until, now)
    after = queue.get(item.seq)
    assert (after.state, after.attempts, after.not_before) == (OutboxState.SENDING, 0, until)
    assert after.request_started_at == T0
    assert queue.due(now) == [] and queue.next_attempt_at(now) == until
    assert [i.seq for i in queue.due(until)] == [item.seq]
    assert queue.get(item.seq).unsettled_until(WINDOW, until) is None


def test_a_start_in_the_future_waits_one_window_from_now_at_most(
    store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    """The cart's clock was set back after the dead run: its item must not wait for hours."""
    item = sent(queue, queued_create(store, queue, taxonomy), T0 + timedelta(hours=3))
    until = item.unsettled_until(WINDOW, T0)
    assert until == T0 + WINDOW
    queue.settle(item.seq, until, T0)
    assert queue.get(item.seq).unsettled_until(WINDOW, until) is None


def test_recovery_releases_backoffs_but_not_an_item_still_settling(
    store: IssueStore, queue: OutboxStore, taxonomy: Taxonomy
) -> None:
    failed = sent(queue, queued_create(store, queue, taxonomy))
    queue.retry_later(failed.seq, T0, T0 + timedelta(minutes=4), "HTTP 503")
    # Failed once before; then a run that died mid-request retried it.
    settling = sent(queue, queued_create(store, queue, taxonomy))
    queue.retry_later(settling.seq, T0, T0 + timedelta(seconds=1), "HTTP 503")
    now = T0 + timedelta(seconds=2)
    settling = sent(queue, settling, now)
    queue.settle(settling.seq, now + WINDOW, now)

    assert queue.release_retries(now, None) == 1
    assert queue.get(failed.seq).not_before is None  # due at once: the service is back
    assert queue.get(settling.seq).not_before == now + WINDOW


def test_an_item_left_sending_before_the_upgrade_is_looked_up_at_once(
    tmp_path: Path, taxonomy: Taxonomy
) -> None:
    """A queue from before revision 0007 knows no start times: its items are tried as before."""
    path = tmp_path / "cowapp.db"
    opened = open_database(path, paths.migrations_dir())
    queue = OutboxStore(opened.db)
    item = sent(queue, queued_create(IssueStore(opened.db), queue, taxonomy))
    downgrade(opened.db, "3b7c1e5a9d20")  # 0006: the schema before start times
    columns = column_names(path, "outbox")
    assert "request_started_at" not in columns
    upgraded = open_database(path, paths.migrations_dir())
    try:
        after = OutboxStore(upgraded.db).get(item.seq)
        assert (after.state, after.request_started_at) == (OutboxState.SENDING, None)
        assert after.unsettled_until(WINDOW, T0) is None
        assert [i.seq for i in OutboxStore(upgraded.db).due(T0)] == [item.seq]
    finally:
        upgraded.db.dispose()
