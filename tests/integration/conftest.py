"""Fixtures for the integration tests: a real Request Tracker 5 on this machine, and connectors.

``rt5`` brings RT up once per session with ``scripts/rt5/rt5-up.sh`` (needs root; idempotent and
about 0.5 s when RT is already running). A non-root run can use an RT started beforehand with
``eval "$(sudo scripts/rt5/rt5-up.sh)"``: the exported ``RT5_URL`` and ``RT5_TOKEN_FILE`` are
used then. Without either, the tests that need RT are skipped with the reason.

``credential_name`` is a fresh entry in the OS keyring for tests that store RT's token through
``cowapp credentials set`` (skipped with the reason when no keyring backend works).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import httpx
import keyring
import pytest

from cowapp.sync.connectors.rt import RTConnector
from cowapp.sync.settings import SyncSettings
from tests.integration.sync_helpers import CartParts, keyring_skip_reason, make_cart

RT5_UP = Path(__file__).resolve().parents[2] / "scripts" / "rt5" / "rt5-up.sh"


@dataclass(frozen=True)
class RT5:
    """A running RT5: its base URL and the auth token of the ``cowapp`` user."""

    url: str
    token: str


def _unavailable(reason: str, required_by: str = "COWAPP_REQUIRE_RT5") -> NoReturn:
    """Skip with the reason; in CI (``required_by``=1) fail instead: real parts must be proven."""
    if os.environ.get(required_by) == "1":
        pytest.fail(f"{required_by}=1 but {reason}")
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


@pytest.fixture
def credential_name() -> Iterator[str]:
    """A fresh keyring entry name (service ``cowapp``), removed again afterwards.

    Skips (with the reason) when the OS keyring cannot be used: run under
    ``scripts/with-keyring.sh``. In CI (WITH_KEYRING_REQUIRE=1) that fails instead.
    """
    reason = keyring_skip_reason()
    if reason:
        _unavailable(reason, "WITH_KEYRING_REQUIRE")
    name = f"test-{uuid.uuid4().hex[:12]}"
    yield name
    with suppress(Exception):  # best effort: the sandbox keyring is thrown away anyway
        keyring.delete_password("cowapp", name)


@pytest.fixture
def cart(tmp_path: Path) -> Iterator[CartParts]:
    """A migrated cart store in a fresh folder, for the sync tests (a module may define its own)."""
    parts = make_cart(tmp_path)
    yield parts
    parts.db.dispose()
