"""The clerk's 草稿 list: half-filled intakes to resume (Enter / double-click / 继续办理) or
discard."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.intake.drafts import DraftSummary
from app.workflow.fold import CHINA_TZ


class DraftList(QWidget):
    resume = Signal(str)  # draft token
    discard = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDraftsPane")
        self.list = QListWidget()
        self.list.setObjectName("intakeDrafts")
        self.list.setAccessibleName("收件草稿")
        self.list.itemActivated.connect(self._resume)
        self.list.currentRowChanged.connect(self._current_changed)

        self.resume_button = QPushButton("继续办理")
        self.resume_button.setObjectName("resumeDraft")
        self.resume_button.setAccessibleName("继续办理草稿")
        self.resume_button.clicked.connect(lambda: self._resume(self.list.currentItem()))
        self.discard_button = QPushButton("放弃草稿")
        self.discard_button.setObjectName("discardDraft")
        self.discard_button.setAccessibleName("放弃草稿")
        self.discard_button.clicked.connect(self._discard)

        self.empty = QLabel("没有草稿。收件中途被打断时，已填写的内容会自动保存在这里。")
        self.empty.setObjectName("intakeDraftsEmpty")
        self.empty.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.set_drafts([])

    def set_drafts(self, drafts: list[DraftSummary]) -> None:
        current = self.current_token()
        self.list.clear()
        for d in drafts:
            saved = d.updated_at.astimezone(CHINA_TZ)
            row = QListWidgetItem(f"{d.label} · {d.item_name}\n保存于 {saved:%m-%d %H:%M}")
            row.setData(Qt.ItemDataRole.UserRole, d.token)
            row.setToolTip(f"{d.item_name}\n申请人：{d.label}\n保存于 {saved:%Y-%m-%d %H:%M}")
            self.list.addItem(row)
            if d.token == current:
                self.list.setCurrentItem(row)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setVisible(not drafts)
        self._current_changed(self.list.currentRow())

    def current_token(self) -> str | None:
        row = self.list.currentItem()
        return None if row is None else str(row.data(Qt.ItemDataRole.UserRole))

    def _current_changed(self, row: int) -> None:
        self.resume_button.setEnabled(row >= 0)
        self.discard_button.setEnabled(row >= 0)

    def _resume(self, row: QListWidgetItem | None) -> None:
        if row is not None:
            self.resume.emit(str(row.data(Qt.ItemDataRole.UserRole)))

    def _discard(self) -> None:
        token = self.current_token()
        if token is not None:
            self.discard.emit(token)
