"""Work waiting at the window (待办件): filings proxy agents submitted, cases awaiting the
supplement from a one-time notice, and cases received but not yet decided. Enter, a
double-click or 办理 opens one in the workspace."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.cases.listing import Listing, queue_listing
from app.cases.queries import CaseRow
from app.workflow.fold import CHINA_TZ
from app.workflow.states import CaseState
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.desk_base import DeskEnv

_Index = QModelIndex | QPersistentModelIndex
PENDING_STATES = (CaseState.SUBMITTED, CaseState.RECEIVED, CaseState.AWAITING_SUPPLEMENT)
# The side bar is narrow: each entry is two lines in one column — who and which item, then the
# day it reached the window and its 收件号 — beside its state. Whatever does not fit is elided;
# the tooltip has the whole entry.
ENTRY, STATE = 1, 4
SHOWN_COLUMNS = (ENTRY, STATE)


def entry_text(row: CaseRow) -> str:
    filed = f"{row.filed_at.astimezone(CHINA_TZ):%m-%d} · " if row.filed_at else ""
    return f"{row.applicant_name} · {row.item_name}\n{filed}{row.receipt_no}"


class PendingModel(CaseListModel):
    """The case list as the side bar's entries, the whole row in each cell's tooltip."""

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            section == ENTRY
            and orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return "待办件"
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == ENTRY and role == Qt.ItemDataRole.DisplayRole:
            listed = self.listed(index.row())
            return "…" if listed is None else entry_text(listed.row)
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            listed = self.listed(index.row())
            if listed is not None:
                row = listed.row
                numbered = f"办件编号：{row.official_no}\n" if row.official_no else ""
                filed = (
                    f"日期：{row.filed_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}\n"
                    if row.filed_at
                    else ""
                )
                return (
                    f"{numbered}收件号：{row.receipt_no}\n{filed}事项：{row.item_name}\n"
                    f"申请人：{row.applicant_name}（{row.applicant_id_masked}）\n"
                    f"状态：{row.state.label}"
                )
        return super().data(index, role)


class EntryDelegate(QStyledItemDelegate):
    """Paints an entry's two lines, each elided on its own: the names keep their start, the
    收件号 its end (workstation, day and serial: the town code before them is the centre's)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        lines = str(index.data(Qt.ItemDataRole.DisplayRole) or "").split("\n")
        item.text = ""
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = item.rect.adjusted(4, 2, -4, -2)
        metrics = item.fontMetrics
        height = rect.height() // max(len(lines), 1)
        painter.save()
        painter.setPen(item.palette.color(role))
        for number, line in enumerate(lines):
            if number == 0:
                text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
            else:  # the date whole; the 收件号 keeps its end: workstation, day and serial
                head, dot, receipt = line.rpartition(" · ")
                room = rect.width() - metrics.horizontalAdvance(head + dot)
                text = head + dot + metrics.elidedText(receipt, Qt.TextElideMode.ElideLeft, room)
            box = QRect(rect.left(), rect.top() + number * height, rect.width(), height)
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.restore()


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
        header.setStretchLastSection(False)
        header.setSectionResizeMode(ENTRY, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(state.label) for state in PENDING_STATES)
        self.table.setColumnWidth(STATE, widest + 16)
        self.table.verticalHeader().setDefaultSectionSize(metrics.lineSpacing() * 2 + 12)
        self.entries = EntryDelegate(self.table)
        self.table.setItemDelegateForColumn(ENTRY, self.entries)
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
