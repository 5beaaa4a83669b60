"""The outcome dashboard: did the incidents go down? KPI tiles and four charts, read-only.

For the IT manager and the technicians: today against yesterday, volume against the pre-cart
baseline (the 70% story), bedside resolution, escalation, time to claim and to resolve, open
issues and blockers, self-solved problems, privacy-guard hits and the upload queue; charts of the
trend against the baseline, the top categories, bedside resolution over time and open-issue
ageing. Nothing on it can be changed and it shows counts only, never free text.

Loading 100,000 issues takes about a second, so it never runs on the GUI thread: `refresh` hands
the ``load`` callable to a `QThreadPool` task (the callable opens its own database connection in
that thread) and the result comes back through a queued signal. Thread contract: `_LoadTask.run`
runs in a pool thread and touches no widget; everything else runs on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QLocale, QObject, QRunnable, QThreadPool, QTime, Signal
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cowapp.domain.metric_stats import AGEING_BUCKETS
from cowapp.domain.metrics import Outcomes
from cowapp.ui import dashboard_charts as charts
from cowapp.ui.i18n import Retranslating, arg
from cowapp.ui.theme import SIZES, Role, set_role
from cowapp.ui.widgets import role_label

log = logging.getLogger(__name__)

TILES = ("today", "baseline", "bedside", "escalated", "claim", "resolve",
         "open", "safety", "repeat", "self_solved", "privacy", "unsent")  # fmt: skip
TILE_COLUMNS = 6
CHART_HEIGHT = 300
TOP_CATEGORIES = 6


class _LoadSignals(QObject):
    """Carries a finished load back to the GUI thread (created there, emitted from the pool)."""

    loaded = Signal(object)
    failed = Signal(str)


class _LoadTask(QRunnable):
    """Runs ``load`` in a pool thread; reports through ``signals`` (never touches a widget)."""

    def __init__(self, load: Callable[[], Outcomes], signals: _LoadSignals) -> None:
        super().__init__()
        self._load, self.signals = load, signals

    def run(self) -> None:
        try:
            outcomes = self._load()
        except Exception as exc:  # shown on the screen; the cart keeps working
            log.exception("loading the dashboard failed")
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.loaded.emit(outcomes)


class DashboardScreen(Retranslating, QWidget):
    """KPI tiles and charts, loaded off the GUI thread whenever the page is shown.

    Signals:
        loaded(object): new `Outcomes` are on screen.

    Args:
        load: computes the outcomes (runs in a worker thread; must open its own connection).
        category_label: a taxonomy code → its label in the current language.
        parent: the owning widget.
    """

    loaded = Signal(object)

    def __init__(
        self,
        load: Callable[[], Outcomes],
        category_label: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._load, self._category_label = load, category_label
        self._outcomes: Outcomes | None = None
        self._busy = False
        self._signals = _LoadSignals(self)
        self._signals.loaded.connect(self._on_task_loaded)
        self._signals.failed.connect(self._on_task_failed)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._build_body())
        outer.addWidget(scroll)
        self.retranslate_ui()

    @property
    def outcomes(self) -> Outcomes | None:
        """What is shown now (None before the first load)."""
        return self._outcomes

    def tile_value(self, key: str) -> str:
        """The big number on a tile (for tests and screenshots)."""
        return self._tiles[key][1].text()

    def refresh(self) -> None:
        """Load fresh numbers in the background (ignored while a load is running)."""
        if self._busy:
            return
        self._busy = True
        self._status.setText(self.tr("Counting…"))
        self._pool.start(_LoadTask(self._load, self._signals))

    def wait_idle(self, msecs: int = 30000) -> bool:
        """Block until a running load finished (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def retranslate_ui(self) -> None:
        """Set every text in the installed language."""
        self._title.setText(self.tr("Dashboard"))
        self._refresh.setText(self.tr("Refresh"))
        titles = {
            "today": self.tr("Reported today"),
            "baseline": self.tr("Against the baseline"),
            "bedside": self.tr("Solved at the bedside"),
            "escalated": self.tr("Escalated"),
            "claim": self.tr("Time to claim"),
            "resolve": self.tr("Time to resolve"),
            "open": self.tr("Open now"),
            "safety": self.tr("Patient safety"),
            "repeat": self.tr("Repeat devices"),
            "self_solved": self.tr("Solved by nurses"),
            "privacy": self.tr("Privacy-guard hits"),
            "unsent": self.tr("Not yet sent"),
        }
        for key, text in titles.items():
            self._tiles[key][0].setText(text)
        if self._outcomes is not None:
            self._show(self._outcomes)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """Fresh numbers each time the page is opened."""
        super().showEvent(event)
        self.refresh()

    # --- building -----------------------------------------------------------------------------

    def _build_body(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(SIZES.spacing)
        top = QHBoxLayout()
        self._title, self._status = role_label(Role.TITLE), role_label(Role.MUTED)
        self._refresh = QPushButton()
        self._refresh.clicked.connect(self.refresh)
        top.addWidget(self._title)
        top.addWidget(self._status, 1)
        top.addWidget(self._refresh)
        layout.addLayout(top)
        grid = QGridLayout()
        grid.setSpacing(SIZES.spacing // 2)
        self._tiles: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for index, key in enumerate(TILES):
            frame, labels = _tile()
            self._tiles[key] = labels
            grid.addWidget(frame, index // TILE_COLUMNS, index % TILE_COLUMNS)
        for column in range(TILE_COLUMNS):
            grid.setColumnStretch(column, 1)  # equal tiles, whatever their texts
        layout.addLayout(grid)
        chart_grid = QGridLayout()
        chart_grid.setSpacing(SIZES.spacing // 2)
        self._views = [QChartView() for _ in range(4)]
        for index, view in enumerate(self._views):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(CHART_HEIGHT)
            chart_grid.addWidget(view, index // 2, index % 2)
        layout.addLayout(chart_grid)
        return body

    # --- showing ------------------------------------------------------------------------------

    def _on_task_loaded(self, outcomes: Outcomes) -> None:
        self._busy = False
        self._outcomes = outcomes
        self._show(outcomes)
        self.loaded.emit(outcomes)

    def _on_task_failed(self, message: str) -> None:
        self._busy = False
        self._status.setText(arg(self.tr("Could not count: %1"), message))

    def _show(self, out: Outcomes) -> None:
        self._status.setText(
            arg(self.tr("Updated %1"), QLocale().toString(QTime.currentTime(), "HH:mm"))
        )
        for key, (value, note) in self._tile_texts(out).items():
            self._tiles[key][1].setText(value)
            self._tiles[key][2].setText(note)
        self._show_charts(out)

    def _tile_texts(self, out: Outcomes) -> dict[str, tuple[str, str]]:
        groups = ", ".join(name for name, _ in out.escalation_groups.most_common(1))
        return {
            "today": (str(out.today_count), arg(self.tr("Yesterday: %1"), out.yesterday_count)),
            "baseline": self._baseline_texts(out),
            "bedside": (
                _percent(out.bedside_rate),
                arg(self.tr("Reopened: %1"), _percent(out.reopen_rate)),
            ),
            "escalated": (_percent(out.escalation_rate), groups),
            "claim": (
                self._hours(out.time_to_claim.median_hours),
                arg(self.tr("90%: within %1"), self._hours(out.time_to_claim.p90_hours)),
            ),
            "resolve": (
                self._hours(out.time_to_resolve.median_hours),
                arg(self.tr("90%: within %1"), self._hours(out.time_to_resolve.p90_hours)),
            ),
            "open": (
                str(out.open_count),
                arg(self.tr("Blocking go-live: %1"), len(out.blockers_open)),
            ),
            "safety": (
                str(out.patient_safety),
                arg(self.tr("Still open: %1"), out.patient_safety_open),
            ),
            "repeat": (str(len(out.repeat_assets)), self._top_asset(out)),
            "self_solved": (
                str(out.self_solved),
                arg(self.tr("Me too: %1"), out.me_too),
            ),
            # A BSN blocks the save and nothing is written, so only confirmed warnings count.
            "privacy": (
                str(out.privacy_hits),
                self.tr("Confirmed · BSN not counted"),
            ),
            "unsent": (
                str(out.sync.unsynced),
                arg(self.tr("Oldest %1 · failed %2"), self._age(out), out.sync.failing),
            ),
        }

    def _baseline_texts(self, out: Outcomes) -> tuple[str, str]:
        if out.change_percent is None:
            return "–", self.tr("Set the baseline in config.toml")
        value = f"{out.change_percent:+.0f}%"
        note = arg(
            self.tr("%1/day, was %2/day"),
            QLocale().toString(out.recent_per_day, "f", 1),
            QLocale().toString(out.baseline_per_day or 0.0, "f", 0),
        )
        return value, note

    def _top_asset(self, out: Outcomes) -> str:
        if not out.repeat_assets:
            return self.tr("None twice")
        tag, count = out.repeat_assets[0]
        return arg(self.tr("%1: %2 times"), tag, count)

    def _age(self, out: Outcomes) -> str:
        oldest = out.sync.oldest_unsent_at
        if oldest is None:
            return "–"
        hours = max(0.0, (datetime.now(UTC) - oldest).total_seconds() / 3600)
        if hours < 48:
            return self._hours(hours)
        return arg(self.tr("%1 d"), int(hours // 24))

    def _hours(self, hours: float | None) -> str:
        if hours is None:
            return "–"
        return arg(self.tr("%1 h"), QLocale().toString(hours, "f", 1))

    def _show_charts(self, out: Outcomes) -> None:
        top = {
            self._category_label(code): n for code, n in out.by_category.most_common(TOP_CATEGORIES)
        }
        ageing_names = {  # no "<": axis labels are rich text
            "lt_1h": self.tr("0–1 h"),
            "1_4h": self.tr("1–4 h"),
            "4_24h": self.tr("4–24 h"),
            "1_3d": self.tr("1–3 days"),
            "gt_3d": self.tr("3+ days"),
        }
        ageing = {ageing_names[key]: out.ageing.get(key, 0) for key, _ in AGEING_BUCKETS}
        built: list[QChart] = [
            charts.trend_chart(
                out.days,
                out.baseline_per_day,
                self.tr("Issues per day since go-live"),
                (self.tr("Per day"), self.tr("7-day average"), self.tr("Before the carts")),
            ),
            charts.bar_chart(top, self.tr("Top categories"), horizontal=True),
            charts.rate_chart(
                out.days, self.tr("Solved at the bedside per day (%)"), self.tr("Bedside")
            ),
            charts.bar_chart(ageing, self.tr("Open issues by age"), horizontal=False),
        ]
        for view, chart in zip(self._views, built, strict=True):
            old = view.chart()
            view.setChart(chart)
            if old is not None:
                old.deleteLater()


def _tile() -> tuple[QFrame, tuple[QLabel, QLabel, QLabel]]:
    frame = QFrame()
    set_role(frame, Role.CARD)
    frame.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 10)
    layout.setSpacing(2)
    title, value, note = role_label(Role.MUTED), role_label(Role.FIGURE), role_label(Role.MUTED)
    value.setWordWrap(False)
    for label in (title, value, note):
        layout.addWidget(label)
    return frame, (title, value, note)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"
