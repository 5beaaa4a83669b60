"""The technician queue as a Qt table model that holds only issue ids and reads rows lazily.

`IssueQueueModel` keeps the ids of the current filter in queue order (priority, then age), loaded
a page at a time as the view scrolls (`canFetchMore`/`fetchMore`), and reads the display data of
the rows the view actually paints, a block at a time, into a bounded LRU cache. With 100,000
issues on the cart, opening the queue reads one page of ids and one block of rows. Every call it
makes is a short indexed query on the GUI thread; it has no threads and never touches the
network.

The model talks to storage only through `QueueSource` (`cowapp.storage.issue_query.IssueQuery`
satisfies it), which the screen passes in.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from cowapp.domain.outbox import IssueSyncState
from cowapp.storage.issue_query import QueueFilter, QueueRow
from cowapp.ui.labels import age_text, status_label, sync_state_label

ModelIndex = QModelIndex | QPersistentModelIndex


class QueueSource(Protocol):
    """What the queue needs from storage: ordered id pages and display rows for ids."""

    def count(self, queue_filter: QueueFilter) -> int:
        """How many issues match."""
        ...

    def ids(self, queue_filter: QueueFilter, offset: int, limit: int) -> list[uuid.UUID]:
        """Matching ids in queue order, ``limit`` of them from ``offset``."""
        ...

    def ids_after(self, queue_filter: QueueFilter, after: uuid.UUID, limit: int) -> list[uuid.UUID]:
        """Matching ids that follow issue ``after`` in queue order."""
        ...

    def rows(self, ids: Sequence[uuid.UUID]) -> list[QueueRow]:
        """Display rows for these ids, in the order given (unknown ids left out)."""
        ...


COLUMNS: tuple[str, ...] = (
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Priority")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Reference")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Status")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Category")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Description")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Ward / room")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Age")),
    str(QT_TRANSLATE_NOOP("IssueQueueModel", "Sync")),
)
"""Column headers (English source text, translated when shown), in column order."""

(
    PRIORITY_COLUMN,
    REFERENCE_COLUMN,
    STATUS_COLUMN,
    CATEGORY_COLUMN,
    DESCRIPTION_COLUMN,
    LOCATION_COLUMN,
    AGE_COLUMN,
    SYNC_COLUMN,
) = range(len(COLUMNS))


def _tr(marked: str) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP("IssueQueueModel", ...) above."""
    return QCoreApplication.translate("IssueQueueModel", marked)


