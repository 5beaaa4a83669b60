"""Fixtures for the bundle tests: build.spec is built once per session with PyInstaller.

The build goes into a session temp dir (about 20-60 s). ``COWAPP_BUNDLE_DIR=dist/cowapp`` uses
a bundle built beforehand instead (quick iterations on these tests). Without PyInstaller (install
the ``bundle`` extra) the tests are skipped with the reason; CI sets ``COWAPP_REQUIRE_BUNDLE=1``
to make that a failure. The bundle's size and build time are printed at the end of the run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result

ROOT = Path(__file__).resolve().parents[2]
MEASURED: dict[str, str] = {}  # printed in the terminal summary


@dataclass(frozen=True)
class Bundle:
    """A built one-folder bundle.

    Attributes:
        folder: ``dist/cowapp``: the executables and ``_internal/``.
        build_seconds: how long PyInstaller took (0 for a prebuilt one).
        measured: lines for the terminal summary (this module's `MEASURED`: tests import the
            conftest under another module name, so they must reach it through the fixture).
    """

    folder: Path
    build_seconds: float
    measured: dict[str, str]

    @property
    def console(self) -> Path:
        """The console executable (``cowapp-console``; ``.exe`` on Windows)."""
        return self.folder / ("cowapp-console.exe" if sys.platform == "win32" else "cowapp-console")

    @property
    def gui(self) -> Path:
        """The cart's executable."""
        return self.folder / ("cowapp.exe" if sys.platform == "win32" else "cowapp")

    def size_bytes(self) -> int:
        """Bytes of every file in the bundle (what an installer copies to each cart)."""
        return sum(p.lstat().st_size for p in self.folder.rglob("*") if p.is_file())

    def run(
        self,
        home: Path,
        *args: str,
        executable: Path | None = None,
        stdin: str | None = None,
        timeout: float = 120,
        env: dict[str, str] | None = None,
    ) -> Result:
        """Run a bundle executable with COWAPP_HOME=home; no provisioning file unless given."""
        environment = {
            **os.environ,
            "COWAPP_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen",
            "COWAPP_PROVISIONING_PATH": str(home / "no-provisioning"),
            **(env or {}),
        }
        for leaked in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):  # nothing from the venv
            environment.pop(leaked, None)
        proc = subprocess.run(
            [str(executable or self.console), *args],
            env=environment,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=home,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def _unavailable(reason: str) -> Any:
    if os.environ.get("COWAPP_REQUIRE_BUNDLE") == "1":
        pytest.fail(f"COWAPP_REQUIRE_BUNDLE=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    """The bundle, built from build.spec once per session (or COWAPP_BUNDLE_DIR)."""
    prebuilt = os.environ.get("COWAPP_BUNDLE_DIR")
    if prebuilt:
        return Bundle(Path(prebuilt).resolve(), 0.0, MEASURED)
    if importlib.util.find_spec("PyInstaller") is None:
        return _unavailable("PyInstaller is not installed: pip install -e '.[bundle]'")
    work = tmp_path_factory.mktemp("pyinstaller")
    start = time.monotonic()
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--workpath",
            str(work / "build"),
            "--distpath",
            str(work / "dist"),
            str(ROOT / "build.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
        cwd=ROOT,
    )
    seconds = time.monotonic() - start
    assert built.returncode == 0, f"pyinstaller failed:\n{built.stderr[-4000:]}"
    MEASURED["build"] = f"built from build.spec in {seconds:.0f} s"
    return Bundle(work / "dist" / "cowapp", seconds, MEASURED)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the bundle tests measured (size against the budget, build time)."""
    if MEASURED:
        terminalreporter.section("frozen bundle")
        for line in MEASURED.values():
            terminalreporter.write_line(line)
