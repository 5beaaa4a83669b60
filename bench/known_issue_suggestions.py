"""Benchmark: how fast known-issue suggestions appear while a nurse types, with 10,000 known issues.

Fills a fresh, migrated cart database with the shipped catalogue plus generated known issues
(variations of the catalogue's words, so common words like "printer" match thousands of rows),
then times `KnownIssueStore.suggest` for what a nurse types letter by letter and for a category
tap. Target: p99 at most 50 ms. Run: ``python -m bench.known_issue_suggestions`` (``--quick``
for a smaller run). `run` follows the bench interface ``run(quick) -> list[Row]``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Row
from cowapp import paths
from cowapp.domain.known_issues import KnownIssue, load_catalogue
from cowapp.domain.taxonomy import load_taxonomy
from cowapp.storage.known_issue_store import KnownIssueStore
from cowapp.storage.migrate import open_database

TARGET_P99_MS = 50.0
TYPED = (
    "etiket",
    "etiketten printer",
    "scanner polsbandje",
    "wifi valt weg",
    "traag inloggen",
    "HiX loopt vast bij openen dossier kamer",
    "printer",
    "pas wordt niet herkend",
)
NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


def _generated(base: tuple[KnownIssue, ...], n: int, rng: random.Random) -> list[KnownIssue]:
    words = sorted({w for k in base for w in (k.keywords + " " + k.title["nl"]).split()})
    made = []
    for i in range(n):
        seed = rng.choice(base)
        extra = " ".join(rng.sample(words, 6))
        title = {lang: f"{text} ({extra.split()[0]} {i})" for lang, text in seed.title.items()}
        made.append(replace(seed, id=f"KI-G-{i:05d}", title=title, keywords=extra, source="gen"))
    return made


def _prepare(folder: Path, total: int) -> KnownIssueStore:
    taxonomy = load_taxonomy(paths.resources_dir() / "taxonomy.json")
    catalogue = load_catalogue(paths.resources_dir() / "known_issues.json", taxonomy)
    extra = _generated(
        catalogue.known_issues, total - len(catalogue.known_issues), random.Random(5)
    )
    db = open_database(folder / "bench.db", paths.migrations_dir()).db
    store = KnownIssueStore(db)
    store.load_catalogue(catalogue, NOW)
    store.load_catalogue(type(catalogue)(tuple(extra)), NOW)  # same writer path, in one go
    return store


def _timings(store: KnownIssueStore, rounds: int) -> list[float]:
    samples: list[float] = []
    for _ in range(rounds):
        for text in TYPED:
            for end in range(3, len(text) + 1, 2):  # as the text grows while she types
                start = time.perf_counter()
                store.suggest(text[:end], "printing", "nl", 3)
                samples.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.suggest("", "printing", "nl", 3)  # a category tap
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(quick: bool) -> list[Row]:
    """Measure suggestion latency with 10,000 known issues (2,000 when quick)."""
    total = 2_000 if quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        store = _prepare(Path(folder), total)
        assert store.count() == total
        samples = sorted(_timings(store, 3 if quick else 10))
    p99 = samples[max(0, int(len(samples) * 0.99) - 1)]
    median = statistics.median(samples)
    note = f"{len(samples)} queries over {total} known issues (trigram FTS5, bm25)"
    return [
        Row("K1 known-issue suggestions p99", p99, None, None, f"≤ {TARGET_P99_MS:g} ms",
            p99 <= TARGET_P99_MS, "ms", note),
        Row("K1 known-issue suggestions p50", median, None, None, "—", None, "ms", note),
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(row)
