"""Fixtures for the integration tests: a real Request Tracker 5 on this machine, and connectors.

``rt5`` brings RT up once per session with ``scripts/rt5/rt5-up.sh`` (needs root; idempotent and
about 0.5 s when RT is already running). A non-root run can use an RT started beforehand with
``eval "$(sudo scripts/rt5/rt5-up.sh)"``: the exported ``RT5_URL`` and ``RT5_TOKEN_FILE`` are
used then. Without either, the tests that need RT are skipped with the reason.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

from cowapp.sync.connectors.rt import RTConnector
from cowapp.sync.settings import SyncSettings

RT5_UP = Path(__file__).resolve().parents[2] / "scripts" / "rt5" / "rt5-up.sh"


@dataclass(frozen=True)
class RT5:
    """A running RT5: its base URL and the auth token of the ``cowapp`` user."""

    url: str
    token: str


def _unavailable(reason: str) -> NoReturn:
    """Skip with the reason; in CI (COWAPP_REQUIRE_RT5=1) fail instead: RT5 must be proven."""
    if os.environ.get("COWAPP_REQUIRE_RT5") == "1":
        pytest.fail(f"COWAPP_REQUIRE_RT5=1 but {reason}")
    pytest.skip(reason)


def _start_rt5() -> dict[str, str]:
    """Run rt5-up.sh and return its KEY=VALUE lines; skip the test with the reason if it fails."""
    if os.environ.get("RT5_URL") and os.environ.get("RT5_TOKEN_FILE"):
        return {k: os.environ[k] for k in ("RT5_URL", "RT5_TOKEN_FILE")}
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        _unavailable("RT5 tests need root to run scripts/rt5/rt5-up.sh (or RT5_URL/RT5_TOKEN_FILE)")
    try:
        done = subprocess.run(
            [str(RT5_UP)], capture_output=True, text=True, timeout=900, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(f"scripts/rt5/rt5-up.sh could not run: {error}")
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        _unavailable(f"scripts/rt5/rt5-up.sh failed (exit {done.returncode}):\n{tail}")
    pairs = (line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.fixture(scope="session")
def rt5() -> RT5:
    """The local RT5 (started if needed); skips, with the script's reason, when it cannot be."""
    env = _start_rt5()
    try:
        token = Path(env["RT5_TOKEN_FILE"]).read_text(encoding="utf-8").strip()
        return RT5(url=env["RT5_URL"].rstrip("/"), token=token)
    except (KeyError, OSError) as error:
        _unavailable(f"RT5 is up but its URL or token is unavailable: {error!r}")


@pytest.fixture
def rt_connector(rt5: RT5) -> Iterator[RTConnector]:
    """An `RTConnector` with default settings, talking to the local RT5 with the real token."""
    with httpx.Client(base_url=rt5.url, timeout=10, follow_redirects=False) as client:
        yield RTConnector(client, rt5.token, SyncSettings(connector="rt", url=rt5.url))
