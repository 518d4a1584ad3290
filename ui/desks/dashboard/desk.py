"""统计看板: the supervisor's figures for a period — tiles, the trend of received vs decided, the
办结率 and 满意度 lines, overdue by window and by person, the items by volume — and an approver's
own. Every tile, bar and point opens the list of cases behind it.

The figures are read on a read thread of the desk's own (``self.reports``, a second
:class:`Runner` with its own store connection): a year's figures on a big store take seconds,
and the queues' pages must never wait behind them. Read again when the desk is shown, when the
period changes, when a write or sync changes cases (``follow_cases``) and every ten minutes on
screen (a case turns overdue when the day turns, with no write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.reports.dashboard import Dashboard, dashboard
from app.reports.figures import FigureRow, Grouping
from app.reports.period import Period
from app.reports.scope import Scope, scope_of
from app.reports.trend import Bucketing, TrendPoint
from ui.desk_base import Desk, DeskEnv
from ui.desks.dashboard.cases_dialog import CasesDialog
from ui.desks.dashboard.charts import (
    BLUE,
    GREEN,
    ORANGE,
    PURPLE,
    RED,
    BarChart,
    Bars,
    Line,
    LineChart,
)
from ui.desks.dashboard.drill import Drill
from ui.desks.dashboard.monthly_report import monthly_report_button
from ui.desks.dashboard.period_picker import PeriodPicker
from ui.desks.dashboard.tiles import TileGrid, TileSpec
from ui.elided_label import ElidedLabel
from ui.worker import Changed, Runner

REFRESH_EVERY_MS = 10 * 60 * 1000


def axis_labels(points: Sequence[TrendPoint], bucketing: Bucketing) -> list[str]:
    """Short labels under the trend's bars: the day (2, 3 … or 11/2 across months), the month."""
    starts = [p.period.start for p in points]
    if bucketing is Bucketing.MONTH:
        one_year = len({d.year for d in starts}) == 1
        return [f"{d.month}月" if one_year else f"{d.year % 100}年{d.month}月" for d in starts]
    one_month = len({(d.year, d.month) for d in starts}) == 1
    return [str(d.day) if one_month else f"{d.month}/{d.day}" for d in starts]


ITEM_NAME_AT_MOST = 12  # characters of an item's name under its bar; the tooltip has it whole


def short(name: str) -> str:
    return name if len(name) <= ITEM_NAME_AT_MOST else name[: ITEM_NAME_AT_MOST - 1] + "…"


