"""审计 (auditor): the newest audit entries and a check of the whole hash chain."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.audit import AuditRow, AuditVerification
from app.audit_text import describe, detail_json
from app.workflow.fold import CHINA_TZ
from ui.desk_base import Desk, DeskEnv
from ui.widgets import fill_table, readonly_table

PAGE = 500
HEADERS = ("时间", "操作人", "工作站", "事件", "对象", "详情")
DETAIL_COLUMN = HEADERS.index("详情")


class AuditDesk(Desk):
    title = "审计"
    object_name = "auditDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.verify_button = QPushButton("校验审计日志完整性")
        self.verify_button.setObjectName("auditVerifyButton")
        self.verify_button.clicked.connect(self.verify)
        refresh = QPushButton("刷新")
        refresh.setObjectName("auditRefreshButton")
        refresh.clicked.connect(self.activate)
        self.table = readonly_table("auditTable", HEADERS, "审计日志")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((150, 100, 64, 176, 230)):
            self.table.setColumnWidth(column, width)
        bar = QHBoxLayout()
        bar.addWidget(self.verify_button)
        bar.addWidget(refresh)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)

    def activate(self) -> None:
        backend = self.env.backend
        self.env.runner.read(
            lambda: _described(backend.run(audit.read_entries, limit=PAGE)),
            self._show,
            self.failed,
            owner=self,
        )

    def _show(self, rows: list[tuple[AuditRow, str]]) -> None:
        fill_table(
            self.table,
            [
                (
                    f"{row.occurred_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M:%S}",
                    row.actor,
                    row.workstation,
                    row.event_label,
                    row.subject or "",
                    sentence,
                )
                for row, sentence in rows
            ],
            fit_rows=False,
        )
        # The sentence in full and the entry's raw detail, as stored, for the auditor.
        for r, (row, sentence) in enumerate(rows):
            cell = self.table.item(r, DETAIL_COLUMN)
            if cell is not None:
                cell.setToolTip(f"{sentence}\n\n原始记录：{detail_json(row.detail)}")

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.say("正在校验审计日志…")
        backend = self.env.backend
        self.env.runner.write(
            lambda: backend.run(audit.verify_as),
            self._verified,
            self._verify_failed,
            owner=self,
        )

    def _verified(self, result: AuditVerification) -> None:
        self.verify_button.setEnabled(True)
        self.say(result.message, error=not result.ok)
        self.activate()

    def _verify_failed(self, error: object) -> None:
        self.verify_button.setEnabled(True)
        self.say(str(error), error=True)


def _described(rows: list[AuditRow]) -> list[tuple[AuditRow, str]]:
    """Each entry with its 详情 sentence (worked out off the UI thread, with the read)."""
    return [(row, describe(row.event, row.actor, row.subject, row.detail)) for row in rows]
