"""The one-page daily huddle report as a PDF, drawn with Qt (works offscreen, no printer needed).

What the ward managers and IT lead look at in the morning: the day's numbers (reported, solved at
the bedside, the 7-day average against the pre-cart baseline, open issues and go-live blockers),
the day's top 10 categories against the day before, the trend chart since go-live, and the open
go-live blockers; made from several carts' exports, when each cart was last seen. Counts only: no
free text and nothing about a patient. `render` draws an A4 page with `QPdfWriter` and `QPainter`;
tables are small HTML documents, the chart is the dashboard's own QtChart rendered through a
graphics scene.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, QMarginsF, QObject, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTransform,
)
from PySide6.QtWidgets import QGraphicsScene

from cowapp.domain.metrics import DayPoint, Outcomes
from cowapp.ui import dashboard_charts as charts
from cowapp.ui.i18n import arg

DPI = 96  # page coordinates in screen pixels: A4 is 794 x 1123
MARGIN = 40
ACCENT = QColor("#0B5563")
MUTED = QColor("#4A5560")


@dataclass(frozen=True)
class ReportData:
    """What the report shows.

    Attributes:
        outcomes: the metrics as of the end of ``day``.
        day: the day the huddle looks back on (usually yesterday).
        carts: the carts whose issues are included.
        made_at: when the report was made (local time).
        category_label: a taxonomy code → its label.
        partial: True when made from CSV exports (no sync, privacy or deflection counts).
        last_seen: from exports, each cart's latest time in its export (local time).
    """

    outcomes: Outcomes
    day: date
    carts: Sequence[str]
    made_at: datetime
    category_label: Callable[[str], str]
    partial: bool = False
    last_seen: Mapping[str, datetime] = field(default_factory=dict)


class HuddleReport(QObject):
    """Draws the huddle report (translated with this object's ``tr``)."""

    def render(self, data: ReportData, path: Path) -> None:
        """Write the one-page PDF to ``path``."""
        writer = QPdfWriter(str(path))
        writer.setResolution(DPI)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        writer.setTitle(self.tr("Daily huddle: IT at the bedside"))
        painter = QPainter(writer)
        try:
            width = writer.width() - 2 * MARGIN
            y = self._header(painter, data, width)
            y = self._tiles(painter, data, y, width)
            y = self._trend(painter, data, y, width)
            self._tables(painter, data, y, width)
            self._footer(painter, data, writer.height() - MARGIN, width)
        finally:
            painter.end()

    def _header(self, painter: QPainter, data: ReportData, width: int) -> int:
        title = self.tr("Daily huddle: IT at the bedside")
        _text(painter, QRectF(MARGIN, MARGIN, width, 36), title, 20, bold=True)
        day = QLocale().toString(
            QDate(data.day.year, data.day.month, data.day.day), "dddd d MMMM yyyy"
        )
        line = arg(self.tr("%1 · carts: %2"), day, ", ".join(data.carts) or "–")
        _text(painter, QRectF(MARGIN, MARGIN + 38, width, 22), line, 11, colour=MUTED)
        if not data.last_seen:
            return MARGIN + 72
        seen = ", ".join(
            f"{cart} {moment.strftime('%d-%m %H:%M')}"
            for cart, moment in sorted(data.last_seen.items())
        )
        line = arg(self.tr("Carts last seen (latest time in their export): %1"), seen)
        _text(painter, QRectF(MARGIN, MARGIN + 60, width, 22), line, 10, colour=MUTED)
        return MARGIN + 90

    def _tiles(self, painter: QPainter, data: ReportData, y: int, width: int) -> int:
        out, point = data.outcomes, _day_point(data.outcomes.days, data.day)
        change = "–" if out.change_percent is None else f"{out.change_percent:+.0f}%"
        bedside = "–" if point.bedside_rate is None else f"{point.bedside_rate * 100:.0f}%"
        claim = out.time_to_claim.median_hours
        tiles = [
            (str(point.count), self.tr("reported that day")),
            (bedside, self.tr("of those solved at the bedside")),
            (QLocale().toString(point.average7, "f", 1), self.tr("a day, 7-day average")),
            (change, self.tr("against before the carts")),
            (str(out.open_count), self.tr("open now")),
            (str(len(out.blockers_open)), self.tr("go-live blockers open")),
            (_percent(out.escalation_rate), self.tr("escalated (period)")),
            (
                "–" if claim is None else arg(self.tr("%1 h"), QLocale().toString(claim, "f", 1)),
                self.tr("to claim (median)"),
            ),
        ]
        columns, gap, height = 4, 10, 86
        tile_width = (width - gap * (columns - 1)) / columns
        for index, (value, label) in enumerate(tiles):
            x = MARGIN + (index % columns) * (tile_width + gap)
            top = y + (index // columns) * (height + gap)
            painter.setPen(QColor("#C9D1D6"))
            painter.setBrush(QColor("#F4F7F8"))
            painter.drawRoundedRect(QRectF(x, top, tile_width, height), 6, 6)
            _text(
                painter,
                QRectF(x + 10, top + 6, tile_width - 20, 36),
                value,
                20,
                bold=True,
                colour=ACCENT,
            )
            _text(painter, QRectF(x + 10, top + 44, tile_width - 20, 38), label, 9, colour=MUTED)
        return y + 2 * (height + gap) + 6

    def _trend(self, painter: QPainter, data: ReportData, y: int, width: int) -> int:
        chart = charts.trend_chart(
            data.outcomes.days,
            data.outcomes.baseline_per_day,
            self.tr("Issues per day since go-live"),
            (self.tr("Per day"), self.tr("7-day average"), self.tr("Before the carts")),
        )
        height = 340
        scene = QGraphicsScene()
        scene.addItem(chart)
        chart.resize(QSizeF(width, height))
        scene.render(painter, QRectF(MARGIN, y, width, height), QRectF(0, 0, width, height))
        scene.removeItem(chart)
        return y + height + 14

    def _tables(self, painter: QPainter, data: ReportData, y: int, width: int) -> None:
        half = (width - 20) / 2
        top = "".join(
            f"<tr><td>{html.escape(data.category_label(t.category))}</td>"
            f"<td align='right'>{t.today}</td><td align='right'>{t.yesterday}</td></tr>"
            for t in data.outcomes.top_today
        )
        head = (
            f"<tr><th align='left'>{self.tr('Category')}</th>"
            f"<th align='right'>{self.tr('That day')}</th>"
            f"<th align='right'>{self.tr('Day before')}</th></tr>"
        )
        empty = f"<tr><td colspan='3'>{self.tr('Nothing reported')}</td></tr>"
        _html(
            painter, QRectF(MARGIN, y, half, 420), self.tr("Top 10 that day"), head + (top or empty)
        )
        rows = "".join(
            f"<tr><td>{html.escape(b.reference)}</td>"
            f"<td>{html.escape(data.category_label(b.category))}</td>"
            f"<td>{html.escape(b.ward)}</td>"
            f"<td align='right'>{(data.made_at - b.created_at).days}</td></tr>"
            for b in data.outcomes.blockers_open[:12]
        )
        head = (
            f"<tr><th align='left'>{self.tr('Reference')}</th>"
            f"<th align='left'>{self.tr('Category')}</th>"
            f"<th align='left'>{self.tr('Ward')}</th>"
            f"<th align='right'>{self.tr('Days open')}</th></tr>"
        )
        none = f"<tr><td colspan='4'>{self.tr('None open')}</td></tr>"
        _html(
            painter,
            QRectF(MARGIN + half + 20, y, half, 420),
            self.tr("Open go-live blockers"),
            head + (rows or none),
        )

    def _footer(self, painter: QPainter, data: ReportData, bottom: int, width: int) -> None:
        made = data.made_at.strftime("%d-%m-%Y %H:%M")
        note = arg(self.tr("Made %1 by cowapp. Counts only: no free text, no patient data."), made)
        if data.partial:
            note += " " + self.tr("From exports: sync and privacy counts are not included.")
        _text(painter, QRectF(MARGIN, bottom - 30, width, 30), note, 8, colour=MUTED)


def _day_point(days: Sequence[DayPoint], day: date) -> DayPoint:
    found = next((point for point in days if point.day == day), None)
    return found or DayPoint(day, 0, 0, 0.0, 0, None)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _text(
    painter: QPainter,
    rect: QRectF,
    text: str,
    points: int,
    bold: bool = False,
    colour: QColor | None = None,
) -> None:
    font = QFont()
    font.setPointSize(points)
    font.setBold(bold)
    painter.setFont(font)
    painter.setPen(colour or QColor("#1B2328"))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap), text)


def _html(painter: QPainter, rect: QRectF, title: str, rows: str) -> None:
    document = QTextDocument()
    font = QFont()
    font.setPointSize(10)
    document.setDefaultFont(font)
    document.setTextWidth(rect.width())
    document.setHtml(
        f"<h3 style='color:#0B5563'>{html.escape(title)}</h3>"
        f"<table width='100%' cellspacing='0' cellpadding='3'>{rows}</table>"
    )
    painter.save()
    painter.setTransform(QTransform.fromTranslate(rect.left(), rect.top()), True)
    document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.restore()
