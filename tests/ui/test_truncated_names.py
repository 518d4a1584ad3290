"""Names cut short (issue 13): the item picker's 【最近】 names wrap instead of losing their end;
the 待办件 list gives each entry its date and 收件号; the 审批台's category tabs all show whole
(市场监管 included) and its 状态 column fits 挂起（特别程序）; any case-table cell too narrow
for its text shows the whole text as its tooltip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QListWidget, QStyle, QTableView, QToolTip
from pytestqt.qtbot import QtBot

from app.cases import decisions
from app.catalog.loader import bundled_catalog
from app.workflow.states import CaseState
from tests.centre import Centre
from tests.ui import test_intake_desk as front
from tests.ui import test_review_desk as review
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.intake.pending import ENTRY, STATE

LONG_ITEM = "城乡居民基本养老保险参保登记"
SUSPENDED_LABEL = CaseState.SUSPENDED.label  # 挂起（特别程序）


def test_recent_items_with_long_names_wrap_whole(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    centre.walk_in(LONG_ITEM)  # taken in here before: first in the list, marked 【最近】
    desk = front.open_desk(qtbot, desk_env("clerk"), (1366, 768))
    items = front.child(desk, QListWidget, "itemList")
    qtbot.waitUntil(lambda: items.count() > 10)
    first = items.item(0)
    assert first.text() == f"【最近】{LONG_ITEM}（承诺件）"
    metrics = items.fontMetrics()
    assert metrics.horizontalAdvance(first.text()) > items.viewport().width()  # too long…
    height = items.visualItemRect(first).height()
    assert height >= 2 * metrics.lineSpacing()  # …so it takes two lines, nothing cut
    assert LONG_ITEM in first.toolTip()
    save_screenshots(desk, "desk-intake-picker-recent")


def test_pending_entries_show_their_date_and_receipt_number(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    walked = centre.walk_in(front.DIBAO, materials=front.REQUIRED[:-1])
    decisions.request_supplement(
        centre.ctx, centre.actor("clerk"), walked.case_id, [{"name": "照片", "how": "两张"}]
    )
    front._proxy_filing(centre)  # submitted by a proxy agent: dated by its submission
    env = desk_env("clerk")
    desk = front.open_desk(qtbot, env, (1366, 768))
    desk.sidebar.setCurrentIndex(2)
    table = front.child(desk, QTableView, "intakePendingTable")
    model = desk.pending.model
    qtbot.waitUntil(lambda: model.total == 2)
    day = f"{centre.clock.now.astimezone(dt.timezone(dt.timedelta(hours=8))):%m-%d}"
    texts = {}
    for row in range(2):
        listed = model.listed(row)
        assert listed is not None
        entry = str(model.index(row, ENTRY).data())
        texts[listed.row.receipt_no] = entry
        name_line, number_line = entry.split("\n")
        assert name_line == f"{listed.row.applicant_name} · {listed.row.item_name}"
        assert number_line == f"{day} · {listed.row.receipt_no}"
        tip = str(model.index(row, ENTRY).data(3))  # ToolTipRole: everything, whole
        assert listed.row.receipt_no in tip and "日期：" in tip
        assert model.index(row, STATE).data() == listed.row.state.label
    assert walked.receipt_no in texts
    assert not table.isColumnHidden(ENTRY) and not table.isColumnHidden(STATE)
    assert table.rowHeight(0) >= 2 * table.fontMetrics().lineSpacing()  # two lines a row
    save_screenshots(desk, "desk-intake-pending-entries")


def test_review_tabs_whole_state_fits_and_cut_cells_tell_all(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    ids = {item.name: review.accepted(centre, item.name) for item in bundled_catalog().items}
    suspended = ids["农村村民宅基地审批"]
    decisions.start_review(centre.ctx, centre.actor("approver"), suspended)
    decisions.suspend(centre.ctx, centre.actor("approver"), suspended, "需组织现场踏勘", 5)
    desk = review.open_desk(qtbot, desk_env("supervisor"))
    tabs = desk.queue.tabs
    qtbot.waitUntil(lambda: tabs.count() > 8)
    texts = review.tab_texts(desk)
    assert any(t.startswith("市场监管") for t in texts)
    for index in range(tabs.count()):  # every category whole, none behind the arrows
        assert tabs.tabRect(index).right() <= tabs.width(), texts[index]
        assert tabs.tabToolTip(index) == texts[index]

    table = desk.queue.table
    model = desk.queue.model
    row = model.row_of(suspended)
    assert row is not None
    state = model.index(row, 4)
    assert state.data() == SUSPENDED_LABEL
    margins = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    assert table.fontMetrics().horizontalAdvance(SUSPENDED_LABEL) + margins <= table.columnWidth(4)

    long_row = model.row_of(ids[LONG_ITEM])
    assert long_row is not None
    item_cell = model.index(long_row, 1)
    assert item_cell.data() == LONG_ITEM
    assert table.cell_tip(item_cell) == LONG_ITEM  # cut short in the column: whole in the tip
    short_row = model.row_of(ids["生育登记"])
    assert short_row is not None
    assert table.cell_tip(model.index(short_row, 1)) is None  # fits: no tooltip to hide behind
    number = model.index(short_row, 0)
    assert table.cell_tip(number) == number.data(3)  # the model's own tip when nothing is cut

    table.scrollTo(item_cell)
    rect = table.visualRect(item_cell)
    viewport = table.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), viewport.mapToGlobal(rect.center()))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(lambda: QToolTip.text() == LONG_ITEM)
    QToolTip.hideText()
    wait_idle(qtbot, desk.env.runner)
    save_screenshots(desk, "desk-review-categories")
