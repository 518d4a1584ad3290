"""A lazy table model of case lists: knows the total, fetches pages of rows in the background
as the view scrolls to them, and never blocks or raises in ``data()``.

A queue of 100,000 cases opens with one page (100 rows) and the count; rows not yet fetched
show "…" until their page arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.cases.listing import ListedCase, Listing
from ui.worker import Runner

PAGE_SIZE = 100

#: fetch(offset, limit) -> Listing; runs in a worker thread.
Fetch = Callable[[int, int], Listing]

# 办件编号: the county's once it has numbered the case, else the provisional 收件号.
COLUMNS = ("办件编号", "事项", "申请人", "证件号码", "状态", "承诺办结日", "时限")
STATUS_COLOURS = {"green": "#d9f2dd", "yellow": "#fff1bf", "red": "#f8d0cc"}
STATUS_TEXT = {"green": "正常", "yellow": "即将到期", "red": "已超期"}
_Index = QModelIndex | QPersistentModelIndex


def _cell(item: ListedCase, column: int) -> str:
    row = item.row
    if column == 0:
        return row.official_no or row.receipt_no
    if column == 1:
        return row.item_name
    if column == 2:
        return row.applicant_name
    if column == 3:
        return row.applicant_id_masked
    if column == 4:
        return row.state.label + ("（容缺）" if row.deficiency else "")
    if column == 5:
        if row.due_date is None:
            return "—"
        return f"{row.due_date:%Y-%m-%d}" + ("（暂定）" if row.due_provisional else "")
    return item.deadline_text


def number_tip(receipt_no: str, official_no: str | None) -> str:
    """What the number column's tooltip says: which number it is, and the other one."""
    if official_no:
        return f"县级办件编号 {official_no}（收件号 {receipt_no}）"
    return "本中心收件号（待县级系统编号）"


def _texts(rows: list[ListedCase]) -> list[tuple[str, ...]]:
    return [tuple(_cell(item, column) for column in range(len(COLUMNS))) for item in rows]


_BRUSHES = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}


class CaseListModel(QAbstractTableModel):
    """Rows of a case list. ``loaded`` fires after the first page (and total) arrive."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch: Fetch | None = None
        self._total = 0
        self._pages: dict[int, list[ListedCase]] = {}
        self._texts: dict[int, list[tuple[str, ...]]] = {}
        self._requested: set[int] = set()
        self._generation = 0

    # --- loading -------------------------------------------------------------------------

    def set_fetch(self, fetch: Fetch) -> None:
        """Show a new list (another category, a search); the old rows stay until it arrives."""
        self._fetch = fetch
        self.reload()

    def reload(self, keep_rows: Iterable[int] = ()) -> None:
        """Read the list again: the first page, and the pages around ``keep_rows`` (e.g. the
        chosen case's row) in the same task, so a case chosen on a later page is still found
        when the list is back instead of looking as if it had left the list."""
        if self._fetch is None:
            return
        self._generation += 1
        generation = self._generation
        fetch = self._fetch
        pages = sorted(
            {0}
            | {
                page
                for row in keep_rows
                for page in ((row - 1) // PAGE_SIZE, row // PAGE_SIZE, (row + 1) // PAGE_SIZE)
                if page >= 0
            }
        )

        def read() -> list[tuple[int, Listing]]:
            return [(page, fetch(page * PAGE_SIZE, PAGE_SIZE)) for page in pages]

        self._runner.read(
            read,
            lambda listings: self._reloaded(generation, listings),
            lambda error: self.failed.emit(str(error)),
            owner=self,
        )

    def _reloaded(self, generation: int, listings: list[tuple[int, Listing]]) -> None:
        if generation != self._generation:
            return  # a newer list was asked for meanwhile
        total = listings[0][1].total
        last_page = (total - 1) // PAGE_SIZE
        kept = [(page, listing.rows) for page, listing in listings if page <= last_page]
        self.beginResetModel()
        self._total = total
        self._pages = dict(kept) or {0: []}
        self._texts = {page: _texts(rows) for page, rows in self._pages.items()}
        self._requested = set(self._pages)
        self.endResetModel()
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._requested or self._fetch is None:
            return
        self._requested.add(page)
        generation = self._generation
        fetch = self._fetch
        self._runner.read(
            lambda: fetch(page * PAGE_SIZE, PAGE_SIZE),
            lambda listing: self._page_arrived(generation, page, listing),
            lambda error: self.failed.emit(str(error)),
            owner=self,
        )

    def _page_arrived(self, generation: int, page: int, listing: Listing) -> None:
        if generation != self._generation:
            return
        self._pages[page] = listing.rows
        self._texts[page] = _texts(listing.rows)
        first = page * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # --- reading -------------------------------------------------------------------------

    @property
    def pages_requested(self) -> int:
        return len(self._requested)

    @property
    def total(self) -> int:
        return self._total

    def listed(self, row: int) -> ListedCase | None:
        """The row's case if its page has arrived (else asks for the page and returns None)."""
        if not 0 <= row < self._total:
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            self._request_page(page)
            return None
        offset = row - page * PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def case_id(self, row: int) -> int | None:
        item = self.listed(row)
        return item.row.case_id if item else None

    def row_of(self, case_id: int) -> int | None:
        for page, rows in self._pages.items():
            for offset, item in enumerate(rows):
                if item.row.case_id == case_id:
                    return page * PAGE_SIZE + offset
        return None

    # --- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks every visible cell for several roles: keep this path short (the cells'
        # text is made once per page, when it arrives).
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._cells(index.row())
            return "…" if cells is None else cells[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == len(COLUMNS) - 1:
            item = self.listed(index.row())
            return _BRUSHES.get(item.status or "") if item else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == len(COLUMNS) - 1:
            item = self.listed(index.row())
            return STATUS_TEXT.get(item.status or "") if item else None
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            item = self.listed(index.row())
            return number_tip(item.row.receipt_no, item.row.official_no) if item else None
        if role == Qt.ItemDataRole.UserRole:
            item = self.listed(index.row())
            return item.row.case_id if item else None
        return None

    def _cells(self, row: int) -> tuple[str, ...] | None:
        page, offset = divmod(row, PAGE_SIZE)
        cells = self._texts.get(page)
        if cells is None:
            self.listed(row)  # asks for the page
            return None
        return cells[offset] if offset < len(cells) else None
