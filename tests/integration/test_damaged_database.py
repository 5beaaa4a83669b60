"""A damaged, too new or old database never costs the cart its data, and never stops it working.

Three kinds of damage (garbage bytes, a truncated file, a page overwritten in the middle): the next
``cowapp`` command moves the file aside under a name saying "corrupt", keeps its bytes exactly,
tells the user in one line where it went, and works on a fresh database. ``cowapp doctor`` on a
damaged file reports FAIL and leaves the file where and as it is. A database written by a newer
cowapp is refused with one line and exit 4, byte for byte untouched; an upgrade from an older
schema first makes a backup.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from cowapp import paths
from cowapp.storage.db import Database
from cowapp.storage.migrate import alembic_config

SEED = 4711
ADD = ("issue", "add", "--category", "printing", "--reporter", "12345", "--json")


def add_issue(cowapp, description: str) -> str:
    """Add an issue through the real command line; return its reference."""
    result = cowapp(*ADD, "--description", description)
    assert result.code == 0, result.err
    return json.loads(result.out)["reference"]


def real_database(cowapp, home: Path, issues: int = 4) -> Path:
    """A database made by ``cowapp issue add``, checkpointed (each command's exit does that)."""
    for n in range(issues):
        add_issue(cowapp, f"Label printer prints blank labels, try {n}")
    db = home / paths.DB_NAME
    assert db.is_file()
    wal = home / f"{paths.DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL was not checkpointed"
    return db


def sqlite_verdict(db: Path) -> str:
    """SQLite's own integrity verdict, read without locks or side files (``immutable``)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)) as connection:
            return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as error:
        return f"error: {error}"


def garbage_file(cowapp, home: Path) -> bytes:
    """Not a database at all: 64 KiB of random bytes named cowapp.db."""
    data = random.Random(SEED).randbytes(64 * 1024)
    (home / paths.DB_NAME).write_bytes(data)
    return data


def truncated_file(cowapp, home: Path) -> bytes:
    """A real database with issues, cut to half its size (a copy that stopped halfway)."""
    db = real_database(cowapp, home)
    data = db.read_bytes()[: db.stat().st_size // 2]
    db.write_bytes(data)
    return data


def overwritten_page(cowapp, home: Path) -> bytes:
    """A real database with issues whose middle page is overwritten with garbage."""
    db = real_database(cowapp, home)
    data = bytearray(db.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    middle = len(data) // page_size // 2
    data[middle * page_size : (middle + 1) * page_size] = random.Random(SEED).randbytes(page_size)
    db.write_bytes(bytes(data))
    return bytes(data)


DAMAGE: dict[str, Callable[..., bytes]] = {
    "garbage": garbage_file,
    "truncated": truncated_file,
    "overwritten-page": overwritten_page,
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, cowapp, cowapp_home: Path) -> bytes:
    """COWAPP_HOME/cowapp.db damaged in one of three ways; returns the damaged file's bytes."""
    data = DAMAGE[request.param](cowapp, cowapp_home)
    verdict = sqlite_verdict(cowapp_home / paths.DB_NAME)
    assert verdict != "ok", "the test did not manage to damage the database"
    return data


def corrupt_copies(home: Path) -> list[Path]:
    """The moved-aside database files (not their -wal/-shm companions)."""
    return sorted(
        p for p in home.iterdir() if "corrupt" in p.name and not p.name.endswith(("-wal", "-shm"))
    )


def test_damaged_database_is_moved_aside_and_the_cart_starts_fresh(
    damaged: bytes, cowapp, cowapp_home: Path
):
    result = cowapp(*ADD, "--description", "Scanner does not pair after the damage")

    assert result.code == 0, result.err
    saved = json.loads(result.out)["reference"]
    notices = result.err.splitlines()
    assert len(notices) == 1, f"expected one notice line, got:\n{result.err}"
    assert "damaged" in notices[0]
    moved = corrupt_copies(cowapp_home)
    assert len(moved) == 1, f"expected one moved-aside file, found {moved}"
    assert str(moved[0]) in notices[0], "the notice does not say where the file went"
    assert moved[0].read_bytes() == damaged, "the damaged file was changed, not just moved"

    # The fresh database holds exactly the issue just saved, and is healthy.
    assert sqlite_verdict(cowapp_home / paths.DB_NAME) == "ok"
    listing = cowapp("issue", "list", "--json")
    assert listing.code == 0, listing.err
    assert listing.err == "", "the damage notice was repeated on the next start"
    assert [issue["reference"] for issue in json.loads(listing.out)] == [saved]
    doctor = cowapp("doctor")
    assert doctor.code == 0, doctor.out + doctor.err
    assert corrupt_copies(cowapp_home) == moved
    assert moved[0].read_bytes() == damaged


def test_doctor_reports_a_damaged_database_without_touching_it(
    damaged: bytes, cowapp, cowapp_home: Path
):
    db = cowapp_home / paths.DB_NAME

    doctor = cowapp("doctor")

    assert doctor.code != 0
    failed = [line for line in doctor.out.splitlines() if line.startswith("FAIL")]
    assert failed and "database" in failed[0], doctor.out
    assert db.read_bytes() == damaged, "doctor changed the damaged file"
    assert corrupt_copies(cowapp_home) == [], "doctor moved the file aside; it must only read"

    # What doctor saw is still there for the next start to move aside intact.
    listing = cowapp("issue", "list")
    assert listing.code == 0, listing.err
    moved = corrupt_copies(cowapp_home)
    assert len(moved) == 1
    assert moved[0].read_bytes() == damaged


def test_database_from_a_newer_cowapp_is_refused_untouched(cowapp, cowapp_home: Path):
    db = real_database(cowapp, cowapp_home, issues=2)
    with closing(sqlite3.connect(db)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = 'fffffffffff0'")
    assert not (cowapp_home / f"{paths.DB_NAME}-wal").exists()
    before = db.read_bytes()

    for args in (("issue", "list"), (*ADD, "--description", "Must not be written")):
        result = cowapp(*args)
        assert result.code == 4, result.out + result.err
        lines = result.err.splitlines()
        assert len(lines) == 1, result.err
        assert "newer" in lines[0]
        assert result.out == ""
        assert db.read_bytes() == before, f"`cowapp {' '.join(args)}` changed the file"

    assert corrupt_copies(cowapp_home) == [], "a newer database is not a damaged one"
    assert not (cowapp_home / "backups").exists(), "nothing to back up: nothing was changed"


def test_upgrade_from_an_older_schema_backs_up_first(cowapp, cowapp_home: Path):
    config = alembic_config(paths.migrations_dir())
    script = ScriptDirectory.from_config(config)
    revisions = list(script.walk_revisions())
    if len(revisions) < 2:
        pytest.skip(
            f"only one migration revision ({revisions[0].revision}) exists: there is no older "
            "schema to upgrade from, so no backup can be made yet"
        )
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    previous = previous[0] if isinstance(previous, tuple) else previous
    assert isinstance(previous, str)
    db_path = cowapp_home / paths.DB_NAME
    reference = add_issue(cowapp, "Printer queue stuck before the upgrade")
    db = Database(db_path)  # take the file back to the previous schema, as an older cowapp left it
    try:
        with db.engine.connect() as connection:
            # Batch migrations copy tables: foreign keys off first, as the app's migrate() does.
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")
            config.attributes["connection"] = connection
            command.downgrade(config, previous)
    finally:
        db.dispose()

    listing = cowapp("issue", "list", "--json")

    assert listing.code == 0, listing.err
    assert reference in [issue["reference"] for issue in json.loads(listing.out)]
    backups = sorted((cowapp_home / "backups").glob("*.db"))
    assert len(backups) == 1, backups
    notices = listing.err.splitlines()
    assert len(notices) == 1 and "upgraded" in notices[0] and str(backups[0]) in notices[0]
    with closing(sqlite3.connect(f"file:{backups[0]}?mode=ro", uri=True)) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchall() == [(previous,)]
        assert backup.execute("SELECT reference FROM issues").fetchall() == [(reference,)]
    doctor = cowapp("doctor")
    assert doctor.code == 0, doctor.out + doctor.err
