"""The queue's text search through the FTS5 trigram index (migration 0005): substrings inside
words, references, accented letters, text edited or purged after the issue was made, the LIKE
fallback for one or two characters, and the same answers as a plain LIKE over bulk data."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from cowapp import paths
from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueEvent, IssueStatus
from cowapp.domain.outbox import OutboxState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage import queue_search
from cowapp.storage.db import Database
from cowapp.storage.issue_query import IssueQuery, QueueFilter
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.storage.models import OutboxRow
from tests.helpers_bulk import bulk_issues

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
POLICY = IntakePolicy("COW-07", "B4 Interne")
EVERY_STATUS = frozenset[Any]()
OLD_DB = Path(__file__).parents[2] / "fixtures" / "cowapp-0.1.0-schema-955c497230f8-queued.db"


def add(store: IssueStore, taxonomy: Taxonomy, minutes: int = 0, **fields: Any) -> Issue:
    """Store an issue reported ``minutes`` after T0."""
    values: dict[str, Any] = {"category": "printing", "reporter": "104233", **fields}
    issue, _ = create_issue(IssueDraft(**values), taxonomy, POLICY, T0 + timedelta(minutes=minutes))
    return store.add(issue)


def found(query: IssueQuery, search: str) -> list[Any]:
    """The ids a search over every status finds, in queue order (count checked alongside)."""
    wanted = QueueFilter(statuses=EVERY_STATUS, text=search)
    ids = query.ids(wanted, 0, 1000)
    assert query.count(wanted) == len(ids)
    return ids


@pytest.fixture
def query(db: Database) -> IssueQuery:
    """The queries under test, on the test's database."""
    return IssueQuery(db)


