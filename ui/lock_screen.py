"""Idle lock: after the configured minutes without keyboard or mouse the workstation locks;
the same user unlocks with the password and finds everything as it was (a half-filled form
included: the window is covered, not closed)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import AppError
from db.store import Store
from ui.backend import unlock
from ui.worker import Runner

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``timeout_ms`` with no input anywhere in the application."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def restart(self) -> None:
        self._timer.start()

    def pause(self) -> None:
        self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockScreen(QDialog):
    """Covers the main window until the signed-in user gives the password again.
    ``unlocked`` on success; ``switch_user`` to sign out instead."""

    unlocked = Signal()
    switch_user = Signal()

    def __init__(self, store: Store, runner: Runner, actor: Actor, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName("工作站已锁定")
        self.setWindowTitle("一窗通 — 工作站已锁定")
        self.setModal(True)
        self._store = store
        self._runner = runner
        self._actor = actor
        title = QLabel("工作站已锁定")
        title.setStyleSheet("font-size:18pt; font-weight:bold;")
        who = QLabel(
            f"当前用户：{actor.display_name}（{actor.role_text}）。"
            "长时间无操作已自动锁定，正在填写的内容都已保留。请输入密码解锁。"
        )
        who.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setAccessibleName("解锁密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("密码")
        self.password.returnPressed.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self.submit)
        switch = QPushButton("切换用户")
        switch.setObjectName("switchUserButton")
        switch.clicked.connect(self.switch_user)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(switch)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(who)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText("请输入密码。")
            return
        self.unlock_button.setEnabled(False)
        store, actor = self._store, self._actor
        self._runner.write(
            lambda: unlock(store, actor, password),
            self._succeeded,
            self._failed,
            owner=self,
            changes_cases=False,
        )

    def _succeeded(self, _: None) -> None:
        self.password.clear()
        self.unlocked.emit()
        self.accept()

    def _failed(self, error: AppError) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.message.setText(error.message)

    def reject(self) -> None:
        """Esc does not unlock."""
