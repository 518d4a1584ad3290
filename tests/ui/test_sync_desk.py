"""同步 desk: a parked conflict is shown with the county's answer and the case as it now stands,
and a person resolves it by withdrawing it (audited); queued work is listed until it goes up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.audit import AuditEvent
from app.cases import decisions as d
from app.cases.log import WITHDRAWN
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.sync.transport import HttpTransport
from db.models import AuditEntry, Case, OutboxEntry
from db.store import open_store
from tests.centre import Centre, make_centre
from tests.county.server import running_county
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.sync_desk import SyncDesk

DIBAO = "最低生活保障"


def cells(desk: SyncDesk) -> list[list[str]]:
    table = desk.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def sync(centre: Centre, transport: HttpTransport) -> None:
    push_pending(centre.store, transport)
    pull_changes(centre.store, transport, centre.ctx.calendar)


def test_a_parked_conflict_is_shown_and_withdrawn_by_a_person(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv], tmp_path: Path
) -> None:
    w01 = centre
    w02_store = open_store(tmp_path / "w02")
    w02 = make_centre(w02_store, "W02")
    with running_county(tmp_path / "county") as county:
        t1 = HttpTransport(county.url, county.activate("W01"))
        t2 = HttpTransport(county.url, county.activate("W02"))
        received = w01.walk_in(DIBAO)
        d.accept(w01.ctx, w01.actor("clerk"), received.case_id)
        sync(w01, t1)
        sync(w02, t2)
        with w01.store.reader() as session:
            uid = session.get(Case, received.case_id).uid  # type: ignore[union-attr]
        with w02.store.reader() as session:
            there = session.scalars(select(Case.id).where(Case.uid == uid)).one()
        d.start_review(w01.ctx, w01.actor("approver"), received.case_id)  # both, offline
        d.start_review(w02.ctx, w02.actor("approver2"), there)

        desk = SyncDesk(desk_env("approver"))
        qtbot.addWidget(desk)
        desk.resize(1366, 768)
        desk.show()
        desk.activate()
        wait_idle(qtbot, desk.env.runner)
        ((status, *_),) = cells(desk)
        assert status == "待上传"  # the approver's own review waits to go up

        sync(w02, t2)
        sync(w01, t1)  # W02 was first: W01's review is parked
        desk.activate()
        wait_idle(qtbot, desk.env.runner)
        ((status, number, action, actor, _, state, reason),) = cells(desk)
        assert (status, action, actor, state) == ("暂挂待处理", "开始审查", "approver", "审查中")
        assert number.startswith("DEMO-511899101000-MZ001") and "E409-STALE" in reason
        save_screenshots(desk, "desk-sync-parked")

        desk.table.selectRow(0)
        withdraw = desk.findChild(QPushButton, "syncWithdraw")
        assert withdraw is not None and withdraw.isEnabled()
        qtbot.mouseClick(withdraw, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, desk.env.runner)
        assert "请填写撤回原因" in desk.notice.text()  # nothing withdrawn without a reason
        reason_box = desk.findChild(QLineEdit, "syncWithdrawReason")
        assert reason_box is not None
        commit_text(reason_box, "W02 已开始审查")  # as an input method commits Chinese
        qtbot.mouseClick(withdraw, Qt.MouseButton.LeftButton)
        wait_idle(qtbot, desk.env.runner)
        assert "已撤回" in desk.notice.text() and cells(desk) == []
        t1.close()
        t2.close()
    with w01.store.reader() as session:
        (entry,) = session.scalars(select(OutboxEntry).where(OutboxEntry.status == WITHDRAWN))
        assert "W02 已开始审查" in (entry.last_error or "")
        (audited,) = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.SYNC_WITHDRAWN)
        )
        assert audited.actor == "approver" and audited.detail["reason"] == "W02 已开始审查"
    w02_store.close()
