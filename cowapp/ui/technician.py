"""The technician screen: the queue on the left, the chosen issue and its actions on the right.

At the bedside a technician must see what is open, claim it, fix or escalate it without hunting,
gloves on. The left half has the status filter (open, all, resolved, escalated) and the category
filter as big toggle chips above the queue (highest priority, then oldest first; one tap selects a
row). The right half is an `IssueDetail`. After every stored action the queue is re-read and the
detail shows the issue as stored. Storage is reached only through what the constructor is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.issue import CLOSED_AT_CART, OPEN_STATUSES, Issue, IssueStatus
from cowapp.domain.outbox import IssueSyncState
from cowapp.domain.taxonomy import Taxonomy
from cowapp.storage.issue_query import QueueFilter
from cowapp.ui.i18n import Retranslating, arg, category_label
from cowapp.ui.issue_detail import BedsideActions, IssueDetail
from cowapp.ui.queue_model import (
    AGE_COLUMN,
    CATEGORY_COLUMN,
    DESCRIPTION_COLUMN,
    LOCATION_COLUMN,
    PRIORITY_COLUMN,
    REFERENCE_COLUMN,
    STATUS_COLUMN,
    SYNC_COLUMN,
    IssueQueueModel,
    QueueSource,
)
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import FlowLayout, button_text, keep_text_whole, segment

ROW_HEIGHT = 56
"""Height of a queue row in px (over `MIN_TOUCH`: a gloved finger hits the row it means)."""

STATUS_FILTERS: dict[str, frozenset[IssueStatus]] = {
    "open": OPEN_STATUSES,
    "all": frozenset(),  # every status
    "resolved": CLOSED_AT_CART | {IssueStatus.REMOTE_RESOLVED, IssueStatus.REMOTE_CLOSED},
    "escalated": frozenset({IssueStatus.ESCALATED}),
}
"""The status chips, in display order, and the statuses each shows."""

HIDDEN_COLUMNS = (CATEGORY_COLUMN, LOCATION_COLUMN, SYNC_COLUMN)
"""Columns the half-width queue leaves out; the detail shows them for the chosen issue."""


class TechnicianScreen(Retranslating, QWidget):
    """Filters and queue on the left, `IssueDetail` on the right.

    Signals:
        walk_up_requested(): the technician wants to enter a problem for a nurse standing there
            (the main window opens the intake screen; the technician stays signed in).

    Args:
        source: the queue's storage queries (an `IssueQuery` in the app).
        details: reads one issue in full by id.
        act: the bedside actions, bound to the signed-in technician by the composition root.
        groups: the resolver groups to escalate to (config.escalation_groups).
        technician: the signed-in technician's staff number.
        taxonomy: categories for the chips and labels.
        parent: the owning widget.
    """

    walk_up_requested = Signal()

    def __init__(
        self,
        source: QueueSource,
        details: Callable[[uuid.UUID], Issue],
        act: BedsideActions,
        groups: tuple[str, ...],
        technician: str,
        taxonomy: Taxonomy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._source, self._details, self._taxonomy = source, details, taxonomy
        self.model = IssueQueueModel(source, category_label=self._category_label, parent=self)
        self.detail = IssueDetail(act, groups, technician, taxonomy)
        self.detail.issue_changed.connect(self._on_detail_issue_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(SIZES.spacing + 8)
        layout.addWidget(self._build_queue(), 3)
        layout.addWidget(self.detail, 2)
        self.retranslate_ui()

    # --- public -------------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Select the queue's ``row`` (as a tap would) and show that issue."""
        index = self.model.index(row, REFERENCE_COLUMN)
        flags = QItemSelectionModel.SelectionFlag
        self.view.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def status_filter(self) -> str:
        """The key of the status chip that is on."""
        return next(key for key, chip in self.status_chips.items() if chip.isChecked())

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        texts = {
            "open": self.tr("Open"),
            "all": self.tr("All"),
            "resolved": self.tr("Resolved"),
            "escalated": self.tr("Escalated"),
        }
        for key, text in texts.items():
            self.status_chips[key].setText(button_text(text))
        self.walk_up.setText(button_text(self.tr("+ New report")))
        self.walk_up.setToolTip(self.tr("Enter a problem for the nurse standing here"))
        keep_text_whole(self.walk_up)
        for code, chip in self.category_chips.items():
            chip.setText(button_text(self._category_label(code)))
        for chip in (*self.status_chips.values(), *self.category_chips.values()):
            keep_text_whole(chip)
        self.model.retranslate()
        self._fit_columns()
        self._show_count()
        self._show_categories_toggle()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Read the queue again when the screen comes back (a walk-up report, read-backs)."""
        self.model.refresh()
        self._show_count()
        super().showEvent(event)

    # --- building -----------------------------------------------------------------------------

    def _build_queue(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SIZES.spacing // 2 + 4)
        statuses = QHBoxLayout()
        statuses.setSpacing(SIZES.spacing // 2)
        self.status_chips: dict[str, QPushButton] = {}
        for key in STATUS_FILTERS:
            chip = self.status_chips[key] = segment()
            chip.setChecked(key == "open")
            chip.clicked.connect(lambda _=False, key=key: self._on_status_chip_clicked(key))
            statuses.addWidget(chip)
        statuses.addStretch(1)
        self._categories = self._build_categories()
        self.walk_up = QPushButton()
        self.walk_up.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.walk_up.clicked.connect(self.walk_up_requested)
        second = QHBoxLayout()
        second.setSpacing(SIZES.spacing // 2)
        second.addWidget(self.categories_toggle)
        second.addWidget(self.walk_up)
        second.addStretch(1)
        self._count = QLabel()
        set_role(self._count, Role.MUTED)
        second.addWidget(self._count)
        layout.addLayout(statuses)
        layout.addLayout(second)
        layout.addWidget(self._categories)
        layout.addWidget(self._build_view(), 1)
        return column

    def _build_categories(self) -> QWidget:
        """The category chips, folded away under one toggle so the queue keeps its height."""
        box = QWidget()
        chips = FlowLayout(box, spacing=SIZES.spacing // 2)
        self.category_chips: dict[str, QPushButton] = {}
        for category in self._taxonomy.categories:
            chip = self.category_chips[category.code] = segment()
            chip.clicked.connect(lambda _=False: self._apply_filter())
            chips.addWidget(chip)
        box.hide()
        self.categories_toggle = segment()
        self.categories_toggle.toggled.connect(self._on_categories_toggle_toggled)
        return box

    def _build_view(self) -> QTableView:
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no dotted focus cell on a tap
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.view.horizontalHeader()
        header.setMinimumHeight(SIZES.min_touch)
        header.setSectionsClickable(False)  # the queue order is the rule, not a choice
        for column in HIDDEN_COLUMNS:
            self.view.setColumnHidden(column, True)
        # Fixed widths from sample texts, not ResizeToContents: that reads every loaded row on
        # each layout (slow with many rows) and let a long status squeeze the description out.
        for column in (PRIORITY_COLUMN, REFERENCE_COLUMN, STATUS_COLUMN, AGE_COLUMN):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_row_changed)
        return self.view

    # --- slots --------------------------------------------------------------------------------

    def _on_status_chip_clicked(self, key: str) -> None:
        for other, chip in self.status_chips.items():
            chip.setChecked(other == key)  # exactly one is on: a second tap keeps it on
        self._apply_filter()

    def _on_categories_toggle_toggled(self, on: bool) -> None:
        self._categories.setVisible(on)
        self._show_categories_toggle()

    def _on_view_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # the issue left the filter after an action: keep showing it
        issue_id = self.model.issue_id(current.row())
        self._show(self._details(issue_id))

    def _on_detail_issue_changed(self, issue: Issue) -> None:
        self.model.refresh()
        self._show_count()
        self._show(issue)

    # --- helpers ------------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        categories = frozenset(c for c, chip in self.category_chips.items() if chip.isChecked())
        wanted = QueueFilter(statuses=STATUS_FILTERS[self.status_filter()], categories=categories)
        shown = self.detail.issue
        self.model.set_filter(wanted)
        self._show_count()
        self._show_categories_toggle()
        if shown is not None:  # the issue stays in view while the list changes under it
            self._show(self._details(shown.id))

    def _show(self, issue: Issue) -> None:
        rows = self._source.rows([issue.id])
        sync: IssueSyncState | None = rows[0].sync_state if rows else None
        self.detail.show_issue(issue, sync)

    def _show_categories_toggle(self) -> None:
        chosen = sum(chip.isChecked() for chip in self.category_chips.values())
        text = arg(self.tr("Category (%1)"), chosen) if chosen else self.tr("Category")
        arrow = "▴" if self.categories_toggle.isChecked() else "▾"
        self.categories_toggle.setText(button_text(f"{text}  {arrow}"))
        keep_text_whole(self.categories_toggle)

    def _fit_columns(self) -> None:
        """Widths from the header text and a sample value, whichever is wider."""
        header = self.view.horizontalHeader()
        cells, titles = self.view.fontMetrics(), header.fontMetrics()
        samples = {PRIORITY_COLUMN: "P3", REFERENCE_COLUMN: "WWW-WWW", AGE_COLUMN: "999 min"}
        # (one digit more than an age has: the cell padding is wider than the header measure)
        samples[STATUS_COLUMN] = "Resolved here"  # longer statuses are elided: detail says all
        for column, sample in samples.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(cells.horizontalAdvance(sample), titles.horizontalAdvance(title) + 8)
            header.resizeSection(column, width + 2 * SIZES.spacing)

    def _show_count(self) -> None:
        total = self.model.total_count()
        self._count.setText(arg(self.tr("Issues: %1"), total))

    def _category_label(self, code: str) -> str:
        return category_label(self._taxonomy, code)
