"""When cowapp's process is killed at any moment (SIGKILL), no saved issue is lost or half-kept.

A writer process (`writer_process.py`, the code path of ``cowapp issue add``) adds issues in a loop
and prints each one only after ``add`` returned. It is killed with SIGKILL at a random moment, 50
times in a row on the same data dir. After every kill the file must pass SQLite's integrity check,
every issue ever printed must be there with its outbox row and its ``created`` event, nothing may
have been moved aside as damaged, and the next start (check, migrate, write) must work. At the end
``cowapp doctor`` must find the database and the audit chain intact. (A SIGKILL keeps the OS's
page cache; a pulled battery, which ``synchronous=FULL`` is for, is not simulated here.)
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WRITER = Path(__file__).with_name("writer_process.py")
TRIALS = 50
MAX_KILL_DELAY = 0.300  # seconds after the first saved issue
FIRST_LINE_DEADLINE = 30.0  # start-up (imports, checks, migration) on a slow, busy machine
EXIT_DEADLINE = 10.0
SEED = int(os.environ.get("COWAPP_KILL9_SEED", "20261126"))
LOOP_COUNT = "1000000"  # more than any trial can write before it is killed


class Writer:
    """One writer process, its stdout collected line by line on a thread (no polling sleeps)."""

    def __init__(self, home: Path, stderr_path: Path) -> None:
        self.lines: list[str] = []
        self.first_line = threading.Event()
        self.stderr_path = stderr_path
        env = {**os.environ, "COWAPP_HOME": str(home), "PYTHONUTF8": "1"}
        with stderr_path.open("wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, str(WRITER), str(home), LOOP_COUNT],
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            self.lines.append(raw.decode("utf-8"))
            self.first_line.set()
        self.first_line.set()  # end of output: wake the waiter even if nothing was printed

    def kill(self) -> list[str]:
        """SIGKILL the writer, then return every line it printed."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=EXIT_DEADLINE)
        self._reader.join(timeout=EXIT_DEADLINE)
        assert not self._reader.is_alive(), "the writer's stdout did not close after the kill"
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return self.lines

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def parse_promises(lines: list[str]) -> dict[str, str]:
    """``{issue id as 32 hex digits: reference}`` for every line the writer printed."""
    promised = {}
    for line in lines:
        assert line.endswith("\n"), f"half a line in the writer's output: {line!r}"
        issue_id, reference = line.split()
        promised[uuid.UUID(issue_id).hex] = reference
    return promised


def check_database(db_path: Path, promised: dict[str, str]) -> None:
    """Assert the file is sound, holds every issue the writers promised, and none half-written."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == [], "orphan rows"
        stored = dict(db.execute("SELECT id, reference FROM issues").fetchall())
        queued = {row[0] for row in db.execute("SELECT DISTINCT issue_id FROM outbox")}
        created = {
            row[0] for row in db.execute("SELECT issue_id FROM issue_events WHERE kind = 'created'")
        }
    lost = sorted(promised.keys() - stored.keys())
    assert not lost, f"{len(lost)} saved issues are gone, e.g. {lost[:3]}"
    wrong = {i: (r, stored[i]) for i, r in promised.items() if stored[i] != r}
    assert not wrong, f"references changed after saving: {wrong}"
    # Promised or not (killed between commit and print), no issue may be half there.
    unqueued = sorted(stored.keys() - queued)
    assert not unqueued, f"issues without an outbox row (never uploaded): {unqueued[:3]}"
    no_history = sorted(stored.keys() - created)
    assert not no_history, f"issues without a 'created' event: {no_history[:3]}"


def test_sigkill_at_random_moments_loses_no_saved_issue(cowapp_home: Path, cowapp, tmp_path):
    rng = random.Random(SEED)
    db_path = cowapp_home / "cowapp.db"
    promised: dict[str, str] = {}  # everything any trial printed, checked after every kill
    for trial in range(TRIALS):
        delay = rng.uniform(0, MAX_KILL_DELAY)
        try:
            writer = Writer(cowapp_home, tmp_path / "writer-stderr.txt")
            try:
                started = writer.first_line.wait(FIRST_LINE_DEADLINE)
                # The one sleep that is not synchronisation: where in the write loop we kill.
                time.sleep(delay)
            finally:
                lines = writer.kill()
            assert started and lines, (
                f"the writer did not save a first issue within {FIRST_LINE_DEADLINE} s "
                f"(exit {writer.proc.returncode}); stderr:\n{writer.stderr()}"
            )
            assert writer.proc.returncode == -signal.SIGKILL, (
                f"the writer ended by itself (exit {writer.proc.returncode}) before the kill; "
                f"stderr:\n{writer.stderr()}"
            )
            assert writer.stderr() == "", f"the writer complained:\n{writer.stderr()}"
            promised |= parse_promises(lines)
            moved = sorted(p.name for p in cowapp_home.iterdir() if "corrupt" in p.name)
            assert not moved, f"a kill made cowapp think the database was damaged: {moved}"
            check_database(db_path, promised)
        except AssertionError as error:
            error.add_note(
                f"kill -9 trial {trial + 1}/{TRIALS}, kill delay {delay * 1000:.0f} ms, "
                f"seed {SEED} (rerun with COWAPP_KILL9_SEED={SEED})"
            )
            raise

    # The user's view after 50 crashes: doctor is happy, and every saved issue is listed.
    doctor = cowapp("doctor")
    assert doctor.code == 0, doctor.out + doctor.err
    chain = re.search(r"^OK\s+audit chain: (\d+) entries, chain intact$", doctor.out, re.M)
    assert chain, f"audit chain not reported intact:\n{doctor.out}"
    assert int(chain[1]) >= len(promised)
    listing = cowapp("issue", "list", "--json")
    assert listing.code == 0, listing.err
    listed = {issue["reference"] for issue in json.loads(listing.out)}
    assert set(promised.values()) <= listed
    print(f"{TRIALS} kills, {len(promised)} issues promised, seed {SEED}")
