"""One sync run in a process of its own, for tests that kill it with -9 in the middle of a request.

Run as ``python -m tests.integration.sync_once_process DB URL TIMEOUT`` from the project root,
with RT's token on standard input (never in the arguments: they show in the process list). It
opens the cart database at DB as the app does (`open_database`: checked, migrated), wires an RT
engine to URL (RT, or a fault proxy in front of it) with the real clock and a per-request
timeout of TIMEOUT seconds, runs `SyncEngine.run_once` once, prints the summary and exits 0.
No keyring is involved, so the test that kills it needs none.
"""

from __future__ import annotations

import sys
from contextlib import closing
from pathlib import Path

from cowapp import paths
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.storage.outbox_store import OutboxStore
from cowapp.wiring import utc_now
from tests.integration.sync_helpers import engine_for


def main(db_path: Path, url: str, timeout: float, token: str) -> int:
    """Sync the cart at ``db_path`` to ``url`` once."""
    opened = open_database(db_path, paths.migrations_dir())
    try:
        issues, outbox = IssueStore(opened.db), OutboxStore(opened.db)
        taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
        with closing(
            engine_for(url, token, issues, outbox, taxonomy, utc_now, timeout=timeout)
        ) as parts:
            summary = parts.engine.run_once()
    finally:
        opened.db.dispose()
    print(f"sent {summary.sent}, adopted {summary.adopted}, pending {summary.pending}", flush=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python -m tests.integration.sync_once_process DB URL TIMEOUT")
    secret = sys.stdin.readline().strip()
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), secret))
