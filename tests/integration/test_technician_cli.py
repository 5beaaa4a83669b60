"""``cowapp technician add|list|check|deactivate`` from the shell, against a real SQLite file.

The PIN comes from standard input only (one line from a pipe; hidden and asked twice at a
terminal); refused input (a bad staff number, a trivial PIN, no PIN, a duplicate) exits 2 with
one line and leaves the database byte-for-byte unchanged; ``list --json`` never shows a hash;
``check`` answers OK/WRONG/LOCKED with exit 0/2/3 and counts towards the lock-out; and no file
in the data dir and no output ever holds the PIN.
"""

from __future__ import annotations

import json
import os
import select
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result

Run = Callable[..., Result]
TECH = "T2041"
PIN = "73915846"  # 8 digits: cannot turn up by chance in hashes or timestamps
WRONG = "55173902"


def _one_line_failure(result: Result, code: int = 2) -> None:
    assert result.code == code, result
    assert result.out == ""
    assert result.err.startswith("cowapp:") and result.err.count("\n") == 1, result.err


def _technicians(home: Path) -> list[tuple[Any, ...]]:
    uri = f"file:{home / 'cowapp.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        return connection.execute("SELECT staff_id, active FROM technicians").fetchall()


def _audit(home: Path) -> list[tuple[str, str, str]]:
    uri = f"file:{home / 'cowapp.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        return connection.execute("SELECT actor, action, detail FROM audit_log").fetchall()


def test_add_from_a_pipe_then_list(cowapp: Run, cowapp_home: Path) -> None:
    added = cowapp("technician", "add", TECH, stdin=PIN + "\n")
    assert added.code == 0, added.err
    assert TECH in added.out and PIN not in added.out + added.err
    assert _technicians(cowapp_home) == [(TECH, 1)]
    assert _audit(cowapp_home) == [("cli", "technician.added", f"staff_id={TECH};role=technician")]
    listed = cowapp("technician", "list")
    assert listed.code == 0 and listed.out.startswith(TECH) and "active" in listed.out


def test_list_json_has_no_hash(cowapp: Run) -> None:
    assert cowapp("technician", "add", TECH, "--by", "100200", stdin=PIN).code == 0
    result = cowapp("technician", "list", "--json")
    assert result.code == 0, result.err
    [row] = json.loads(result.out)
    assert set(row) == {
        "staff_id", "role", "active", "locked_until", "failed_attempts", "created_at", "has_pin"
    }  # fmt: skip
    assert (row["staff_id"], row["active"], row["locked_until"]) == (TECH, True, None)
    assert row["role"] == "technician", "a technician unless --role says otherwise"
    assert row["has_pin"] is True
    assert "scrypt" not in result.out and "$" not in result.out


def test_duplicate_is_refused_and_the_file_is_unchanged(cowapp: Run, cowapp_home: Path) -> None:
    assert cowapp("technician", "add", TECH, stdin=PIN).code == 0
    before = (cowapp_home / "cowapp.db").read_bytes()
    result = cowapp("technician", "add", TECH, stdin="48213907\n")
    _one_line_failure(result)
    assert "T2041 already exists" in result.err
    assert (cowapp_home / "cowapp.db").read_bytes() == before
    assert cowapp("technician", "check", TECH, stdin=PIN).out == "OK\n"  # the old PIN works


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (("add", "X1"), PIN, "staff_id must be a staff number"),
        (("add", TECH), "1234\n", "too easy to guess"),
        (("add", TECH), "0000\n", "too easy to guess"),
        (("add", TECH), "48a1\n", "4 to 8 digits"),
        (("add", TECH), "2041\n", "staff number"),
        (("add", TECH), "", "no PIN on standard input"),
        (("add", TECH, "--by", "someone"), PIN, "by must be a staff number"),
        (("check", TECH), "", "no PIN on standard input"),
        (("deactivate", "T9999"), None, "no technician T9999"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    cowapp: Run, cowapp_home: Path, args: tuple[str, ...], stdin: str | None, fragment: str
) -> None:
    assert cowapp("technician", "add", "T1000", stdin="48213907").code == 0
    before = (cowapp_home / "cowapp.db").read_bytes()
    result = cowapp("technician", *args, stdin=stdin)
    _one_line_failure(result)
    assert fragment in result.err
    assert (cowapp_home / "cowapp.db").read_bytes() == before


