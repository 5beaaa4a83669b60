"""Carts for the benchmarks: a migrated database full of generated issues, and its parts.

The issues come from `tests.helpers_bulk` (one generator for tests and benchmarks): 100,000 in
seconds, through the real tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cowapp import paths
from cowapp.domain.issue import IssueStatus
from cowapp.domain.taxonomy import Taxonomy, load_taxonomy
from cowapp.storage.db import Database
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.storage.outbox_store import OutboxStore
from tests.helpers_bulk import REALISTIC_STATUSES, bulk_issues

QUEUED = {IssueStatus.NEW: 0.5, IssueStatus.IN_PROGRESS: 0.5}
"""Open issues past their hand-over time: every one waits in the outbox (2% parked)."""


@dataclass
class BenchCart:
    """A migrated cart database with its repositories."""

    db: Database
    issues: IssueStore
    outbox: OutboxStore
    taxonomy: Taxonomy

    def close(self) -> None:
        """Release the database."""
        self.db.dispose()


def make_cart(home: Path, issues: int = 0, queued: bool = False, seed: int = 7) -> BenchCart:
    """Create ``home/cowapp.db`` (migrated to head) holding ``issues`` generated issues.

    Args:
        home: the data dir.
        issues: how many to generate.
        queued: all of them unsent (else a year's realistic mix, nearly all sent).
        seed: makes the data repeatable.
    """
    home.mkdir(parents=True, exist_ok=True)
    opened = open_database(home / paths.DB_NAME, paths.migrations_dir())
    if issues:
        bulk_issues(opened.db, issues, seed, QUEUED if queued else REALISTIC_STATUSES)
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    return BenchCart(opened.db, IssueStore(opened.db), OutboxStore(opened.db), taxonomy)
