"""The dashboard's charts (QtCharts): bars that open the cases behind them, and rate lines.

QtCharts draws its titles, labels and legend in fonts of its own: each chart is given the
application's font (the bundled Noto Sans SC), else Chinese renders as boxes on a machine with
no CJK fonts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from ui.desks.dashboard.drill import Drill

BLUE, GREEN, ORANGE, RED, PURPLE = "#1a73c8", "#2e8b57", "#e08a1e", "#c0392b", "#7b3fb0"
EMPTY_TEXT = "本期间无数据"


@dataclass(frozen=True)
class Bars:
    """One set of bars: its name in the legend, its colour, a value per category and the drill
    each bar opens (by the bar's index)."""

    name: str
    colour: str
    values: Sequence[int]
    drill: Callable[[int], Drill]


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    values: Sequence[float | None]  # None: no point (nothing to divide by)
    drill: Callable[[int], Drill]


def _fonts(chart: QChart) -> tuple[QFont, QFont]:
    base = QApplication.font()
    title = QFont(base)
    title.setBold(True)
    chart.setTitleFont(title)
    chart.legend().setFont(base)
    small = QFont(base)
    small.setPointSizeF(max(base.pointSizeF() - 1, 7))
    return base, small


class ChartView(QChartView):
    """A chart with the app's fonts; ``drilled`` carries the :class:`Drill` of what was
    clicked."""

    drilled = Signal(object)

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(230)
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.font_, self.small_font = _fonts(chart)
        self.categories: list[str] = []

    def _clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def _category_axis(self, categories: Sequence[str]) -> QBarCategoryAxis:
        axis = QBarCategoryAxis()
        axis.append(list(categories))
        axis.setLabelsFont(self.small_font)
        return axis

    def _value_axis(self, top: float, label_format: str) -> QValueAxis:
        axis = QValueAxis()
        axis.setRange(0, top)
        axis.setLabelFormat(label_format)
        axis.setLabelsFont(self.small_font)
        axis.setTickCount(5)
        return axis

    def _empty(self, empty: bool) -> None:
        title = self.accessibleName()
        self.chart().setTitle(f"{title}（{EMPTY_TEXT}）" if empty else title)


def nice_scale(largest: float) -> tuple[float, int]:
    """A count axis's top and tick count: steps of 1, 2 or 5 × 10ⁿ, about four of them."""
    if largest <= 0:
        return 4.0, 5  # nothing: an empty 0–4 axis
    rough = max(largest, 4) / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    steps = max(1, math.ceil(largest / step))
    return float(step * steps), steps + 1


class BarChart(ChartView):
    """Bars over categories (vertical, or horizontal for long names); every bar opens its cases."""

    def __init__(
        self,
        title: str,
        object_name: str,
        *,
        horizontal: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, object_name, parent)
        self.horizontal = horizontal
        self.series: QAbstractBarSeries | None = None
        self.sets: dict[str, QBarSet] = {}

    def show_bars(
        self,
        categories: Sequence[str],
        bars: Sequence[Bars],
        *,
        names: Sequence[str] | None = None,
    ) -> None:
        """``names``: the categories' whole names for the tooltips, when shortened."""
        self._clear()
        chart = self.chart()
        self.categories = list(names if names is not None else categories)
        self.sets = {}
        series: QAbstractBarSeries = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        largest = 0
        for one in bars:
            bar_set = QBarSet(one.name)
            bar_set.setColor(QColor(one.colour))
            bar_set.setBorderColor(QColor(one.colour))
            bar_set.append([float(v) for v in one.values])
            bar_set.clicked.connect(lambda index, b=one: self.drilled.emit(b.drill(index)))
            bar_set.hovered.connect(
                lambda status, index, b=one: self._tip(status, b.name, index, b.values)
            )
            series.append(bar_set)
            self.sets[one.name] = bar_set
            largest = max([largest, *one.values])
        chart.addSeries(series)
        self.series = series
        labels = self._category_axis(categories)
        top, ticks = nice_scale(largest)
        counts = self._value_axis(top, "%d")
        counts.setTickCount(ticks)
        if self.horizontal:
            # Names whole (shortened by the caller): QtCharts would cut them to "…" on a
            # 1366-px screen while the plot had room to give.
            labels.setTruncateLabels(False)
            chart.addAxis(labels, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
            labels.setReverse(True)  # the largest (first) at the top
        else:
            chart.addAxis(labels, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(labels)
        series.attachAxis(counts)
        chart.legend().setVisible(len(bars) > 1)
        self._empty(not categories or largest == 0)

    def _tip(self, status: bool, name: str, index: int, values: Sequence[int]) -> None:
        if status and 0 <= index < len(self.categories):
            text = f"{self.categories[index]} · {name} {values[index]}（点击列出办件）"
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def bar_position(self, set_name: str, index: int) -> QPointF:
        """Where the bar's middle is drawn, in the view's coordinates (for a click)."""
        assert self.series is not None
        bar_set = self.sets[set_name]
        value = bar_set.at(index) / 2
        names = list(self.sets)
        count = len(names)
        # A bar series places its sets side by side across the category's width.
        width = self.series.barWidth()
        offset = (names.index(set_name) + 0.5) * width / count - width / 2
        point = (
            QPointF(value, index + offset) if self.horizontal else QPointF(index + offset, value)
        )
        scene = self.chart().mapToPosition(point, self.series)
        return self.mapFromScene(scene).toPointF()


LABELS_AT_MOST = 10  # a line chart's category labels: every k-th bucket past this many


class LineChart(ChartView):
    """Rates (0–100 %) over the trend's buckets; clicking a point opens the bucket's cases."""

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, object_name, parent)
        self.lines: dict[str, QLineSeries] = {}

    def _sparse_axis(self, categories: Sequence[str]) -> QCategoryAxis:
        """The buckets on a value axis, labelled every k-th (a month's 30 days do not fit)."""
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        axis.setLabelsFont(self.small_font)
        axis.setRange(-0.5, max(len(categories), 1) - 0.5)
        step = max(1, math.ceil(len(categories) / LABELS_AT_MOST))
        for index in range(0, len(categories), step):
            axis.append(categories[index], index)
        axis.setGridLineVisible(False)
        return axis

    def show_lines(self, categories: Sequence[str], lines: Sequence[Line]) -> None:
        self._clear()
        chart = self.chart()
        self.categories = list(categories)
        self.lines = {}
        names = self._sparse_axis(categories)
        top = max([100.0, *(v * 100 for one in lines for v in one.values if v is not None)])
        rates = self._value_axis(math.ceil(top / 50) * 50.0, "%.0f%%")
        rates.setTickCount(int(rates.max() // 50) + 1)  # 0, 50, 100 … %
        chart.addAxis(names, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(rates, Qt.AlignmentFlag.AlignLeft)
        drawn = False
        for one in lines:
            series = QLineSeries()
            series.setName(one.name)
            series.setColor(QColor(one.colour))
            series.setPointsVisible(True)
            for index, value in enumerate(one.values):
                if value is not None:
                    series.append(float(index), value * 100)
                    drawn = True
            series.clicked.connect(
                lambda point, l_=one: self.drilled.emit(l_.drill(round(point.x())))
            )
            chart.addSeries(series)
            series.attachAxis(names)
            series.attachAxis(rates)
            self.lines[one.name] = series
        self._empty(not drawn)
