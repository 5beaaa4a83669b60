"""The queue's list queries: order, filters, paging, text search, sync state per row, and the
query plans that keep them cheap with many issues (on a real, migrated SQLite file)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from cowapp.domain.intake import IntakePolicy, IssueDraft, create_issue
from cowapp.domain.issue import Issue, IssueStatus, ResolutionCode
from cowapp.domain.outbox import IssueSyncState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage import issue_query, queue_search
from cowapp.storage.db import Database
from cowapp.storage.issue_query import IssueQuery, QueueFilter, first_line
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.outbox_store import Delivered, OutboxStore
from tests.helpers_bulk import ALL_OPEN, bulk_issues

T0 = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
POLICY = IntakePolicy("COW-07", "B4 Interne")
EVERY_STATUS = QueueFilter(statuses=frozenset())
EVERY_STATUS_PRINTER = QueueFilter(statuses=frozenset(), text="printer")
# impact, urgency → priority with the ITIL default matrix
LEVELS = {1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (2, 3), 5: (3, 3)}


def add(
    store: IssueStore,
    taxonomy: Taxonomy,
    priority: int = 3,
    minutes: int = 0,
    **fields: Any,
) -> Issue:
    """Store an issue reported ``minutes`` after T0 with this priority."""
    impact, urgency = LEVELS[priority]
    values: dict[str, Any] = {"category": "printing", "reporter": "104233", **fields}
    draft = IssueDraft(**values, impact=impact, urgency=urgency)
    issue, _ = create_issue(draft, taxonomy, POLICY, T0 + timedelta(minutes=minutes))
    return store.add(issue)


@pytest.fixture
def query(db: Database) -> IssueQuery:
    """The queries under test, on the test's database."""
    return IssueQuery(db)


