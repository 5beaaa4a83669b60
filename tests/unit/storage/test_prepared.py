"""A prepared INSERT stores byte for byte what a Core ``insert(table)`` stores, and keeps
SQLAlchemy's exception classes (the issue store retries a reference collision on them)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError

from cowapp import paths
from cowapp.storage.db import Database
from cowapp.storage.migrate import open_database
from cowapp.storage.models import AuditRow, Base, EventRow, IssueRow, OutboxRow
from cowapp.storage.prepared import PreparedInsert
from tests.helpers_bulk import bulk_values

AT = datetime(2026, 11, 3, 9, 0, 1, 250_000, tzinfo=UTC)
ISSUE_ID = uuid.UUID("6f1c2a4e-8a5b-4c1d-9e2f-0a1b2c3d4e5f")
EVENT_ID = uuid.UUID("0b9d8c7e-6f5a-4b3c-8d2e-1f0a9b8c7d6e")


def _issue() -> dict[str, Any]:
    values = bulk_values(1, seed=3)[0][0]
    # An issue that has been through everything: every optional column filled once.
    return {
        **values,
        "id": ISSUE_ID,
        "care_impact": "workaround",
        "affected": "ward",
        "patient_safety": True,
        "resolved_at": AT,
        "resolved_by": "T2041",
        "resolution_code": "fixed",
        "minutes_spent": 12,
        "escalated_at": None,
        "escalated_by": None,
        "escalation_group": None,
        "duplicate_of": None,
        "parent_id": ISSUE_ID,
        "remote_number": None,
        "remote_status": None,
        "remote_assignee": None,
        "remote_updated_at": None,
        "synced_at": AT,
        "purged_at": None,
    }


ROWS: dict[str, dict[str, Any]] = {
    IssueRow.__tablename__: _issue(),
    EventRow.__tablename__: {
        "id": EVENT_ID,
        "issue_id": ISSUE_ID,
        "kind": "created",
        "at": AT,
        "actor": "104233",
        "from_status": None,
        "to_status": "new",
        "detail": "",
    },
    OutboxRow.__tablename__: {
        "issue_id": ISSUE_ID,
        "event_id": EVENT_ID,
        "operation": "create",
        "state": "pending",
        "attempts": 0,
        "not_before": None,
        "last_error": "",
        "created_at": AT,
        "updated_at": AT,
        "request_started_at": AT,
    },
    AuditRow.__tablename__: {
        "seq": 1,
        "at": AT,
        "actor": "104233",
        "action": "issue.created",
        "issue_id": None,
        "detail": "kinds=date",
        "prev_hash": "0" * 64,
        "hash": "f" * 64,
    },
}


def _stored(db: Database, table: Table) -> list[tuple[Any, ...]]:
    """Every row as SQL literals: equal text means equal values AND equal storage classes."""
    columns = ", ".join(f"quote({column.name})" for column in table.c)
    connection = sqlite3.connect(db.path)
    try:
        return connection.execute(f"SELECT {columns} FROM {table.name}").fetchall()
    finally:
        connection.close()


def _core_insert(connection: Connection, table: Table, row: dict[str, Any]) -> None:
    connection.execute(insert(table), row)


def _prepared_insert(connection: Connection, table: Table, row: dict[str, Any]) -> None:
    PreparedInsert(table, list(row)).execute(connection, row)


def _write(db: Database, insert_row: Callable[[Connection, Table, dict[str, Any]], None]) -> None:
    with db.write() as session:
        connection = session.connection()
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # rows without their parents
        for name, row in ROWS.items():
            insert_row(connection, Base.metadata.tables[name], row)


def test_a_prepared_insert_stores_what_a_core_insert_stores(db: Database, tmp_path: Path) -> None:
    other = open_database(tmp_path / "other.db", paths.migrations_dir()).db
    try:
        _write(db, _core_insert)
        _write(other, _prepared_insert)
        for name in ROWS:
            table = Base.metadata.tables[name]
            assert _stored(other, table) == _stored(db, table) != []
    finally:
        other.dispose()


def test_a_constraint_failure_is_sqlalchemys_integrity_error(db: Database) -> None:
    table = Base.metadata.tables[AuditRow.__tablename__]
    prepared = PreparedInsert(table, list(ROWS[table.name]))
    with (
        pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: audit_log\.seq"),
        db.write() as session,
    ):
        prepared.execute(session.connection(), ROWS[table.name])
        prepared.execute(session.connection(), ROWS[table.name])
    assert _stored(db, table) == []  # the write rolled back as a whole
