"""A full disk makes ``cowapp issue add`` fail cleanly, and costs nothing already saved.

The data dir is a tiny tmpfs. After a first issue is saved, the rest of the disk is filled up;
every further ``issue add`` (with long descriptions) must exit 4 with one plain line on stderr, no
traceback, and must leave no trace: once space is freed the file passes SQLite's integrity check,
holds exactly the issues it held before (no half-written issue, no orphan outbox, event or audit
rows) and the next ``issue add`` succeeds. The line must also tell the user the disk is full.
Needs root for the mount; skipped, with the reason, otherwise.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from cowapp import paths

pytestmark = pytest.mark.root

DISK_SIZE = "3m"
ADD = ("issue", "add", "--category", "printing", "--reporter", "12345", "--json")
SENTENCE = "The wristband printer stops halfway through a label and the light blinks orange. "
LONG_DESCRIPTIONS = [
    (SENTENCE * 30)[:2000],  # the longest description intake accepts
    ("Second try after restarting the cart. " + SENTENCE * 30)[:1999],
    (SENTENCE * 20).strip(),
]
FILLER = "filler.bin"


@pytest.fixture
def small_disk(cowapp_home: Path) -> Iterator[Path]:
    """COWAPP_HOME as its own tmpfs of a few MB (so the `cowapp` runner writes to it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs to fill the disk needs root")
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(cowapp_home)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs at {cowapp_home}: {mount.stderr.strip()}")
    try:
        yield cowapp_home
    finally:
        umount = subprocess.run(["umount", str(cowapp_home)], capture_output=True, check=False)
        if umount.returncode != 0:
            subprocess.run(["umount", "-l", str(cowapp_home)], check=True)


def fill(path: Path) -> None:
    """Write zeros to ``path`` until the disk refuses even one more byte."""
    with path.open("wb", buffering=0) as handle:
        for chunk in (b"\0" * 65536, b"\0" * 4096, b"\0"):
            try:
                while True:
                    handle.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    assert os.statvfs(path.parent).f_bavail == 0, "the disk is not full"


def snapshot(db: Path, immutable: bool = False) -> dict[str, object]:
    """What the file holds, read with plain sqlite3: rows per table and the issues' ids.

    ``immutable`` reads a checkpointed file without creating its -wal/-shm companions, so the
    test does not leave SQLite's shared-memory file behind for cowapp to find.
    """
    uri = f"file:{db}?mode=ro" + ("&immutable=1" if immutable else "")
    with closing(sqlite3.connect(uri, uri=True)) as connection:

        def rows(sql: str) -> list[tuple[object, ...]]:
            return connection.execute(sql).fetchall()

        return {
            "integrity": rows("PRAGMA integrity_check"),
            "foreign key problems": rows("PRAGMA foreign_key_check"),
            "issue ids": sorted(rows("SELECT id FROM issues")),
            "outbox rows": rows("SELECT count(*) FROM outbox"),
            "events": rows("SELECT count(*) FROM issue_events"),
            "audit entries": rows("SELECT count(*) FROM audit_log"),
            "orphans": rows(
                "SELECT 'outbox', seq FROM outbox WHERE issue_id NOT IN (SELECT id FROM issues) "
                "UNION ALL SELECT 'event', seq FROM issue_events "
                "WHERE issue_id NOT IN (SELECT id FROM issues) "
                "UNION ALL SELECT 'audit', seq FROM audit_log WHERE issue_id IS NOT NULL "
                "AND issue_id NOT IN (SELECT id FROM issues)"
            ),
        }


def add_on_full_disk(cowapp, home: Path):
    """Save one issue, fill the disk, try to add more, free the space again.

    Returns:
        The file's snapshot before the disk filled up, and the results of the refused adds.
    """
    first = cowapp(*ADD, "--description", "Wristband printer offline")
    assert first.code == 0, first.err
    # As after any cowapp command: checkpointed, no -wal or -shm beside the file.
    assert sorted(p.name for p in home.iterdir()) == [paths.DB_NAME, "logs"]
    before = snapshot(home / paths.DB_NAME, immutable=True)
    assert before["integrity"] == [("ok",)] and len(before["issue ids"]) == 1
    filler = home / FILLER
    try:
        fill(filler)
        attempts = [cowapp(*ADD, "--description", text) for text in LONG_DESCRIPTIONS]
    finally:
        filler.unlink(missing_ok=True)
    return before, attempts


def test_full_disk_refuses_cleanly_and_keeps_what_was_saved(small_disk: Path, cowapp):
    before, attempts = add_on_full_disk(cowapp, small_disk)

    for result in attempts:
        assert result.code == 4, f"exit {result.code}, stderr:\n{result.err}"
        assert result.out == "", "something was reported as saved on a full disk"
        lines = result.err.splitlines()
        assert len(lines) == 1, f"expected one line, got:\n{result.err}"
        assert lines[0].startswith("cowapp: ")
        assert "Traceback" not in result.err and "internal error" not in result.err

    after = snapshot(small_disk / paths.DB_NAME)
    assert after == before, "the refused adds left something behind"
    assert after["integrity"] == [("ok",)]
    assert after["foreign key problems"] == [] and after["orphans"] == []
    assert [p.name for p in small_disk.iterdir() if "corrupt" in p.name] == []

    # With space again, the cart simply works.
    again = cowapp(*ADD, "--description", "Wristband printer offline again")
    assert again.code == 0, again.err
    listing = cowapp("issue", "list", "--json")
    assert listing.code == 0, listing.err
    assert len(json.loads(listing.out)) == 2
    doctor = cowapp("doctor")
    assert doctor.code == 0, doctor.out + doctor.err


def test_full_disk_message_tells_the_user_the_disk_is_full(small_disk: Path, cowapp):
    _before, attempts = add_on_full_disk(cowapp, small_disk)

    for result in attempts:
        assert result.code == 4, result.err
        assert "disk is full" in result.err.lower(), result.err