def test_queue_order_is_priority_then_oldest(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    late_p1 = add(store, taxonomy, priority=1, minutes=30)
    p3 = add(store, taxonomy, priority=3, minutes=0)
    early_p1 = add(store, taxonomy, priority=1, minutes=10)
    p5 = add(store, taxonomy, priority=5, minutes=-60)
    expected = [early_p1.id, late_p1.id, p3.id, p5.id]
    assert query.ids(QueueFilter(), 0, 10) == expected
    assert [row.id for row in query.rows(expected)] == expected
    assert [row.priority for row in query.rows(expected)] == [1, 1, 3, 5]


def test_default_filter_is_the_open_queue_and_empty_statuses_show_all(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    new = add(store, taxonomy, minutes=1)
    claimed = add(store, taxonomy, minutes=2)
    store.change(claimed.id, lambda i: i.claim("T2041", T0 + timedelta(minutes=5)))
    done = add(store, taxonomy, minutes=3)
    store.change(done.id, lambda i: i.claim("T2041", T0 + timedelta(minutes=5)))
    store.change(
        done.id, lambda i: i.resolve("T2041", T0 + timedelta(minutes=9), ResolutionCode.FIXED)
    )
    assert query.ids(QueueFilter(), 0, 10) == [new.id, claimed.id]
    assert query.ids(EVERY_STATUS, 0, 10) == [new.id, claimed.id, done.id]
    resolved = QueueFilter(statuses=frozenset({IssueStatus.RESOLVED}))
    assert query.ids(resolved, 0, 10) == [done.id]
    assert [query.count(f) for f in (QueueFilter(), EVERY_STATUS, resolved)] == [2, 3, 1]
    [row] = query.rows([claimed.id])
    assert (row.status, row.claimed_by) == (IssueStatus.IN_PROGRESS, "T2041")


def test_category_and_ward_filters(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    printer_b4 = add(store, taxonomy, category="printing", ward="B4 Interne", minutes=1)
    network_b4 = add(store, taxonomy, category="network", ward="B4 Interne", minutes=2)
    printer_c2 = add(store, taxonomy, category="printing", ward="C2 Chirurgie", minutes=3)
    add(store, taxonomy, category="cart", ward="C2 Chirurgie", minutes=4)
    printing = QueueFilter(categories=frozenset({"printing"}))
    assert query.ids(printing, 0, 10) == [printer_b4.id, printer_c2.id]
    both = QueueFilter(categories=frozenset({"printing", "network"}), ward="B4 Interne")
    assert query.ids(both, 0, 10) == [printer_b4.id, network_b4.id]
    assert query.count(both) == 2
    assert query.ids(QueueFilter(ward="A1 Cardiologie"), 0, 10) == []


def test_paging_by_offset_and_after_an_id_give_the_same_pages(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    for n in range(25):
        add(store, taxonomy, priority=1 + n % 5, minutes=n)
    everything = query.ids(QueueFilter(), 0, 100)
    assert len(everything) == query.count(QueueFilter()) == 25
    pages = [query.ids(QueueFilter(), offset, 10) for offset in (0, 10, 20)]
    assert [len(page) for page in pages] == [10, 10, 5]
    assert [i for page in pages for i in page] == everything
    assert query.ids_after(QueueFilter(), pages[0][-1], 10) == pages[1]
    assert query.ids_after(QueueFilter(), pages[1][-1], 10) == pages[2]
    assert query.ids_after(QueueFilter(), everything[-1], 10) == []
    assert query.ids(QueueFilter(), 25, 10) == []
    assert query.ids(QueueFilter(), 0, 0) == []
    assert query.ids_after(QueueFilter(), uuid.uuid4(), 10) == []


def test_paging_breaks_ties_on_equal_times_without_repeats(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    same_time = {add(store, taxonomy, priority=2, minutes=0).id for _ in range(7)}
    first = query.ids(QueueFilter(), 0, 3)
    second = query.ids_after(QueueFilter(), first[-1], 3)
    third = query.ids_after(QueueFilter(), second[-1], 3)
    assert [*first, *second, *third] == query.ids(QueueFilter(), 0, 10)
    assert set(first + second + third) == same_time


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ETIKETTEN", {"printer"}),  # description, any case
        ("kamer 12", {"room"}),
        ("cow-0042", {"asset"}),
        ("100%", {"percent"}),  # % is a plain character, not "anything"
        ("a_b", {"underscore"}),  # _ is a plain character, not "any one character"
        ("c:\\temp", {"backslash"}),
        ("%", {"percent"}),
        ("zzz", set()),
    ],
)
def test_text_search_is_a_literal_case_insensitive_substring(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy, search: str, expected: set[str]
) -> None:
    made = {
        "printer": add(store, taxonomy, description="Etikettenprinter print niets"),
        "room": add(store, taxonomy, room="Kamer 12"),
        "asset": add(store, taxonomy, asset_tag="COW-0042"),
        "percent": add(store, taxonomy, description="Accu blijft op 100% staan"),
        "percent_lookalike": add(store, taxonomy, description="Accu blijft op 1000 staan"),
        "underscore": add(store, taxonomy, description="Map a_b is leeg"),
        "underscore_lookalike": add(store, taxonomy, description="Map axb is leeg"),
        "backslash": add(store, taxonomy, description="Bestand in c:\\temp kwijt"),
    }
    names = {issue.id: name for name, issue in made.items()}
    found = query.ids(QueueFilter(text=search), 0, 50)
    assert {names[i] for i in found} == expected
    assert query.count(QueueFilter(text=search)) == len(expected)


def test_text_search_finds_a_reference_as_a_nurse_reads_it_out(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    issue = add(store, taxonomy)
    add(store, taxonomy)
    spoken = issue.reference.replace("-", " ").lower()  # "kd7 m4x"
    assert query.ids(QueueFilter(text=spoken), 0, 10) == [issue.id]
    assert query.ids(QueueFilter(text=issue.reference[:3].lower()), 0, 10)[0] == issue.id
    assert query.ids(QueueFilter(text="   "), 0, 10) == query.ids(QueueFilter(), 0, 10)


def test_sync_state_per_row_follows_the_outbox(
    store: IssueStore, db: Database, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    queued, sending, parked, synced, discarded = (add(store, taxonomy, minutes=n) for n in range(5))
    outbox = OutboxStore(db)
    seq = {item.issue_id: item.seq for item in outbox.due(T0 + timedelta(days=1))}
    outbox.mark_sending(seq[sending.id], T0)
    outbox.park(seq[parked.id], T0, "HTTP 400: bad category")
    outbox.park(seq[discarded.id], T0, "HTTP 400: bad category")
    outbox.discard(seq[discarded.id], T0, "T2041")
    [item] = [i for i in outbox.due(T0 + timedelta(days=1)) if i.issue_id == synced.id]
    outbox.delivered(item, T0, Delivered(remote_id="734", remote_number="INC0000734"))
    order = [queued, sending, parked, synced, discarded]
    rows = query.rows([issue.id for issue in order])
    assert [row.sync_state for row in rows] == [
        IssueSyncState.QUEUED,
        IssueSyncState.SENDING,
        IssueSyncState.NEEDS_ATTENTION,
        IssueSyncState.SYNCED,
        IssueSyncState.LOCAL,
    ]
    assert rows[3].remote_number == "INC0000734"


def test_rows_keep_the_order_given_and_skip_unknown_ids(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    first, second, third = (add(store, taxonomy, minutes=n) for n in range(3))
    asked = [third.id, uuid.uuid4(), first.id, second.id]
    assert [row.id for row in query.rows(asked)] == [third.id, first.id, second.id]
    assert query.rows([]) == []


def test_rows_carry_what_the_queue_shows(
    store: IssueStore, query: IssueQuery, taxonomy: Taxonomy
) -> None:
    long_line = "Scanner " + "leest niets " * 10
    issue = add(
        store,
        taxonomy,
        priority=2,
        category="scanners",
        subcategory="badge_reader",
        ward="SEH",
        room="Bed 4",
        description=f"\n  {long_line}\nTweede regel",
    )
    [row] = query.rows([issue.id])
    assert (row.reference, row.priority, row.category, row.subcategory) == (
        issue.reference,
        2,
        "scanners",
        "badge_reader",
    )
    assert (row.ward, row.room, row.created_at, row.claimed_by) == ("SEH", "Bed 4", T0, None)
    assert len(row.summary) == 80
    assert row.summary.startswith("Scanner leest niets") and row.summary.endswith("…")
    assert first_line("Kort\nlang") == "Kort" and first_line("") == ""


def test_scan_and_index_strategies_return_the_same_ids(
    db: Database, query: IssueQuery, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_issues(db, 600, seed=3)
    filters = [
        QueueFilter(text="kamer 1"),
        QueueFilter(statuses=frozenset(), text="printer", ward="SEH"),
        QueueFilter(categories=frozenset({"ehr", "printing"})),
        QueueFilter(statuses=frozenset({IssueStatus.RESOLVED}), ward="IC"),
    ]
    results = {}
    for share in (0.0, 1.0):  # always scan the table, never scan it
        monkeypatch.setattr(issue_query, "SCAN_SHARE", share)
        results[share] = [(query.ids(f, 0, 1000), query.count(f)) for f in filters]
    assert results[0.0] == results[1.0]
    assert all(ids for ids, _count in results[0.0])


# -- query plans ----------------------------------------------------------------------------------


@pytest.fixture
def statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement the database runs during the test, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append((sql, params))

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def plans(db: Database, statements: list[tuple[str, Any]], table: str) -> list[str]:
    """EXPLAIN QUERY PLAN of each recorded SELECT on ``table``, lines joined per statement."""
    found = []
    connection = db.engine.raw_connection()
    try:
        for sql, params in statements:
            if sql.lstrip().upper().startswith("SELECT") and f"FROM {table}" in sql:
                rows = connection.cursor().execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
                found.append(" | ".join(row[3] for row in rows))
    finally:
        connection.close()
    return found


def test_the_open_queue_pages_through_the_queue_index(
    db: Database, query: IssueQuery, statements: list[tuple[str, Any]]
) -> None:
    ids = bulk_issues(db, 2000, seed=5, statuses=ALL_OPEN).ids
    statements.clear()
    first = query.ids(QueueFilter(), 0, 200)
    query.ids_after(QueueFilter(), first[-1], 200)
    query.ids(EVERY_STATUS, 0, 200)
    [first_page, after_key, next_page, every_status] = plans(db, statements, "issues")
    for plan in (first_page, next_page, every_status):
        # The sorter only merges the statuses' index ranges, LIMIT rows each; never a table scan.
        assert "SEARCH issues USING INDEX ix_issues_queue (status=?" in plan
        assert "SCAN issues" not in plan
    assert "(priority,created_at)>(?,?)" in next_page, "keyset paging seeks, it does not skip"
    assert "sqlite_autoindex_issues_1 (id=?)" in after_key
    assert len(ids) == 2000


def test_rows_read_issues_and_unsent_outbox_items_by_index(
    db: Database, query: IssueQuery, statements: list[tuple[str, Any]]
) -> None:
    ids = bulk_issues(db, 500, seed=5).ids
    statements.clear()
    assert len(query.rows(ids[:200])) == 200
    [issues_plan] = plans(db, statements, "issues")
    [outbox_plan] = plans(db, statements, "outbox")
    assert "SEARCH issues USING INDEX sqlite_autoindex_issues_1 (id=?)" in issues_plan
    assert "SEARCH outbox USING COVERING INDEX ix_outbox_state_issue" in outbox_plan
    assert "(state=? AND issue_id=?)" in outbox_plan


def test_text_search_looks_up_the_trigram_index_not_the_table(
    db: Database, query: IssueQuery, statements: list[tuple[str, Any]]
) -> None:
    bulk_issues(db, 1000, seed=5, statuses=ALL_OPEN)
    for wanted in (QueueFilter(text="printer"), QueueFilter(statuses=frozenset(), text="kamer 1")):
        statements.clear()
        assert query.ids(wanted, 0, 200)
        [index_plan] = plans(db, statements, "issues_fts")
        page_plan = plans(db, statements, "issues")[-1]
        assert "SCAN issues_fts VIRTUAL TABLE" in index_plan, "the phrase is run once, here"
        assert "issues_fts" not in page_plan, page_plan
        assert "SEARCH issues USING INTEGER PRIMARY KEY (rowid=?)" in page_plan, page_plan
        assert "SCAN issues " not in page_plan + " ", "only the matching rows are read"


def test_a_common_word_walks_the_status_index_in_queue_order(
    db: Database,
    query: IssueQuery,
    statements: list[tuple[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bulk_issues(db, 1000, seed=5, statuses=ALL_OPEN)
    monkeypatch.setattr(queue_search, "DRIVE_LIMIT", 10)  # "printer" matches more than that
    statements.clear()
    assert query.ids(EVERY_STATUS_PRINTER, 0, 200)
    page_plan = plans(db, statements, "issues")[-1]
    walk, page_rows = page_plan.split(" | SCAN page | ")
    # The walk needs nothing but index entries; the table is read for the page's rows only.
    assert "SEARCH issues USING COVERING INDEX ix_issues_queue (status=?" in walk, page_plan
    assert "INTEGER PRIMARY KEY" not in walk, "no read per match, nor per candidate"
    assert page_rows.startswith("SEARCH issues USING INTEGER PRIMARY KEY (rowid=?)"), page_plan
    # The index is asked only for the matches after those already read (FTS5 notes the rowid
    # bound as ">" in its plan), so no part of the phrase is run twice.
    [rest] = [line for line in walk.split(" | ") if "issues_fts VIRTUAL TABLE" in line]
    assert rest.endswith(">"), rest


def test_a_short_text_search_over_a_mostly_open_table_scans_it_once(
    db: Database, query: IssueQuery, statements: list[tuple[str, Any]]
) -> None:
    bulk_issues(db, 1000, seed=5, statuses=ALL_OPEN)
    statements.clear()
    assert query.ids(QueueFilter(text="12"), 0, 200)  # two characters make no trigram
    page_plan = plans(db, statements, "issues")[-1]
    assert page_plan.startswith("SCAN issues"), page_plan
    assert "INDEX" not in page_plan, "one sequential pass, not a lookup per index entry"


def vm_steps(db: Database, sql: str, params: Any) -> int:
    """How many SQLite virtual-machine instructions (in hundreds) a statement takes to run."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # 0: carry on

    connection = db.engine.raw_connection()
    try:
        connection.driver_connection.set_progress_handler(count, 100)  # type: ignore[union-attr]
        connection.cursor().execute(sql, params).fetchall()
    finally:
        connection.close()
    return steps


def test_the_first_page_costs_the_same_for_a_long_queue(
    db: Database, query: IssueQuery, statements: list[tuple[str, Any]]
) -> None:
    def first_page_steps() -> int:
        statements.clear()
        query.ids(QueueFilter(), 0, 200)
        [(sql, params)] = [s for s in statements if s[0].startswith("SELECT")]
        return vm_steps(db, sql, params)

    bulk_issues(db, 1000, seed=5, statuses=ALL_OPEN)
    short_queue = first_page_steps()
    bulk_issues(db, 4000, seed=6, statuses=ALL_OPEN)
    long_queue = first_page_steps()
    # Sorting the whole queue would take five times the work; LIMIT per status keeps it flat.
    assert long_queue < 1.5 * short_queue, (short_queue, long_queue)
