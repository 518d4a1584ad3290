"""The login window and the idle lock, driven like a clerk would."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import passwords
from app.audit import AuditEvent
from db.models import AuditEntry, User
from tests.centre import Centre
from tests.ui.drive import main_window
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshot
from ui.backend import DeskBackend, SignedIn, workstation
from ui.desk_base import DeskEnv
from ui.desks.catalog_desk import CatalogDesk
from ui.main_window import MainWindow
from ui.signin.login_dialog import LoginDialog
from ui.worker import Runner

PASSWORD = "Window-2026"


def _set_password(centre: Centre, username: str) -> None:
    with centre.store.session() as session, session.begin():
        user = session.scalars(select(User).where(User.username == username)).one()
        user.password_hash = passwords.hash_password(PASSWORD)


def _login(qtbot: QtBot, centre: Centre, runner: Runner) -> LoginDialog:
    dialog = LoginDialog(runner)
    dialog.set_ready(workstation(centre.store), centre.store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


GENERIC = "用户名或密码不正确。连续输错 5 次，账号将锁定 15 分钟"


def _attempt(qtbot: QtBot, dialog: LoginDialog, runner: Runner, user: str, password: str) -> str:
    _type(qtbot, dialog.username, user)
    _type(qtbot, dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: runner.pending == 0)
    return dialog.message.text()


def test_wrong_password_then_lockout_then_right_password(qtbot: QtBot, centre: Centre) -> None:
    _set_password(centre, "clerk")
    runner = Runner()
    dialog = _login(qtbot, centre, runner)
    _type(qtbot, dialog.username, "clerk")
    _type(qtbot, dialog.password, "wrong-one")
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert dialog.message.text() == GENERIC
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.isVisible()

    for _ in range(4):
        _type(qtbot, dialog.password, "wrong-again")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: runner.pending == 0)
    assert dialog.message.text() == GENERIC  # locked now, but not said to a wrong password

    # The right password is refused while locked: only it is told of the lock and the wait.
    _type(qtbot, dialog.password, PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert "账号已锁定" in dialog.message.text() and "15 分钟" in dialog.message.text()
    with centre.store.reader() as session:
        locks = session.scalars(
            select(AuditEntry).where(AuditEntry.event == AuditEvent.LOGIN_LOCKED)
        ).all()
    assert len(locks) == 1


def test_a_wrong_password_and_an_unknown_user_read_the_same(qtbot: QtBot, centre: Centre) -> None:
    """The login window tells nobody which user names exist: not by the words, not by a count."""
    _set_password(centre, "clerk")
    runner = Runner()
    dialog = _login(qtbot, centre, runner)
    known = [_attempt(qtbot, dialog, runner, "clerk", "wrong-one") for _ in range(3)]
    unknown = [_attempt(qtbot, dialog, runner, "nobody", "wrong-one") for _ in range(3)]
    assert known == unknown == [GENERIC] * 3
    assert "还可尝试" not in dialog.message.text()


def test_right_password_signs_in_with_enter(qtbot: QtBot, centre: Centre) -> None:
    _set_password(centre, "approver")
    runner = Runner()
    dialog = _login(qtbot, centre, runner)
    save_screenshot(dialog, "login")
    qtbot.keyClicks(dialog.username, "approver")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.password  # Enter moves on
    qtbot.keyClicks(dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    signed: SignedIn = signal.args[0]
    assert signed.actor.username == "approver"
    assert signed.idle_lock_minutes == 10
    assert not signed.must_change_password


def test_empty_fields_are_named_and_nothing_is_tried(qtbot: QtBot, centre: Centre) -> None:
    runner = Runner()
    dialog = _login(qtbot, centre, runner)
    dialog.submit()
    assert dialog.message.text() == "请输入用户名。"
    _type(qtbot, dialog.username, "clerk")
    dialog.submit()
    assert dialog.message.text() == "请输入密码。"
    assert runner.pending == 0


def locked(window: MainWindow) -> bool:
    return window.lock_screen is not None


def test_idle_lock_keeps_the_work_and_asks_for_the_password(qtbot: QtBot, centre: Centre) -> None:
    _set_password(centre, "clerk")
    runner = Runner()
    env = DeskEnv(
        DeskBackend(centre.store, centre.ctx.calendar, centre.actor("clerk"), centre.clock),
        runner,
        FakeDialogs(),
    )
    desk = CatalogDesk(env)
    window = main_window(env, [desk], idle_lock_ms=300)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: runner.pending == 0)
    qtbot.keyClicks(desk.view.search, "zdshbz")  # work in progress

    qtbot.waitUntil(lambda: window.lock_screen is not None, timeout=5_000)
    screen = window.lock_screen
    assert screen is not None and screen.isVisible()
    qtbot.keyClicks(screen.password, "not-it")
    screen.submit()
    qtbot.waitUntil(lambda: screen.message.text() == GENERIC, timeout=10_000)
    assert locked(window)  # still locked

    qtbot.keyClicks(screen.password, PASSWORD)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        screen.submit()
    assert not locked(window)
    assert desk.view.search.text() == "zdshbz"  # nothing lost
    assert window.user_label.text() == "用户：clerk（窗口受理员）"
    assert window.online_label.text().startswith("县级系统")
