"""The lazy case list: 100,000 rows open with one page, others arrive as the view reaches them."""

from __future__ import annotations

import datetime as dt
import sys
import threading

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.cases.listing import ListedCase, Listing
from app.cases.queries import CaseRow
from app.workflow.states import CaseState
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshots
from ui.cases.list_model import COLUMNS, PAGE_SIZE, STATUS_COLOURS, CaseListModel
from ui.cases.table import CaseTable
from ui.worker import Runner

TOTAL = 100_000


def _listed(n: int) -> ListedCase:
    row = CaseRow(
        case_id=n + 1,
        receipt_no=f"511899101000-W01-20260302-{n + 1:06d}",
        official_no=None,
        item_name="最低生活保障",
        category="社会救助",
        applicant_name=f"申请人{n}",
        applicant_id_masked="511899********0012",
        state=CaseState.IN_REVIEW,
        due_date=dt.date(2026, 4, 7),
        due_provisional=False,
        deficiency=False,
        assignee_id=None,
    )
    remaining = n % 7 - 2
    status = "red" if remaining < 0 else "yellow" if remaining <= 2 else "green"
    return ListedCase(row, remaining, status)


class FakeQueue:
    """A queue of TOTAL cases; records which pages were asked for and from which thread."""

    def __init__(self, total: int = TOTAL) -> None:
        self.total = total
        self.offsets: list[int] = []
        self.threads: set[int] = set()

    def __call__(self, offset: int, limit: int) -> Listing:
        self.offsets.append(offset)
        self.threads.add(threading.get_ident())
        end = min(offset + limit, self.total)
        return Listing([_listed(n) for n in range(offset, end)], self.total)


