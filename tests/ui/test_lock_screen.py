"""The workstation lock: Ctrl+L or idle time covers the whole window (nothing of the desk can be
read or reached), says why it locked, and the same user's password unlocks it — audited as an
unlock, never as a sign-in; a wrong password counts towards the account's lockout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import passwords
from app.audit import AuditEvent
from db.models import AuditEntry, User
from tests.cases.helpers import case_row
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import main_window
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from tests.ui.test_review_desk import accepted, choose
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.desks.review.desk import ReviewDesk
from ui.main_window import MainWindow
from ui.signin.lock_screen import LockScreen
from ui.worker import Runner

PASSWORD = "Window-2026"
GAOLING = "高龄津贴"


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[Runner]:
    runner = Runner()
    yield runner
    wait_idle(qtbot, runner)
    runner.shutdown()


def open_window(
    qtbot: QtBot, centre: Centre, runner: Runner, *, idle_lock_ms: int = 3_600_000
) -> tuple[MainWindow, ReviewDesk]:
    """The approver's window on the 审批台 (the approver's password set to PASSWORD)."""
    with centre.store.session() as session, session.begin():
        user = session.scalars(select(User).where(User.username == "approver")).one()
        user.password_hash = passwords.hash_password(PASSWORD)
    env = DeskEnv(
        DeskBackend(centre.store, centre.ctx.calendar, centre.actor("approver"), centre.clock),
        runner,
        FakeDialogs(),
    )
    desk = ReviewDesk(env)
    window = main_window(env, [desk], idle_lock_ms=idle_lock_ms)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, runner)
    return window, desk


def lock_of(window: MainWindow) -> LockScreen | None:
    """The window's lock page, if locked (a function: no type narrowing from earlier asserts)."""
    return window.lock_screen


def the_lock(window: MainWindow) -> LockScreen:
    screen = window.lock_screen
    assert isinstance(screen, LockScreen) and screen.isVisible()
    return screen


def assert_nothing_of_the_desk_shows(window: MainWindow, screen: LockScreen) -> None:
    # The lock page is a part of the window itself, covering all of it…
    assert screen.parentWidget() is window and screen.geometry() == window.rect()
    rect = window.rect()
    for x in range(0, rect.width(), 40):
        for y in range(0, rect.height(), 40):
            hit = window.childAt(QPoint(x, y))
            assert hit is not None and (hit is screen or screen.isAncestorOf(hit)), (x, y, hit)
    # …and no widget holding the desk's text is even shown underneath it.
    shown = [
        w
        for w in window.findChildren(QWidget)
        if w.isVisible() and w is not screen and not screen.isAncestorOf(w)
    ]
    assert all(w is window.menuBar() for w in shown), shown
    assert not window.menuBar().isEnabled()


def lock_text(screen: LockScreen) -> str:
    return " ".join(label.text() for label in screen.findChildren(QLabel))


def audit_events(centre: Centre) -> list[tuple[str, dict[str, object]]]:
    with centre.store.reader() as session:
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.actor == "approver", AuditEntry.event.notlike("case.%"))
            .order_by(AuditEntry.id)
        ).all()
        return [(row.event, dict(row.detail)) for row in rows]


