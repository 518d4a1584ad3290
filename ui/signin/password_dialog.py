"""Changing one's own password (required after an administrator set or reset it)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from ui.backend import DeskBackend
from ui.worker import Runner


def _secret(name: str, accessible: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordDialog(QDialog):
    def __init__(
        self, backend: DeskBackend, runner: Runner, *, required: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle("修改密码")
        self._backend = backend
        self._runner = runner
        self._required = required
        self.old = _secret("oldPassword", "原密码")
        self.new = _secret("newPassword", "新密码")
        self.again = _secret("newPasswordAgain", "再次输入新密码")
        self.message = QLabel()
        self.message.setObjectName("passwordMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        form = QFormLayout()
        form.addRow("原密码", self.old)
        form.addRow("新密码", self.new)
        form.addRow("再次输入新密码", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        if not required:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("passwordOk")
        self.ok_button.setText("确定")
        layout = QVBoxLayout(self)
        if required:
            note = QLabel("您的密码由管理员设置，请先修改为只有您知道的新密码。")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def submit(self) -> None:
        old, new = self.old.text(), self.new.text()
        if new != self.again.text():
            self.message.setText("两次输入的新密码不一致。")
            self.again.setFocus()
            return
        self.ok_button.setEnabled(False)
        backend = self._backend
        self._runner.write(
            lambda: backend.change_password(old, new),
            self._done,
            self._failed,
            owner=self,
            changes_cases=False,
        )

    def _done(self, _: None) -> None:
        self.accept()

    def _failed(self, error: AppError) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(error.message)

    def reject(self) -> None:
        if not self._required:
            super().reject()
