"""The README's launch command works headless: the app starts on its embedded defaults (a local
SQLite file, no central service) and with --demo, paints, and quits by itself."""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

from tests.conftest import Runner, run_cowapp


def test_launch_on_defaults_creates_the_local_store(cowapp: Runner, cowapp_home: Path) -> None:
    result = cowapp("--quit-after", "1")
    assert result.code == 0, result.err
    connection = sqlite3.connect(cowapp_home / "cowapp.db")
    try:
        assert connection.execute("SELECT count(*) FROM issues").fetchone() == (0,)
    finally:
        connection.close()


def test_demo_starts_on_a_throwaway_dir_and_leaves_the_real_one_alone(
    cowapp_home: Path,
) -> None:
    result = run_cowapp(cowapp_home, "--demo", "--quit-after", "2")
    assert result.code == 0, result.err
    assert not (cowapp_home / "cowapp.db").exists()


def test_demo_does_not_take_a_command(cowapp: Runner) -> None:
    result = cowapp("--demo", "issue", "list")
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "cowapp: error: --demo starts the screen; it does not go with a command"
    ]


def test_app_with_an_unreachable_central_service_starts_and_quits_promptly(
    cowapp_home: Path,
) -> None:
    with socket.socket() as probe:  # a loopback port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (cowapp_home / "config.toml").write_text(
        f'[sync]\nconnector = "rt"\nurl = "http://127.0.0.1:{port}"\nprobe_interval_seconds = 1\n'
    )
    started = time.monotonic()
    result = run_cowapp(cowapp_home, "--quit-after", "2")
    assert result.code == 0, result.err
    assert time.monotonic() - started < 15, "the sync worker must not hold up the exit"


def test_quit_after_also_ends_a_run_stopped_by_a_start_up_error(cowapp_home: Path) -> None:
    (cowapp_home / "config.toml").write_text('[cart]\nlanguage = "de"\n')
    result = run_cowapp(cowapp_home, "--quit-after", "2", timeout=30)
    assert result.code == 2, "a bad config.toml is refused input"
