"""代办台 › 我的代办件: the agent's own filings with state and deadline, the current one in
full, submitting a saved draft or withdrawing an open filing, and the results waiting at the
delivery window (with the authorization to bring)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.cases import decisions, intake, proxy
from app.cases.case_view import CaseView, case_view
from app.cases.changes import CaseChange
from app.cases.listing import Listing, queue_listing
from app.cases.proxy import ReadyToCollect
from app.workflow.states import Action
from ui.cases.detail_view import CaseDetailView
from ui.cases.list_model import CaseListModel
from ui.cases.table import CaseTable
from ui.desk_base import Desk
from ui.widgets import fill_table, readonly_table

# 「办理结果待领取」: each column's header beside what fills it, so they cannot drift apart.
READY_COLUMNS: tuple[tuple[str, Callable[[ReadyToCollect], str]], ...] = (
    ("办件编号", lambda row: row.receipt_no),
    ("事项", lambda row: row.item_name),
    ("委托人", lambda row: row.resident_name),
    ("委托书编号", lambda row: row.authorization_no),  # the one to bring to the window
    ("可否代领", lambda row: "是" if row.may_collect else "否（须委托人本人领取）"),
)
READY_HEADERS = tuple(header for header, _ in READY_COLUMNS)


class FilingsPane(QWidget):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.setObjectName("proxyFilingsPane")
        self.desk = desk
        self._view: CaseView | None = None
        self._wanted: int | None = None  # a case to select once the list has reloaded

        self.model = CaseListModel(desk.env.runner, self)
        self.model.failed.connect(lambda text: desk.say(text, error=True))
        self.model.loaded.connect(self._loaded)
        self.table = CaseTable(self.model, "proxyFilings", "我的代办件")
        self.table.case_chosen.connect(self._choose)
        # A whole 收件号 (town code, workstation, date, serial) fits without eliding.
        sample = "511899101000-W01-20260302-0001"
        self.table.setColumnWidth(0, self.table.fontMetrics().horizontalAdvance(sample) + 24)
        # The detail beside it shows the ID number and the due date: the list fits 1366 px
        # without scrolling sideways.
        self.table.setColumnHidden(3, True)
        self.table.setColumnHidden(5, True)
        self.detail = CaseDetailView()

        self.submit_button = QPushButton("提交草稿")
        self.submit_button.setObjectName("submitDraftButton")
        self.submit_button.setAccessibleName("提交草稿")
        self.submit_button.setToolTip("把暂存的草稿提交到窗口收件（F9）")
        self.submit_button.setShortcut("F9")
        self.submit_button.clicked.connect(self.submit_draft)
        self.reason = QLineEdit()
        self.reason.setObjectName("withdrawReason")
        self.reason.setAccessibleName("撤回原因")
        self.reason.setPlaceholderText("撤回原因（如 申请人不再申请）")
        self.reason.setMaxLength(100)
        self.withdraw_button = QPushButton("撤回申请")
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.setAccessibleName("撤回申请")
        self.withdraw_button.setToolTip("撤回本人代办的未办结申请（须填写原因）")
        self.withdraw_button.clicked.connect(self.withdraw)
        actions = QHBoxLayout()
        actions.addWidget(self.submit_button)
        actions.addSpacing(16)
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.withdraw_button)

        self.ready = readonly_table("readyToCollect", READY_HEADERS, "待代领办理结果", stretch=1)
        self.ready.setWordWrap(False)
        self.ready.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        ready_box = QGroupBox("办理结果待领取（请携带代办委托书原件到出件窗口）")
        ready_layout = QVBoxLayout(ready_box)
        ready_layout.addWidget(self.ready)

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(ready_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._enable_actions()

    # --- lists -----------------------------------------------------------------------------

    def refresh(self) -> None:
        backend = self.desk.env.backend
        today = backend.today()

        def fetch(offset: int, limit: int) -> Listing:
            return backend.run(queue_listing, backend.calendar, today, limit=limit, offset=offset)

        self.model.set_fetch(fetch)
        self.desk.env.runner.read(
            lambda: backend.run(proxy.ready_to_collect),
            self._show_ready,
            self.desk.failed,
            owner=self,
        )

    def _loaded(self) -> None:
        wanted, self._wanted = self._wanted, None
        if wanted is not None and self.table.select_case(wanted):
            return
        current = self._view.detail.row.case_id if self._view else None
        if current is not None and self.table.select_case(current):
            return
        self._view = None
        self.detail.clear()
        self._enable_actions()
        if self.model.total:
            self.table.selectRow(0)

    def _show_ready(self, rows: list[ReadyToCollect]) -> None:
        fill_table(
            self.ready, [[value(row) for _, value in READY_COLUMNS] for row in rows], fit_rows=False
        )
        for r in range(len(rows)):  # a cell cut short by a narrow column reads in full
            for c in range(len(READY_COLUMNS)):
                cell = self.ready.item(r, c)
                if cell is not None:
                    cell.setToolTip(f"{READY_HEADERS[c]}：{cell.text()}")

    def select_after_reload(self, case_id: int) -> None:
        """Select ``case_id`` when the list next arrives (a filing just written)."""
        self._wanted = case_id

    # --- the current filing -----------------------------------------------------------------

    def _choose(self, case_id: int) -> None:
        backend = self.desk.env.backend
        today = backend.today()
        self.desk.env.runner.read(
            lambda: backend.run(case_view, case_id, backend.calendar, today),
            self._show,
            self.desk.failed,
            owner=self,
        )

    def _show(self, view: CaseView) -> None:
        if view.detail.row.case_id != self.table.current_case_id():
            return
        self._view = view
        self.detail.show_case(view)
        self._enable_actions()

    def _enable_actions(self) -> None:
        actions = self._view.actions if self._view else frozenset()
        self.submit_button.setEnabled(Action.SUBMIT in actions)
        self.withdraw_button.setEnabled(Action.WITHDRAW in actions)
        self.reason.setEnabled(Action.WITHDRAW in actions)

    def submit_draft(self) -> None:
        if self._view is None or Action.SUBMIT not in self._view.actions:
            return
        case_id = self._view.detail.row.case_id
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.act(intake.submit, case_id),
            self._submitted,
            self.desk.failed,
            owner=self,
        )

    def _submitted(self, change: CaseChange) -> None:
        self.desk.say(f"已提交 {change.receipt_no}。请携带纸质材料和代办委托书到窗口办理收件。")

    def withdraw(self) -> None:
        if self._view is None:
            return
        reason = self.reason.text().strip()
        if not reason:
            self.desk.say("请填写撤回原因。", error=True)
            self.reason.setFocus()
            return
        row = self._view.detail.row
        if not self.desk.env.dialogs.confirm(
            self, "撤回申请", f"撤回 {row.receipt_no}（{row.item_name}）后不能恢复，确定撤回？"
        ):
            return
        backend = self.desk.env.backend
        self.desk.env.runner.write(
            lambda: backend.act(decisions.withdraw, row.case_id, reason),
            self._withdrawn,
            self.desk.failed,
            owner=self,
        )

    def _withdrawn(self, change: CaseChange) -> None:
        self.reason.clear()
        self.desk.say(f"已撤回 {change.receipt_no}。")
