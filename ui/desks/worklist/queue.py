"""A desk's work list: tabs with counts (categories, or 待出件 / 已出件) over a lazy case table.

Shared by the 审批台 and the 出件台. The chosen case is always the current row's: keys
(arrows, Page Down, Ctrl+End) choose as clicks do, and while the current row's page is still on
its way ``left`` fires so the desk never shows — nor acts on — the previous case meanwhile.
After every refresh (a write that may move cases emits ``runner.cases_changed``) the case chosen is
chosen again if it is still listed (its page is read again with the first); otherwise ``left``
fires so the desk clears its detail.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabBar, QVBoxLayout, QWidget

from app.errors import AppError
from ui.cases.list_model import CaseListModel, Fetch
from ui.cases.table import CaseTable
from ui.worker import Runner

#: (key, label, count) of one tab; the key is handed back to ``fetch_for``.
Tab = tuple[Hashable, str, int]


class QueuePane(QWidget):
    case_chosen = Signal(int)
    left = Signal()  # no case is chosen: it left the list, or its row's page is on its way
    failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        *,
        name: str,
        accessible: str,
        fetch_for: Callable[[Hashable], Fetch],
        tabs: Callable[[], list[Tab]],
        first_tab: Tab,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch_for = fetch_for
        self._read_tabs = tabs
        self._keys: list[Hashable] = []
        self._chosen: int | None = None
        self.tabs = QTabBar()
        self.tabs.setObjectName(f"{name}Tabs")
        self.tabs.setAccessibleName(f"{accessible}分类")
        self.tabs.setExpanding(False)
        # More categories than the width holds: scroll arrows, never names cut to a character.
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setDocumentMode(True)
        self.model = CaseListModel(runner, self)
        self.table = CaseTable(self.model, f"{name}Table", accessible)
        self.empty = QLabel()
        self.empty.setObjectName(f"{name}Count")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self._set_tabs([first_tab])
        self.tabs.currentChanged.connect(self._tab_changed)
        self.table.case_chosen.connect(self._case_chosen)
        self.table.case_unknown.connect(self._case_unknown)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self.failed)
        self.model.set_fetch(fetch_for(first_tab[0]))

    def take_tabs(self) -> QTabBar:
        """The category tabs, out of the pane, for the desk to lay across its whole width (a
        centre has a dozen categories: over the list alone 市场监管 went behind the arrows)."""
        layout = self.layout()
        assert layout is not None
        layout.removeWidget(self.tabs)
        return self.tabs

    def fit_columns(self, widths: dict[int, int], hidden: tuple[int, ...] = ()) -> None:
        """This desk's column widths; columns the detail shows anyway may be hidden."""
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        for column in hidden:
            self.table.setColumnHidden(column, True)

    # --- what is listed -------------------------------------------------------------------

    @property
    def current_key(self) -> Hashable:
        index = self.tabs.currentIndex()
        return self._keys[index] if 0 <= index < len(self._keys) else None

    @property
    def chosen(self) -> int | None:
        return self._chosen

    def refresh(self) -> None:
        self._runner.read(self._read_tabs, self._set_tabs, self._tabs_failed, owner=self)
        row = self.model.row_of(self._chosen) if self._chosen is not None else None
        self.model.reload(keep_rows=() if row is None else (row,))

    def _tabs_failed(self, error: AppError) -> None:
        self.failed.emit(str(error))

    def _set_tabs(self, tabs: list[Tab]) -> None:
        current = self.current_key
        if self._keys and current not in [key for key, _, _ in tabs]:
            tabs = [*tabs, (current, self.tabs.tabText(self.tabs.currentIndex()), 0)]
        self.tabs.blockSignals(True)
        while self.tabs.count() > len(tabs):
            self.tabs.removeTab(self.tabs.count() - 1)
        for index, (_key, label, count) in enumerate(tabs):
            text = f"{label.split('（')[0]}（{count}）"
            if index < self.tabs.count():
                self.tabs.setTabText(index, text)
            else:
                self.tabs.addTab(text)
            self.tabs.setTabToolTip(index, text)
        self._keys = [key for key, _, _ in tabs]
        self.tabs.setCurrentIndex(self._keys.index(current) if current in self._keys else 0)
        self.tabs.blockSignals(False)

    def _tab_changed(self, _index: int) -> None:
        self.model.set_fetch(self._fetch_for(self.current_key))

    # --- which case is chosen -------------------------------------------------------------

    def _case_chosen(self, case_id: int) -> None:
        self._chosen = case_id
        self.case_chosen.emit(case_id)

    def _case_unknown(self) -> None:
        if self._chosen is not None:
            self._chosen = None
            self.left.emit()

    def _loaded(self) -> None:
        total = self.model.total
        self.empty.setText("没有待办的办件。" if total == 0 else f"共 {total} 件")
        if self._chosen is not None and not self.table.select_case(self._chosen):
            self._chosen = None
            self.left.emit()
