"""A queue left by an older cowapp still drains after an upgrade (DESIGN.md guarantee 9).

The stored database was written by the ground-floor release (schema 955c497230f8, before sync
existed; see tests/fixtures/README.md). Opening it with this app backs it up, migrates it, and
the engine sends its queued issues exactly once — payloads are built at send time, so nothing
the old version never knew about is needed. The central system is the loopback TOPdesk fake.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cowapp import paths
from cowapp.domain.issue import IssueStatus
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import head_revision, open_database
from cowapp.storage.outbox_store import OutboxStore
from cowapp.sync.connectors.topdesk import TopdeskConnector
from cowapp.sync.engine import SyncEngine
from cowapp.sync.settings import SyncSettings
from cowapp.sync.transport import make_client
from tests.fakes.topdesk import FakeTopdesk

STORED = Path(__file__).resolve().parents[1] / "fixtures"
OLD = STORED / "cowapp-0.1.0-schema-955c497230f8-queued.db"


def test_queue_from_the_previous_schema_drains_after_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cowapp.db"
    shutil.copy(OLD, path)
    opened = open_database(path, paths.migrations_dir())
    try:
        assert opened.backup is not None
        with sqlite3.connect(opened.backup) as backup:  # the old file, as the old app left it
            assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (
                "955c497230f8",
            )
            assert backup.execute("SELECT count(*) FROM outbox").fetchone() == (4,)
        with sqlite3.connect(path) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
                head_revision(paths.migrations_dir()),
            )
        issues, outbox = IssueStore(opened.db), OutboxStore(opened.db)
        references = {i.reference: i for i in issues.list()}
        assert set(references) == {"TNM-4FY", "EHA-NM3", "C74-PPE", "9HA-947"}
        later = datetime.now(UTC) + timedelta(hours=5)  # past the open issue's hand-over time
        with FakeTopdesk() as topdesk:
            settings = SyncSettings(
                connector="topdesk", url=topdesk.url, options={"login": topdesk.login}
            )
            connector = TopdeskConnector(make_client(settings), topdesk.password, settings)
            taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
            summary = SyncEngine(issues, outbox, connector, taxonomy, settings, lambda: later)
            result = summary.run_once()
            numbers = sorted(i["externalNumber"] for i in topdesk.incidents)
        assert (result.sent, result.pending, result.needs_attention) == (4, 0, 0)
        assert numbers == sorted(str(i.id) for i in references.values()), "each exactly once"
        assert issues.by_reference("EHA-NM3").status is IssueStatus.ESCALATED
        assert all(issues.by_reference(r).remote_number for r in references)
    finally:
        opened.db.dispose()
