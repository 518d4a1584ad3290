"""管理 › 用户与角色: the accounts, a new account, and what an administrator does to one
(roles, unlock, temporary password, enable / disable). Every change is an accounts use case,
which checks separation of duties and audits it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.accounts import service as accounts
from app.accounts.service import UserSummary
from app.actor import TOWN_ROLES, Role
from app.errors import AppError, ValidationError
from app.workflow.fold import CHINA_TZ
from db.base import utcnow
from ui.desk_base import Desk
from ui.widgets import fill_table, line_edit, push_button, readonly_table

HEADERS = ("用户名", "姓名", "角色", "账号状态", "锁定", "初始密码")


class RoleChecks(QWidget):
    """One checkbox per role, two rows of three."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.setObjectName(f"{prefix}Roles")
        self.setAccessibleName("角色")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[Role, QCheckBox] = {}
        for n, role in enumerate(TOWN_ROLES):
            box = QCheckBox(role.label)
            box.setObjectName(f"{prefix}Role{role.value.capitalize()}")
            box.setAccessibleName(role.label)
            grid.addWidget(box, n // 3, n % 3)
            self.boxes[role] = box

    def roles(self) -> set[Role]:
        return {role for role, box in self.boxes.items() if box.isChecked()}

    def set_roles(self, roles: frozenset[Role] | set[Role]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    return push_button(text, name, tip=tip)


def _lock_text(user: UserSummary, now: datetime) -> str:
    if user.locked_until is None or not user.is_locked(now):
        return "—"
    return f"已锁定至 {user.locked_until.astimezone(CHINA_TZ):%H:%M}"


class UsersPane(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("adminUsers")
        self.desk = desk
        self.users: list[UserSummary] = []

        self.table = readonly_table("userTable", HEADERS, "用户列表", stretch=2, single=True)
        self.table.currentCellChanged.connect(lambda *_: self._show_selected())

        splitter = QSplitter()
        splitter.addWidget(self.table)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self._new_user_box())
        side_layout.addWidget(self._selected_box())
        side_layout.addStretch(1)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._show_selected()

    def _new_user_box(self) -> QGroupBox:
        box = QGroupBox("新建用户")
        self.new_username = line_edit("newUsername", "用户名", "英文字母开头，如 zhangsan")
        self.new_name = line_edit("newDisplayName", "姓名", "如 张三")
        self.new_roles = RoleChecks("new")
        self.new_password = line_edit(
            "newPassword", "初始密码", "至少8位，含字母和数字", password=True
        )
        self.create_button = _button(
            "新建用户", "createUserButton", "用户首次登录时须修改初始密码（Ctrl+N 到用户名）"
        )
        self.create_button.clicked.connect(self.create_user)
        self.new_password.returnPressed.connect(self.create_user)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.new_username.setFocus)
        form = QFormLayout(box)
        form.addRow("用户名：", self.new_username)
        form.addRow("姓名：", self.new_name)
        form.addRow("角色：", self.new_roles)
        form.addRow("初始密码：", self.new_password)
        form.addRow("", self.create_button)
        return box

    def _selected_box(self) -> QGroupBox:
        box = QGroupBox("所选用户")
        self.selected_label = QLabel()
        self.selected_label.setObjectName("selectedUser")
        self.selected_label.setWordWrap(True)
        self.user_roles = RoleChecks("user")
        self.save_roles_button = _button("保存角色", "saveRolesButton")
        self.save_roles_button.clicked.connect(self.save_roles)
        self.unlock_button = _button("解除锁定", "resetLockoutButton", "清零失败次数并立即解锁")
        self.unlock_button.clicked.connect(self.reset_lockout)
        self.temp_password = line_edit(
            "tempPassword", "临时密码", "临时密码，用户登录后须修改", password=True
        )
        self.reset_password_button = _button("重置密码", "resetPasswordButton")
        self.reset_password_button.clicked.connect(self.reset_password)
        self.temp_password.returnPressed.connect(self.reset_password)
        self.active_button = _button("停用账号", "toggleActiveButton")
        self.active_button.clicked.connect(self.toggle_active)
        roles_row = QHBoxLayout()
        roles_row.addWidget(self.user_roles, 1)
        roles_row.addWidget(self.save_roles_button)
        password_row = QHBoxLayout()
        password_row.addWidget(self.temp_password, 1)
        password_row.addWidget(self.reset_password_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        form = QFormLayout(box)
        form.addRow(self.selected_label)
        form.addRow("角色：", roles_row)
        form.addRow("密码：", password_row)
        form.addRow("账号：", buttons)
        self._selected_widgets = (
            self.user_roles,
            self.save_roles_button,
            self.unlock_button,
            self.temp_password,
            self.reset_password_button,
            self.active_button,
        )
        return box

    # --- the list ------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        current = self.selected()
        keep = select_id if select_id is not None else (current.user_id if current else None)
        backend = self.desk.env.backend
        self.desk.env.runner.read(
            lambda: backend.run(accounts.list_users),
            lambda users: self._show(users, keep),
            self.desk.failed,
            owner=self,
        )

    def _show(self, users: list[UserSummary], keep: int | None) -> None:
        self.users = users
        now = utcnow()
        self.table.blockSignals(True)
        fill_table(
            self.table,
            [
                (
                    user.username,
                    user.display_name,
                    user.role_text,
                    "启用" if user.active else "已停用",
                    _lock_text(user, now),
                    "待修改" if user.must_change_password else "已修改",
                )
                for user in users
            ],
            fit_rows=False,
        )
        row = next((r for r, u in enumerate(users) if u.user_id == keep), -1)
        if row >= 0:
            self.table.setCurrentCell(row, 0)
        else:
            self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self._show_selected()

    def selected(self) -> UserSummary | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def select_user(self, username: str) -> bool:
        for r, user in enumerate(self.users):
            if user.username == username:
                self.table.setCurrentCell(r, 0)
                return True
        return False

    def _show_selected(self) -> None:
        user = self.selected()
        for widget in self._selected_widgets:
            widget.setEnabled(user is not None)
        if user is None:
            self.selected_label.setText("请在左侧选择一个用户。")
            self.user_roles.set_roles(set())
            return
        state = "启用" if user.active else "已停用"
        lock = _lock_text(user, utcnow())
        self.selected_label.setText(
            f"<b>{user.display_name}</b>（{user.username}）· {state}"
            + (f" · {lock}" if lock != "—" else "")
        )
        self.user_roles.set_roles(user.roles)
        self.unlock_button.setEnabled(user.is_locked() or user.failed_attempts > 0)
        self.active_button.setText("停用账号" if user.active else "启用账号")

    # --- actions --------------------------------------------------------------------------

    def _write(self, call: Callable[[], UserSummary], done: Callable[[UserSummary], None]) -> None:
        def finished(user: UserSummary) -> None:
            done(user)
            self.refresh(select_id=user.user_id)

        self.desk.env.runner.write(call, finished, self._failed, owner=self)

    def _failed(self, error: AppError) -> None:
        self.desk.failed(error)
        self._show_selected()  # the refused roles are not kept ticked
        fields = {
            "用户名": self.new_username,
            "姓名": self.new_name,
            "初始密码": self.new_password,
            "临时密码": self.temp_password,
        }
        widget = fields.get(error.field) if isinstance(error, ValidationError) else None
        if widget is not None:
            widget.setFocus()
            widget.selectAll()

    def create_user(self) -> None:
        backend = self.desk.env.backend
        args: tuple[Any, ...] = (
            self.new_username.text(),
            self.new_name.text(),
            self.new_password.text(),
            self.new_roles.roles(),
        )

        def created(user: UserSummary) -> None:
            self.desk.say(
                f"已新建用户 {user.username}（{user.display_name}，{user.role_text}）。"
                "首次登录时须修改初始密码。"
            )
            for edit in (self.new_username, self.new_name, self.new_password):
                edit.clear()
            self.new_roles.set_roles(set())

        self._write(lambda: backend.run(accounts.create_user, *args), created)

    def save_roles(self) -> None:
        user = self.selected()
        if user is None:
            return
        roles = self.user_roles.roles()
        backend = self.desk.env.backend
        self._write(
            lambda: backend.run(accounts.set_roles, user.user_id, roles),
            lambda saved: self.desk.say(f"已将 {saved.username} 的角色改为：{saved.role_text}。"),
        )

    def reset_lockout(self) -> None:
        user = self.selected()
        if user is None:
            return
        backend = self.desk.env.backend
        self._write(
            lambda: backend.run(accounts.reset_lockout, user.user_id),
            lambda saved: self.desk.say(f"已解除 {saved.username} 的登录锁定。"),
        )

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password = self.temp_password.text()
        backend = self.desk.env.backend

        def done(saved: UserSummary) -> None:
            self.temp_password.clear()
            self.desk.say(f"已重置 {saved.username} 的密码；请当面告知临时密码，登录后须修改。")

        self._write(lambda: backend.run(accounts.reset_password, user.user_id, password), done)

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        active = not user.active
        if not active and not self.desk.env.dialogs.confirm(
            self, "停用账号", f"停用 {user.display_name}（{user.username}）后该账号不能登录，确定？"
        ):
            return
        backend = self.desk.env.backend
        self._write(
            lambda: backend.run(accounts.set_active, user.user_id, active),
            lambda saved: self.desk.say(
                f"已{'启用' if saved.active else '停用'}账号 {saved.username}。"
            ),
        )
