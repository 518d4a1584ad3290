"""The login window: user name and password, checked in the background (Argon2 takes a
quarter of a second), wrong password and lockout explained in plain words.

It is shown before the store is open (start-up opens it in a worker); the clerk can type
meanwhile and the button works once :meth:`LoginDialog.set_ready` is called."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from ui.titles import window_title
from ui.worker import Runner

if TYPE_CHECKING:
    from db.store import Store
    from ui.backend import SignedIn, Workstation


class LoginDialog(QDialog):
    """Emits ``signed_in`` and accepts when the password is right."""

    signed_in = Signal(object)  # SignedIn

    def __init__(
        self, runner: Runner, *, demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setAccessibleName("登录")
        self.setWindowTitle(window_title(f"登录{'（演示模式）' if demo else ''}"))
        self._runner = runner
        self._store: Store | None = None
        self._store_of: Callable[[], Store] | None = None  # set_opening: the store, later
        self._station: Workstation | None = None
        self._signing_in = False

        title = QLabel("一窗通")
        self.title = title
        title.setObjectName("loginCentre")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subtitle = QLabel("一窗通 · 综合受理系统")
        self.subtitle = subtitle
        subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.username = QLineEdit()
        self.username.setObjectName("loginUsername")
        self.username.setAccessibleName("用户名")
        self.username.setPlaceholderText("用户名")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setAccessibleName("密码")
        self.password.setPlaceholderText("密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        self.button = QPushButton("登录")
        self.button.setObjectName("loginButton")
        self.button.setAccessibleName("登录")
        self.button.setDefault(True)
        self.button.setProperty("primary", True)
        self.button.clicked.connect(self.submit)
        self.button.setEnabled(False)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)

        form = QFormLayout()
        form.addRow("用户名", self.username)
        form.addRow("密码", self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(self.message)
        if demo:
            hint = QLabel(
                "演示账号：clerk1（窗口受理员）、approver1（审批）、proxy1（代办员）、"
                "supervisor1、admin1、auditor1；密码均为 demo1234"
            )
            hint.setObjectName("loginDemoHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#555;")
            layout.addWidget(hint)
        layout.addWidget(self.button)
        for edit in (self.username, self.password):
            edit.setMinimumWidth(320)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        self.set_status("正在打开本地数据库…")
        self.username.setFocus()

    def set_status(self, text: str) -> None:
        self.message.setStyleSheet("color:#555;")
        self.message.setText(text)

    def set_notice(self, text: str) -> None:
        """News from the sitting that just ended (e.g. a half-filled form kept as a draft)."""
        self.message.setStyleSheet("color:#1b5e20;")
        self.message.setText(text)

    def set_ready(self, station: Workstation, store: Store) -> None:
        """The store is open: show the centre and let the clerk sign in."""
        self._store = store
        self._store_of = lambda: store
        self._show_station(station)

    def set_opening(self, station: Workstation, store_of: Callable[[], Store]) -> None:
        """The store opens with its key and is at head; the rest is still loading behind the
        window. The clerk may sign in already: the sign-in goes to the writer thread after the
        open, and ``store_of`` (called there) gives the store it opened."""
        self._store_of = store_of
        self._show_station(station)

    def _show_station(self, station: Workstation) -> None:
        self._station = station
        self.title.setText(station.centre_name)
        self.subtitle.setText(f"一窗通 · 综合受理系统 · 工作站 {station.code}")
        if not self._signing_in:  # a sign-in under way keeps its 正在登录… and button
            self.message.clear()
            self.button.setEnabled(True)

    def set_failed(self, text: str) -> None:
        self.message.setStyleSheet("color:#b3261e;")
        self.message.setText(text)
        self.button.setEnabled(False)

    @property
    def ready(self) -> bool:
        return self._store is not None

    def submit(self) -> None:
        store_of, station = self._store_of, self._station
        if store_of is None or station is None:
            return  # still opening the store (the button is disabled meanwhile)
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self._refused("请输入用户名。", self.username)
            return
        if not password:
            self._refused("请输入密码。", self.password)
            return
        self.button.setEnabled(False)
        self.set_status("正在登录…")
        self._signing_in = True
        code = station.code
        self._runner.write(
            lambda: _sign_in(store_of(), username, password, code),
            self._succeeded,
            self._failed,
            owner=self,
            changes_cases=False,
        )

    def _succeeded(self, result: SignedIn) -> None:
        self._signing_in = False
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        self.signed_in.emit(result)
        self.accept()

    def _failed(self, error: AppError) -> None:
        self._signing_in = False
        self.button.setEnabled(True)
        self._refused(error.message, self.password)
        self.password.clear()

    def _refused(self, text: str, focus: QLineEdit) -> None:
        self.message.setStyleSheet("color:#b3261e;")
        self.message.setText(text)
        focus.setFocus()


def _sign_in(store: Store, username: str, password: str, code: str) -> SignedIn:
    """On the writer thread: the sign-in path loads with the store, never on the UI thread."""
    from ui.backend import sign_in

    return sign_in(store, username, password, code)
