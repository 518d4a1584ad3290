"""No desk freezes and nothing fails silently: a bug, or the store locked by another program,
during the 审批台's 开始审查 (F6) leaves the desk usable, tells the approver, and is logged."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import decisions
from db import engine as engine_module
from db.models import Case
from db.store import Store, open_store
from tests.app_log import app_log, log_text
from tests.centre import Centre
from tests.store_lock import write_lock_held
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from ui.crash import CRASH_TEXT, CRASH_TITLE, CrashHandler
from ui.desk_base import DeskEnv
from ui.desks.review.desk import ReviewDesk

__all__ = ["app_log"]

GAOLING = "高龄津贴"
EnvFor = Callable[[str], DeskEnv]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The centre's store, its writers waiting 0.3 s for a lock held elsewhere (15 s in the app)."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_S", 0.3)
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def state_of(store: Store, case_id: int) -> str:
    with store.reader() as session:
        return session.scalars(select(Case.state).where(Case.id == case_id)).one()


def approver_desk(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> tuple[ReviewDesk, FakeDialogs, int]:
    """The 审批台 with an accepted case chosen, its env's runner reporting to a crash handler
    that shows its message through the fake dialogs (as the app's does through the real ones)."""
    case = centre.walk_in(GAOLING)
    decisions.accept(centre.ctx, centre.actor("clerk"), case.case_id)
    env = desk_env("approver")
    assert isinstance(env.dialogs, FakeDialogs)
    env.runner.crash = CrashHandler(env.dialogs).excepthook
    desk = ReviewDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    qtbot.waitExposed(desk)
    wait_idle(qtbot, env.runner)
    row = desk.queue.model.row_of(case.case_id)
    assert row is not None
    table = desk.queue.table
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, env.runner)
    assert desk.case_id == case.case_id and desk.view is not None
    desk.activateWindow()  # F6 is a window shortcut
    qtbot.waitActive(desk)
    wait_idle(qtbot, env.runner)
    return desk, env.dialogs, case.case_id


def press_f6(qtbot: QtBot, desk: ReviewDesk) -> None:
    """开始审查 from the keyboard, then wait for the write and its callback (a button's
    shortcut clicks it a moment later: Qt animates the press)."""
    assert desk.view is not None and desk.panel.start.isEnabled()
    said = desk.notice.text()
    qtbot.keyClick(desk.queue.table, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: desk.notice.text() != said)  # the outcome is said, either way
    wait_idle(qtbot, desk.env.runner)


def assert_usable(desk: ReviewDesk) -> None:
    assert not desk.busy and desk.env.runner.pending == 0
    assert desk.panel.start.isEnabled()
    assert desk.queue.table.isEnabled()


def test_a_bug_in_start_review_releases_the_desk_tells_the_user_and_logs_the_traceback(
    qtbot: QtBot,
    centre: Centre,
    desk_env: EnvFor,
    app_log: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk, dialogs, case_id = approver_desk(qtbot, centre, desk_env)
    before = state_of(centre.store, case_id)
    real_start_review = decisions.start_review

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("审查环节读取失败（测试注入）")

    monkeypatch.setattr(decisions, "start_review", broken)
    press_f6(qtbot, desk)

    assert_usable(desk)
    assert desk.notice.text().startswith("[E900] 程序内部错误，本次操作未完成，已记录日志")
    assert dialogs.crash_offers == [(CRASH_TITLE, CRASH_TEXT)]
    log = log_text(app_log)
    assert "Traceback" in log and "RuntimeError: 审查环节读取失败（测试注入）" in log
    assert state_of(centre.store, case_id) == before  # nothing was written

    monkeypatch.setattr(decisions, "start_review", real_start_review)
    press_f6(qtbot, desk)  # the same desk, the same case: it works now
    assert "已开始审查" in desk.notice.text()
    assert state_of(centre.store, case_id) == "in_review"


def test_a_locked_store_during_start_review_says_so_and_the_desk_works_once_released(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor, app_log: Path
) -> None:
    desk, dialogs, case_id = approver_desk(qtbot, centre, desk_env)
    before = state_of(centre.store, case_id)
    with write_lock_held(centre.store):  # another program writes to the store meanwhile
        press_f6(qtbot, desk)
        assert_usable(desk)
        assert desk.notice.text().startswith("[E320] 本地数据库正忙")
        assert "请稍后重试" in desk.notice.text()
        assert state_of(centre.store, case_id) == before
    assert dialogs.crash_offers == []  # an expected error: the desk says it, no crash dialog
    assert "store error E320: database is locked" in log_text(app_log)

    press_f6(qtbot, desk)  # the lock is released: the same action goes through
    assert "已开始审查" in desk.notice.text()
    assert state_of(centre.store, case_id) == "in_review"
