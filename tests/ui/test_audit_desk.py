"""审计: the auditor reads the newest entries and checks the whole chain from the desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.accounts import passwords
from app.accounts.service import authenticate, create_user
from app.actor import Actor, Role
from app.audit import AuditEvent
from app.audit_text import has_sentence
from app.demo.seed import MIN_CASES, seed_demo_centre
from app.settings.service import save_settings
from app.workcalendar import default_calendar
from db.models import AuditEntry, User
from db.store import Store
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.desks.audit_desk import DETAIL_COLUMN, AuditDesk
from ui.worker import Runner

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)  # Mon 23 Nov 2026, 10:00 China time


def _open(qtbot: QtBot, env: DeskEnv) -> AuditDesk:
    desk = AuditDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activate()
    wait_idle(qtbot, env.runner)
    return desk


def test_auditor_reads_entries_and_verifies_the_chain(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv]
) -> None:
    centre.walk_in("最低生活保障")
    desk = _open(qtbot, desk_env("auditor"))
    assert desk.table.rowCount() > 0
    events = {desk.table.item(r, 3).text() for r in range(desk.table.rowCount())}  # type: ignore[union-attr]
    assert "收件" in " ".join(events)

    qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)
    assert desk.notice.text().startswith("审计日志校验通过")
    assert desk.notice.property("error") is False
    # The check itself is audited, and shows as the newest entry after the refresh.
    wait_idle(qtbot, desk.env.runner)
    assert desk.table.item(0, 3).text() == "校验审计日志"  # type: ignore[union-attr]
    save_screenshots(desk, "desk-audit")


def test_a_tampered_entry_is_named_and_a_clerk_cannot_read_the_log(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv]
) -> None:
    centre.walk_in("最低生活保障")
    with centre.store.session() as session, session.begin():
        session.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        session.execute(text("UPDATE audit_log SET subject = 'x' WHERE id = 1"))
    desk = _open(qtbot, desk_env("auditor"))
    qtbot.mouseClick(desk.verify_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)
    assert desk.notice.text().startswith("审计日志校验未通过：第 1 条记录")
    assert desk.notice.property("error") is True

    clerk_desk = _open(qtbot, desk_env("clerk"))
    assert clerk_desk.table.rowCount() == 0
    assert "无权查看审计日志" in clerk_desk.notice.text()
    with centre.store.reader() as session:  # the refusal is itself audited
        denied = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.PERMISSION_DENIED)
        ).all()
    assert [entry.actor for entry in denied] == ["clerk"]


def test_the_detail_column_reads_as_chinese_sentences(
    qtbot: QtBot, centre: Centre, desk_env: Callable[[str], DeskEnv]
) -> None:
    """A real sign-in, intake and settings change: 详情 says each in words, the raw record in
    the tooltip."""
    with centre.store.session() as session:
        create_user(session, centre.actor("admin"), "clerk9", "王芳", "Initial123", [Role.CLERK])
    with centre.store.session() as session:
        authenticate(session, "clerk9", "Initial123", "W01")
    change = centre.walk_in("最低生活保障")
    with centre.store.session() as session:
        save_settings(session, centre.actor("admin"), {"idle_lock_minutes": 5})
    desk = _open(qtbot, desk_env("auditor"))
    details = [desk.table.item(r, DETAIL_COLUMN) for r in range(desk.table.rowCount())]
    texts = [cell.text() for cell in details if cell is not None]
    assert texts[0] == "admin 修改设置：将「无操作自动锁屏（分钟）」由 10 改为 5"
    received = f"clerk 收件：最低生活保障，状态为「已收件」；收件号 {change.receipt_no}"
    received += "（第 1 次操作）"
    assert received in texts
    assert "clerk9 登录成功，角色：窗口受理员" in texts
    assert "admin 新建用户 clerk9，角色：窗口受理员" in texts
    assert not any("{" in text or '":' in text for text in texts), texts
    tip = details[0].toolTip()  # type: ignore[union-attr]
    assert tip.startswith(texts[0]) and '"idle_lock_minutes"' in tip
    desk.table.scrollToTop()
    save_screenshots(desk, "desk-audit-details")


def test_the_demo_centres_log_reads_as_sentences(
    qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every entry the seeded demo centre wrote (its users, cases in every state): each kind has
    its sentence, none shows JSON."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    seed_demo_centre(store, cases=MIN_CASES, seed=7, now=NOW)
    with store.session() as session:
        auditor = session.scalars(select(User).where(User.username == "auditor1")).one()
        actor = Actor(
            auditor.id, "auditor1", auditor.display_name, frozenset({Role.AUDITOR}), "W01"
        )
        kinds = set(session.scalars(select(AuditEntry.event).distinct()))
    assert {k for k in kinds if not has_sentence(k)} == set()
    runner = Runner()
    env = DeskEnv(DeskBackend(store, default_calendar(), actor, lambda: NOW), runner, FakeDialogs())
    try:
        desk = _open(qtbot, env)
        texts = [desk.table.item(r, DETAIL_COLUMN).text() for r in range(desk.table.rowCount())]  # type: ignore[union-attr]
        assert len(texts) > 50
        assert not any("{" in text or '":' in text for text in texts), texts
        assert any(text.startswith("clerk1 受理：") for text in texts)
        assert any(text.startswith("演示数据生成 新建用户 clerk1（演示账号）") for text in texts)
        save_screenshots(desk, "desk-audit-demo")
    finally:
        wait_idle(qtbot, runner)
        runner.shutdown()