class DashboardDesk(Desk):
    title = "统计看板"
    object_name = "dashboardDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.scope: Scope = scope_of(env.backend.actor)
        self.reports = Runner(self, crash=env.runner.crash)
        self.shown: Dashboard | None = None
        self.cases: CasesDialog | None = None
        self._reading = False
        self._again = False

        self.picker = PeriodPicker(env.backend.today)
        self.picker.changed.connect(lambda _: self.refresh())
        self.picker.refused.connect(lambda text: self.say(text, error=True))
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setObjectName("dashboardRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.scope_label = QLabel(self.scope.label)
        self.scope_label.setToolTip(
            "全中心的办件"
            if self.scope.centre
            else "本人受理、办结的办件，分派给本人的办件，本人服务收到的评价"
        )
        self.scope_label.setObjectName("dashboardScope")
        self.status = ElidedLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setStyleSheet("color: #555;")
        # The desk's row of tools: the period, 刷新, whose figures, when read (it gives way, elided,
        # when room is short); other tools (月度报表…) are added at its right end with
        # ``self.toolbar.addWidget``.
        self.toolbar = QHBoxLayout()
        self.toolbar.setObjectName("dashboardToolbar")
        self.toolbar.addWidget(self.picker)
        self.toolbar.addWidget(self.refresh_button)
        self.toolbar.addSpacing(12)
        self.toolbar.addWidget(self.scope_label)
        self.toolbar.addSpacing(12)
        self.toolbar.addWidget(self.status, 1)
        self.toolbar.addWidget(monthly_report_button(env, self))

        self.tiles = TileGrid()
        self.tiles.chosen.connect(self._tile_chosen)
        self.trend = BarChart("收件量与办结量", "dashboardTrend")
        self.rates = LineChart("办结率、按期办结率与满意度", "dashboardRates")
        self.by_window = BarChart("逾期办件（按窗口）", "dashboardOverdueByWindow")
        self.by_person = BarChart("逾期办件（按承办人）", "dashboardOverdueByPerson")
        self.by_item = BarChart("事项收件量前十", "dashboardItems", horizontal=True)
        for chart in (self.trend, self.rates, self.by_window, self.by_person, self.by_item):
            chart.drilled.connect(self.open_cases)

        content = QWidget()
        content.setObjectName("dashboardContent")
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.tiles)
        first = QHBoxLayout()
        first.addWidget(self.trend, 3)
        first.addWidget(self.rates, 2)
        body.addLayout(first, 4)
        self.breakdowns = QWidget()
        second = QHBoxLayout(self.breakdowns)
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.by_window, 2)
        second.addWidget(self.by_person, 3)
        second.addWidget(self.by_item, 6)
        self.by_item.setMinimumHeight(250)  # ten names, one a line
        body.addWidget(self.breakdowns, 5)
        self.breakdowns.setVisible(self.scope.centre)  # comparing people: the supervisor's
        scroll = QScrollArea()
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(scroll, 1)
        self.notice.setVisible(False)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_EVERY_MS)
        self.timer.timeout.connect(self._timer_due)
        self.timer.start()
        self.follow_cases()

    # --- reading ------------------------------------------------------------------------------

    def activate(self) -> None:
        self.refresh()

    def cases_changed(self, changed: Changed) -> None:
        if changed.lists:  # a write here or the county's changes by sync
            self.refresh()
            if self.cases is not None and self.cases.isVisible():
                self.cases.reload()

    def _timer_due(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the figures again; while a read runs, once more after it (not one per event)."""
        if self._reading:
            self._again = True
            return
        try:
            period = self.picker.period()
        except AppError as error:
            self.failed(error)
            return
        self._reading = True
        self._again = False
        self.status.setText("统计中…")
        b = self.env.backend
        today = b.today()
        self.reports.read(
            lambda: b.run(dashboard, period, today=today, calendar=b.calendar),
            self._read,
            self._read_failed,
            owner=self,
        )

    def _read(self, shown: Dashboard) -> None:
        self._reading = False
        self.show_dashboard(shown)
        if self._again:
            self.refresh()

    def _read_failed(self, error: AppError) -> None:
        self._reading = False
        self.status.setText("")
        self.failed(error)
        if self._again:
            self.refresh()

    # --- showing ------------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        super().say(text, error=error)
        self.notice.setVisible(bool(text))  # no empty line over the tiles

    def show_dashboard(self, shown: Dashboard) -> None:
        self.shown = shown
        self.say("")
        now = dt.datetime.now().strftime("%H:%M")
        self.status.setText(f"{shown.period.label} · {now} 更新 · 用时 {shown.seconds:.1f} 秒")
        self.tiles.show_row(shown.figures)
        self._show_trend(shown)
        if shown.scope.centre:
            self._show_breakdown(self.by_window, shown.overdue_by_window, Grouping.WINDOW, "窗口")
            self._show_breakdown(self.by_person, shown.overdue_by_person, Grouping.PERSON, "承办人")
            self._show_items(shown)

    def _show_trend(self, shown: Dashboard) -> None:
        points = shown.trend.points
        labels = axis_labels(points, shown.trend.bucketing)
        scope = shown.scope

        def at(name: str, title: str, i: int, expected: int | None = None) -> Drill:
            """The cases behind the ``i``th bucket's bar or point."""
            point = points[i]
            label = f"{title} · {point.label}"
            return Drill(label, name, point.period, scope.grouping, scope.key, expected)

        def drill(name: str, title: str, values: Sequence[int]) -> Bars:
            colour = BLUE if name == "received" else GREEN
            return Bars(title, colour, values, lambda i: at(name, title, i, values[i]))

        self.trend.show_bars(
            labels,
            [
                drill("received", "收件量", [p.received for p in points]),
                drill("decided", "办结量", [p.decided for p in points]),
            ],
        )

        def line(name: str, title: str, colour: str, values: Sequence[float | None]) -> Line:
            return Line(title, colour, values, lambda i: at(name, title, i))

        self.rates.show_lines(
            labels,
            [
                line("decided", "办结率", GREEN, [p.completion_rate for p in points]),
                line("decided_on_time", "按期办结率", PURPLE, [p.on_time_rate for p in points]),
                line("rated", "满意度", ORANGE, [p.satisfaction for p in points]),
            ],
        )

    def _show_breakdown(
        self, chart: BarChart, rows: Sequence[FigureRow], grouping: Grouping, what: str
    ) -> None:
        period = self.shown.period if self.shown else self.picker.period()
        values = [r.overdue for r in rows]
        chart.show_bars(
            [r.label for r in rows],
            [
                Bars(
                    "逾期",
                    RED,
                    values,
                    lambda i: Drill(
                        f"逾期 · {what} {rows[i].label}",
                        "overdue",
                        period,
                        grouping,
                        rows[i].key,
                        values[i],
                    ),
                )
            ],
        )

    def _show_items(self, shown: Dashboard) -> None:
        rows = shown.items_by_volume
        values = [r.received for r in rows]
        self.by_item.show_bars(
            [short(r.label) for r in rows],
            [
                Bars(
                    "收件量",
                    BLUE,
                    values,
                    lambda i: Drill(
                        f"收件量 · {rows[i].label}",
                        "received",
                        shown.period,
                        Grouping.ITEM,
                        rows[i].key,
                        values[i],
                    ),
                )
            ],
            names=[r.label for r in rows],
        )

    # --- drilling down ------------------------------------------------------------------------

    def _tile_chosen(self, spec: TileSpec) -> None:
        if self.shown is None:
            return
        shown = self.shown
        value = getattr(shown.figures, spec.behind)
        title = spec.title if spec.behind != "rated" else "满意度 · 期间内的评价"
        self.open_cases(
            Drill(title, spec.behind, shown.period, shown.scope.grouping, shown.scope.key, value)
        )

    def open_cases(self, drill: Drill) -> None:
        """The list of the cases behind ``drill``, in a dialog beside the desk (one at a time)."""
        if self.cases is not None:
            self.cases.close()
            self.cases.deleteLater()
        self.cases = CasesDialog(self.env, self.reports, drill, self)
        self.cases.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.cases.show()

    def period(self) -> Period:
        return self.picker.period()
