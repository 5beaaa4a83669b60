"""The cart bundle built from build.spec, tested as IT would use it on a new cart.

Its self-test passes; it starts offscreen with ``--demo`` and quits after 3 s; it stays within
the size budget (README "The bundle") and ships none of the parts build.spec drops; and a queue
written by the previous release (tests/fixtures/) drains after upgrading to the bundle, with the
secret stored through the bundle's own keyring backend and sent to a loopback TOPdesk fake.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from cowapp import __version__
from tests.fakes.topdesk import FakeTopdesk
from tests.frozen.conftest import Bundle
from tests.integration.sync_helpers import keyring_skip_reason

BUDGET_MB = 210
"""Size budget of the one-folder bundle in MiB; measured 186 MiB on Linux (README "The bundle")."""

OLD_RELEASE_DB = (
    Path(__file__).resolve().parents[1] / "fixtures" / "cowapp-0.1.0-schema-955c497230f8-queued.db"
)
# Parts build.spec drops on purpose; one of them showing up again means a hook pulled it back.
MUST_NOT_SHIP = ("libQt6Quick", "libQt6Qml", "libQt6Pdf", "libgtk-3", "QtWebEngine", "pytest")


def test_self_test_passes_from_the_bundle(bundle: Bundle, tmp_path: Path) -> None:
    result = bundle.run(tmp_path, "--self-test")
    lines = result.out.splitlines()
    assert result.code == 0, result.out + result.err
    assert lines[0].startswith(f"cowapp {__version__} self-test (bundle ")
    checks = lines[1:-1]
    assert len(checks) == 9 and all(line.startswith("OK ") for line in checks), result.out
    if os.environ.get("COWAPP_KEYRING_SANDBOX"):  # under scripts/with-keyring.sh (as in CI)
        (keyring_line,) = [line for line in checks if " keyring: " in line]
        assert "SecretService.Keyring (readable)" in keyring_line, keyring_line
    bundle.measured["self-test"] = "self-test from the bundle:\n" + result.out.rstrip()


def test_version_comes_from_pyproject(bundle: Bundle, tmp_path: Path) -> None:
    result = bundle.run(tmp_path, "--version")
    assert (result.code, result.out.strip()) == (0, f"cowapp {__version__}")


def test_demo_starts_offscreen_and_quits_after_three_seconds(
    bundle: Bundle, tmp_path: Path
) -> None:
    temp = tmp_path / "tmp"  # where --demo makes its throwaway data dir
    temp.mkdir()
    started = time.monotonic()
    result = bundle.run(
        tmp_path, "--demo", "--quit-after", "3", executable=bundle.gui, env={"TMPDIR": str(temp)}
    )
    elapsed = time.monotonic() - started
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert elapsed >= 3, "it ran until --quit-after closed it, not less"
    assert list(temp.iterdir()) == [], "the demo's data dir is gone"


def test_size_is_within_budget_and_dropped_parts_stay_out(bundle: Bundle) -> None:
    size_mb = bundle.size_bytes() / 2**20
    bundle.measured["size"] = f"size: {size_mb:.1f} MiB (budget {BUDGET_MB} MiB)"
    print(bundle.measured["size"])
    shipped = [str(p.relative_to(bundle.folder)) for p in bundle.folder.rglob("*")]
    unwanted = [p for p in shipped if any(part in p for part in MUST_NOT_SHIP)]
    assert not unwanted, f"build.spec drops these, yet they are in the bundle: {unwanted[:10]}"
    assert size_mb <= BUDGET_MB, (
        f"the bundle grew to {size_mb:.1f} MiB, past its budget of {BUDGET_MB} MiB: find what "
        "was added (du -a dist/cowapp | sort -n | tail) before raising the budget in README"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="keyring sandbox is Linux-only")
def test_queue_from_the_previous_release_drains_after_upgrading_to_the_bundle(
    bundle: Bundle, tmp_path: Path
) -> None:
    reason = keyring_skip_reason()
    if reason:
        if os.environ.get("WITH_KEYRING_REQUIRE") == "1":
            pytest.fail(f"WITH_KEYRING_REQUIRE=1 but {reason}")
        pytest.skip(reason)
    shutil.copy(OLD_RELEASE_DB, tmp_path / "cowapp.db")  # the cart's data as 0.1.0 left it
    credential = f"test-frozen-{uuid.uuid4().hex[:8]}"
    with FakeTopdesk() as topdesk:
        (tmp_path / "config.toml").write_text(
            f'[sync]\nconnector = "topdesk"\nurl = "{topdesk.url}"\ncredential = "{credential}"'
            # the fixture's open issue is handed over too (it is older than a minute)
            "\nsend_open_after_minutes = 1\n"
            f'\n[topdesk]\nlogin = "{topdesk.login}"\n',
            encoding="utf-8",
        )
        stored = bundle.run(tmp_path, "credentials", "set", credential, stdin=topdesk.password)
        assert stored.code == 0, stored
        synced = bundle.run(tmp_path, "sync", "--once", "--json")
        numbers = sorted(incident["externalNumber"] for incident in topdesk.incidents)
    assert synced.code == 0, synced
    summary = json.loads(synced.out)
    assert (summary["sent"], summary["pending"], summary["needs_attention"]) == (4, 0, 0)
    with closing(sqlite3.connect(tmp_path / "cowapp.db")) as connection:
        ids = sorted(str(uuid.UUID(row[0])) for row in connection.execute("SELECT id FROM issues"))
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert numbers == ids, "each queued issue exactly once"
    assert revision != ("955c497230f8",), "the bundle migrated the old database"
    assert list((tmp_path / "backups").iterdir()), "a backup was made before the upgrade"
