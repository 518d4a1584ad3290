"""The figures' columns, shared by the workbook's sheets and the PDF's tables: each a Chinese
header and how to read it from a :class:`~app.reports.figures.FigureRow`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.reports.figures import FigureRow

__all__ = ["FIGURE_COLUMNS", "FigureColumn", "days_text", "percent"]


@dataclass(frozen=True)
class FigureColumn:
    header: str
    value: Callable[[FigureRow], int | float | None]
    kind: str = "count"  # count | rate (a fraction, shown as %) | days (1 decimal)
    short: str = ""  # the PDF's narrower header ("" = header)


def _c(header: str, name: str, short: str = "") -> FigureColumn:
    return FigureColumn(header, lambda r: int(getattr(r, name)), "count", short)


FIGURE_COLUMNS: tuple[FigureColumn, ...] = (
    _c("收件量", "received", "收件"),
    _c("受理量", "accepted", "受理"),
    _c("其中容缺受理", "accepted_with_deficiency", "容缺"),
    _c("不予受理", "refused"),
    _c("一次性告知", "supplement_requests", "告知"),
    _c("办结量", "decided", "办结"),
    _c("按期办结", "decided_on_time", "按期"),
    FigureColumn("办结率", lambda r: r.completion_rate, "rate"),
    FigureColumn("按期办结率", lambda r: r.on_time_rate, "rate", "按期率"),
    FigureColumn("平均办理用时（工作日）", lambda r: r.average_working_days, "days", "平均用时"),
    _c("逾期（在办）", "overdue", "逾期"),
    _c("临近到期", "nearly_due", "临期"),
    _c("收件超时（5个工作日）", "watchdog", "收件超时"),
    _c("容缺待补", "deficiency_pending", "容缺待补"),
    _c("容缺逾期", "deficiency_overdue"),
    _c("评价数", "rated", "评价"),
    _c("满意数（非常满意+满意）", "satisfied", "满意"),
    FigureColumn("满意度", lambda r: r.satisfaction, "rate"),
    _c("差评未办结", "bad_open"),
    _c("差评已办结", "bad_closed"),
    _c("差评整改逾期", "bad_overdue"),
)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def days_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
