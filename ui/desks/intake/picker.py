"""Picking the item fast: one search box over the items in force (name, short name, pinyin
initials, code), the workstation's recent items first and marked 最近. Enter or a double-click
picks; Down moves into the list; Esc clears the search."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.intake.spec import PickableItem

RECENT_MARK = "【最近】"


class ItemPicker(QWidget):
    item_picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemPicker")
        self._items: list[PickableItem] = []
        self._recent: list[int] = []

        self.search = QLineEdit()
        self.search.setObjectName("itemSearch")
        self.search.setAccessibleName("搜索事项")
        self.search.setPlaceholderText("输入事项名称/拼音首字母/编码，回车选择")
        self.search.setToolTip(self.search.placeholderText())  # the placeholder may be cut
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)

        self.list = QListWidget()
        self.list.setObjectName("itemList")
        self.list.setAccessibleName("事项列表")
        # The side bar is narrow and names are long (【最近】城乡居民基本养老保险参保登记): a name
        # wraps onto a second line rather than lose its end; the tooltip has the item's facts.
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSpacing(2)  # a wrapped name stays visibly one item
        self.list.itemActivated.connect(self._activated)  # Enter, or double-click
        self.list.installEventFilter(self)

        self.hint = QLabel()
        self.hint.setObjectName("itemPickerHint")
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.search)

    def set_items(self, items: list[PickableItem], recent: list[int]) -> None:
        self._items = items
        self._recent = recent
        self._filter(self.search.text())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _ordered(self) -> list[tuple[PickableItem, bool]]:
        by_id = {i.summary.item_id: i for i in self._items}
        recent = [(by_id[i], True) for i in self._recent if i in by_id]
        taken = {i for i in self._recent if i in by_id}
        return recent + [(i, False) for i in self._items if i.summary.item_id not in taken]

    def _filter(self, text: str) -> None:
        self.list.clear()
        for item, recent in self._ordered():
            if not item.matches(text):
                continue
            s = item.summary
            label = f"{RECENT_MARK if recent else ''}{s.name}（{s.handling_kind}）"
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, s.item_id)
            row.setToolTip(
                f"{s.name}\n编码：{s.code}\n拼音首字母：{s.pinyin_initials}\n"
                f"分类：{s.category}\n承诺时限：{s.promised_limit}"
            )
            self.list.addItem(row)
        if self.list.count():
            self.list.setCurrentRow(0)
        count = self.list.count()
        self.hint.setText(
            f"共 {count} 个事项，回车选择第一项，↓ 键进入列表。" if count else "没有匹配的事项。"
        )

    def _activated(self, row: QListWidgetItem) -> None:
        self.item_picked.emit(int(row.data(Qt.ItemDataRole.UserRole)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.search:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                current = self.list.currentItem()
                if current is not None:
                    self._activated(current)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key == Qt.Key.Key_Down and self.list.count():
                self.list.setFocus(Qt.FocusReason.TabFocusReason)
                self.list.setCurrentRow(min(1, self.list.count() - 1))
                return True
        elif watched is self.list and key == Qt.Key.Key_Up and self.list.currentRow() == 0:
            self.search.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return False
