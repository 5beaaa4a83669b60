"""The database as DESIGN.md wants it: WAL, synchronous=FULL, foreign keys, BEGIN IMMEDIATE for
writes; the migrations build exactly the schema the models describe; newer schemas are refused."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event, exc, text
from sqlalchemy.orm import Session

from cowapp import paths
from cowapp.storage.db import Database, row_writer
from cowapp.storage.errors import DatabaseLockedError, SchemaTooNewError
from cowapp.storage.migrate import head_revision, open_database, plain_head
from cowapp.storage.models import Base

_AUDIT_ROW = (1, "2026-11-03 09:00:00.000000", "104233", "issue.created", None, "", "0", "h")
_INSERT_AUDIT = "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)"


def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    with db.engine.connect() as connection:
        values = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "busy_timeout",
                "wal_autocheckpoint",
            )
        }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "wal_autocheckpoint": 5000,  # fewer, larger checkpoints: see cowapp.storage.db
    }


def test_only_a_write_that_asks_for_it_commits_without_its_own_fsync(db: Database) -> None:
    def level(durable: bool) -> object:
        with db.write(durable=durable) as session:
            return session.connection().exec_driver_sql("PRAGMA synchronous").scalar()

    # The same pooled connection serves all three (one thread): each write sets its own level.
    assert [level(True), level(False), level(True)] == [2, 1, 2]  # FULL, NORMAL, FULL


def test_the_level_is_set_only_when_a_write_needs_another_one(db: Database) -> None:
    seen: list[str] = []

    # What SQLite itself runs: these statements bypass SQLAlchemy's events (RowWriter).
    def trace(dbapi_connection: sqlite3.Connection, *_rest: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(db.engine, "checkout", trace)
    try:
        for durable in (True, True, False, False, True):
            with db.write(durable=durable) as session:
                session.execute(text("SELECT 1"))
    finally:
        event.remove(db.engine, "checkout", trace)
        db.dispose()  # no pooled connection keeps the callback
    pragmas = [sql for sql in seen if sql.startswith("PRAGMA synchronous")]
    assert pragmas == [
        "PRAGMA synchronous=FULL",  # first write on this connection
        "PRAGMA synchronous=NORMAL",
        "PRAGMA synchronous=FULL",
    ]
    assert seen.count("BEGIN IMMEDIATE") == 5


def test_write_transactions_take_the_write_lock_up_front(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    try:
        with db.write() as session:
            session.execute(text("SELECT 1"))  # no write yet: BEGIN IMMEDIATE already locked
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with db.read() as session:
            session.execute(text("SELECT count(*) FROM issues"))
            other.execute("BEGIN IMMEDIATE")  # a reader does not block a writer
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_write_without_a_session_is_durable_and_takes_the_lock_up_front(db: Database) -> None:
    with db.write(durable=False) as session:  # leaves its pooled connection at NORMAL
        session.execute(text("SELECT 1"))
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    try:
        with db.write_rows() as rows:
            assert rows.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL again
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # and it let go of the lock at the end
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_write_without_a_session_rolls_back_on_any_error(db: Database) -> None:
    with pytest.raises(KeyError), db.write_rows() as rows:
        rows.execute(_INSERT_AUDIT, _AUDIT_ROW)
        raise KeyError("a bug halfway")
    with db.write_rows() as rows:  # the same pooled connection, not left inside a transaction
        assert rows.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
        rows.execute(_INSERT_AUDIT, _AUDIT_ROW)
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


def test_a_relaxed_write_without_a_session_skips_only_its_own_fsync(db: Database) -> None:
    with db.write_rows(durable=False) as rows:
        assert rows.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        rows.execute(_INSERT_AUDIT, _AUDIT_ROW)
    with db.write_rows() as rows:  # the same pooled connection, durable again
        assert rows.execute("PRAGMA synchronous").fetchone() == (2,)
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1


def test_a_read_without_a_session_is_one_snapshot_and_lets_go(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    try:
        with db.read_rows() as rows:
            assert rows.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
            other.execute(_INSERT_AUDIT, _AUDIT_ROW)  # a writer is not blocked by the reader
            assert rows.execute("SELECT count(*) FROM audit_log").fetchone() == (0,)
        with db.read_rows() as rows:  # the next read starts a new snapshot
            assert rows.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
        with pytest.raises(exc.OperationalError, match="no such table"), db.read_rows() as rows:
            rows.execute("SELECT * FROM no_such_table")
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no reader left holding the WAL
        assert other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        other.close()


@pytest.mark.parametrize("lane", ["session", "rows"])
def test_a_held_lock_becomes_a_clear_error(db: Database, lane: str) -> None:
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    impatient = Database(db.path, busy_timeout_ms=50)
    write = impatient.write if lane == "session" else impatient.write_rows
    try:
        with (
            pytest.raises(DatabaseLockedError, match="saving the issue failed and nothing"),
            write("saving the issue") as target,
        ):
            if isinstance(target, Session):
                target.execute(text("SELECT 1"))  # a session begins on first use
    finally:
        impatient.dispose()
        other.execute("ROLLBACK")
        other.close()


_REFUSED = [
    pytest.param(_INSERT_AUDIT, _AUDIT_ROW, exc.IntegrityError, id="unique"),  # the row is there
    pytest.param("INSERT INTO audit_log (seq) VALUES (?)", (2,), exc.IntegrityError, id="not-null"),
    pytest.param("DELETE FROM audit_log", (), exc.IntegrityError, id="append-only-trigger"),
    pytest.param(  # an event of an issue that does not exist
        "INSERT INTO issue_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (1, "a" * 32, "b" * 32, "created", _AUDIT_ROW[1], "104233", None, "new", ""),
        exc.IntegrityError,
        id="foreign-key",
    ),
    pytest.param("INSERT INTO nowhere VALUES (?)", (1,), exc.OperationalError, id="no-table"),
    pytest.param("SELEKT 1", (), exc.OperationalError, id="syntax"),
    pytest.param("SELECT ?", (1, 2), exc.ProgrammingError, id="bindings"),
]


@pytest.mark.parametrize(("sql", "params", "kind"), _REFUSED)
def test_row_writer_raises_what_sqlalchemy_raises(
    db: Database, sql: str, params: tuple[Any, ...], kind: type[exc.DBAPIError]
) -> None:
    def refused(run: Any) -> exc.DBAPIError:
        with pytest.raises(exc.DBAPIError) as raised, db.write() as session:
            session.connection().exec_driver_sql(_INSERT_AUDIT, _AUDIT_ROW)
            run(session, sql, params)
        return raised.value

    direct = refused(lambda session, s, p: row_writer(session).execute(s, p))
    through_sqlalchemy = refused(lambda session, s, p: session.connection().exec_driver_sql(s, p))
    assert type(direct) is type(through_sqlalchemy) is kind
    assert type(direct.orig) is type(through_sqlalchemy.orig)
    assert str(direct.orig) == str(through_sqlalchemy.orig)
    assert (direct.statement, direct.params) == (through_sqlalchemy.statement, params)
    with db.read() as session:  # each write rolled back as a whole, its first insert too
        assert session.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0


# FTS5 virtual tables (and the shadow tables SQLite keeps for them) are not ORM models: the
# migration creates them with plain SQL, so the comparison leaves them out on purpose.
# known_issues_fts: the known-issue suggestions (0004); issues_fts: the queue's text search, an
# external-content trigram index over issues kept in step by triggers (0005).
FTS_TABLES = ("known_issues_fts", "issues_fts")


def _not_fts(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and (name or "").startswith(FTS_TABLES))


def test_migrations_and_models_agree(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": _not_fts})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_fresh_database_is_at_head_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cowapp.db"
    first = open_database(path, paths.migrations_dir())
    first.db.dispose()
    assert first.backup is None and first.notices == []
    before = path.read_bytes()
    again = open_database(path, paths.migrations_dir())
    again.db.dispose()
    assert again.backup is None
    assert path.read_bytes() == before
    connection = sqlite3.connect(path)
    version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    connection.close()
    assert version == head_revision(paths.migrations_dir())


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "cowapp.db"
    open_database(path, paths.migrations_dir()).db.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer cowapp"):
        open_database(path, paths.migrations_dir())
    assert path.read_bytes() == before


def test_upgrade_of_existing_data_backs_up_first(tmp_path: Path) -> None:
    """Uses a copy of the shipped migrations plus a test-only second revision, so the upgrade
    path is proven before the app has a second real revision."""
    migrations = tmp_path / "migrations"
    shutil.copytree(
        paths.migrations_dir(), migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    first = head_revision(migrations)
    path = tmp_path / "cowapp.db"
    open_database(path, migrations).db.dispose()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute(
            "INSERT INTO audit_log VALUES (1, '2026-11-01 08:00:00', 'x', 'a', NULL, '', 'p', 'h')"
        )
    connection.close()
    (migrations / "versions" / "0002_test_only.py").write_text(
        f'revision = "0002test"\ndown_revision = "{first}"\n'
        "from alembic import op\nimport sqlalchemy as sa\n"
        "def upgrade():\n    op.add_column('notes', sa.Column('extra', sa.Text()))\n"
        "def downgrade():\n    op.drop_column('notes', 'extra')\n"
    )
    opened = open_database(path, migrations)
    opened.db.dispose()
    assert opened.backup is not None and opened.backup.parent == tmp_path / "backups"
    assert first in opened.backup.name
    assert any(str(opened.backup) in notice for notice in opened.notices)
    backup = sqlite3.connect(opened.backup)
    try:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (first,)
        assert backup.execute("SELECT count(*) FROM audit_log").fetchone() == (1,)
    finally:
        backup.close()
    upgraded = sqlite3.connect(path)
    try:
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0002test",
        )
        assert "extra" in [row[1] for row in upgraded.execute("PRAGMA table_info(notes)")]
    finally:
        upgraded.close()


def test_the_plain_head_is_alembic_head(tmp_path: Path) -> None:
    assert plain_head(paths.migrations_dir()) == head_revision(paths.migrations_dir())
    odd = tmp_path / "versions"
    odd.mkdir()
    (odd / "0001_merge.py").write_text('revision: str = "ab12"\ndown_revision = ("x", "y")\n')
    assert plain_head(tmp_path) is None, "a file it cannot read simply leaves it to alembic"


def test_a_start_with_nothing_to_migrate_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "cowapp.db"
    open_database(path, paths.migrations_dir()).db.dispose()  # the first start migrates
    program = (
        "import sys; from pathlib import Path; from cowapp import paths;"
        "from cowapp.storage.migrate import open_database;"
        f"opened = open_database(Path({str(path)!r}), paths.migrations_dir());"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'));"
        "print(opened.backup); opened.db.dispose()"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=Path.cwd()
    )
    assert done.stdout.split("\n")[:2] == ["[]", "None"], done.stdout + done.stderr
