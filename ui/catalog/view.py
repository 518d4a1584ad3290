"""The catalogue browser: every item in force, searchable by name, pinyin initials or code,
with the selected item's materials, steps, time limits and legal basis."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.catalog.service import ItemDetail, ItemSummary
from ui.catalog.model import CatalogTableModel
from ui.scroll import scrolled
from ui.widgets import fill_table


class CatalogFilter(QSortFilterProxyModel):
    """Matches the search text against name, pinyin initials and code (case-insensitive)."""

    def __init__(self, model: CatalogTableModel) -> None:
        super().__init__()
        self._model = model
        self.setSourceModel(model)
        self._needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(  # noqa: N802
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self._needle:
            return True
        s = self._model.row_at(source_row)
        return any(self._needle in hay.lower() for hay in (s.name, s.pinyin_initials, s.code))


class ItemDetailPane(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("itemDetail")
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("itemDetailTitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.facts = QFormLayout()
        self._fact_labels: list[str] = []
        self._fact_values: list[QLabel] = []
        layout.addLayout(self.facts)
        layout.addWidget(QLabel("办理材料"))
        self.materials = _readonly_table(["材料名称", "形式", "份数", "必要性", "容缺"])
        self.materials.setObjectName("itemMaterials")
        self.materials.setAccessibleName("办理材料清单")
        layout.addWidget(self.materials, 3)
        layout.addWidget(QLabel("办理环节"))
        self.steps = _readonly_table(["环节", "层级", "承办", "时限"])
        self.steps.setObjectName("itemSteps")
        self.steps.setAccessibleName("办理环节")
        layout.addWidget(self.steps, 2)

    def show_detail(self, detail: ItemDetail) -> None:
        self.title.setText(f"<b>{detail.summary.name}</b>　<small>{detail.summary.code}</small>")
        labels = [label for label, _ in detail.facts]
        if labels != self._fact_labels:
            while self.facts.rowCount():
                self.facts.removeRow(0)
            self._fact_values = []
            for label in labels:
                value = QLabel()
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.facts.addRow(f"{label}：", value)
                self._fact_values.append(value)
            self._fact_labels = labels
        for widget, (_, text) in zip(self._fact_values, detail.facts, strict=True):
            widget.setText(text)
        fill_table(self.materials, detail.materials)
        fill_table(self.steps, detail.steps)


class CatalogView(QWidget):
    """Search box + item table + detail pane. ``item_chosen`` fires with the current item's id;
    with ``load_detail`` the pane fills itself, without it the owner loads the detail (in the
    background) and calls ``detail.show_detail``."""

    item_chosen = Signal(int)

    def __init__(self, load_detail: Callable[[int], ItemDetail] | None = None) -> None:
        super().__init__()
        self.setObjectName("catalogView")
        self._load_detail = load_detail
        self.model = CatalogTableModel()
        self.proxy = CatalogFilter(self.model)

        self.search = QLineEdit()
        self.search.setObjectName("catalogSearch")
        self.search.setAccessibleName("事项搜索")
        self.search.setPlaceholderText("搜索事项：名称、拼音首字母或编码（如 zdshbz）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_needle)

        self.table = QTableView()
        self.table.setObjectName("catalogTable")
        self.table.setAccessibleName("在用事项目录")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.detail = ItemDetailPane()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.table)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scrolled(self.detail, "itemDetailScroll"))  # 特大 text: it scrolls
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def set_items(self, rows: Sequence[ItemSummary]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)

    def visible_item_names(self) -> list[str]:
        return [
            self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row()).name
            for r in range(self.proxy.rowCount())
        ]

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        summary = self.model.row_at(self.proxy.mapToSource(current).row())
        self.item_chosen.emit(summary.item_id)
        if self._load_detail is not None:
            self.detail.show_detail(self._load_detail(summary.item_id))


def _readonly_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table
