"""The cases behind a figure or a bar: a list (paged in the background, as every desk's) and the
chosen case read-only with its timeline, as the 查询 desk shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QSplitter, QVBoxLayout, QWidget

from app.cases.case_view import CaseView, case_view
from app.cases.listing import Listing
from app.errors import AppError
from app.reports.behind import cases_behind
from ui.cases.detail_view import CaseDetailView
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.desk_base import DeskEnv
from ui.desks.dashboard.drill import Drill
from ui.worker import Runner


class CasesDialog(QDialog):
    """Non-modal: the dashboard stays usable; one at a time (a new drill replaces it)."""

    def __init__(
        self, env: DeskEnv, reports: Runner, drill: Drill, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.env = env
        self.drill = drill
        self.setObjectName("dashboardCases")
        self.setWindowTitle(f"办件清单 — {drill.title}")
        self.setAccessibleName(f"办件清单 {drill.title}")
        self.heading = QLabel(f"{drill.title} · {drill.period.label}")
        self.heading.setObjectName("dashboardCasesHeading")
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.count = QLabel("读取中…")
        self.count.setObjectName("dashboardCasesCount")
        self.count.setWordWrap(True)
        self.unlisted = 0
        self.model = CaseListModel(reports, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self._failed)
        self.table = CaseTable(self.model, "dashboardCasesTable", "办件清单")
        self.table.case_chosen.connect(self._choose)
        self.table.setColumnHidden(3, True)  # 证件号码: the detail has it, masked
        # A whole 收件号 (town code, workstation, date, serial) fits without eliding.
        sample = "511899101000-W01-20260302-0001"
        self.table.setColumnWidth(0, self.table.fontMetrics().horizontalAdvance(sample) + 24)
        self.table.setColumnWidth(1, 190)
        self.table.setColumnWidth(2, 64)
        self.detail = CaseDetailView()
        self.detail.tabs.setCurrentWidget(self.detail.timeline_table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 440])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.count)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1240, 640)
        b = env.backend
        today = b.today()

        def fetch(offset: int, limit: int) -> Listing:
            found = b.run(
                cases_behind,
                drill.name,
                drill.period,
                drill.grouping,
                drill.key,
                today=today,
                calendar=b.calendar,
                limit=limit,
                offset=offset,
            )
            self.unlisted = found.unlisted  # read on the UI thread after ``loaded``
            return found.listing

        self.model.set_fetch(fetch)

    def reload(self) -> None:
        self.model.reload()

    @property
    def total(self) -> int:
        return self.model.total

    def _loaded(self) -> None:
        total = self.model.total
        text = f"共 {total} 件" if total else "没有办件"
        if self.unlisted:
            text += f"；另有 {self.unlisted} 条评价的办件不在本机，无法列出"
        self.count.setText(text)
        if total and self.table.current_case_id() is None:
            self.table.selectRow(0)

    def _failed(self, text: str) -> None:
        self.count.setText(text)
        self.count.setStyleSheet("color:#b3261e;")

    def _choose(self, case_id: int) -> None:
        b = self.env.backend
        today = b.today()
        self.env.runner.read(
            lambda: b.run(case_view, case_id, b.calendar, today),
            self._show,
            self._case_failed,
            owner=self,
        )

    def _show(self, view: CaseView) -> None:
        if view.detail.row.case_id == self.table.current_case_id():
            self.detail.show_case(view)

    def _case_failed(self, error: AppError) -> None:
        self._failed(str(error))
