"""Idle lock: after the configured minutes without keyboard or mouse (or at once with Ctrl+L) the
workstation locks; the same user unlocks with the password and finds everything as it was (a
half-filled form included: the desks are hidden, not closed).

While locked nothing of the desks can be read or reached: an opaque page covers the whole main
window (menu and status bar included), the desks underneath are hidden — so their shortcuts
(F6, Ctrl+Enter, Ctrl+P…) cannot fire from the password field — and the app's other windows
(document previews) are hidden until the unlock."""

from __future__ import annotations

from datetime import datetime

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import AppError
from app.workflow.fold import CHINA_TZ
from db.store import Store
from ui.backend import unlock
from ui.text_size import pt, text_scale
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


MANUAL = "manual"  # Ctrl+L or the menu
IDLE = "idle"  # the idle timer
REASON_TEXT = {MANUAL: "已手动锁定", IDLE: "长时间无操作，已自动锁定"}

STYLE = """
#lockScreen { background: #1f3b5c; }
#lockCard { background: #ffffff; border-radius: 8px; }
#lockTitle { font-size: TITLE_PT; font-weight: bold; color: #1f3b5c; }
#lockReason { font-size: REASON_PT; font-weight: bold; color: #b26a00; }
#unlockMessage { color: #b3261e; }
"""


class LockScreen(QWidget):
    """Covers the whole main window until the signed-in user gives the password again.
    ``unlocked`` on success; ``switch_user`` to sign out instead."""

    unlocked = Signal()
    switch_user = Signal()

    def __init__(
        self,
        store: Store,
        runner: Runner,
        actor: Actor,
        parent: QWidget,
        *,
        reason: str,
        locked_at: datetime,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName("工作站已锁定")
        # Painted opaque over everything the window holds (a style sheet background on a plain
        # QWidget is drawn only with WA_StyledBackground).
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        # Sizes follow the user's 字号 (ui/text_size.py).
        self.setStyleSheet(STYLE.replace("TITLE_PT", pt(18)).replace("REASON_PT", pt(12)))
        self._store = store
        self._runner = runner
        self._actor = actor
        self.reason = reason

        card = QFrame()
        card.setObjectName("lockCard")
        card.setFixedWidth(round(520 * text_scale()))
        title = QLabel("工作站已锁定")
        title.setObjectName("lockTitle")
        when = locked_at.astimezone(CHINA_TZ)
        self.reason_label = QLabel(f"{REASON_TEXT[reason]}（{when:%H:%M}）")
        self.reason_label.setObjectName("lockReason")
        who = QLabel(
            f"当前用户：{actor.display_name}（{actor.role_text}）· 工作站：{actor.workstation}<br>"
            "正在填写的内容都已保留。请输入密码解锁。"
        )
        who.setObjectName("lockUser")
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
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setProperty("primary", True)
        self.unlock_button.clicked.connect(self.submit)
        switch = QPushButton("切换用户")
        switch.setObjectName("switchUserButton")
        switch.setToolTip("退出登录，由其他用户登录（未完成的表单先保存为草稿）")
        switch.clicked.connect(self.switch_user)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(switch)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(32, 24, 32, 24)
        inner.setSpacing(10)
        for widget in (title, self.reason_label, who, self.password, self.message):
            inner.addWidget(widget)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setTabOrder(self.password, self.unlock_button)
        self.setTabOrder(self.unlock_button, switch)

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

    def _failed(self, error: AppError) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.message.setText(error.message)
        self.password.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        """Keys stop here: none reaches the window behind (Esc does not unlock)."""
        event.accept()


class HiddenWindows:
    """The app's other windows (document previews, a dialog left open), hidden while locked.

    A dialog running its own event loop (``exec``: a confirmation, the print or file dialog) is
    rejected instead — it answers "cancel", which every caller treats as nothing done — since a
    hidden modal dialog would still block the lock screen's input. The others are shown again
    at the unlock, as they were."""

    def __init__(self, main: QWidget) -> None:
        self._hidden: list[QWidget] = []
        for widget in QApplication.topLevelWidgets():
            if widget is main or not widget.isVisible():
                continue
            modal = widget.windowModality() == Qt.WindowModality.ApplicationModal
            if isinstance(widget, QDialog) and modal:
                widget.reject()
            else:
                widget.hide()
                self._hidden.append(widget)

    def restore(self) -> None:
        for widget in self._hidden:
            if shiboken6.isValid(widget):  # it may have been deleted meanwhile
                widget.show()
        self._hidden.clear()