def test_a_queue_of_100000_opens_with_one_page_and_fills_as_it_scrolls(qtbot: QtBot) -> None:
    runner = Runner()
    model = CaseListModel(runner)
    table = CaseTable(model, "testQueue", "队列")
    qtbot.addWidget(table)
    table.resize(1200, 600)
    table.show()
    fetch = FakeQueue()
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(fetch)
    assert model.rowCount(QModelIndex()) == TOTAL
    assert fetch.offsets == [0]  # one page, not 100,000 rows
    assert threading.get_ident() not in fetch.threads  # fetched off the UI thread

    last = model.index(TOTAL - 1, 0)
    assert model.data(last) is None  # nobody has looked at it: not asked for
    table.scrollToBottom()
    table.viewport().repaint()  # painting asks for the rows now in view
    assert model.data(last) == "…"  # not there yet: asked for, never blocks
    wait_idle(qtbot, runner)
    assert model.data(last) == "511899101000-W01-20260302-100000"
    assert fetch.offsets == [0, (TOTAL - 1) // PAGE_SIZE * PAGE_SIZE]

    table.scrollTo(model.index(50_000, 0))
    table.viewport().repaint()  # painting asks for the rows now in view
    wait_idle(qtbot, runner)
    assert model.data(model.index(50_000, 2)) == "申请人50000"
    assert len(fetch.offsets) <= 5  # only the pages the view showed
    deadline = model.index(3, len(COLUMNS) - 1)
    assert model.data(deadline) == "剩余 1 个工作日"
    assert (
        model.data(deadline, Qt.ItemDataRole.BackgroundRole).color().name()
        == (STATUS_COLOURS["yellow"])
    )
    assert model.data(model.index(0, len(COLUMNS) - 1)) == "已超期 2 个工作日"
    runner.shutdown()


def test_the_model_keeps_qt_model_rules(qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    runner = Runner()
    model = CaseListModel(runner)
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(FakeQueue(total=250))  # three pages; the tester walks every cell
    wait_idle(qtbot, runner)
    qtmodeltester.check(model)
    wait_idle(qtbot, runner)
    runner.shutdown()


def test_painting_colours_only_the_deadline_cell(qtbot: QtBot) -> None:
    """The table paints through ``multiData``; a reused role slot must not carry one cell's
    deadline colour into the next cell."""
    runner = Runner()
    model = CaseListModel(runner)
    table = CaseTable(model, "paintQueue", "队列")
    qtbot.addWidget(table)
    table.resize(1400, 300)
    table.show()
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(FakeQueue(total=20))
    wait_idle(qtbot, runner)
    image = table.viewport().grab().toImage()
    tints = set(STATUS_COLOURS.values())
    for row in range(6):  # overdue, overdue, due today, … (see _listed)
        for column in range(len(COLUMNS)):
            rect = table.visualRect(model.index(row, column))
            colour = image.pixelColor(rect.right() - 3, rect.center().y()).name()
            deadline = column == len(COLUMNS) - 1
            assert (colour in tints) is deadline, (row, column, colour)
    runner.shutdown()


def test_loaded_rows_answer_from_cpp_and_listed_asks_for_its_page(qtbot: QtBot) -> None:
    """Painting calls no Python per cell: the model overrides neither ``data`` nor
    ``multiData`` (a Python ``data`` ran ~1,100 times a repaint, each taking the GIL from the
    background work). A row looked up by code asks for its page too."""
    assert "data" not in vars(CaseListModel) and "multiData" not in vars(CaseListModel)
    runner = Runner()
    model = CaseListModel(runner)
    fetch = FakeQueue(total=1_000)
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(fetch)
    assert model.listed(650) is None and model.case_id(650) is None
    wait_idle(qtbot, runner)
    assert fetch.offsets == [0, 600]
    listed = model.listed(650)
    assert listed is not None and listed.row.applicant_name == "申请人650"
    assert model.data(model.index(650, 2)) == "申请人650"
    assert model.row_of(651) == 650
    assert model.data(model.index(650, 0), Qt.ItemDataRole.ToolTipRole).startswith("本中心收件号")
    runner.shutdown()


def test_filling_pages_keeps_the_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12 on CPython 3.11 drops a reference to None at every call of a method that
    returns nothing (``setItem``, ``setToolTip``…); a process that drops them all aborts. The
    model fills its items through calls that return a value: 30 pages (21,000 cells) filled
    and painted leave None's count where it was, give or take."""
    runner = Runner()
    model = CaseListModel(runner)
    table = CaseTable(model, "refQueue", "队列")
    qtbot.addWidget(table)
    table.resize(1200, 600)
    table.show()
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(FakeQueue())
    before = sys.getrefcount(None)
    for page in range(1, 31):
        table.scrollTo(model.index(page * 2_000, 0))
        table.viewport().repaint()
        wait_idle(qtbot, runner)
    assert model.pages_requested >= 31
    assert sys.getrefcount(None) - before > -1_000
    runner.shutdown()


def test_rows_show_an_ellipsis_until_their_page_arrives(qtbot: QtBot) -> None:
    gate = threading.Event()
    queue = FakeQueue()

    def fetch(offset: int, limit: int) -> Listing:
        if offset:
            gate.wait(10)  # the later pages are slow to come
        return queue(offset, limit)

    runner = Runner()
    model = CaseListModel(runner)
    table = CaseTable(model, "slowQueue", "队列")
    qtbot.addWidget(table)
    table.resize(1366, 768)
    table.show()
    with qtbot.waitSignal(model.loaded):
        model.set_fetch(fetch)
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 77_750)  # laid out
    table.scrollTo(model.index(77_750, 0))
    table.viewport().repaint()
    row = table.rowAt(table.viewport().height() // 2)
    assert model.data(model.index(row, 2)) == "…"
    save_screenshots(table, "case-list-page-on-its-way")
    gate.set()
    wait_idle(qtbot, runner)
    assert model.data(model.index(row, 2)) == f"申请人{row}"
    save_screenshots(table, "case-list-page-arrived")
    runner.shutdown()
