"""同步: what waits to go up to the county and what it parked, with the case as it stands here
(the county's copy, plus what is pending) beside each; 立即同步, and 撤回 for a parked action
(audited). The supervisor sees the centre's; everyone else their own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.cases.log import PARKED
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
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        self.follow_cases()
        self._update_buttons()

    def set_sync_now(self, sync_now: Callable[[], None]) -> None:
        """What 立即同步 starts (the desktop's sync worker)."""
        self._sync_now = sync_now
        self._update_buttons()

    def activate(self) -> None:
        backend = self.env.backend
        self.env.runner.read(lambda: backend.run(sync_items), self._show, self.failed, owner=self)

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
        self.retry.setEnabled(self._sync_now is not None)

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
