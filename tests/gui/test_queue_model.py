"""The technician queue model over a real SQLite file: it holds ids, pages them in as the view
scrolls, reads only the rows it shows, keeps the queue order across pages, and filters."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QMessageLogContext,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from cowapp import paths
from cowapp.domain.issue import IssueStatus, ResolutionCode
from cowapp.storage.db import Database
from cowapp.storage.issue_query import IssueQuery, QueueFilter, QueueRow
from cowapp.storage.issue_store import IssueStore
from cowapp.storage.migrate import open_database
from cowapp.ui.queue_model import (
    AGE_COLUMN,
    CATEGORY_COLUMN,
    COLUMNS,
    LOCATION_COLUMN,
    PRIORITY_COLUMN,
    REFERENCE_COLUMN,
    STATUS_COLUMN,
    SYNC_COLUMN,
    IssueQueueModel,
)
from tests.helpers_bulk import ALL_OPEN, T_END, bulk_issues

pytestmark = pytest.mark.gui

EVERY_STATUS = QueueFilter(statuses=frozenset())
USER_ROLE = Qt.ItemDataRole.UserRole
N_BIG = 100_000


class CountingSource:
    """An `IssueQuery` that counts what the model asks of it (the model's `QueueSource`)."""

    def __init__(self, query: IssueQuery) -> None:
        self._query = query
        self.ids_returned = 0
        self.rows_returned = 0
        self.row_calls = 0

    def count(self, queue_filter: QueueFilter) -> int:
        """Passed through."""
        return self._query.count(queue_filter)

    def ids(self, queue_filter: QueueFilter, offset: int, limit: int) -> list[uuid.UUID]:
        """Passed through, counting the ids handed out."""
        found = self._query.ids(queue_filter, offset, limit)
        self.ids_returned += len(found)
        return found

    def ids_after(self, queue_filter: QueueFilter, after: uuid.UUID, limit: int) -> list[uuid.UUID]:
        """Passed through, counting the ids handed out."""
        found = self._query.ids_after(queue_filter, after, limit)
        self.ids_returned += len(found)
        return found

    def rows(self, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
        """Passed through, counting the rows read."""
        self.row_calls += 1
        found = self._query.rows(ids)
        self.rows_returned += len(found)
        return found


def open_db(path: Path) -> Database:
    return open_database(path, paths.migrations_dir()).db


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """100,000 issues of a year on one cart (a few percent open), shared by this module's
    read-only tests."""
    db = open_db(tmp_path_factory.mktemp("queue") / "cowapp.db")
    bulk_issues(db, N_BIG, seed=42)
    yield db
    db.dispose()


@pytest.fixture
def small_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh cart with 1,000 open issues, for tests that change data."""
    db = open_db(tmp_path / "cowapp.db")
    bulk_issues(db, 1000, seed=7, statuses=ALL_OPEN)
    yield db
    db.dispose()


def model_ids(model: IssueQueueModel) -> list[uuid.UUID]:
    return [model.index(row, 0).data(USER_ROLE) for row in range(model.rowCount())]


def resolve(db: Database, issue_id: uuid.UUID) -> None:
    """A technician fixes the issue at the bedside: it leaves the open queue."""
    store, at = IssueStore(db), T_END + timedelta(days=1)
    if store.get(issue_id).status is IssueStatus.NEW:
        store.change(issue_id, lambda i: i.claim("T2041", at))
    store.change(issue_id, lambda i: i.resolve("T2041", at, ResolutionCode.FIXED))


def fetch_all(model: IssueQueueModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


@pytest.mark.slow
def test_the_model_starts_with_one_page_and_grows_as_the_view_scrolls(
    qtbot: QtBot, big_db: Database
) -> None:
    source = CountingSource(IssueQuery(big_db))
    model = IssueQueueModel(source, EVERY_STATUS)
    assert model.rowCount() == IssueQueueModel.PAGE_SIZE == 200
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    second_page_row = 250
    issue_id = model.index(second_page_row, 0).data(USER_ROLE)
    [expected] = IssueQuery(big_db).rows([issue_id])
    assert model.index(second_page_row, REFERENCE_COLUMN).data() == expected.reference
    assert model.index(second_page_row, PRIORITY_COLUMN).data() == f"P{expected.priority}"
    assert model.total_count() == N_BIG


@pytest.mark.slow
def test_reading_the_first_rows_does_not_load_the_whole_cart(
    qtbot: QtBot, big_db: Database
) -> None:
    source = CountingSource(IssueQuery(big_db))
    model = IssueQueueModel(source, EVERY_STATUS)
    texts = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(50)
    ]
    assert all(all(isinstance(text, str) for text in row) for row in texts)
    assert source.ids_returned == IssueQueueModel.PAGE_SIZE
    assert (source.row_calls, source.rows_returned) == (1, IssueQueueModel.BLOCK_SIZE)
    for row in range(50):  # painting again is served from the cache
        model.index(row, REFERENCE_COLUMN).data()
    assert source.row_calls == 1


@pytest.mark.slow
def test_priority_then_age_holds_across_pages(qtbot: QtBot, big_db: Database) -> None:
    query = IssueQuery(big_db)
    model = IssueQueueModel(query, EVERY_STATUS)
    for _ in range(4):
        model.fetchMore(QModelIndex())
    ids = model_ids(model)
    assert len(ids) == len(set(ids)) == 1000
    rows = query.rows(ids)
    keys = [(row.priority, row.created_at) for row in rows]
    assert keys == sorted(keys)
    assert rows[0].priority == 1 and rows[-1].priority == 1, "1,000 of ~3,000 critical issues"
    model.set_filter(QueueFilter())  # the open queue, a few thousand: walk all of it
    fetch_all(model)
    open_rows = query.rows(model_ids(model))
    assert len(open_rows) == query.count(QueueFilter()) > 2 * IssueQueueModel.PAGE_SIZE
    open_keys = [(row.priority, row.created_at) for row in open_rows]
    assert open_keys == sorted(open_keys)
    assert {row.status for row in open_rows} == {IssueStatus.NEW, IssueStatus.IN_PROGRESS}


@pytest.mark.slow
def test_filters_by_status_and_category(qtbot: QtBot, big_db: Database) -> None:
    query = IssueQuery(big_db)
    model = IssueQueueModel(query, category_label=lambda code: code.upper())
    wanted = QueueFilter(
        statuses=frozenset({IssueStatus.ESCALATED, IssueStatus.NEW}),
        categories=frozenset({"printing", "network"}),
    )
    model.set_filter(wanted)
    assert model.queue_filter == wanted
    fetch_all(model)
    rows = query.rows(model_ids(model))
    assert len(rows) == query.count(wanted) > IssueQueueModel.PAGE_SIZE
    assert {row.status for row in rows} == {IssueStatus.ESCALATED, IssueStatus.NEW}
    assert {row.category for row in rows} == {"printing", "network"}
    shown = {
        (model.index(r, STATUS_COLUMN).data(), model.index(r, CATEGORY_COLUMN).data())
        for r in range(model.rowCount())
    }
    assert shown == {(s, c) for s in ("Escalated", "New") for c in ("PRINTING", "NETWORK")}


@pytest.mark.slow
def test_text_search_narrows_the_queue(qtbot: QtBot, big_db: Database) -> None:
    model = IssueQueueModel(IssueQuery(big_db))
    model.set_filter(QueueFilter(statuses=frozenset(), text="POLSBANDJES"))
    assert model.rowCount() == IssueQueueModel.PAGE_SIZE
    descriptions = [model.index(r, 4).data() for r in range(model.rowCount())]
    assert all("polsbandjes" in text.lower() for text in descriptions)


def test_columns_show_what_a_technician_reads(qtbot: QtBot, small_db: Database) -> None:
    now = T_END + timedelta(hours=1)
    model = IssueQueueModel(IssueQuery(small_db), clock=lambda: now)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == [
        "Priority",
        "Reference",
        "Status",
        "Category",
        "Description",
        "Ward / room",
        "Age",
        "Sync",
    ]
    [row] = IssueQuery(small_db).rows([model.issue_id(0)])
    assert model.index(0, LOCATION_COLUMN).data() == f"{row.ward} · {row.room}"
    assert model.index(0, SYNC_COLUMN).data() in {"Queued", "Needs attention"}
    age = model.index(0, AGE_COLUMN).data()
    assert age.endswith((" min", " h", " d")) and age[0].isdigit()
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None


def test_refresh_keeps_the_loaded_rows_and_the_selection_follows_its_issue(
    qtbot: QtBot, small_db: Database
) -> None:
    model = IssueQueueModel(IssueQuery(small_db))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    gone, followed = model.issue_id(3), model.issue_id(300)
    selected = QPersistentModelIndex(model.index(300, REFERENCE_COLUMN))
    view.setCurrentIndex(model.index(300, REFERENCE_COLUMN))
    resolve(small_db, gone)
    model.refresh()
    assert model.rowCount() == 400, "the view keeps its scroll range"
    assert gone not in model_ids(model)
    assert selected.row() == 299 and model.issue_id(selected.row()) == followed
    assert view.currentIndex().row() == 299
    assert view.verticalHeader().count() == model.rowCount()


def test_set_filter_starts_again_at_one_page(qtbot: QtBot, small_db: Database) -> None:
    model = IssueQueueModel(IssueQuery(small_db))
    fetch_all(model)
    assert model.rowCount() == 1000 and not model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_filter(QueueFilter(statuses=frozenset({IssueStatus.IN_PROGRESS})))
    in_progress = IssueQuery(small_db).count(model.queue_filter)
    assert model.rowCount() == min(in_progress, IssueQueueModel.PAGE_SIZE)
    model.set_filter(QueueFilter(text="nothing matches this"))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())


def test_the_row_cache_is_bounded(qtbot: QtBot, small_db: Database) -> None:
    source = CountingSource(IssueQuery(small_db))
    model = IssueQueueModel(source)
    model.CACHE_SIZE = 100
    for row in range(200):
        model.index(row, REFERENCE_COLUMN).data()
    assert source.rows_returned == 200
    model.index(0, REFERENCE_COLUMN).data()  # evicted long ago: read again
    model.index(199, REFERENCE_COLUMN).data()  # recent: still cached
    assert source.rows_returned == 250


def test_the_model_keeps_qt_model_rules_while_paging(
    qtbot: QtBot, small_db: Database, qtmodeltester: ModelTester
) -> None:
    model = IssueQueueModel(IssueQuery(small_db))
    # pytest-qt's own tester pages in more rows itself and checks each insertion
    qtmodeltester.check(model, force_py=True)  # type: ignore[no-untyped-call]
    assert model.rowCount() > IssueQueueModel.PAGE_SIZE


def test_the_model_keeps_qt_model_rules_on_refresh_and_new_filters(
    qtbot: QtBot, small_db: Database, qtmodeltester: ModelTester
) -> None:
    # One page per ward: Qt's tester calls fetchMore from its own modelReset/layoutChanged
    # slots, before it marks the reset as finished, and would then blame the rows it fetched.
    model = IssueQueueModel(IssueQuery(small_db), QueueFilter(ward="SEH"))
    assert 0 < model.rowCount() < IssueQueueModel.PAGE_SIZE
    complaints: list[str] = []

    def keep(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg):
            complaints.append(message)

    previous = qInstallMessageHandler(keep)  # Qt's tester reports through qWarning
    try:
        qtmodeltester.check(model)  # type: ignore[no-untyped-call]
        before = model.rowCount()
        resolve(small_db, model.issue_id(0))
        model.refresh()
        assert model.rowCount() == before - 1
        model.set_filter(QueueFilter(ward="IC"))
        model.retranslate()
    finally:
        qInstallMessageHandler(previous)
    assert complaints == []
