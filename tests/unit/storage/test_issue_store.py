"""The issue repository: an issue, its events, outbox rows and audit entries are stored together
or not at all; updates coalesce into a pending create; old synced free text is purged."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from cowapp.domain import bedside
from cowapp.domain.errors import IllegalTransitionError, PrivacyBlockedError
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueStatus, ResolutionCode
from cowapp.domain.outbox import IssueSyncState, OutboxState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage import audit
from cowapp.storage.db import Database, RowWriter
from cowapp.storage.errors import NotFoundError
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.models import OutboxRow
from cowapp.storage.outbox_store import Delivered, OutboxStore

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
POLICY = IntakePolicy("COW-07", "B4 Interne")


def new_issue(taxonomy: Taxonomy, **fields: object) -> Issue:
    draft = IssueDraft(**{"category": "printing", "reporter": "104233", **fields})  # type: ignore[arg-type]
    return create_issue(draft, taxonomy, POLICY, T0)[0]


def table_counts(db: Database) -> dict[str, int]:
    connection = sqlite3.connect(db.path)
    try:
        return {
            t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("issues", "issue_events", "notes", "outbox", "audit_log")
        }
    finally:
        connection.close()


def outbox(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        rows = session.scalars(select(OutboxRow).order_by(OutboxRow.seq))
        return [(row.operation, row.state) for row in rows]


def test_add_round_trips_the_domain_object(store: IssueStore, taxonomy: Taxonomy) -> None:
    issue = new_issue(taxonomy, description="Etikettenprinter kamer 12", care_impact="no")
    store.add(issue)
    loaded = store.by_reference(issue.reference)
    assert loaded == issue
    assert store.get(issue.id) == issue


def test_add_writes_issue_event_outbox_and_audit_together(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    store.add(new_issue(taxonomy), [("privacy.warning_confirmed", "kinds=phone")])
    assert table_counts(db) == {
        "issues": 1,
        "issue_events": 1,
        "notes": 0,
        "outbox": 1,
        "audit_log": 2,
    }
    assert outbox(db) == [("create", "pending")]
    assert store.outbox_counts() == {"pending": 1}


def test_updates_coalesce_into_a_pending_create(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    issue = store.add(new_issue(taxonomy))
    store.change(issue.id, lambda i: i.claim("T2041", T0 + timedelta(minutes=1)))
    store.change(
        issue.id,
        lambda i: i.resolve("T2041", T0 + timedelta(minutes=9), ResolutionCode.FIXED, "herstart"),
    )
    assert outbox(db) == [("create", "pending")], "the create is built from the latest state"
    with db.read() as session:  # woken by the resolve, as a row the ORM reads back
        row = session.scalars(select(OutboxRow)).one()
        assert (row.updated_at, row.not_before) == (T0 + timedelta(minutes=9), None)
    with db.write() as session:  # the sync engine has taken the create
        session.scalars(select(OutboxRow)).one().state = OutboxState.SENDING.value
    store.change(issue.id, lambda i: i.reopen("T2041", T0 + timedelta(hours=2)))
    bedside_note = lambda i: bedside.add_note(  # noqa: E731
        i,
        actor="T2041",
        at=T0 + timedelta(hours=3),
        text="werkt weer",
        confirmed_not_patient_data=False,
    )
    store.change(issue.id, bedside_note)
    assert outbox(db) == [("create", "sending"), ("update", "pending"), ("note", "pending")]
    assert store.get(issue.id).notes[-1].text == "werkt weer"


def test_an_issue_resolved_before_it_is_stored_is_queued_once(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    issue = new_issue(taxonomy)
    issue.resolve("T2041", T0 + timedelta(minutes=4), ResolutionCode.FIXED, "herstart")
    store.add(issue)
    assert outbox(db) == [("create", "pending")]
    assert table_counts(db) == {
        "issues": 1,
        "issue_events": 2,
        "notes": 0,
        "outbox": 1,
        "audit_log": 2,
    }
    assert store.get(issue.id) == issue


def test_refused_change_writes_nothing(store: IssueStore, db: Database, taxonomy: Taxonomy) -> None:
    issue = store.add(new_issue(taxonomy))
    before = table_counts(db)
    with pytest.raises(IllegalTransitionError):
        store.change(issue.id, lambda i: i.reopen("T2041", T0))
    with pytest.raises(PrivacyBlockedError):
        store.change(
            issue.id,
            lambda i: bedside.add_note(
                i, actor="T2041", at=T0, text="bsn 111222333", confirmed_not_patient_data=True
            ),
        )
    assert table_counts(db) == before
    assert store.get(issue.id).status is IssueStatus.NEW


def test_failure_halfway_rolls_back_everything(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    issue = new_issue(taxonomy)
    issue.events.append(issue.events[0])  # the same event id twice: the second insert fails
    with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: issue_events\.id"):
        store.add(issue)
    assert table_counts(db) == dict.fromkeys(
        ("issues", "issue_events", "notes", "outbox", "audit_log"), 0
    )


def test_an_error_after_the_last_row_rolls_back_everything(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    def refused(rows: RowWriter) -> None:  # runs after the issue, event, outbox and audit rows
        rows.execute("INSERT INTO nowhere VALUES (1)")

    with pytest.raises(OperationalError, match="no such table: nowhere"):
        store.add(new_issue(taxonomy), [("privacy.warning_confirmed", "kinds=phone")], refused)
    assert table_counts(db) == dict.fromkeys(
        ("issues", "issue_events", "notes", "outbox", "audit_log"), 0
    )
    store.add(new_issue(taxonomy))  # and the next save starts from a clean connection
    assert table_counts(db)["audit_log"] == 1


def test_reference_collision_gets_a_new_reference(store: IssueStore, taxonomy: Taxonomy) -> None:
    first = store.add(new_issue(taxonomy))
    second = new_issue(taxonomy)
    second.reference = first.reference
    stored = store.add(second)
    assert stored.reference != first.reference
    assert store.by_reference(stored.reference).id == second.id


def test_unknown_reference(store: IssueStore) -> None:
    with pytest.raises(NotFoundError, match="AAA-AAA"):
        store.by_reference("AAA-AAA")


def test_list_sorts_by_priority_then_age_and_filters(store: IssueStore, taxonomy: Taxonomy) -> None:
    low = store.add(new_issue(taxonomy, care_impact="yes", affected="me"))
    high = store.add(new_issue(taxonomy, care_impact="no", affected="several_wards"))
    store.change(low.id, lambda i: i.claim("T2041", T0 + timedelta(minutes=1)))
    assert [i.reference for i in store.list()] == [high.reference, low.reference]
    assert [i.reference for i in store.list([IssueStatus.IN_PROGRESS])] == [low.reference]
    assert store.status_counts() == {IssueStatus.NEW: 1, IssueStatus.IN_PROGRESS: 1}


def test_audit_log_is_append_only_in_the_database(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    store.add(new_issue(taxonomy))
    connection = sqlite3.connect(db.path)
    try:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                connection.execute(statement)
    finally:
        connection.close()
    with db.read() as session:
        assert audit.verify(session) == (1, None)


def test_purge_blanks_only_old_synced_and_fully_sent_issues(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    old = store.add(new_issue(taxonomy, description="oud en verzonden"))
    waiting = store.add(new_issue(taxonomy, description="oud, notitie wacht nog"))
    recent = store.add(new_issue(taxonomy, description="net verzonden"))
    for issue, days in ((old, 1), (waiting, 1), (recent, 70)):
        store.change(issue.id, lambda i, d=days: _mark_synced(i, T0 + timedelta(days=d)))
    store.change(
        waiting.id,
        lambda i: bedside.add_note(
            i, actor="T2041", at=T0, text="nog te sturen", confirmed_not_patient_data=False
        ),
    )
    with db.write() as session:
        for row in session.scalars(select(OutboxRow).where(OutboxRow.operation == "create")):
            row.state = OutboxState.DONE.value
    now = T0 + timedelta(days=72)
    assert store.purge_synced_text(now, retention_days=30) == 1
    assert store.get(old.id).description == "" and store.get(old.id).purged_at == now
    assert store.get(waiting.id).description == "oud, notitie wacht nog"
    assert store.get(recent.id).description == "net verzonden"
    assert store.purge_synced_text(now, retention_days=30) == 0, "purging twice does nothing"
    with db.read() as session:
        assert audit.verify(session)[1] is None


def _mark_synced(issue: Issue, at: datetime) -> list[object]:
    issue.synced_at = at
    return []


def test_sync_state_per_issue_follows_its_outbox(
    store: IssueStore, db: Database, taxonomy: Taxonomy
) -> None:
    queued, sending, parked, synced = (store.add(new_issue(taxonomy)) for _ in range(4))
    outbox = OutboxStore(db)
    seq = {item.issue_id: item.seq for item in outbox.due(T0 + timedelta(days=1))}
    outbox.mark_sending(seq[sending.id], T0)
    outbox.park(seq[parked.id], T0, "HTTP 400: bad category")
    [item] = [i for i in outbox.due(T0 + timedelta(days=1)) if i.issue_id == synced.id]
    outbox.delivered(item, T0, Delivered(remote_id="734", remote_number="734"))
    states = store.sync_states([queued, sending, parked, store.get(synced.id)])
    assert [states[i.id] for i in (queued, sending, parked, synced)] == [
        IssueSyncState.QUEUED,
        IssueSyncState.SENDING,
        IssueSyncState.NEEDS_ATTENTION,
        IssueSyncState.SYNCED,
    ]
    assert store.get(synced.id).remote_number == "734"