class IssueQueueModel(QAbstractTableModel):
    """The issues of one `QueueFilter`, highest priority then oldest first, read lazily.

    Rows show the display role of each column; ``Qt.UserRole`` on any column gives the issue's
    UUID without reading the row. The model emits only Qt's own model signals.

    Args:
        source: where ids and rows come from (an `IssueQuery` in the app).
        queue_filter: the issues to show at first; the open queue by default.
        category_label: turns a category code into the text shown (the taxonomy's label in the
            cart's language); the code itself by default.
        clock: the current UTC time, for the age column.
        parent: the Qt parent.
    """

    PAGE_SIZE = 200
    """Ids read per `fetchMore`."""

    BLOCK_SIZE = 50
    """Rows read at once when the view paints a row that is not cached (about two screens)."""

    CACHE_SIZE = 2000
    """Most rows kept in memory; the least recently shown go first."""

    def __init__(
        self,
        source: QueueSource,
        queue_filter: QueueFilter | None = None,
        *,
        category_label: Callable[[str], str] | None = None,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._filter = queue_filter if queue_filter is not None else QueueFilter()
        self._category_label = category_label or (lambda code: code)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._ids: list[uuid.UUID] = []
        self._known: set[uuid.UUID] = set()
        self._exhausted = False
        self._cache: OrderedDict[uuid.UUID, QueueRow | None] = OrderedDict()
        self._load_first_page()

    # -- what callers use -----------------------------------------------------------------------

    @property
    def queue_filter(self) -> QueueFilter:
        """The filter the model shows now."""
        return self._filter

    def set_filter(self, queue_filter: QueueFilter) -> None:
        """Show other issues: starts again at the first page (views scroll to the top)."""
        self.beginResetModel()
        self._filter = queue_filter
        self._load_first_page()
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the queue after issues changed, keeping as many rows as are loaded now.

        The view keeps its scroll position, and its current and selected rows follow their
        issues to their new places (or go away when the issue left the filter). Cached rows are
        dropped, so what is painted next is read fresh.
        """
        wanted = max(len(self._ids), self.PAGE_SIZE)
        new_ids = self._unique(self._source.ids(self._filter, 0, wanted))
        self.layoutAboutToBeChanged.emit()
        old_indexes = self.persistentIndexList()
        new_rows = {issue_id: row for row, issue_id in enumerate(new_ids)}
        new_indexes = [self._moved(index, new_rows) for index in old_indexes]
        self._ids, self._known = new_ids, set(new_ids)
        self._exhausted = len(new_ids) < wanted
        self._cache.clear()
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def total_count(self) -> int:
        """How many issues match the filter in all (loaded or not); one count query."""
        return self._source.count(self._filter)

    def issue_id(self, row: int) -> uuid.UUID:
        """The id of the issue on ``row`` (no database read)."""
        return self._ids[row]

    def retranslate(self) -> None:
        """Tell views to fetch headers and texts again after the language changed."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            last = self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.DisplayRole])

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """Rows loaded so far (grows with `fetchMore`)."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        """The eight queue columns."""
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: ModelIndex) -> bool:  # noqa: N802 (Qt's name)
        """Whether more ids match than are loaded."""
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: ModelIndex) -> None:  # noqa: N802 (Qt's name)
        """Load the next page of ids (keyset paging: as cheap on page 500 as on page 2)."""
        if parent.isValid() or self._exhausted:
            return
        if not self._ids:
            page = self._source.ids(self._filter, 0, self.PAGE_SIZE)
        else:
            page = self._source.ids_after(self._filter, self._ids[-1], self.PAGE_SIZE)
        self._exhausted = len(page) < self.PAGE_SIZE
        page = [issue_id for issue_id in self._unique(page) if issue_id not in self._known]
        if not page:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._ids.extend(page)
        self._known.update(page)
        self.endInsertRows()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Texts for display, the issue UUID for ``Qt.UserRole``."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self._row(index.row())
            return None if row is None else self._display(index.column(), row)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
            PRIORITY_COLUMN,
            AGE_COLUMN,
        ):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Translated column titles; rows have no header text."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _tr(COLUMNS[section])
        return None

    # -- internals --------------------------------------------------------------------------------

    def _load_first_page(self) -> None:
        self._ids = self._unique(self._source.ids(self._filter, 0, self.PAGE_SIZE))
        self._known = set(self._ids)
        self._exhausted = len(self._ids) < self.PAGE_SIZE
        self._cache.clear()

    @staticmethod
    def _unique(ids: list[uuid.UUID]) -> list[uuid.UUID]:
        return list(dict.fromkeys(ids))

    def _moved(self, index: QModelIndex, new_rows: dict[uuid.UUID, int]) -> QModelIndex:
        if not index.isValid() or index.row() >= len(self._ids):
            return QModelIndex()
        new_row = new_rows.get(self._ids[index.row()])
        return QModelIndex() if new_row is None else self.createIndex(new_row, index.column())

    def _row(self, row: int) -> QueueRow | None:
        issue_id = self._ids[row]
        if issue_id not in self._cache:
            self._load_block(row)
        self._cache.move_to_end(issue_id)
        return self._cache[issue_id]

    def _load_block(self, row: int) -> None:
        start = row - row % self.BLOCK_SIZE
        wanted = [i for i in self._ids[start : start + self.BLOCK_SIZE] if i not in self._cache]
        found = {queue_row.id: queue_row for queue_row in self._source.rows(wanted)}
        for issue_id in wanted:
            self._cache[issue_id] = found.get(issue_id)  # None: gone, shown blank until refresh
        while len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)

    def _display(self, column: int, row: QueueRow) -> str:
        if column == PRIORITY_COLUMN:
            return f"P{row.priority}"
        if column == REFERENCE_COLUMN:
            return row.reference
        if column == STATUS_COLUMN:
            return status_label(row.status)
        if column == CATEGORY_COLUMN:
            return self._category_label(row.category)
        if column == DESCRIPTION_COLUMN:
            return row.summary
        if column == LOCATION_COLUMN:
            return f"{row.ward} · {row.room}" if row.room else row.ward
        if column == AGE_COLUMN:
            return age_text(row.created_at, self._clock())
        return self._sync_text(row)

    @staticmethod
    def _sync_text(row: QueueRow) -> str:
        text = sync_state_label(row.sync_state)
        if row.sync_state is IssueSyncState.SYNCED and row.remote_number:
            return f"{text} · {row.remote_number}"
        return text
