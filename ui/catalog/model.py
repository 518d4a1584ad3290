"""Table model of the catalogue in force: holds plain ``ItemSummary`` rows, never a Session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.catalog.service import ItemSummary

Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[tuple[str, Callable[[ItemSummary], str]], ...] = (
    ("事项名称", lambda s: s.name),
    ("类别", lambda s: s.category),
    ("事项类型", lambda s: s.item_type),
    ("办件类型", lambda s: s.handling_kind),
    ("承诺时限", lambda s: s.promised_limit),
    ("法定时限", lambda s: s.legal_limit),
    ("材料", lambda s: f"{s.material_count} 项"),
    ("办理层级", lambda s: s.levels),
)

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CatalogTableModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[ItemSummary] = ()) -> None:
        super().__init__()
        self._rows: list[ItemSummary] = list(rows)

    def set_rows(self, rows: Sequence[ItemSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ItemSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()][1](summary)
        if role == ITEM_ID_ROLE:
            return summary.item_id
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None
