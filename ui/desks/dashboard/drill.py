"""A drill-down: which figure's cases to list — the figure, the period (a tile's, or one bar's
day or month), and the group (the centre, a window, a person, an item) — and its title."""

from __future__ import annotations

from dataclasses import dataclass

from app.reports.figures import Grouping
from app.reports.period import Period


@dataclass(frozen=True)
class Drill:
    title: str  # e.g. 「逾期 · 窗口 W01」
    name: str  # the FigureRow count (app.reports.behind)
    period: Period
    grouping: Grouping
    key: str
    expected: int | None = None  # the figure drawn on the tile or bar, when it is a count
