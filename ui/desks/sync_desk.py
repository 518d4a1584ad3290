"""同步: what waits to go up to the county and what it parked, with the case as it stands here
(the county's copy, plus what is pending) beside each; 立即同步, and 撤回 for a parked action
(audited). The supervisor sees the centre's; everyone else their own.

While the workstation is not activated, an administrator activates it here (县级系统地址 and
激活码, off the UI thread, audited); the first sync starts at once. An administrator does not see
cases (separation of duties): their 同步 desk is the activation and 立即同步 only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.cases.access import CASE_ROLES
from app.cases.log import PARKED
from app.errors import AppError, ValidationError
from app.permissions import Permission, allowed
from app.sync.activation import CODE_FIELD, Activated, activate_workstation, county_link
from app.sync.parked import SyncItem, sync_items, withdraw_parked
from app.workflow.fold import CHINA_TZ
from ui.desk_base import Desk, DeskEnv
from ui.widgets import fill_table, readonly_table
from ui.worker import Changed

HEADERS = ("状态", "办件编号", "操作", "办理人", "时间", "办件现状", "原因 / 县级答复")


class SyncDesk(Desk):
    title = "同步"
    object_name = "syncDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self._sync_now: Callable[[], None] | None = None
        self.items: list[SyncItem] = []
        self._then = ""  # what to say once the list has been read again
        self.table = readonly_table("syncTable", HEADERS, "同步队列", stretch=6, single=True)
        for column, width in enumerate((90, 260, 110, 90, 130, 90)):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.retry = QPushButton("立即同步")
        self.retry.setObjectName("syncRetry")
        self.retry.clicked.connect(self._retry)
        self.reason = QLineEdit()
        self.reason.setObjectName("syncWithdrawReason")
        self.reason.setPlaceholderText("撤回原因（如：已由其他窗口办理，本操作不再需要）")
        self.withdraw = QPushButton("撤回所选暂挂操作")
        self.withdraw.setObjectName("syncWithdraw")
        self.withdraw.clicked.connect(self._withdraw)
        bar = QHBoxLayout()
        bar.addWidget(self.retry)
        bar.addStretch(1)
        bar.addWidget(self.reason, 2)
        bar.addWidget(self.withdraw)
        actor = env.backend.actor
        self.sees_cases = bool(actor.roles & CASE_ROLES)
        self.may_activate = allowed(actor, Permission.SYNC_ACTIVATE)
        self.county_url: str | None = None  # None: not read yet; "": not activated
        self.link = QLabel()
        self.link.setObjectName("syncLink")
        self.link.setWordWrap(True)
        self.activation = self._activation_form()
        layout = QVBoxLayout(self)
        layout.addWidget(self.link)
        layout.addWidget(self.activation)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        for widget in (self.table, self.reason, self.withdraw):
            widget.setVisible(self.sees_cases)
        if not self.sees_cases:
            layout.addStretch(1)
        self.follow_cases()
        self._update_buttons()

    def _activation_form(self) -> QGroupBox:
        box = QGroupBox("激活本工作站")
        box.setObjectName("syncActivation")
        box.setVisible(False)  # until the link is read: shown only while not activated
        self.county_field = QLineEdit()
        self.county_field.setObjectName("syncCountyUrl")
        self.county_field.setAccessibleName("县级系统地址")
        self.county_field.setPlaceholderText("例如 https://county.example.cn:8700")
        self.code_field = QLineEdit()
        self.code_field.setObjectName("syncActivationCode")
        self.code_field.setAccessibleName("激活码")
        self.code_field.setPlaceholderText("县级系统管理员发放的一次性激活码")
        self.code_field.returnPressed.connect(self._activate)
        self.activate_button = QPushButton("激活")
        self.activate_button.setObjectName("syncActivate")
        self.activate_button.setToolTip("用激活码向县级系统登记本工作站，成功后立即同步")
        self.activate_button.clicked.connect(self._activate)
        hint = QLabel(
            "本工作站尚未与县级系统连接，办件只保存在本机。请填写县级系统地址和县级系统管理员"
            "发放的激活码（每个激活码只能使用一次），然后点击“激活”。激活后本工作站自动上传、"
            "下载本中心的办件。"
        )
        hint.setWordWrap(True)
        code_row = QHBoxLayout()
        code_row.addWidget(self.code_field, 1)
        code_row.addWidget(self.activate_button)
        form = QFormLayout(box)
        form.addRow(hint)
        form.addRow("县级系统地址：", self.county_field)
        form.addRow("激活码：", code_row)
        box.setMaximumWidth(760)
        return box

    def set_sync_now(self, sync_now: Callable[[], None]) -> None:
        """What 立即同步 starts (the desktop's sync worker)."""
        self._sync_now = sync_now
        self._update_buttons()

    def activate(self) -> None:
        backend = self.env.backend
        self.env.runner.read(lambda: backend.run(county_link), self._linked, owner=self)
        if self.sees_cases:
            self.env.runner.read(
                lambda: backend.run(sync_items), self._show, self.failed, owner=self
            )

    def _linked(self, county_url: str) -> None:
        self.county_url = county_url
        if county_url:
            self.link.setText(f"本工作站已激活，县级系统：{county_url}")
        elif self.may_activate:
            self.link.setText("县级系统：未激活")
        else:
            self.link.setText(
                "本工作站尚未激活：办件暂存本机，激活后自动上传。请联系系统管理员在“同步”页激活。"
            )
        self.activation.setVisible(not county_url and self.may_activate)
        self._update_buttons()
        if not self.sees_cases and county_url and not self.notice.text():
            self.say("可点击“立即同步”与县级系统同步；状态栏显示同步情况。")

    def _activate(self) -> None:
        if not self.activate_button.isEnabled():
            return
        backend = self.env.backend
        store, actor = backend.store, backend.actor
        url, code = self.county_field.text(), self.code_field.text()
        self.activate_button.setEnabled(False)
        self.say("正在连接县级系统…")
        self.env.runner.write(
            lambda: activate_workstation(store, actor, county_url=url, code=code),
            self._activated,
            self._not_activated,
            owner=self,
            changes_cases=False,
        )

    def _activated(self, done: Activated) -> None:
        self.activate_button.setEnabled(True)
        self.code_field.clear()
        self._linked(done.county_url)
        self.say(
            f"已激活：本工作站已登记到{done.county_name}，已开始首次同步（结果见状态栏）；"
            "已记入审计日志。"
        )
        if self._sync_now is not None:
            self._sync_now()

    def _not_activated(self, error: AppError) -> None:
        self.activate_button.setEnabled(True)
        self.failed(error)
        if isinstance(error, ValidationError):
            field = self.code_field if error.field == CODE_FIELD else self.county_field
            field.setFocus()

    def cases_changed(self, changed: Changed) -> None:
        self.activate()

    def _show(self, items: list[SyncItem]) -> None:
        self.items = items
        fill_table(
            self.table,
            [
                (
                    item.status_text,
                    item.number,
                    item.action.label,
                    item.actor,
                    f"{item.occurred_at.astimezone(CHINA_TZ):%m-%d %H:%M}",
                    item.case_state.label,
                    item.reason,
                )
                for item in items
            ],
        )
        then, self._then = self._then, ""
        if then:
            self.say(then)
        elif not items:
            self.say("没有待上传或暂挂的操作。")
        self._update_buttons()

    def _chosen(self) -> SyncItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self._chosen()
        self.withdraw.setEnabled(chosen is not None and chosen.status == PARKED)
        # Not activated: a round would only say so (the status bar does already).
        self.retry.setEnabled(self._sync_now is not None and self.county_url != "")

    def _retry(self) -> None:
        if self._sync_now is not None:
            self._sync_now()
            self.say("已开始同步。")

    def _withdraw(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        backend, op_id, reason = self.env.backend, chosen.op_id, self.reason.text()

        def done(_: object) -> None:
            self.reason.clear()
            what = f"{chosen.number} 的暂挂操作（{chosen.action.label}）"
            self._then = f"已撤回 {what}，已记入审计日志。"
            self.activate()

        self.env.runner.write(
            lambda: backend.run(withdraw_parked, op_id, reason),
            done,
            self.failed,
            owner=self,
            changes_cases=False,
        )