def test_a_part_of_a_word_finds_the_issue(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    labels = add(store, taxonomy, description="Etikettenprinter print halve etiketten")
    wristbands = add(store, taxonomy, minutes=1, description="Polsbandjesprinter storing")
    add(store, taxonomy, minutes=2, description="Scanner leest niets")
    assert found(query, "etiket") == [labels.id]
    assert found(query, "PRINTER") == [labels.id, wristbands.id], "priority, then oldest first"
    assert found(query, "jesprint") == [wristbands.id]
    assert found(query, "printer print") == [labels.id], "a phrase is one substring"
    assert found(query, "printer niets") == []


def test_a_reference_is_found_whole_in_part_and_as_read_out(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    issue = add(store, taxonomy)
    add(store, taxonomy, minutes=1)
    assert found(query, issue.reference.lower()) == [issue.id]
    assert found(query, issue.reference[-3:]) == [issue.id]
    assert found(query, issue.reference.replace("-", " ").lower()) == [issue.id]


def test_accented_letters_match_in_any_case(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    one = add(store, taxonomy, description="Één scherm blijft zwart na de update")
    money = add(store, taxonomy, minutes=1, description="Financiële module van HiX hangt")
    assert found(query, "ÉÉN SCHERM") == [one.id], "LIKE folded only ASCII; the index folds É"
    assert found(query, "financiële") == [money.id]
    assert found(query, "FINANCIËLE MODULE") == [money.id]
    assert found(query, "financiele") == [], "an accent still counts (SQLite 3.40 trigram)"


def test_an_edited_issue_is_found_by_its_new_text_only(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy, db: Database
) -> None:
    issue = add(store, taxonomy, description="Scanner leest niets", room="Kamer 3")

    def correct_room(changed: Issue) -> IssueEvent:
        changed.room = "Isoleerkamer 14"
        return changed.claim("T2041", T0 + timedelta(minutes=5))

    store.change(issue.id, correct_room)
    assert found(query, "isoleerkamer") == [issue.id]
    assert found(query, "kamer 3") == []
    with db.write() as session:  # any writer, not only the store, keeps the index in step
        session.execute(text("UPDATE issues SET description = 'Paslezer kapot'"))
    assert found(query, "paslezer") == [issue.id]
    assert found(query, "scanner") == []


def test_purged_and_deleted_text_no_longer_matches(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy, db: Database
) -> None:
    purged = add(store, taxonomy, description="Etikettenprinter van kamer 8 kapot")
    kept = add(store, taxonomy, minutes=1, description="Etikettenprinter op de gang kapot")
    gone = add(store, taxonomy, minutes=2, description="Etikettenprinter weg")

    def synced(issue: Issue) -> list[IssueEvent]:
        issue.synced_at = T0 + timedelta(days=1)
        return []

    store.change(purged.id, synced)
    with db.write() as session:
        for row in session.scalars(select(OutboxRow).where(OutboxRow.issue_id == purged.id)):
            row.state = OutboxState.DONE.value
    assert store.purge_synced_text(T0 + timedelta(days=60), retention_days=30) == 1
    with db.write() as session:
        for table in ("outbox", "issue_events"):  # the audit log keeps its entries (no FK)
            session.execute(text(f"DELETE FROM {table} WHERE issue_id = :id"), {"id": gone.id.hex})
        session.execute(text("DELETE FROM issues WHERE id = :id"), {"id": gone.id.hex})
    assert found(query, "etikettenprinter") == [kept.id]
    assert found(query, "kamer 8") == []
    assert found(query, purged.reference) == [purged.id], "the reference is kept, the text not"


def test_one_or_two_characters_fall_back_to_a_substring_scan(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    room = add(store, taxonomy, room="Kamer 12")
    add(store, taxonomy, minutes=1, room="Kamer 3")
    percent = add(store, taxonomy, minutes=2, description="Accu op 100%")
    assert found(query, "12") == [room.id]
    assert found(query, "%") == [percent.id]
    assert room.id in found(query, room.reference[:2].lower())


@pytest.mark.parametrize("search", ["printer", "kamer 1", "HiX", "melding 12", "COW-00", "zzq"])
def test_the_index_finds_what_like_finds_in_the_same_order(
    db: Database, query: IssueQuery, monkeypatch: pytest.MonkeyPatch, search: str
) -> None:
    made = bulk_issues(db, 800, seed=11)
    spoken = db_reference(query, made.ids[7]).replace("-", " ").lower()
    filters = [
        QueueFilter(statuses=EVERY_STATUS, text=search),
        QueueFilter(text=search),
        QueueFilter(statuses=EVERY_STATUS, text=search, ward="SEH"),
        QueueFilter(statuses=EVERY_STATUS, text=spoken),
        QueueFilter(statuses=frozenset({IssueStatus.RESOLVED}), text=spoken),
    ]

    def answers() -> list[tuple[list[Any], int, list[Any]]]:
        return [(query.ids(f, 0, 1000), query.count(f), paged(query, f)) for f in filters]

    results = {}
    # Walk the status index with one match read up front / with 25 read up front and the rest
    # left to the index / read every match by rowid.
    for drive_limit in (0, 25, 10**9):
        monkeypatch.setattr(queue_search, "DRIVE_LIMIT", drive_limit)
        results[drive_limit] = answers()
    monkeypatch.setattr(queue_search, "TRIGRAM", 1000)  # every search takes the LIKE path
    assert results[0] == results[25] == results[10**9] == answers()
    if search != "zzq":
        assert results[0][0][0], "the search matches something"
    assert results[0][3][0] == [made.ids[7]], "a reference read out is found on every path"


def test_matches_on_either_side_of_the_first_read_are_all_found(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    printers = [
        add(store, taxonomy, minutes=n, description=f"Etikettenprinter {n} kapot") for n in range(5)
    ]
    add(store, taxonomy, minutes=9, description="Scanner leest niets")
    every = [issue.id for issue in printers]
    # The first read takes DRIVE_LIMIT + 1 matches: 4 of 5 (the index adds the fifth), all 5
    # (nothing left), or all 5 with room to spare (driven from them).
    for drive_limit in (3, 4, 5):
        monkeypatch.setattr(queue_search, "DRIVE_LIMIT", drive_limit)
        assert found(query, "etikettenprinter") == every, drive_limit
        assert paged(query, QueueFilter(statuses=EVERY_STATUS, text="printer")) == every
        after = query.ids_after(QueueFilter(statuses=EVERY_STATUS, text="kapot"), every[2], 5)
        assert after == every[3:], drive_limit


def db_reference(query: IssueQuery, issue_id: Any) -> str:
    """The reference of a stored issue."""
    [row] = query.rows([issue_id])
    return row.reference


def paged(query: IssueQuery, wanted: QueueFilter) -> list[Any]:
    """Every matching id, fetched 7 at a time by keyset paging."""
    ids = query.ids(wanted, 0, 7)
    while ids and (more := query.ids_after(wanted, ids[-1], 7)):
        ids += more
    return ids


def test_an_upgraded_database_is_searchable_at_once(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / paths.DB_NAME
    shutil.copy(OLD_DB, path)
    opened = open_database(path, paths.migrations_dir())
    try:
        stored = IssueQuery(opened.db)
        every = stored.ids(QueueFilter(statuses=EVERY_STATUS), 0, 10)
        for row in stored.rows(every):
            assert found(stored, row.reference) == [row.id]
            if len(row.summary) >= 3:
                assert row.id in found(stored, row.summary[:12])
        assert len(every) == 4
    finally:
        opened.db.dispose()
