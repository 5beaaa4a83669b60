"""P1: saving an issue at intake with 100,000 issues stored, against a bare SQLite insert.

The subject is the intake screen's save path exactly (`create_issue` with its validation and
privacy guard, then `IssueStore.add`: issue, event, outbox row and audit entry in one
``BEGIN IMMEDIATE`` transaction with ``synchronous=FULL``). The baseline is the least any durable
save can cost on this disk: one single-row ``INSERT`` and ``COMMIT`` through the sqlite3 module
with the same pragmas, into a table in a file beside the cart's. Saves alternate with baseline
inserts, so a burst of disk or CPU noise hits both.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bench.common import Row, ms, percentile, ratio, scratch
from cowapp import paths
from cowapp.domain import bedside
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.wiring import utc_now
from tests.helpers_bulk import bulk_issues

POLICY = IntakePolicy("COW-07", "B4 Interne")


def run(quick: bool) -> list[Row]:
    """Measure p50 and p99 of an intake save and of the baseline insert."""
    stored, saves = (2_000, 100) if quick else (100_000, 1_000)
    with scratch("p1") as tmp:
        saved, bare = _measure(tmp, stored, saves)
    note = f"{saves} saves, {stored:,} issues stored"
    p50, p99 = percentile(saved, 0.5), percentile(saved, 0.99)
    b50, b99 = percentile(bare, 0.5), percentile(bare, 0.99)
    r50, r99 = ratio(p50, b50), ratio(p99, b99)
    return [
        Row("P1 intake save p50", p50, b50, r50, "ratio ≤ 2.0", (r50 or 99) <= 2.0, "ms", note),
        Row("P1 intake save p99", p99, b99, r99, "ratio ≤ 2.0", (r99 or 99) <= 2.0, "ms", note),
        Row("P1 intake save p99 (absolute)", p99, None, None, "≤ 15 ms", p99 <= 15.0, "ms", note),
    ]


def _measure(tmp: Path, stored: int, saves: int) -> tuple[list[float], list[float]]:
    opened = open_database(tmp / "cowapp.db", paths.migrations_dir())
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    store = IssueStore(opened.db)
    bulk_issues(opened.db, stored, seed=1)
    bare = _bare_connection(tmp / "bare.db")
    saved: list[float] = []
    baseline: list[float] = []
    try:
        for index in range(saves):
            draft = IssueDraft(
                category="printing",
                reporter="104233",
                description=f"Etikettenprinter print halve etiketten ({index})",
                room="Kamer 12",
            )
            started = time.perf_counter()
            issue, report = create_issue(draft, taxonomy, POLICY, utc_now())
            store.add(issue, bedside.privacy_audit(report))
            saved.append(ms(time.perf_counter() - started))
            started = time.perf_counter()
            bare.execute("INSERT INTO t (body) VALUES (?)", (draft.description,))
            bare.commit()
            baseline.append(ms(time.perf_counter() - started))
    finally:
        bare.close()
        opened.db.dispose()
    return saved, baseline


def _bare_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    connection.commit()
    return connection
