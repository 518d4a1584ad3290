"""The table every desk lists cases in, over a lazy :class:`CaseListModel`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QHelpEvent, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QTableView,
    QToolTip,
    QWidget,
)

from app.workflow.states import STATE_LABELS
from ui.cases.list_model import CaseListModel

STATE_COLUMN = 4  # 状态


class CaseTable(QTableView):
    """``case_chosen`` fires with the case id when a row becomes current (click or keys).

    A row can become current before its page has arrived (Ctrl+End, Page Down in a long
    queue): then ``case_unknown`` fires at once — whatever showed the previous case must stop
    showing it — and ``case_chosen`` follows when the row's page arrives."""

    case_chosen = Signal(int)
    case_unknown = Signal()

    def __init__(
        self, model: CaseListModel, object_name: str, accessible: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible)
        self.setModel(model)
        self._model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        # One line a row (fixed height): no word-wrap layout for every cell on every paint.
        self.setWordWrap(False)
        # A 办件编号 too long for its column keeps its end (date and serial tell cases of one
        # item apart); the tooltip has it whole.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.verticalHeader().setVisible(False)
        # Fixed row heights: the view never asks every row its size (100,000 rows open at once).
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(28)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((210, 200, 80, 150, 110, 130)):
            self.setColumnWidth(column, width)
        self.setColumnWidth(STATE_COLUMN, self.state_width())
        self._waiting = False  # the current row's case is not known yet
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        model.dataChanged.connect(self._rows_arrived)

    def state_width(self) -> int:
        """A 状态 column wide enough for every state's name (挂起（特别程序）); the rarer
        （容缺） after it is elided, whole in the tooltip."""
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(label) for label in STATE_LABELS.values()) + 16

    def cell_tip(self, index: QModelIndex) -> str | None:
        """A cell's tooltip: its whole text when the column is too narrow for it (with what
        the model says of it beneath), else the model's own."""
        own = index.data(Qt.ItemDataRole.ToolTipRole)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(text, str) and text:
            margins = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
            needed = max(self.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
            if needed + margins > self.visualRect(index).width():
                return f"{text}\n{own}" if own and own != text else text
        return str(own) if own else None

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            tip = self.cell_tip(index) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport(), self.visualRect(index))
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """The rows about to be painted ask for their pages; the cells themselves answer from
        C++ (ui/cases/list_model.py), so this is the one Python call of a repaint."""
        top = self.rowAt(event.rect().top())
        if top >= 0:
            bottom = self.rowAt(event.rect().bottom())
            self._model.show_rows(top, bottom if bottom >= 0 else self._model.total - 1)
        super().paintEvent(event)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._waiting = False
            return
        case_id = self._model.case_id(current.row())  # asks for the page when not there
        self._waiting = case_id is None
        if case_id is None:
            self.case_unknown.emit()
        else:
            self.case_chosen.emit(case_id)

    def _rows_arrived(self, top: QModelIndex, bottom: QModelIndex, _roles: object = None) -> None:
        current = self.currentIndex()
        if self._waiting and current.isValid() and top.row() <= current.row() <= bottom.row():
            self._current_changed(current, current)

    def current_case_id(self) -> int | None:
        index = self.currentIndex()
        return self._model.case_id(index.row()) if index.isValid() else None

    def select_case(self, case_id: int) -> bool:
        row = self._model.row_of(case_id)
        if row is None:
            return False
        self.selectRow(row)
        return True