def test_refused_pin_on_a_new_cart_creates_no_database(cowapp: Run, cowapp_home: Path) -> None:
    _one_line_failure(cowapp("technician", "add", TECH, stdin="1111\n"))
    assert not (cowapp_home / "cowapp.db").exists()


def test_check_ok_wrong_locked_exit_codes(cowapp: Run, cowapp_home: Path) -> None:
    assert cowapp("technician", "add", TECH, stdin=PIN).code == 0
    ok = cowapp("technician", "check", TECH, stdin=PIN + "\n")
    assert (ok.code, ok.out) == (0, "OK\n")
    for left in (4, 3, 2, 1):
        wrong = cowapp("technician", "check", TECH, stdin=WRONG)
        assert wrong.code == 2 and wrong.out.startswith("WRONG"), wrong
        assert f"{left} attempt(s) left" in wrong.out
    locking = cowapp("technician", "check", TECH, stdin=WRONG)
    assert locking.code == 3 and locking.out.startswith("LOCKED  until "), locking
    still = cowapp("technician", "check", TECH, stdin=PIN)  # the right PIN, but locked
    assert still.code == 3 and still.out.startswith("LOCKED"), still
    [row] = json.loads(cowapp("technician", "list", "--json").out)
    assert row["locked_until"] is not None and row["locked_until"] in locking.out
    unknown = cowapp("technician", "check", "T9999", stdin=PIN)
    assert unknown.code == 2 and unknown.out.startswith("UNKNOWN"), unknown
    actions = [action for _, action, _ in _audit(cowapp_home)]
    assert actions.count("technician.locked_out") == 1
    assert actions.count("technician.signed_in") == 1


def test_lockout_settings_come_from_config(cowapp: Run, cowapp_home: Path) -> None:
    (cowapp_home / "config.toml").write_text("[session]\npin_attempts = 3\n", encoding="utf-8")
    assert cowapp("technician", "add", TECH, stdin=PIN).code == 0
    codes = [cowapp("technician", "check", TECH, stdin=WRONG).code for _ in range(3)]
    assert codes == [2, 2, 3]


def test_deactivated_technician_cannot_sign_in(cowapp: Run) -> None:
    assert cowapp("technician", "add", TECH, stdin=PIN).code == 0
    result = cowapp("technician", "deactivate", TECH, "--by", "100200")
    assert (result.code, result.out) == (0, f"technician {TECH} deactivated\n")
    assert cowapp("technician", "check", TECH, stdin=PIN).code == 2
    [row] = json.loads(cowapp("technician", "list", "--json").out)
    assert row["active"] is False


def test_the_pin_is_in_no_file_and_no_output(cowapp: Run, cowapp_home: Path) -> None:
    outputs = [
        cowapp("technician", "add", TECH, stdin=PIN + "\n"),
        cowapp("technician", "add", TECH, stdin=PIN + "\n"),  # refused duplicate
        cowapp("technician", "check", TECH, stdin=PIN),
        *[cowapp("technician", "check", TECH, stdin=WRONG) for _ in range(6)],
        cowapp("technician", "check", TECH, stdin=PIN),  # while locked
        cowapp("technician", "list", "--json"),
        cowapp("technician", "list"),
        cowapp("doctor"),
    ]
    printed = "".join(r.out + r.err for r in outputs)
    files = [p for p in cowapp_home.rglob("*") if p.is_file()]
    assert any(p.name == "cowapp.log" for p in files) and any(p.name == "cowapp.db" for p in files)
    for secret in (PIN, WRONG):
        assert secret not in printed
        for path in files:
            data = path.read_bytes()
            assert secret.encode() not in data, path
            assert secret.encode("utf-16-le") not in data, path


