"""Work waiting at the window (待办件): filings proxy agents submitted, cases awaiting the
supplement from a one-time notice, and cases received but not yet decided. Enter, a
double-click or 办理 opens one in the workspace."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cases.listing import Listing, queue_listing
from app.workflow.states import CaseState
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.desk_base import DeskEnv

_Index = QModelIndex | QPersistentModelIndex
PENDING_STATES = (CaseState.SUBMITTED, CaseState.RECEIVED, CaseState.AWAITING_SUPPLEMENT)
# 申请人, 事项, 状态 fit the narrow side bar; the 收件号 is in each row's tooltip and, once
# opened, in the case's summary.
SHOWN_COLUMNS = (2, 1, 4)
WIDTHS = {2: 60, 1: 100, 4: 60}


class PendingModel(CaseListModel):
    """The case list with the whole row in each cell's tooltip (the side bar is narrow)."""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            listed = self.listed(index.row())
            if listed is not None:
                row = listed.row
                numbered = f"办件编号：{row.official_no}\n" if row.official_no else ""
                return (
                    f"{numbered}收件号：{row.receipt_no}\n事项：{row.item_name}\n"
                    f"申请人：{row.applicant_name}（{row.applicant_id_masked}）\n"
                    f"状态：{row.state.label}"
                )
        return super().data(index, role)


class PendingList(QWidget):
    open_case = Signal(int)

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakePending")
        self.setAccessibleName("窗口待办件")
        self._env = env
        self._started = False
        self.model = PendingModel(env.runner, self)
        self.table = CaseTable(self.model, "intakePendingTable", "待办件列表")
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, column not in SHOWN_COLUMNS)
        for position, column in enumerate(SHOWN_COLUMNS):
            header.moveSection(header.visualIndex(column), position)
            self.table.setColumnWidth(column, WIDTHS[column])
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.model.loaded.connect(self._loaded)

        self.count = QLabel()
        self.count.setObjectName("intakePendingCount")
        self.count.setWordWrap(True)
        self.count.setToolTip("代办员提交的申请、待补正的办件和已收件尚未受理的办件")
        self.open_button = QPushButton("办理")
        self.open_button.setObjectName("openPending")
        self.open_button.setAccessibleName("办理选中的待办件")
        self.open_button.setToolTip("回车或双击也可打开")
        self.open_button.clicked.connect(self._open_current)
        line = QHBoxLayout()
        line.addWidget(self.count, 1)
        line.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(line)

    def reload(self) -> None:
        if self._started:
            self.model.reload()
        else:
            self._started = True
            self.model.set_fetch(self._fetch)

    def _fetch(self, offset: int, limit: int) -> Listing:
        backend = self._env.backend  # runs in a worker thread: no widgets here
        return backend.run(
            queue_listing,
            backend.calendar,
            backend.today(),
            offset=offset,
            limit=limit,
            states=PENDING_STATES,
        )

    def _loaded(self) -> None:
        total = self.model.total
        self.count.setText(f"共 {total} 件待办" if total else "没有待办件。")
        self.open_button.setEnabled(total > 0)

    def _activated(self, index: QModelIndex) -> None:
        case_id = self.model.case_id(index.row())
        if case_id is not None:
            self.open_case.emit(case_id)

    def _open_current(self) -> None:
        case_id = self.table.current_case_id()
        if case_id is None and self.model.total:
            case_id = self.model.case_id(0)
        if case_id is not None:
            self.open_case.emit(case_id)
