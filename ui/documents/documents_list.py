"""A case's 文书 tab: every document archived for it (who, when, 补打, the case number it printed,
hash), with 预览 and 另存为 PDF of the archived bytes, and 补打 (built again, printed and archived
marked 补打). A copy printed with the 收件号 of a case the county has numbered since says so when
chosen, and its 补打 asks first: the new copy carries the county's 办件编号.

Read in the background only while the tab is on screen; a write anywhere refreshes it (the
detail view shows the case again, which reloads the list)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.printing.kinds import DocKind
from app.printing.service import DocumentRow, documents_tab
from app.workflow.fold import CHINA_TZ
from ui.cases.detail_view import CaseDetailView
from ui.desk_base import DeskEnv
from ui.documents.actions import DocumentActions
from ui.documents.preview_dialog import show_previews
from ui.widgets import push_button, readonly_table

TAB_TITLE = "文书"


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = push_button(text, name, tip=tip)
    button.setEnabled(False)  # until a row is chosen
    return button


class DocumentsList(QWidget):
    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDocuments")
        self.setAccessibleName("办件文书")
        self.env = env
        self.case_id: int | None = None
        self.number = ""
        self.rows: list[DocumentRow] = []
        self._token = 0
        self.docs = DocumentActions(env, self)
        show_previews(self.docs)
        self.docs.said.connect(self._say)
        self.docs.busy_changed.connect(lambda _: self._update_buttons())
        self.table: QTableWidget = readonly_table(
            "caseDocumentsTable", ("出具时间", "文书", "打印", "所印编号", "出具人", "SHA-256")
        )
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemSelectionChanged.connect(self._offer_number)
        self.table.doubleClicked.connect(lambda _: self._preview())
        self.preview = _button("预览", "documentPreview", "在本机查看存档的文书（双击行）")
        self.save = _button("另存为 PDF", "documentSave", "保存存档的 PDF 原件")
        self.reprint = _button("补打", "documentReprint", "重新生成并打印，存档标记为补打")
        self.preview.clicked.connect(self._preview)
        self.save.clicked.connect(self._save)
        self.reprint.clicked.connect(self._reprint)
        self.kinds = QComboBox()
        self.kinds.setObjectName("documentKinds")
        self.kinds.setAccessibleName("可开具的文书")
        self.kinds.setToolTip("按办理进程可以开具的文书")
        self.kinds.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.issue = _button(
            "开具并打印", "documentIssue", "生成所选文书、存档并打印（已出具过的记为补打）"
        )
        self.issue.clicked.connect(self._issue)
        self.status = QLabel("")
        self.status.setObjectName("caseDocumentsStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.preview, self.save, self.reprint):
            buttons.addWidget(b)
        buttons.addSpacing(16)
        buttons.addWidget(self.kinds)
        buttons.addWidget(self.issue)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # --- loading ------------------------------------------------------------------------------

    def show_case(self, case_id: int | None, number: str = "") -> None:
        """Show the documents of ``case_id`` (None: no case). Reads in the background."""
        self.case_id = case_id
        self.number = number
        self._token += 1
        if case_id is None:
            self._fill([])
            self.kinds.clear()
            return
        token = self._token
        b = self.env.backend

        self.env.runner.read(
            lambda: b.run(documents_tab, case_id),
            lambda found: self._arrived(token, *found),
            self._failed,
            owner=self,
        )

    def _arrived(self, token: int, rows: list[DocumentRow], kinds: list[DocKind]) -> None:
        if token == self._token:
            self._fill(rows)
            self.kinds.clear()
            for kind in kinds:
                self.kinds.addItem(kind.label, kind.value)
            self._update_buttons()

    def _failed(self, error: AppError) -> None:
        self._say(str(error), True)

    def _fill(self, rows: list[DocumentRow]) -> None:
        chosen = self._chosen()
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = (
                f"{row.printed_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}",
                row.title,
                "补打" if row.reprint else "首次",
                row.number or "—",
                row.printed_by,
                row.sha256[:16] + "…",
            )
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 3 and row.numbered_since:
                    item.setToolTip(f"收件号；县级系统已编号：{row.numbered_since}")
                if c == 5:
                    item.setToolTip(row.sha256)
                self.table.setItem(r, c, item)
            if chosen is not None and row.document_id == chosen.document_id:
                self.table.selectRow(r)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        if not rows:
            self._say("本办件尚未出具文书。" if self.case_id else "", False)
        self._update_buttons()

    # --- the buttons --------------------------------------------------------------------------

    def _chosen(self) -> DocumentRow | None:
        index = self.table.currentRow()
        selected = self.table.selectionModel().hasSelection()
        return self.rows[index] if selected and 0 <= index < len(self.rows) else None

    def _update_buttons(self) -> None:
        ok = self._chosen() is not None and not self.docs.busy
        for b in (self.preview, self.save, self.reprint):
            b.setEnabled(ok)
        self.issue.setEnabled(self.kinds.count() > 0 and not self.docs.busy)

    def _say(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color:#b3261e;" if error else "color:#1b5e20;")

    def _preview(self) -> None:
        row = self._chosen()
        if row is not None:
            self.docs.preview(row.document_id, self.number)

    def _save(self) -> None:
        row = self._chosen()
        if row is not None:
            self.docs.save_archived(row.document_id, row.title, self.number)

    def _issue(self) -> None:
        value = self.kinds.currentData()
        if value is not None and self.case_id is not None:
            self.docs.print_new(self.case_id, DocKind(value))

    def _offer_number(self) -> None:
        row = self._chosen()
        if row is not None and row.numbered_since:
            self._say(
                f"该文书印的是收件号 {row.number}；县级系统已为本件编号 {row.numbered_since}，"
                "补打将使用办件编号。",
                False,
            )

    def _reprint(self) -> None:
        row = self._chosen()
        if row is None or self.case_id is None:
            return
        if row.numbered_since and not self.env.dialogs.confirm(
            self, "补打：使用县级办件编号", reprint_question(row)
        ):
            self._say(f"已取消补打{row.title}。", False)
            return
        self.docs.print_new(self.case_id, row.kind, replaces=row.document_id)


def reprint_question(row: DocumentRow) -> str:
    """What the 补打 dialog asks of a copy printed before the county numbered the case."""
    return (
        f"县级系统已为本办件编号：{row.numbered_since}。\n"
        f"所选的{row.title}出具时尚未编号，印的是收件号 {row.number}。\n\n"
        "补打的文书将印县级办件编号（收件号一并印出），存档标记为补打，并记入审计日志。\n"
        "是否补打？"
    )


def attach_documents(detail: CaseDetailView, env: DeskEnv) -> DocumentsList:
    """Add the 文书 tab to a case detail view; it follows the case the view shows and reads
    only while the tab is on screen."""
    documents = DocumentsList(env)
    index = detail.tabs.addTab(documents, TAB_TITLE)
    pending: list[tuple[int | None, str]] = [(None, "")]

    def case_changed(case_id: object, number: object) -> None:
        pending[0] = (case_id if isinstance(case_id, int) else None, str(number))
        if detail.tabs.currentIndex() == index or case_id is None:
            documents.show_case(*pending[0])

    def tab_changed(current: int) -> None:
        if current == index:
            documents.show_case(*pending[0])

    detail.case_changed.connect(case_changed)
    detail.tabs.currentChanged.connect(tab_changed)
    return documents
