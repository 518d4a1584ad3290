"""A lazy table model of case lists: knows the total, fetches pages of rows in the background
as the view scrolls to them, and never blocks.

A queue of 100,000 cases opens with one page (100 rows) and the count; rows not yet fetched
show "…" until their page arrives.

The loaded rows answer from C++: the model is a :class:`QStandardItemModel` whose items are made
in the worker that fetched the page (text, the deadline colour, the tooltips), so painting a
screenful of cells calls no Python. A Python ``data()`` ran ~1,100 times a repaint (every
visible cell, every role the delegate asks), each taking the GIL from whatever background task
held it; the UI thread then stalled for tens of milliseconds behind the runner's work.
Unloaded rows are asked for by the table as it paints them (:meth:`CaseListModel.show_rows`,
``ui.cases.table.CaseTable``), and by :meth:`CaseListModel.listed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItemModel

from app.cases.listing import ListedCase, Listing
from ui.worker import Runner

PAGE_SIZE = 100

#: fetch(offset, limit) -> Listing; runs in a worker thread.
Fetch = Callable[[int, int], Listing]

# 办件编号: the county's once it has numbered the case, else the provisional 收件号.
COLUMNS = ("办件编号", "事项", "申请人", "证件号码", "状态", "承诺办结日", "时限")
STATUS_COLOURS = {"green": "#d9f2dd", "yellow": "#fff1bf", "red": "#f8d0cc"}
STATUS_TEXT = {"green": "正常", "yellow": "即将到期", "red": "已超期"}
PLACEHOLDER = "…"


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


_BRUSHES = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}


Cells = list[list[dict[int, object]]]  # a page: per row, per column, the item's roles
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole


def _cells(rows: list[ListedCase]) -> Cells:
    """A page's cells, role by role, made in the worker that fetched it; the UI thread only
    hands each to its item (``setItemData``)."""
    deadline = len(COLUMNS) - 1
    page = []
    for listed in rows:
        cells: list[dict[int, object]] = [
            {_DISPLAY: _cell(listed, column)} for column in range(len(COLUMNS))
        ]
        cells[0][_TOOLTIP] = number_tip(listed.row.receipt_no, listed.row.official_no)
        status = listed.badge or ""  # the promise's colour, or the late step's
        if status in _BRUSHES:
            cells[deadline][_BACKGROUND] = _BRUSHES[status]
            cells[deadline][_TOOLTIP] = listed.deadline_tip or STATUS_TEXT[status]
        page.append(cells)
    return page


def _fetched(fetch: Fetch, offset: int, limit: int) -> tuple[Listing, Cells]:
    listing = fetch(offset, limit)
    return listing, _cells(listing.rows)


class CaseListModel(QStandardItemModel):
    """Rows of a case list. ``loaded`` fires after the first page (and total) arrive."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self._runner = runner
        self._fetch: Fetch | None = None
        self._total = 0
        self._pages: dict[int, list[ListedCase]] = {}
        self._requested: set[int] = set()
        self._placeheld: set[int] = set()  # rows showing "…" until their page arrives
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
        size = PAGE_SIZE
        pages = sorted(
            {0}
            | {
                page
                for row in keep_rows
                for page in ((row - 1) // size, row // size, (row + 1) // size)
                if page >= 0
            }
        )

        def read() -> list[tuple[int, Listing, Cells]]:
            return [(page, *_fetched(fetch, page * size, size)) for page in pages]

        self._runner.read(
            read,
            lambda listings: self._reloaded(generation, listings),
            lambda error: self.failed.emit(str(error)),
            owner=self,
        )

    def _reloaded(self, generation: int, listings: list[tuple[int, Listing, Cells]]) -> None:
        if generation != self._generation:
            return  # a newer list was asked for meanwhile
        total = listings[0][1].total
        last_page = (total - 1) // PAGE_SIZE
        kept = [entry for entry in listings if entry[0] <= last_page]
        self.beginResetModel()
        # Inside the reset the views ask nothing: the rows are cleared and refilled quietly.
        blocked = self.blockSignals(True)
        try:
            self.setRowCount(0)
            self.setRowCount(total)
            self._total = total
            self._pages = {page: listing.rows for page, listing, _ in kept} or {0: []}
            self._requested = set(self._pages)
            self._placeheld = set()
            for page, _, cells in kept:
                self._place(page, cells)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._requested or self._fetch is None:
            return
        self._requested.add(page)
        generation = self._generation
        fetch = self._fetch
        size = PAGE_SIZE
        self._runner.read(
            lambda: _fetched(fetch, page * size, size),
            lambda fetched: self._page_arrived(generation, page, *fetched),
            lambda error: self.failed.emit(str(error)),
            owner=self,
        )

    def _page_arrived(self, generation: int, page: int, listing: Listing, cells: Cells) -> None:
        if generation != self._generation:
            return
        self._pages[page] = listing.rows
        blocked = self.blockSignals(True)  # one dataChanged for the page, not one per cell
        try:
            self._place(page, cells)
        finally:
            self.blockSignals(blocked)
        first = page * PAGE_SIZE
        last = min(first + len(cells), self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _place(self, page: int, cells: Cells) -> None:
        # setItemData, not setItem: PySide6 6.12 on CPython 3.11 drops a reference to None at
        # every call of a method returning nothing (setItem, setToolTip…), and a process that
        # has dropped them all aborts; setItemData returns a bool.
        first = page * PAGE_SIZE
        for offset, row_cells in enumerate(cells):
            row = first + offset
            if row >= self._total:
                break
            for column, roles in enumerate(row_cells):
                self.setItemData(self.index(row, column), roles)

    def show_rows(self, first: int, last: int) -> None:
        """The view is about to paint rows ``first``..``last``: ask for their pages, and put
        "…" in the rows still without one (quietly: the view is painting them now)."""
        if self._total == 0 or first < 0:
            return
        last = min(last, self._total - 1)
        for page in range(first // PAGE_SIZE, last // PAGE_SIZE + 1):
            if page in self._pages:
                continue
            self._request_page(page)
            start = max(first, page * PAGE_SIZE)
            end = min(last, page * PAGE_SIZE + PAGE_SIZE - 1)
            rows = [row for row in range(start, end + 1) if row not in self._placeheld]
            if not rows:
                continue
            self._placeheld.update(rows)
            blocked = self.blockSignals(True)
            try:
                for row in rows:
                    for column in range(len(COLUMNS)):
                        self.setItemData(self.index(row, column), {_DISPLAY: PLACEHOLDER})
            finally:
                self.blockSignals(blocked)

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
