"""A prepared INSERT stores byte for byte what a Core ``insert(table)`` stores, a prepared
statement binds what a Core statement binds and reads what a Core select reads, and both keep
SQLAlchemy's exception classes (the issue store retries a reference collision on them)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cowapp import paths
from cowapp.storage.db import Database, RowWriter, row_writer
from cowapp.storage.migrate import open_database
from cowapp.storage.models import (
    AuditRow,
    Base,
    EventRow,
    IssueRow,
    NoteRow,
    OutboxRow,
)
from cowapp.storage.prepared import PreparedInsert, PreparedSQL
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
    NoteRow.__tablename__: {
        "id": EVENT_ID,
        "issue_id": ISSUE_ID,
        "at": AT,
        "author": "T2041",
        "text": "werkt weer",
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


def _core_insert(session: Session, table: Table, row: dict[str, Any]) -> None:
    session.connection().execute(insert(table), row)


def _prepared_insert(session: Session, table: Table, row: dict[str, Any]) -> None:
    PreparedInsert(table, list(row)).execute(row_writer(session), row)


def _write(db: Database, insert_row: Callable[[Session, Table, dict[str, Any]], None]) -> None:
    with db.write() as session:
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # no parents
        for name, row in ROWS.items():
            insert_row(session, Base.metadata.tables[name], row)


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


def test_prepared_sql_binds_what_a_core_statement_binds(db: Database, tmp_path: Path) -> None:
    outbox = Base.metadata.tables[OutboxRow.__tablename__]
    later = AT.astimezone(timezone(timedelta(hours=1))) + timedelta(minutes=5)  # not UTC on purpose
    other = open_database(tmp_path / "other.db", paths.migrations_dir()).db
    try:
        _write(db, _core_insert)
        _write(other, _core_insert)
        with db.write() as session:
            session.execute(
                update(outbox).where(outbox.c.issue_id == ISSUE_ID).values(updated_at=later)
            )
        prepared = PreparedSQL(
            "UPDATE outbox SET updated_at = ? WHERE issue_id = ?",
            [outbox.c.updated_at, outbox.c.issue_id],
        )
        with other.write_rows() as rows:
            assert prepared.execute(rows, later, ISSUE_ID).rowcount == 1
        assert _stored(other, outbox) == _stored(db, outbox)
    finally:
        other.dispose()


@contextmanager
def _in_session(db: Database) -> Iterator[RowWriter]:
    with db.write() as session:
        yield row_writer(session)


@pytest.mark.parametrize("write", [_in_session, Database.write_rows], ids=["session", "rows"])
def test_a_constraint_failure_is_sqlalchemys_integrity_error(
    db: Database, write: Callable[[Database], AbstractContextManager[RowWriter]]
) -> None:
    table = Base.metadata.tables[AuditRow.__tablename__]
    prepared = PreparedInsert(table, list(ROWS[table.name]))
    with (
        pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: audit_log\.seq"),
        write(db) as rows,
    ):
        prepared.execute(rows, ROWS[table.name])
        prepared.execute(rows, ROWS[table.name])
    assert _stored(db, table) == []  # the write rolled back as a whole


@pytest.mark.parametrize("name", list(ROWS))
def test_prepared_sql_reads_what_a_core_select_reads(db: Database, name: str) -> None:
    _write(db, _core_insert)
    table = Base.metadata.tables[name]
    with db.read() as session:
        expected = [list(row) for row in session.execute(select(*table.c))]
    prepared = PreparedSQL(
        f"SELECT {', '.join(c.name for c in table.c)} FROM {name} WHERE {table.c[0].name} = ?",
        [table.c[0]],
        list(table.c),
    )
    with db.read_rows() as rows:
        read = prepared.fetch(rows, expected[0][0])  # the key goes through its bind processor
    assert read == expected != []
    # the same Python types too: UUIDs, aware times, booleans (== alone would let 1 == True)
    assert [[type(v) for v in row] for row in read] == [[type(v) for v in r] for r in expected]
