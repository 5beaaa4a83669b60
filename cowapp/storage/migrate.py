"""Opening the cart's database safely: corruption check, backup, migration, version refusal.

`open_database` is the only way the app opens its file. A file that is not a database or fails
SQLite's quick check is never overwritten: it is moved aside under a name that says so and the
app continues on a fresh file, telling the user where the old one went. Before an upgrade the
file is copied to ``backups/`` with a timestamp; a database written by a newer cowapp is refused.
Migrations run programmatically (no ``alembic`` subprocess), so they work inside the bundle.

Importing alembic costs about 150 ms of a ~1 s start, and nearly every start has nothing to
migrate, so `migrate` first compares the file's ``alembic_version`` with the head read straight
from the revision files (`plain_head`) and imports alembic only when they differ or the files
cannot be read that simply (a merge revision, compiled-only files): then alembic decides.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from cowapp.storage.db import Database
from cowapp.storage.errors import SchemaTooNewError, StorageError, translate

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
_REVISION = re.compile(r'^revision: str = "(\w+)"$', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:"(\w+)"|None)$', re.MULTILINE)


@dataclass
class OpenedDatabase:
    """The result of `open_database`.

    Attributes:
        db: the ready database.
        notices: sentences for the user (a corrupt file moved aside, a backup made).
        moved_aside: where a damaged file went, if one did.
        backup: the pre-upgrade copy, if an upgrade ran on existing data.
    """

    db: Database
    notices: list[str] = field(default_factory=list)
    moved_aside: Path | None = None
    backup: Path | None = None


def open_database(path: Path, migrations: Path) -> OpenedDatabase:
    """Check, back up, migrate and open the database at ``path``."""
    result_notices: list[str] = []
    moved = None
    problem = damage(path)
    if problem:
        moved = move_aside(path)
        result_notices.append(
            f"The cart's database was damaged ({problem}). It was moved aside to {moved} "
            "and kept for IT; cowapp continues with a fresh, empty database."
        )
        log.error("damaged database moved aside to %s: %s", moved, problem)
    db = Database(path)
    try:
        backup = migrate(db, migrations)
    except BaseException:
        db.dispose()
        raise
    if backup:
        result_notices.append(f"The database was upgraded; the previous copy is at {backup}.")
    return OpenedDatabase(db, result_notices, moved, backup)


def damage(path: Path) -> str | None:
    """Why the file at ``path`` is not a usable database, or None (missing/empty is fine)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return "the file is not an SQLite database"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            return str(exc)
        known = translate(exc, "opening the database")
        raise known or StorageError(f"The cart's database cannot be opened: {exc}") from exc
    verdict = " ".join("; ".join(str(row[0]) for row in rows[:3]).split())  # one line
    return None if verdict == "ok" else f"integrity check: {verdict}"


def move_aside(path: Path) -> Path:
    """Rename the damaged file (and its WAL/SHM) to ``<name>.corrupt-<UTC time>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def alembic_config(migrations: Path) -> AlembicConfig:
    """An alembic configuration pointing at the shipped migrations, no ini file needed."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(migrations))
    return config


def head_revision(migrations: Path) -> str:
    """The newest schema revision this app knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def is_known_revision(migrations: Path, revision: str) -> bool:
    """Whether this app's migrations know ``revision`` (unknown means a newer app wrote it)."""
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        ScriptDirectory.from_config(alembic_config(migrations)).get_revision(revision)
    except CommandError:
        return False
    return True


def current_revision(db: Database) -> str | None:
    """The schema revision stored in the database (None for a new file)."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(db: Database, migrations: Path) -> Path | None:
    """Bring the schema to head; return the backup made first, if there was data to protect.

    Raises:
        SchemaTooNewError: the file was written by a newer cowapp.
    """
    stored = _stored_revision(db)
    if stored is not None and stored == plain_head(migrations):
        return None  # the usual start: nothing to do, alembic not even imported
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(migrations)
    script = ScriptDirectory.from_config(config)
    current, head = current_revision(db), script.get_current_head()
    if current == head:
        return None
    if current is not None and not is_known_revision(migrations, current):
        raise SchemaTooNewError(
            f"The database {db.path} was written by a newer cowapp (schema {current}); this "
            f"version only knows up to {head}. Install the newer cowapp; the file was not changed."
        )
    backup = _backup(db.path, current) if current is not None else None
    with db.engine.connect() as connection:
        # Batch migrations copy tables, so foreign keys must be off; the pragma only works outside
        # a transaction, hence on the driver connection before SQLAlchemy begins one.
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, "head")
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
    log.info("database migrated from %s to %s", current, head)
    return backup


def plain_head(migrations: Path) -> str | None:
    """The single head of the revision files, read as text; None if alembic must decide.

    Every ``versions/*.py`` must state ``revision: str = "..."`` and ``down_revision: str |
    None = "..."`` (or ``None``) as alembic's template writes them; anything else (a merge with
    a tuple, a file without them, no ``.py`` files at all) gives None.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for source in (migrations / "versions").glob("*.py"):
        body = source.read_text(encoding="utf-8")
        revision, down = _REVISION.search(body), _DOWN.search(body)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(db: Database) -> str | None:
    """The file's ``alembic_version``, read with one query (None: new file or no such table)."""
    with db.engine.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if exists is None:
            return None
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def _backup(path: Path, revision: str) -> Path:
    folder = path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{path.stem}-{stamp}-{revision}.db"
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()
    return target