def test_ctrl_l_covers_the_whole_window_says_it_was_manual_and_no_key_reaches_the_desk(
    qtbot: QtBot, centre: Centre, runner: Runner
) -> None:
    case_id = accepted(centre, GAOLING)
    window, desk = open_window(qtbot, centre, runner)
    choose(qtbot, desk, case_id)
    preview = QDialog(window)  # e.g. a document preview: a window of its own
    preview.setWindowTitle("受理通知书预览")
    preview.show()

    qtbot.keyClick(desk.queue.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    screen = the_lock(window)
    assert_nothing_of_the_desk_shows(window, screen)
    assert not preview.isVisible()
    assert screen.password.hasFocus()
    text = lock_text(screen)
    assert "工作站已锁定" in text and "已手动锁定" in text
    assert "长时间无操作" not in text
    save_screenshots(window, "lock-screen-manual")
    assert screen.geometry() == window.rect()  # it followed the window's resizes

    # The desk's shortcuts do not fire from the lock page: F6 would start the review.
    qtbot.keyClick(screen.password, Qt.Key.Key_F6)
    qtbot.keyClick(screen.password, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, runner)
    assert case_row(centre.store, case_id).state == "accepted"
    assert lock_of(window) is screen

    qtbot.keyClicks(screen.password, PASSWORD)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert lock_of(window) is None and not screen.isVisible()
    assert desk.isVisible() and preview.isVisible()
    assert desk.case_id == case_id  # everything as it was
    wait_idle(qtbot, runner)
    assert [event for event, _ in audit_events(centre)] == [
        AuditEvent.WORKSTATION_LOCKED,
        AuditEvent.WORKSTATION_UNLOCKED,
    ]
    assert audit_events(centre)[0][1] == {"reason": "manual"}


def test_idle_lock_says_it_locked_for_inactivity(
    qtbot: QtBot, centre: Centre, runner: Runner
) -> None:
    window, _desk = open_window(qtbot, centre, runner, idle_lock_ms=300)
    qtbot.waitUntil(lambda: lock_of(window) is not None, timeout=5_000)
    screen = the_lock(window)
    assert_nothing_of_the_desk_shows(window, screen)
    assert "长时间无操作，已自动锁定" in lock_text(screen)
    assert "已手动锁定" not in lock_text(screen)
    save_screenshots(window, "lock-screen-idle")
    wait_idle(qtbot, runner)
    assert audit_events(centre) == [(AuditEvent.WORKSTATION_LOCKED, {"reason": "idle"})]


def test_unlock_is_audited_as_unlock_and_wrong_passwords_count_towards_lockout(
    qtbot: QtBot, centre: Centre, runner: Runner
) -> None:
    window, _desk = open_window(qtbot, centre, runner)
    window.lock()
    screen = the_lock(window)
    qtbot.keyClicks(screen.password, "not-it")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert screen.message.text() and lock_of(window) is screen  # still locked
    with centre.store.reader() as session:
        user = session.scalars(select(User).where(User.username == "approver")).one()
        assert user.failed_attempts == 1  # counts towards the lockout as at the login window

    qtbot.keyClicks(screen.password, PASSWORD)
    with qtbot.waitSignal(screen.unlocked, timeout=10_000):
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    events = audit_events(centre)
    assert [event for event, _ in events] == [
        AuditEvent.WORKSTATION_LOCKED,
        AuditEvent.UNLOCK_FAILED,
        AuditEvent.WORKSTATION_UNLOCKED,
    ]
    assert events[1][1]["reason"] == "wrong_password" and events[1][1]["failures"] == 1
    assert AuditEvent.LOGIN_OK not in [event for event, _ in events]
    with centre.store.reader() as session:
        user = session.scalars(select(User).where(User.username == "approver")).one()
        assert user.failed_attempts == 0  # the right password clears the count


def test_five_wrong_unlock_passwords_lock_the_account(
    qtbot: QtBot, centre: Centre, runner: Runner
) -> None:
    window, _desk = open_window(qtbot, centre, runner)
    window.lock()
    screen = the_lock(window)
    for _ in range(5):
        qtbot.keyClicks(screen.password, "not-it")
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        wait_idle(qtbot, runner)
    assert screen.message.text().startswith("用户名或密码不正确")  # the lock is not named…
    qtbot.keyClicks(screen.password, PASSWORD)  # …until the right password, refused all the same
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert lock_of(window) is screen and "账号已锁定" in screen.message.text()
    events = [event for event, _ in audit_events(centre)]
    assert events.count(AuditEvent.LOGIN_LOCKED) == 1
    assert AuditEvent.WORKSTATION_UNLOCKED not in events
