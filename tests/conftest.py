"""Shared fixtures: a fresh data dir per test, and a runner for the real ``cowapp`` command.

Headless commands are run as real subprocesses (``python -m cowapp``) against a real SQLite file,
because the exit code, the single stderr line and the bytes on disk are the interface.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass(frozen=True)
class Result:
    """What a ``cowapp`` run produced."""

    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture
def cowapp_home(tmp_path: Path) -> Path:
    """An empty data dir, also set as COWAPP_HOME for in-process code."""
    home = tmp_path / "home"
    home.mkdir()
    return home


def run_cowapp(home: Path, *args: str, stdin: str | None = None, timeout: float = 60) -> Result:
    """Run ``python -m cowapp ARGS`` with COWAPP_HOME=home; return exit code, stdout, stderr."""
    env = {**os.environ, "COWAPP_HOME": str(home), "PYTHONUTF8": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "cowapp", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cowapp(cowapp_home: Path) -> Runner:
    """``cowapp(*args)`` runs the real command line against this test's data dir."""

    def run(*args: str, stdin: str | None = None) -> Result:
        return run_cowapp(cowapp_home, *args, stdin=stdin)

    return run
