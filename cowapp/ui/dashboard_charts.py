"""QtCharts for the dashboard and the huddle report, built from `Outcomes`.

Each function returns a fresh `QChart` in the application palette's colours (so the day and night
themes both read well) with large axis labels. Titles and legend names arrive already translated:
the screen translates them with its own ``tr()``. The charts hold plain numbers only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QApplication

from cowapp.domain.metrics import DayPoint

LABEL_PT = 12
BASELINE_COLOUR = "#B3261E"  # a clear red line: the level the carts must push volume under


def _palette() -> QPalette:
    return QApplication.palette()


def _chart(title: str) -> QChart:
    palette = _palette()
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setPointSize(LABEL_PT + 2)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setTitleBrush(QBrush(palette.color(QPalette.ColorRole.WindowText)))
    chart.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.WindowText))
    legend_font = QFont(chart.legend().font())
    legend_font.setPointSize(LABEL_PT)
    chart.legend().setFont(legend_font)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _style_axis(axis: QValueAxis | QBarCategoryAxis) -> None:
    palette = _palette()
    font = QFont(axis.labelsFont())
    font.setPointSize(LABEL_PT)
    axis.setLabelsFont(font)
    axis.setLabelsColor(palette.color(QPalette.ColorRole.WindowText))
    axis.setTruncateLabels(False)  # "Printen & etiketten", not "..."
    axis.setGridLineColor(palette.color(QPalette.ColorRole.Mid))


def _line(name: str, colour: QColor | str, width: int, dashed: bool = False) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(QColor(colour))
    pen.setWidth(width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    series.setPen(pen)
    return series


def _axes(chart: QChart, x: QValueAxis, y: QValueAxis) -> None:
    for axis, side in ((x, Qt.AlignmentFlag.AlignBottom), (y, Qt.AlignmentFlag.AlignLeft)):
        _style_axis(axis)
        chart.addAxis(axis, side)
        for series in chart.series():
            series.attachAxis(axis)


def trend_chart(
    days: Sequence[DayPoint], baseline: float | None, title: str, names: tuple[str, str, str]
) -> QChart:
    """Issues per day and their 7-day average by day since go-live, with the baseline line."""
    chart = _chart(title)
    primary = _palette().color(QPalette.ColorRole.Highlight)
    daily = _line(names[0], _palette().color(QPalette.ColorRole.Mid), 2)
    average = _line(names[1], primary, 4)
    for point in days:
        daily.append(QPointF(point.index, point.count))
        average.append(QPointF(point.index, point.average7))
    chart.addSeries(daily)
    chart.addSeries(average)
    top = max([p.count for p in days] + [baseline or 0, 1])
    if baseline is not None and days:
        line = _line(names[2], BASELINE_COLOUR, 3, dashed=True)
        line.append(QPointF(days[0].index, baseline))
        line.append(QPointF(days[-1].index, baseline))
        chart.addSeries(line)
    x, y = QValueAxis(), QValueAxis()
    x.setLabelFormat("%d")
    if days:
        x.setRange(days[0].index, max(days[-1].index, days[0].index + 1))
    y.setRange(0, top * 1.1)
    y.applyNiceNumbers()
    y.setLabelFormat("%d")
    _axes(chart, x, y)
    return chart


def rate_chart(days: Sequence[DayPoint], title: str, name: str) -> QChart:
    """The share resolved at the bedside per day, in percent (days without issues left out)."""
    chart = _chart(title)
    series = _line(name, _palette().color(QPalette.ColorRole.Highlight), 4)
    for point in days:
        if point.bedside_rate is not None:
            series.append(QPointF(point.index, point.bedside_rate * 100))
    chart.addSeries(series)
    chart.legend().hide()
    x, y = QValueAxis(), QValueAxis()
    x.setLabelFormat("%d")
    if days:
        x.setRange(days[0].index, max(days[-1].index, days[0].index + 1))
    y.setRange(0, 100)
    y.setLabelFormat("%d%%")
    _axes(chart, x, y)
    return chart


def bar_chart(counts: Mapping[str, int], title: str, horizontal: bool) -> QChart:
    """One bar per label (in the order given)."""
    chart = _chart(title)
    bars = QBarSet(title)
    bars.setColor(_palette().color(QPalette.ColorRole.Highlight))
    bars.setBorderColor(_palette().color(QPalette.ColorRole.Highlight))
    bars.setLabelColor(_palette().color(QPalette.ColorRole.HighlightedText))
    labels = list(counts)
    for label in labels:
        bars.append(counts[label])
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsInsideEnd)
    chart.addSeries(series)
    chart.legend().hide()
    categories, values = QBarCategoryAxis(), QValueAxis()
    categories.append(list(reversed(labels)) if horizontal else labels)
    if horizontal:  # the biggest on top: Qt draws the first bar at the bottom
        bars.remove(0, len(labels))
        for label in reversed(labels):
            bars.append(counts[label])
    values.setRange(0, max([*counts.values(), 1]) * 1.15)
    values.applyNiceNumbers()
    values.setLabelFormat("%d")
    for axis in (categories, values):
        _style_axis(axis)
    value_side, label_side = (
        (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        if horizontal
        else (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom)
    )
    chart.addAxis(categories, label_side)
    chart.addAxis(values, value_side)
    series.attachAxis(categories)
    series.attachAxis(values)
    return chart
