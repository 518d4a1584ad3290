"""代办台's two tables as a first run found them: 「办理结果待领取」 headers that did not say what
stood under them, and 代办委托书 rows 190–340 px tall (two on a 1366×768 screen)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import decisions, intake, proxy
from app.catalog.loader import bundled_catalog
from app.demo.forms import id_number, sample_form_data
from db.models import ProxyAuthorization
from tests.centre import Centre
from tests.ui.drive import cell
from tests.ui.screenshots import save_screenshots
from tests.ui.test_proxy_desk import _open
from ui.desk_base import DeskEnv

EMPLOYMENT = "《就业创业证》申领"


def _column(table: QTableWidget, header: str) -> int:
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        if item is not None and item.text() == header:
            return column
    raise AssertionError(f"no column headed {header}")


def _one_line(table: QTableWidget) -> int:
    """The height of a row of one line of text (what a row of this table should be)."""
    return table.fontMetrics().height() * 2


def _authorize(centre: Centre, name: str, seed: int, codes: list[str]) -> int:
    resident = {"name": name, "id_number": id_number(random.Random(seed)), "phone": "13800138000"}
    until = dt.date(2026, 8, 31)
    return intake.register_authorization(
        centre.ctx, centre.actor("proxy"), resident, codes, until
    ).authorization_id


def test_ready_to_collect_headers_stand_over_their_values(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    agent, clerk = centre.actor("proxy"), centre.actor("clerk")
    code = next(i.code for i in bundled_catalog().items if i.name == EMPLOYMENT)
    ready = []
    for n, (name, collect) in enumerate((("李建国", True), ("王秀英", False))):
        auth_id = _authorize(centre, name, 20 + n, [code])
        with centre.store.session() as session, session.begin():
            auth = session.get(ProxyAuthorization, auth_id)
            assert auth is not None
            auth.may_collect = collect
            number = auth.authorization_no
        template = proxy.filing_template(centre.template(EMPLOYMENT))
        data = sample_form_data(template, random.Random(n))
        item_id = centre.item_id(EMPLOYMENT)
        draft = proxy.file_for_resident(centre.ctx, agent, item_id, data, auth_id)
        intake.submit(centre.ctx, agent, draft.case_id)
        materials = [intake.MaterialIn(k) for k in centre.required_materials(EMPLOYMENT)]
        intake.receive_submitted(centre.ctx, clerk, draft.case_id, materials)
        decisions.accept(centre.ctx, clerk, draft.case_id)
        decisions.decide(centre.ctx, clerk, draft.case_id, approved=True, result_no=f"JY-{n}")
        decisions.mark_ready(centre.ctx, clerk, draft.case_id)
        collected = "是" if collect else "否（须委托人本人领取）"
        ready.append((draft.receipt_no, name, number, collected))

    env = desk_env("proxy")
    desk = _open(qtbot, env)
    table = desk.filings.ready
    assert table.rowCount() == 2
    for r, (receipt_no, name, number, collecting) in enumerate(ready):
        assert cell(table, r, _column(table, "办件编号")) == receipt_no
        assert cell(table, r, _column(table, "事项")) == EMPLOYMENT
        assert cell(table, r, _column(table, "委托人")) == name
        assert cell(table, r, _column(table, "委托书编号")) == number
        assert cell(table, r, _column(table, "可否代领")) == collecting
        assert table.rowHeight(r) <= _one_line(table)
    header = table.horizontalHeader()
    for column in range(table.columnCount()):  # each header sits over its own column
        place = table.visualRect(table.model().index(0, column))
        assert header.sectionViewportPosition(column) == place.x()
        assert abs(header.sectionSize(column) - place.width()) <= 1  # the grid line
    long_cell = table.item(1, _column(table, "可否代领"))
    assert long_cell is not None and long_cell.toolTip() == "可否代领：否（须委托人本人领取）"
    save_screenshots(desk, "desk-proxy-ready")


def test_authorization_rows_are_one_line_high_with_every_item_in_the_tooltip(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    items = bundled_catalog().items
    codes = [i.code for i in items]
    for n, count in enumerate((len(codes), 5, 1, 3, 6, 2, 4, 8)):
        _authorize(centre, f"委托人{n + 1}号", 30 + n, codes[n : n + count] or codes[:count])
    env = desk_env("proxy")
    desk = _open(qtbot, env)
    pane = desk.authorizations
    desk.tabs.setCurrentWidget(pane)
    table = pane.table
    with centre.store.reader() as session:
        numbers = set(session.scalars(select(ProxyAuthorization.authorization_no)))
    assert table.rowCount() == len(numbers) == 8
    for r in range(table.rowCount()):
        assert table.rowHeight(r) <= _one_line(table), (r, table.rowHeight(r))
    last = table.rowCount() - 1
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()

    column = _column(table, "委托事项")
    full = next(r for r in range(table.rowCount()) if cell(table, r, column).startswith("16 项："))
    every = table.item(full, column)
    assert every is not None
    width = table.fontMetrics().horizontalAdvance(every.text())
    assert width > table.columnWidth(column)  # the cell is elided, not wrapped
    tip = every.toolTip()
    assert all(f". {item.name}" in tip for item in items), tip
    assert cell(table, full, 0) in tip
    single = [r for r in range(table.rowCount()) if "项：" not in cell(table, r, column)]
    assert len(single) == 1  # one item: its name alone
    save_screenshots(desk, "desk-proxy-authorizations-many")
