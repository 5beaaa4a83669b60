"""P7: opening a 100,000-issue database written by the first release (schema 0001) and
migrating it to head, as the app does at start-up (integrity check, backup copy, upgrade).

The old database is made with the first revision's own tables (alembic up to 0001), filled by
the shared generator (`tests.helpers_bulk.bulk_values`) with the columns that revision has.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import MetaData, insert

from bench.common import Row, scratch
from cowapp import paths
from cowapp.storage.db import Database
from cowapp.storage.issue_query import IssueQuery, QueueFilter
from cowapp.storage.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    open_database,
)
from tests.helpers_bulk import bulk_values

FIRST_REVISION = "955c497230f8"


def run(quick: bool) -> list[Row]:
    """Time `open_database` on a first-release database."""
    issues = 2_000 if quick else 100_000
    with scratch("p7") as tmp:
        path = tmp / paths.DB_NAME
        _first_release_db(path, issues)
        started = time.perf_counter()
        opened = open_database(path, paths.migrations_dir())
        elapsed = time.perf_counter() - started
        try:
            if current_revision(opened.db) != head_revision(paths.migrations_dir()):
                raise RuntimeError("the database was not migrated to head")
            if IssueQuery(opened.db).count(QueueFilter(statuses=frozenset())) != issues:
                raise RuntimeError("issues were lost in the migration")
        finally:
            opened.db.dispose()
    return [Row("P7 migrate first release → head", elapsed, None, None, "≤ 10 s", elapsed <= 10,
                "s", f"{issues:,} issues, backup copy included")]  # fmt: skip


def _first_release_db(path: Path, issues: int) -> None:
    db = Database(path)
    try:
        config = alembic_config(paths.migrations_dir())
        with db.engine.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, FIRST_REVISION)
            connection.commit()
        tables = MetaData()
        tables.reflect(db.engine, only=["issues", "outbox"])
        issue_rows, outbox_rows = bulk_values(issues, seed=3)
        with db.write("old test data") as session:
            connection = session.connection()
            for name, rows in (("issues", issue_rows), ("outbox", outbox_rows)):
                table = tables.tables[name]
                kept = [{k: _stored(v) for k, v in row.items() if k in table.c} for row in rows]
                connection.execute(insert(table), kept)
    finally:
        db.dispose()


def _stored(value: object) -> object:
    """A UUID as SQLAlchemy keeps it in SQLite (32 hex digits); anything else as it is."""
    return value.hex if isinstance(value, uuid.UUID) else value
