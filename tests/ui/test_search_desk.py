"""查询: by receipt number prefix and by name, with the timeline; a proxy agent finds only their
own filings; a full ID number is shown only to roles allowed to, for a stated purpose, audited."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases import intake, proxy
from app.demo.forms import id_number, sample_form_data
from db.models import Applicant, AuditEntry, Case
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell, commit_text
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.search_desk import SearchDesk

RESIDENT_ID = id_number(random.Random(5))


def _open(qtbot: QtBot, env: DeskEnv) -> SearchDesk:
    desk = SearchDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    desk.activate()
    return desk


def _search(qtbot: QtBot, desk: SearchDesk, text: str, *, chinese: bool = False) -> None:
    desk.box.selectAll()
    qtbot.keyClick(desk.box, Qt.Key.Key_Delete)
    if chinese:
        commit_text(desk.box, text)
    else:
        qtbot.keyClicks(desk.box, text)
    qtbot.keyClick(desk.box, Qt.Key.Key_Return)
    wait_idle(qtbot, desk.env.runner)


def _found(desk: SearchDesk) -> set[int | None]:
    return {desk.model.case_id(r) for r in range(desk.model.total)}


def _proxy_filing(centre: Centre) -> int:
    agent = centre.actor("proxy")
    auth_id = intake.register_authorization(
        centre.ctx,
        agent,
        {"name": "赵玉兰", "id_number": RESIDENT_ID, "phone": "13800138000"},
        ["DEMO-MZ-004"],
        dt.date(2026, 6, 30),
    ).authorization_id
    template = proxy.filing_template(centre.template("高龄津贴"))
    data = sample_form_data(template, random.Random(2))
    draft = proxy.file_for_resident(centre.ctx, agent, centre.item_id("高龄津贴"), data, auth_id)
    intake.submit(centre.ctx, agent, draft.case_id)
    return draft.case_id


def test_clerk_finds_by_receipt_prefix_and_by_name_and_reads_the_timeline(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    walk_in = centre.walk_in("高龄津贴")
    filed = _proxy_filing(centre)
    with centre.store.reader() as session:
        case = session.get(Case, walk_in.case_id)
        assert case is not None
        applicant = session.get(Applicant, case.applicant_id)
        assert applicant is not None and applicant.id_number
        name, full_id = applicant.name, applicant.id_number

    env = desk_env("clerk")
    desk = _open(qtbot, env)
    assert desk.box.hasFocus()
    prefix = walk_in.receipt_no.rsplit("-", 1)[0]  # town-workstation-date
    _search(qtbot, desk, prefix)
    assert _found(desk) == {walk_in.case_id, filed}
    assert desk.count.text() == "找到 2 件"

    _search(qtbot, desk, name, chinese=True)
    assert walk_in.case_id in _found(desk)
    qtbot.waitUntil(lambda: desk.detail.timeline_table.rowCount() > 0)
    desk.table.select_case(walk_in.case_id)
    qtbot.waitUntil(lambda: walk_in.receipt_no in desk.detail.summary.text())
    timeline = desk.detail.timeline_table
    assert cell(timeline, 0, 1) == "收件"
    assert cell(timeline, 0, 3) == "已收件"
    assert full_id not in desk.detail.summary.text()

    # The full ID number: a purpose is required, then it is shown and the view audited.
    assert desk.reveal_button.isVisible()
    qtbot.mouseClick(desk.reveal_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)
    assert "请填写查看完整身份证号的原因" in desk.notice.text()
    assert desk.revealed.text() == ""
    commit_text(desk.purpose, "核验身份")
    qtbot.keyClick(desk.purpose, Qt.Key.Key_Return)
    wait_idle(qtbot, env.runner)
    assert full_id in desk.revealed.text()
    with centre.store.reader() as session:
        (entry,) = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.FULL_ID_VIEW)
        )
        assert entry.actor == "clerk" and entry.detail == {"purpose": "核验身份"}
    save_screenshots(desk, "desk-search")

    _search(qtbot, desk, "没有这个人", chinese=True)
    assert desk.model.total == 0 and "没有找到" in desk.notice.text()
    assert desk.revealed.text() == "" and not desk.reveal_button.isEnabled()


def test_proxy_finds_only_their_own_filings(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    walk_in = centre.walk_in("高龄津贴")
    filed = _proxy_filing(centre)
    prefix = walk_in.receipt_no.rsplit("-", 1)[0]

    env = desk_env("proxy")
    desk = _open(qtbot, env)
    assert not desk.reveal_button.isVisible()  # a proxy never sees full ID numbers
    _search(qtbot, desk, prefix)
    assert _found(desk) == {filed}  # the clerk's walk-in shares the prefix, but is not theirs
    _search(qtbot, desk, "赵玉兰", chinese=True)
    assert _found(desk) == {filed}
    qtbot.waitUntil(lambda: desk.detail.timeline_table.rowCount() == 2)

    other = desk_env("proxy2")
    desk2 = _open(qtbot, other)
    _search(qtbot, desk2, prefix)
    assert desk2.model.total == 0
    _search(qtbot, desk2, "赵玉兰", chinese=True)
    assert desk2.model.total == 0
    assert "没有找到" in desk2.notice.text()
