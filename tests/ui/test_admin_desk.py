"""管理: users and roles, the catalogue in force, and the centre's settings, driven by keys and
clicks as an administrator would, checked in the store afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import settings
from app.accounts import service as accounts
from app.actor import Role
from app.catalog.loader import bundled_catalog
from app.errors import AuthenticationError
from app.system.paths import catalog_dir
from db.models import User
from tests.centre import TOWN, Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell, commit_text
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.admin.desk import AdminDesk


def _open(qtbot: QtBot, env: DeskEnv) -> AdminDesk:
    desk = AdminDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)  # shortcuts reach only the active window
    desk.activate()
    wait_idle(qtbot, env.runner)
    return desk


def _click(qtbot: QtBot, button: QAbstractButton, runner_env: DeskEnv | None = None) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    if isinstance(button, QCheckBox):  # on the box itself: the widget may be wider than its text
        pos = QPoint(8, button.height() // 2)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    if runner_env is not None:
        wait_idle(qtbot, runner_env.runner)


def _retype(qtbot: QtBot, edit: QLineEdit | QWidget, text: str) -> None:
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _retype_chinese(qtbot: QtBot, edit: QWidget, text: str) -> None:
    _retype(qtbot, edit, "")
    commit_text(edit, text)


def _user(centre: Centre, username: str) -> User | None:
    with centre.store.session() as session:
        return session.scalars(
            select(User).where(User.username == username).options(selectinload(User.roles))
        ).one_or_none()


def _select_row(qtbot: QtBot, desk: AdminDesk, username: str) -> None:
    table = desk.users.table
    row = next(r for r in range(table.rowCount()) if cell(table, r, 0) == username)
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert desk.users.selected() is not None
    assert desk.users.selected().username == username  # type: ignore[union-attr]


def test_admin_creates_a_user_and_admin_with_clerk_is_refused(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("admin")
    desk = _open(qtbot, env)
    pane = desk.users
    assert pane.table.rowCount() == 9

    qtbot.keyClicks(pane.new_username, "zhangsan")
    commit_text(pane.new_name, "张三")
    _click(qtbot, pane.new_roles.boxes[Role.ADMIN])
    _click(qtbot, pane.new_roles.boxes[Role.CLERK])
    qtbot.keyClicks(pane.new_password, "Chushi2026")
    _click(qtbot, pane.create_button, env)
    assert "系统管理员不能兼任窗口受理员" in desk.notice.text()
    assert desk.notice.property("error") is True
    assert _user(centre, "zhangsan") is None

    _click(qtbot, pane.new_roles.boxes[Role.ADMIN])  # untick: a clerk only
    _click(qtbot, pane.create_button, env)
    assert "已新建用户 zhangsan" in desk.notice.text()
    user = _user(centre, "zhangsan")
    assert user is not None and user.display_name == "张三"
    assert {r.role_code for r in user.roles} == {"clerk"}
    assert user.must_change_password
    assert pane.table.rowCount() == 10
    assert pane.selected() is not None and pane.selected().username == "zhangsan"  # type: ignore[union-attr]
    assert pane.new_username.text() == "" and pane.new_password.text() == ""

    # Giving the new clerk the administrator role as well is refused the same way.
    _click(qtbot, pane.user_roles.boxes[Role.ADMIN])
    _click(qtbot, pane.save_roles_button, env)
    assert "三员分立" in desk.notice.text()
    user = _user(centre, "zhangsan")
    assert user is not None and {r.role_code for r in user.roles} == {"clerk"}

    save_screenshots(desk, "desk-admin")


def test_admin_resets_a_lockout(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    for _ in range(5):
        with centre.store.session() as session, pytest.raises(AuthenticationError):
            accounts.authenticate(session, "clerk2", "wrong-password1", "W01")
    locked = _user(centre, "clerk2")
    assert locked is not None and locked.locked_until is not None

    env = desk_env("admin")
    desk = _open(qtbot, env)
    _select_row(qtbot, desk, "clerk2")
    table = desk.users.table
    row = desk.users.table.currentRow()
    assert cell(table, row, 4).startswith("已锁定至")
    _click(qtbot, desk.users.unlock_button, env)

    assert "已解除 clerk2 的登录锁定" in desk.notice.text()
    unlocked = _user(centre, "clerk2")
    assert unlocked is not None and unlocked.locked_until is None
    assert unlocked.failed_attempts == 0
    assert cell(table, table.currentRow(), 4) == "—"


def test_settings_bad_town_code_refused_and_good_values_saved(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("admin")
    desk = _open(qtbot, env)
    desk.tabs.setCurrentWidget(desk.settings)
    pane = desk.settings
    town = pane.editors["town_code"]
    assert isinstance(town, QLineEdit) and town.text() == TOWN

    _retype_chinese(qtbot, pane.editors["centre_name"], "城关镇便民服务中心")
    _retype(qtbot, town, "12345")
    _click(qtbot, pane.save_button, env)
    assert "乡镇区划代码" in desk.notice.text() and "12位" in desk.notice.text()
    assert town.hasFocus()
    with centre.store.reader() as session:
        assert settings.TOWN_CODE.get(session) == TOWN
        assert settings.CENTRE_NAME.get(session) == "便民服务中心"  # nothing saved

    _retype(qtbot, town, "330106001000")
    _retype(qtbot, pane.editors["lockout_minutes"], "30")
    with qtbot.waitSignal(pane.save_button.clicked):  # a button's shortcut animates the click
        qtbot.keyClick(pane.editors["lockout_minutes"], "s", Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, env.runner)
    assert desk.notice.text() == "设置已保存。"
    with centre.store.reader() as session:
        assert settings.TOWN_CODE.get(session) == "330106001000"
        assert settings.CENTRE_NAME.get(session) == "城关镇便民服务中心"
        assert settings.LOCKOUT_MINUTES.get(session) == 30
    save_screenshots(desk, "desk-admin-settings")


def test_bad_catalogue_file_refused_and_the_old_one_stays(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], tmp_path: Path
) -> None:
    env = desk_env("admin")
    desk = _open(qtbot, env)
    desk.tabs.setCurrentWidget(desk.catalog)
    expected = {item.name for item in bundled_catalog().items}
    assert set(desk.catalog.view.visible_item_names()) == expected
    status_before = desk.catalog.status.text()
    assert f"{len(expected)} 个事项" in status_before

    data = json.loads((catalog_dir() / "dibao.json").read_text(encoding="utf-8"))
    data["templates"][0]["sections"][0]["fields"][0]["type"] = "signature_pad"
    data["items"][0]["name"] = ""
    bad = tmp_path / "dibao-bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    dialogs.next_files = [bad]
    _click(qtbot, desk.catalog.load_button, env)

    assert len(dialogs.errors) == 1
    title, text = dialogs.errors[0]
    assert title == "事项目录未载入"
    assert "dibao-bad.json" in text and "当前在用目录保持不变" in text
    assert "signature_pad" in text and "name" in text  # every problem listed
    assert set(desk.catalog.view.visible_item_names()) == expected
    assert desk.catalog.status.text() == status_before
    assert "已拒绝载入" in desk.notice.text()

    dialogs.next_files = sorted(catalog_dir().glob("*.json"))
    with qtbot.waitSignal(desk.catalog.load_button.clicked):
        qtbot.keyClick(desk.catalog.view.search, "o", Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, env.runner)
    assert dialogs.infos and "已启用事项目录" in dialogs.infos[-1][1]
    assert set(desk.catalog.view.visible_item_names()) == expected
    desk.catalog.view.table.selectRow(0)
    wait_idle(qtbot, env.runner)
    assert desk.catalog.view.detail.materials.rowCount() > 0
    save_screenshots(desk, "desk-admin-catalog")