# -- at a terminal ------------------------------------------------------------------------------


def _at_terminal(home: Path, args: list[str], answers: list[str]) -> tuple[int, str, str]:
    """Run cowapp with a pseudo-terminal as stdin, typing each answer after its prompt.

    Returns the exit code, what the terminal showed (echo would show here) and stderr.
    """
    master, slave = os.openpty()
    env = {**os.environ, "COWAPP_HOME": str(home), "PYTHONUTF8": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cowapp", *args],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # no controlling terminal: getpass uses stdin (the pty)
    )
    os.close(slave)
    assert proc.stderr is not None and proc.stdout is not None
    err, shown = b"", b""
    try:
        for answer in answers:
            err += _read_until(proc.stderr.fileno(), b": ", seen=err)
            os.write(master, answer.encode() + b"\n")
        out, rest = proc.communicate(timeout=60)
        while select.select([master], [], [], 0)[0]:
            try:
                shown += os.read(master, 4096)
            except OSError:
                break
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, shown.decode(), (err + rest).decode() + out.decode()


def _read_until(fd: int, marker: bytes, seen: bytes, timeout: float = 60) -> bytes:
    """Read from ``fd`` until one more ``marker`` than in ``seen`` has arrived (a prompt)."""
    data, deadline = b"", time.monotonic() + timeout
    while (seen + data).count(marker) <= seen.count(marker):
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise AssertionError(f"no prompt within {timeout} s; got {data!r}")
        chunk = os.read(fd, 1024)
        if not chunk:
            raise AssertionError(f"cowapp exited before prompting; got {data!r}")
        data += chunk
    return data


def test_at_a_terminal_the_pin_is_asked_twice_and_not_shown(cowapp_home: Path) -> None:
    code, shown, text = _at_terminal(cowapp_home, ["technician", "add", TECH], [PIN, PIN])
    assert code == 0, text
    assert "PIN (not shown): " in text and "Same PIN again: " in text
    assert PIN not in shown + text
    assert _technicians(cowapp_home) == [(TECH, 1)]


def test_at_a_terminal_two_different_pins_store_nothing(cowapp_home: Path) -> None:
    code, _, text = _at_terminal(cowapp_home, ["technician", "add", TECH], [PIN, WRONG])
    assert code == 2, text
    assert "the two PINs differ" in text
    assert not (cowapp_home / "cowapp.db").exists()


def test_a_manager_is_added_with_role_and_signs_in_with_the_same_pin_check(
    cowapp: Run, cowapp_home: Path
) -> None:
    added = cowapp("technician", "add", "M3001", "--role", "manager", stdin=PIN + "\n")
    assert added.code == 0, added.err
    assert added.out.startswith("manager M3001 added")
    [row] = json.loads(cowapp("technician", "list", "--json").out)
    assert (row["staff_id"], row["role"]) == ("M3001", "manager")
    assert "manager" in cowapp("technician", "list").out
    assert _audit(cowapp_home)[-1] == ("cli", "technician.added", "staff_id=M3001;role=manager")
    assert cowapp("technician", "check", "M3001", stdin=PIN).code == 0


def test_an_unknown_role_is_refused_and_nothing_is_written(cowapp: Run, cowapp_home: Path) -> None:
    assert cowapp("technician", "add", TECH, stdin=PIN).code == 0
    before = (cowapp_home / "cowapp.db").read_bytes()
    refused = cowapp("technician", "add", "M3001", "--role", "nurse", stdin=PIN)
    _one_line_failure(refused)
    assert "role" in refused.err
    assert (cowapp_home / "cowapp.db").read_bytes() == before
