"""The metrics query reads back exactly the facts that were written, and counts privacy-guard
hits, the upload queue's health and deflections in SQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import insert

from cowapp.domain.metrics import SyncHealth, summarise
from cowapp.storage import audit
from cowapp.storage.db import Database
from cowapp.storage.metrics_query import MetricsQuery
from cowapp.storage.models import OutboxRow
from tests.helpers_metrics import insert_facts, issue_values
from tests.helpers_metrics_fixture import FACTS, NOW, SETTINGS, at


def test_facts_read_back_exactly_as_written(db: Database) -> None:
    insert_facts(db, FACTS)
    read = sorted(MetricsQuery(db).facts(), key=lambda f: f.reference)
    assert read == FACTS


def test_facts_of_a_period_only(db: Database) -> None:
    insert_facts(db, FACTS)
    read = MetricsQuery(db).facts(since=at(9, 0), until=at(10, 0))
    assert sorted(f.reference for f in read) == ["AAA-004", "AAA-005", "AAA-006"]


def test_metrics_from_the_database_match_the_hand_count(db: Database) -> None:
    insert_facts(db, FACTS)
    out = summarise(MetricsQuery(db).facts(), SETTINGS, NOW)
    assert (out.total, out.bedside_resolved, out.escalated, out.open_count) == (8, 3, 2, 3)
    assert out.time_to_claim.median_hours == 0.375


def _outbox(issue_id: uuid.UUID, state: str, attempts: int, minutes_ago: int) -> dict[str, object]:
    at_time = NOW - timedelta(minutes=minutes_ago)
    return {
        "issue_id": issue_id,
        "event_id": None,
        "operation": "create",
        "state": state,
        "attempts": attempts,
        "not_before": None,
        "last_error": "",
        "created_at": at_time,
        "updated_at": at_time,
    }


def test_extras_count_privacy_hits_queue_health_and_deflections(db: Database) -> None:
    insert_facts(db, FACTS)
    ids = [issue_values(f)["id"] for f in FACTS]
    rows = [
        _outbox(ids[0], "done", 0, 300),
        _outbox(ids[1], "pending", 0, 120),
        _outbox(ids[1], "pending", 2, 100),  # the same issue twice: one unsynced issue
        _outbox(ids[2], "needs_attention", 1, 60),
        _outbox(ids[3], "discarded", 3, 500),
    ]
    with db.write() as session:
        session.connection().execute(insert(OutboxRow.__table__), rows)
        audit.append(session, at(9, 8), "100001", "privacy.warning_confirmed", ids[0], "kinds=x")
        audit.append(session, at(9, 9), "100001", "issue.created", ids[0])
        audit.append(session, at(10, 9), "100002", "privacy.warning_confirmed", ids[1], "kinds=y")
    extras = MetricsQuery(db).extras()
    assert extras.privacy_hits == 2
    assert extras.sync == SyncHealth(
        unsynced=2, oldest_unsent_at=NOW - timedelta(minutes=120), failing=2, needs_attention=1
    )
    assert MetricsQuery(db).extras(since=at(10, 0)).privacy_hits == 1
    assert (extras.self_solved, extras.me_too) == (0, 0)
