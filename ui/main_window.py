"""The main window: the signed-in user's desks as tabs, the account menu, the status bar and
the idle lock. It composes desks; it holds no business logic and no Session."""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget, QWidget

from app.accounts.preferences import TextSize
from app.accounts.service import lock_workstation
from ui.desk_base import Desk, DeskEnv
from ui.elided_label import ElidedLabel
from ui.signin.lock_screen import IDLE, MANUAL, HiddenWindows, IdleWatcher, LockScreen
from ui.signin.password_dialog import PasswordDialog
from ui.text_size_menu import TextSizeMenu
from ui.titles import window_title

OFFLINE_TEXT = "县级系统：未连接（离线办理，数据保存在本机）"
BUSY_TEXT = "正在处理…"


class MainWindow(QMainWindow):
    """``sign_out_requested`` when the user signs out (menu, or 切换用户 on the lock screen)."""

    sign_out_requested = Signal()
    diagnostics_requested = Signal()  # 帮助 → 保存诊断信息包 (the session saves it)

    def __init__(
        self,
        env: DeskEnv,
        desks: Sequence[Desk],
        *,
        centre_name: str,
        store_text: str,
        store_tip: str,
        demo: bool,
        idle_lock_ms: int,
        text_size: TextSize = TextSize.STANDARD,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.env = env
        actor = env.backend.actor
        suffix = "（演示模式）" if demo else ""
        self.setWindowTitle(window_title(f"{centre_name}{suffix}"))

        self.tabs = QTabWidget()
        self.tabs.setObjectName("desks")
        self.tabs.setAccessibleName("工作台")
        self.tabs.setDocumentMode(True)
        self.desks = list(desks)
        for desk in self.desks:
            self.tabs.addTab(desk, desk.title)
        self.tabs.currentChanged.connect(self._desk_shown)
        self.setCentralWidget(self.tabs)
        for number, _desk in enumerate(self.desks[:9], start=1):
            switch = QAction(self)
            switch.setShortcut(QKeySequence(f"Ctrl+{number}"))
            switch.triggered.connect(lambda _=False, n=number - 1: self.tabs.setCurrentIndex(n))
            self.addAction(switch)

        self.lock_action = QAction("锁定工作站(&L)", self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.lock(MANUAL))
        self.password_action = QAction("修改密码(&P)…", self)
        self.password_action.setObjectName("passwordAction")
        self.password_action.triggered.connect(self.change_password)
        self.sign_out_action = QAction("退出登录(&O)", self)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(self.sign_out_requested)
        menu = self.menuBar().addMenu(f"{actor.display_name}(&A)")
        menu.addAction(self.password_action)
        menu.addAction(self.lock_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        self.diagnostics_action = QAction("保存诊断信息包(&D)…", self)
        self.diagnostics_action.setObjectName("diagnosticsAction")
        self.diagnostics_action.triggered.connect(self.diagnostics_requested)
        self.about_action = QAction("关于一窗通(&B)", self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self._about)
        view_menu = self.menuBar().addMenu("视图(&V)")
        self.text_size_menu = TextSizeMenu(env, text_size, self.statusBar(), self)
        view_menu.addMenu(self.text_size_menu)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        help_menu.addAction(self.diagnostics_action)
        help_menu.addAction(self.about_action)

        self.user_label = QLabel(f"用户：{actor.display_name}（{actor.role_text}）")
        self.user_label.setObjectName("userStatus")
        self.station_label = QLabel(f"工作站：{actor.workstation}")
        self.station_label.setObjectName("workstationStatus")
        self.online_label = ElidedLabel(OFFLINE_TEXT)  # ends in … on a narrow (150 %) screen
        self.online_label.setObjectName("onlineStatus")
        self.busy_label = QLabel()
        self.busy_label.setObjectName("busyStatus")
        # Its room is kept while idle: the bar does not jump (nor squeeze it) at every read.
        room = self.busy_label.fontMetrics().horizontalAdvance(BUSY_TEXT) + 24  # + its padding
        self.busy_label.setMinimumWidth(room)
        self.store_label = ElidedLabel(store_text)
        self.store_label.setObjectName("storeStatus")
        self.store_label.setToolTip(store_tip)
        bar = self.statusBar()
        for label in (self.user_label, self.station_label, self.online_label):
            bar.addWidget(label)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.store_label)
        env.runner.busy_changed.connect(self._busy)

        self.lock_screen: LockScreen | None = None
        self._hidden: HiddenWindows | None = None
        self._focus: QWidget | None = None  # where the user was typing when it locked
        self.idle = IdleWatcher(idle_lock_ms, self)
        self.idle.idle.connect(lambda: self.lock(IDLE))
        if self.desks:
            self.desks[0].activate()

    def _about(self) -> None:
        from app.version import current

        self.env.dialogs.show_info(
            self, "关于一窗通", f"{current().line()}\n乡镇（街道）便民服务中心综合受理客户端"
        )

    def keep_unsaved(self) -> list[str]:
        """Every desk keeps what was entered and not yet saved (before a sign-out, a lock or
        closing); what each kept, to tell the user."""
        return [kept for desk in self.desks if (kept := desk.keep_unsaved())]

    def desk(self, object_name: str) -> Desk | None:
        return next((d for d in self.desks if d.objectName() == object_name), None)

    def show_desk(self, object_name: str) -> Desk:
        desk = self.desk(object_name)
        if desk is None:
            raise LookupError(f"no desk {object_name} for this user")
        self.tabs.setCurrentWidget(desk)
        return desk

    def _desk_shown(self, index: int) -> None:
        if 0 <= index < len(self.desks):
            self.desks[index].activate()

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText(BUSY_TEXT if busy else "")
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def lock(self, reason: str = MANUAL) -> None:
        """Cover the whole window until the same user's password is given again (``reason``:
        MANUAL for Ctrl+L or the menu, IDLE for the idle timer — the lock page says which)."""
        if self.lock_screen is not None:
            return
        self.idle.pause()
        self.keep_unsaved()  # the lock page may lead to 切换用户, or the PC be switched off
        backend = self.env.backend
        self._focus = QApplication.focusWidget()
        self._hidden = HiddenWindows(self)
        screen = LockScreen(
            backend.store,
            self.env.runner,
            backend.actor,
            self,
            reason=reason,
            locked_at=backend.ctx.clock(),
        )
        screen.unlocked.connect(self._unlocked)
        screen.switch_user.connect(self.sign_out_requested)
        self.lock_screen = screen
        self._set_locked(True)
        screen.setGeometry(self.rect())
        screen.show()
        screen.raise_()
        screen.password.setFocus()
        self.env.runner.write(
            lambda: backend.run(lock_workstation, reason=reason), changes_cases=False
        )

    def _set_locked(self, locked: bool) -> None:
        # Hidden desks and disabled actions: no shortcut reaches a desk from the lock page.
        self.tabs.setVisible(not locked)
        self.menuBar().setEnabled(not locked)
        self.statusBar().setVisible(not locked)
        for action in (*self.actions(), self.lock_action, self.password_action):
            action.setEnabled(not locked)

    def _unlocked(self) -> None:
        screen = self.lock_screen
        self.lock_screen = None
        self._set_locked(False)
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        if self._hidden is not None:
            self._hidden.restore()
            self._hidden = None
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus()
        self.idle.restart()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.lock_screen is not None:
            self.lock_screen.setGeometry(self.rect())

    def change_password(self, *, required: bool = False) -> PasswordDialog:
        dialog = PasswordDialog(self.env.backend, self.env.runner, required=required, parent=self)
        dialog.open()
        return dialog

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle.stop()
        super().closeEvent(event)
