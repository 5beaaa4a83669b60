"""One SQLAlchemy engine per process on the cart's SQLite file, with the pragmas DESIGN.md asks.

WAL so readers never wait for the writer; ``synchronous=FULL`` so a "Saved" tick survives a
pulled battery; foreign keys on; a busy timeout; and every write transaction opened with
``BEGIN IMMEDIATE`` so two writers queue up front instead of failing halfway. pysqlite's own
transaction handling is switched off (it would issue a plain deferred ``BEGIN`` late), and we
issue ``BEGIN``/``BEGIN IMMEDIATE`` ourselves. Use one `Session` per thread via `read`/`write`;
a save that only runs prepared statements (the intake save) uses `write_rows`, the same
transaction on a pooled connection without a Session (see `RowWriter`), and a hot read of fixed
queries (the sync engine loading an issue) uses `read_rows`.

The WAL is copied back into the database file (a checkpoint, with its own fsyncs) by whichever
commit pushes it past `WAL_CHECKPOINT_PAGES`. SQLite's default of 1,000 pages made every ~50th
intake save (about 20 pages each: the issue and its four indexes, event, outbox, audit, search
index) pay for a checkpoint, 12-16 ms instead of 4 ms, which was the save's p99. At 5,000 pages
(20 MB of WAL at most) one save in ~250 pays, and the total work drops, because pages many saves
touch (index roots, the audit tail) are copied once per checkpoint instead of five times.

A write whose loss at power failure is harmless (``write(durable=False)``: the sync engine's
record of a delivered item, which a retry repairs by looking the issue up first) commits at
``synchronous=NORMAL``: atomic, ordered before every later commit, but without its own fsync.
The level is a setting of the connection, so it is set before ``BEGIN IMMEDIATE`` only when it
differs from what that connection last got (nearly every write is durable): a statement fewer
per save.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Dialect, Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import PoolProxiedConnection

from cowapp.storage.errors import translate

BUSY_TIMEOUT_MS = 5000
WAL_CHECKPOINT_PAGES = 5000
"""Checkpoint when the WAL holds this many pages (SQLite's default: 1,000); see above."""
_IMMEDIATE = "cowapp_begin_immediate"
_RELAXED = "cowapp_relaxed_commit"
_LEVEL = "cowapp_synchronous"  # Connection.info: the level this DBAPI connection was last given
_ROW_WRITER = "cowapp_row_writer"  # Session.info: (transaction, its RowWriter)


def create_sqlite_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """Create the process's engine for ``path`` with our pragmas and explicit transactions."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _set_pragmas(dbapi_connection, busy_timeout_ms)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _set_pragmas(dbapi_connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see module docstring
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
    cursor.close()


def _on_begin(connection: Connection) -> None:
    options = connection.get_execution_options()
    if not options.get(_IMMEDIATE, False):
        connection.exec_driver_sql("BEGIN")
        return
    rows = RowWriter(_driver(connection), connection.dialect)
    _begin_immediate(connection.info, rows, relaxed=options.get(_RELAXED, False))


def _begin_immediate(info: dict[Any, Any], rows: RowWriter, relaxed: bool) -> None:
    # The level is per connection and set outside a transaction; every write says which one it
    # needs. ``info`` lives as long as the DBAPI connection (a replaced connection starts without
    # it), and only this function sets the level after connect, so the remembered one is real.
    level = "NORMAL" if relaxed else "FULL"
    if info.get(_LEVEL) != level:
        rows.execute(f"PRAGMA synchronous={level}")
        info[_LEVEL] = level
    rows.execute("BEGIN IMMEDIATE")


def _driver(connection: Connection) -> sqlite3.Connection:
    return cast(sqlite3.Connection, connection.connection.driver_connection)


class RowWriter:
    """Statements run straight on a sqlite3 connection, inside the write transaction it holds.

    For the statements every save runs (prepared INSERTs, the audit tail): SQLAlchemy's
    execution path costs ~20 µs of Python per statement (events, result set-up) and a `Session`
    ~100 µs per transaction, while SQLite itself takes ~1-10 µs per statement. What is given up:
    engine events (``before_cursor_execute``, ``handle_error``) and echo logging do not see these
    statements, and a closed driver connection is not marked invalid for the pool. What is kept:
    a sqlite3 error becomes the same SQLAlchemy exception (``IntegrityError``,
    ``OperationalError``, ...) that ``exec_driver_sql`` would raise, so callers and the write
    context handle it as before (tests/unit/storage/test_database.py compares them).

    Get one from `Database.write_rows` (no session at all) or `row_writer` (a session's
    transaction). It is only valid inside that transaction.

    Attributes:
        dialect: SQLAlchemy's dialect, for binding values as the column types do.
        info: scratch space that lives as long as the transaction (the audit chain's tail).
    """

    def __init__(self, driver: sqlite3.Connection, dialect: Dialect) -> None:
        self._driver = driver
        self.dialect = dialect
        self.info: dict[str, Any] = {}

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run one statement with positional ``?`` parameters."""
        try:
            return self._driver.execute(sql, params)
        except sqlite3.Error as error:
            raise exc.DBAPIError.instance(
                sql, params, error, sqlite3.Error, dialect=self.dialect
            ) from error


def row_writer(session: Session) -> RowWriter:
    """The session's write transaction as a `RowWriter`: same connection, same transaction."""
    connection = session.connection()
    transaction = session.get_transaction()
    known = session.info.get(_ROW_WRITER)
    if known is not None and known[0] is transaction:
        return cast(RowWriter, known[1])
    rows = RowWriter(_driver(connection), connection.dialect)
    session.info[_ROW_WRITER] = (transaction, rows)
    return rows


class Database:
    """The cart's database: an engine plus session factories for reading and writing.

    Args:
        path: the SQLite file (created if missing).
        busy_timeout_ms: how long a write waits for another writer before giving up.
    """

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.engine = create_sqlite_engine(path, busy_timeout_ms)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        writer_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._writer = sessionmaker(writer_engine, expire_on_commit=False)
        relaxed_engine = writer_engine.execution_options(**{_RELAXED: True})
        self._relaxed_writer = sessionmaker(relaxed_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; its transaction is a deferred snapshot, rolled back at the end."""
        with self._reader() as session:
            try:
                yield session
            except exc.DBAPIError as error:
                raise (translate(error, "reading the database") or error) from error

    @contextmanager
    def write(self, action: str = "saving", durable: bool = True) -> Iterator[Session]:
        """A ``BEGIN IMMEDIATE`` session committed on success, rolled back on any error.

        Args:
            action: what is being done, for the message if the environment refuses it.
            durable: True (the default): the commit is on disk when this returns
                (``synchronous=FULL``). False: atomic and ordered, but a power failure may
                undo it until the next durable commit or checkpoint (``synchronous=NORMAL``);
                only for changes whose loss the caller repairs by itself.

        Raises:
            StorageError: disk full, locked or corrupt, with a message naming ``action``.
        """
        with (self._writer if durable else self._relaxed_writer)() as session:
            try:
                yield session
                session.commit()
            except exc.DBAPIError as error:
                session.rollback()
                raise (translate(error, action) or error) from error
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def write_rows(self, action: str = "saving", durable: bool = True) -> Iterator[RowWriter]:
        """A ``BEGIN IMMEDIATE`` transaction like `write`, without a `Session`.

        For a save that only runs fixed statements (`cowapp.storage.prepared`, `audit.append`):
        a pooled connection, its transaction and its statements without the ORM's and the
        engine's per-transaction work, about 100-150 µs of Python per save. Committed on
        success, rolled back on any error, errors translated as `write` translates them.
        ``durable`` means what it means for `write`.

        Raises:
            StorageError: disk full, locked or corrupt, with a message naming ``action``.
        """
        with self._pooled() as (pooled, rows):
            try:
                _begin_immediate(pooled.info, rows, relaxed=not durable)
                yield rows
                rows.execute("COMMIT")
            except exc.DBAPIError as error:
                _abandon(pooled)
                raise (translate(error, action) or error) from error
            except BaseException:
                _abandon(pooled)
                raise

    @contextmanager
    def read_rows(self) -> Iterator[RowWriter]:
        """A read snapshot like `read`, without a `Session`: for fixed queries on a hot path
        (`PreparedSQL.fetch`), where a Session's set-up and the ORM's loading cost ~1 ms of
        Python against SQLite's tens of microseconds. Errors are translated as `read` does."""
        with self._pooled() as (pooled, rows):
            try:
                rows.execute("BEGIN")
                yield rows
            except exc.DBAPIError as error:
                raise (translate(error, "reading the database") or error) from error
            finally:
                _abandon(pooled)  # ends the snapshot

    @contextmanager
    def _pooled(self) -> Iterator[tuple[PoolProxiedConnection, RowWriter]]:
        """A pooled connection and a `RowWriter` on it; back to the pool at the end."""
        pooled = self.engine.raw_connection()
        try:
            driver = cast(sqlite3.Connection, pooled.driver_connection)
            yield pooled, RowWriter(driver, self.engine.dialect)
        finally:
            pooled.close()

    def dispose(self) -> None:
        """Close every pooled connection (the last close checkpoints the WAL)."""
        self.engine.dispose()


def _abandon(pooled: PoolProxiedConnection) -> None:
    """Roll back what the connection holds; a connection that cannot is not handed out again."""
    driver = cast(sqlite3.Connection, pooled.driver_connection)
    try:
        if driver.in_transaction:
            driver.rollback()
    except sqlite3.Error:
        pooled.invalidate()
