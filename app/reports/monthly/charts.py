"""The report's charts (reportlab.graphics): received vs decided per day, overdue per window,
the month's ratings by level. Each is a Drawing a platypus story can hold."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.evaluations.levels import Level
from app.printing.fonts import BOLD, REGULAR
from app.reports.figures import Figures
from app.reports.monthly.contents import DayCount
from app.reports.monthly.ratings import RatingRow

__all__ = ["daily_chart", "overdue_chart", "ratings_chart"]

RECEIVED = colors.HexColor("#4C78A8")
DECIDED = colors.HexColor("#F58518")
OVERDUE = colors.HexColor("#E45756")
LEVEL_COLOURS = ("#54A24B", "#88D27A", "#EECA3B", "#F58518", "#E45756")


def _axis_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            return step
    return max(1, top // 5)


def _bars(
    width: float,
    height: float,
    title: str,
    data: Sequence[Sequence[int]],
    names: Sequence[str],
    fills: Sequence[colors.Color],
    *,
    label_every: int = 1,
    legend: Sequence[str] = (),
) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=BOLD, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = width - 40, height - 64
    chart.data = [list(series) for series in data] if any(names) else [[0]]
    chart.categoryAxis.categoryNames = [
        name if i % label_every == 0 else "" for i, name in enumerate(names)
    ] or [""]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    top = max((max(series) for series in data if series), default=0)
    step = _axis_step(max(top, 1))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step, -(-top // step) * step)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barSpacing = 0.5
    chart.groupSpacing = 2
    for index, fill in enumerate(fills):
        chart.bars[index].fillColor = fill
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if legend:
        key = Legend()
        key.x, key.y = width - 10 - 60 * len(legend), height - 8
        key.columnMaximum = 1
        key.alignment = "right"
        key.fontName = REGULAR
        key.fontSize = 8
        key.deltax = 60
        key.dxTextSpace = 4
        key.colorNamePairs = list(zip(fills, legend, strict=True))
        key.boxAnchor = "nw"
        drawing.add(key)
    if not any(names) or top == 0:
        drawing.add(
            String(
                width / 2,
                height / 2,
                "本月无数据",
                fontName=REGULAR,
                fontSize=9,
                textAnchor="middle",
            )
        )
    return drawing


def daily_chart(days: Sequence[DayCount], width: float, height: float) -> Drawing:
    """收件量 and 办结量 per day of the month, side by side."""
    return _bars(
        width,
        height,
        "每日收件量与办结量",
        [[d.received for d in days], [d.decided for d in days]],
        [str(d.day.day) for d in days],
        [RECEIVED, DECIDED],
        label_every=1,
        legend=("收件量", "办结量"),
    )


def overdue_chart(by_window: Figures, width: float, height: float) -> Drawing:
    """逾期 (standing) per window."""
    rows = list(by_window.rows)
    return _bars(
        width,
        height,
        "各窗口逾期件数（在办）",
        [[r.overdue for r in rows]],
        [r.label for r in rows],
        [OVERDUE],
    )


def ratings_chart(ratings: Sequence[RatingRow], width: float, height: float) -> Drawing:
    """The month's ratings by level, 非常满意 to 非常不满意."""
    counts = [sum(1 for r in ratings if r.level is level) for level in Level]
    drawing = _bars(
        width,
        height,
        "好差评：各评价等级条数",
        [counts],
        [level.label for level in Level],
        [colors.HexColor(LEVEL_COLOURS[0])],
    )
    chart = next(c for c in drawing.contents if isinstance(c, VerticalBarChart))
    chart.bars[0].fillColor = colors.HexColor(LEVEL_COLOURS[0])
    for index, colour in enumerate(LEVEL_COLOURS):
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    return drawing
