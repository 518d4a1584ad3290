"""查询: find a case by 收件号 / 办件编号, applicant name, ID number, or item name or pinyin, and
read it with its whole timeline. Every query is limited to what the user may see (a proxy agent
finds only their own filings); roles allowed to may view a full ID number, audited."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.accounts import identity
from app.actor import Role
from app.cases.case_view import CaseView, case_view
from app.cases.listing import Listing, search_listing
from app.errors import AppError
from app.permissions import Permission, allowed
from ui.cases.detail_view import CaseDetailView
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.desk_base import Desk, DeskEnv
from ui.documents.documents_list import attach_documents
from ui.worker import Changed

#: Most cases one search lists (newest first); a narrower query finds older ones.
SEARCH_LIMIT = 200
#: How long a revealed full ID number stays on screen.
REVEAL_SECONDS = 30


STAFF = frozenset({Role.CLERK, Role.APPROVER, Role.SUPERVISOR})


class SearchDesk(Desk):
    title = "查询"
    object_name = "searchDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self._text = ""
        self._view: CaseView | None = None

        self.box = QLineEdit()
        self.box.setObjectName("caseSearch")
        self.box.setAccessibleName("办件查询")
        self.box.setPlaceholderText(
            "收件号 / 办件编号（可只输前几段）、申请人姓名、身份证号、事项名称或拼音首字母"
        )
        self.box.setClearButtonEnabled(True)
        self.box.returnPressed.connect(self.search)
        self.search_button = QPushButton("查询")
        self.search_button.setObjectName("caseSearchButton")
        self.search_button.setAccessibleName("查询")
        self.search_button.setToolTip("查询（Enter；Ctrl+F 回到查询框）")
        self.search_button.clicked.connect(self.search)
        self.count = QLabel()
        self.count.setObjectName("searchCount")
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self._focus_box)

        self.model = CaseListModel(env.runner, self)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda text: self.say(text, error=True))
        self.table = CaseTable(self.model, "searchResults", "查询结果")
        self.table.case_chosen.connect(self._choose)
        # A whole 收件号 (town code, workstation, date, serial) fits without eliding.
        sample = "511899101000-W01-20260302-0001"
        self.table.setColumnWidth(0, self.table.fontMetrics().horizontalAdvance(sample) + 24)
        self.detail = CaseDetailView()
        # Looking a case up is mostly asking where it stands: open on its timeline.
        self.detail.tabs.setCurrentWidget(self.detail.timeline_table)
        if env.backend.actor.roles & STAFF:  # centre staff reprint from here (补打)
            self.documents = attach_documents(self.detail, env)

        self.purpose = QLineEdit()
        self.purpose.setObjectName("revealPurpose")
        self.purpose.setAccessibleName("查看完整身份证号的原因")
        self.purpose.setPlaceholderText("查看原因（如 核验身份、录入县级系统）")
        self.purpose.setMaxLength(identity.MAX_PURPOSE_LENGTH)
        self.purpose.returnPressed.connect(self.reveal)
        self.reveal_button = QPushButton("查看完整身份证号")
        self.reveal_button.setObjectName("revealIdButton")
        self.reveal_button.setAccessibleName("查看完整身份证号")
        self.reveal_button.setToolTip("须填写原因；每次查看都记入审计日志")
        self.reveal_button.clicked.connect(self.reveal)
        self.revealed = QLabel()
        self.revealed.setObjectName("revealedId")
        self.revealed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.revealed.clear)
        may_reveal = allowed(env.backend.actor, Permission.VIEW_FULL_ID)
        for widget in (self.purpose, self.reveal_button, self.revealed):
            widget.setVisible(may_reveal)
        self._set_reveal_enabled(False)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("查询："))
        bar.addWidget(self.box, 1)
        bar.addWidget(self.search_button)
        bar.addWidget(self.count)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.purpose, 1)
        reveal_row.addWidget(self.reveal_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(reveal_row)
        right_layout.addWidget(self.revealed)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.box, self.search_button)
        self.setTabOrder(self.search_button, self.table)
        self.setTabOrder(self.table, self.purpose)
        self.setTabOrder(self.purpose, self.reveal_button)
        self.follow_cases()

    def activate(self) -> None:
        self._focus_box()

    def _focus_box(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    # --- searching -------------------------------------------------------------------------

    def search(self) -> None:
        text = self.box.text().strip()
        if not text:
            self.say("请输入收件号、姓名、身份证号或事项名称。", error=True)
            return
        self._text = text
        self.say("")
        self.count.setText("查询中…")
        backend = self.env.backend
        today = backend.today()

        def fetch(offset: int, limit: int) -> Listing:
            found = backend.run(search_listing, backend.calendar, today, text, limit=SEARCH_LIMIT)
            return Listing(found.rows[offset : offset + limit], found.total)

        self.model.set_fetch(fetch)

    def cases_changed(self, changed: Changed) -> None:
        if self._text and changed.lists:
            self.model.reload()

    def _loaded(self) -> None:
        total = self.model.total
        if total == 0:
            self.count.setText("未找到")
            self.say(f"没有找到与“{self._text}”相符的办件。")
            self._view = None
            self._hide_id()
            self.detail.clear()
            self._set_reveal_enabled(False)
            return
        more = f"（仅列出最新 {SEARCH_LIMIT} 件，请缩小范围）" if total >= SEARCH_LIMIT else ""
        self.count.setText(f"找到 {total} 件{more}")
        current = self._view.detail.row.case_id if self._view else None
        if current is None or not self.table.select_case(current):
            self.table.selectRow(0)

    def _choose(self, case_id: int) -> None:
        backend = self.env.backend
        today = backend.today()
        self.env.runner.read(
            lambda: backend.run(case_view, case_id, backend.calendar, today),
            self._show,
            self.failed,
            owner=self,
        )

    def _show(self, view: CaseView) -> None:
        if view.detail.row.case_id != self.table.current_case_id():
            return  # the user moved on meanwhile
        if self._view is None or self._view.detail.applicant_id != view.detail.applicant_id:
            self._hide_id()
        self._view = view
        self.detail.show_case(view)
        self._set_reveal_enabled(True)

    # --- full ID number -----------------------------------------------------------------------

    def _set_reveal_enabled(self, enabled: bool) -> None:
        self.purpose.setEnabled(enabled)
        self.reveal_button.setEnabled(enabled)

    def _hide_id(self) -> None:
        self._hide_timer.stop()
        self.revealed.clear()

    def reveal(self) -> None:
        if self._view is None:
            return
        applicant_id = self._view.detail.applicant_id
        purpose = self.purpose.text()
        backend = self.env.backend
        self.env.runner.write(
            lambda: backend.run(identity.reveal_id_number, applicant_id, purpose=purpose),
            self._revealed,
            self._reveal_failed,
            owner=self,
        )

    def _revealed(self, number: str) -> None:
        self.revealed.setText(f"身份证号：<b>{number}</b>（{REVEAL_SECONDS} 秒后隐藏）")
        self._hide_timer.start(REVEAL_SECONDS * 1000)
        self.say("已查看完整身份证号，本次查看已记入审计日志。")

    def _reveal_failed(self, error: AppError) -> None:
        self.say(str(error), error=True)
        self.purpose.setFocus()
