"""The 评价器 on this process's screens, run by tests/ui/test_evaluation_screens.py in a child
process with ``QT_QPA_PLATFORM=offscreen:configfile=…`` describing one or two screens
(``ONEWINDOW_RATING_SCREENS``: ``1366x768`` or ``1366x768+1920x1080``, the clerk's first).

The clerk signs in at the real login window, takes a walk-in at the 受理台 and accepts it; the
resident then rates the 收件受理 — on the second screen, full screen in the 评价器 window while the
clerk's window stays usable, or, with one screen, in the modal dialog over the clerk's window. A
差评 asks why, is recorded with its reasons and opens a rectification task; the thank-you gives way
after a few seconds. Every state is measured (tests/ui/clipping.py) and saved as
``screenshots/evaluation-<window|dialog>-<state>-<resident's screen>.png``.

Collected only when named on the command line (its name does not start with ``test_``), and
skipped without its environment.
"""

from __future__ import annotations

import os

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.evaluations.levels import Level, Reason
from app.evaluations.rectification import TaskState
from tests.centre import Centre
from tests.ui import test_intake_desk as front
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.rating_drive import ResidentFacing, evaluations, open_dialog, rater_window
from tests.ui.screenshots import SCREENSHOT_DIR
from tests.ui.test_whole_cases import _passwords, sign_in
from ui.application import build_session
from ui.desks.intake.desk import IntakeDesk
from ui.evaluation import hosts
from ui.worker import Runner

SCREENS = os.environ.get("ONEWINDOW_RATING_SCREENS")

pytestmark = pytest.mark.skipif(
    SCREENS is None, reason="run by tests/ui/test_evaluation_screens.py in a process of its own"
)


def shoot(widget: QWidget, name: str, problems: list[str]) -> None:
    QApplication.processEvents()  # queued layout lands before measuring and grabbing
    problems += [f"{name}: {found}" for found in clipped(widget)]
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    assert widget.grab().save(str(SCREENSHOT_DIR / f"{name}.png")), name


def test_the_resident_rates_on_these_screens(qtbot: QtBot, centre: Centre) -> None:
    assert SCREENS is not None
    sizes = SCREENS.split("+")
    screens = QGuiApplication.screens()
    assert [f"{s.geometry().width()}x{s.geometry().height()}" for s in screens] == sizes
    _passwords(centre)
    session = build_session(
        centre.store, False, ResidentFacing(), Runner(), clock=centre.clock, idle_lock_ms=3_600_000
    )
    qtbot.addWidget(session.start())
    window = sign_in(qtbot, session, "clerk")
    window.move(screens[0].availableGeometry().topLeft())
    window.resize(screens[0].availableGeometry().size())
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    front.pick_dibao(qtbot, desk)
    front.fill_dibao(qtbot, desk)
    front.tick(qtbot, desk, front.REQUIRED)
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # 受理
    assert "已受理" in front.notice(desk)
    wait_idle(qtbot, session.runner)

    problems: list[str] = []
    host: QWidget
    if len(screens) > 1:
        rater = rater_window()
        assert rater is not None, "no 评价器 window"
        assert window.screen() is screens[0]
        assert rater.screen() is screens[1] and rater.isFullScreen()
        assert rater.geometry() == screens[1].geometry()
        assert rater.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert open_dialog() is None and QApplication.activeModalWidget() is None
        assert window.isEnabled()  # the clerk carries on meanwhile, typing where they were
        assert window.isActiveWindow() and not rater.isActiveWindow(), QApplication.activeWindow()
        typing = QApplication.focusWidget()
        assert typing is not None and desk.isAncestorOf(typing)
        host, panel, kind = rater, rater.panel, "window"
    else:
        dialog = open_dialog()
        assert dialog is not None and dialog.isModal()
        assert dialog.screen() is screens[0]
        room = screens[0].availableGeometry()
        assert dialog.width() <= room.width() and dialog.height() <= room.height()
        host, panel, kind = dialog, dialog.panel, "dialog"
    suffix = sizes[-1]  # the resident's screen
    assert panel.served.text() == "您正在评价：clerk W01 窗口 · 收件受理"
    shoot(host, f"evaluation-{kind}-{suffix}", problems)

    panel.level_buttons[Level.DISSATISFIED].click()
    for reason in (Reason.NOT_TOLD_ONCE, Reason.MANY_TRIPS):
        panel.reason_boxes[reason].click()
    commit_text(panel.text, "第一次来没有说清楚要带户口本，又跑了一趟")
    shoot(host, f"evaluation-{kind}-reasons-{suffix}", problems)
    panel.submit.click()
    qtbot.waitUntil(lambda: panel.thanked, timeout=10_000)
    shoot(host, f"evaluation-{kind}-thanks-{suffix}", problems)
    (rating,) = evaluations(centre)
    assert rating.level == Level.DISSATISFIED.value and rating.service == "intake"
    assert sorted(rating.reasons) == ["many_trips", "not_told_once"]
    assert rating.task_state == TaskState.TO_VERIFY.value

    if kind == "window":
        assert isinstance(host, hosts.RaterWindow)
        rater = host
        qtbot.waitUntil(lambda: not rater.rating, timeout=hosts.THANKS_MS + 3_000)
        assert rater.isVisible()  # the welcome page stays on the resident's screen
        shoot(rater, f"evaluation-window-welcome-{suffix}", problems)
    else:
        qtbot.waitUntil(
            lambda: not shiboken6.isValid(host) or not host.isVisible(),
            timeout=hosts.THANKS_MS + 3_000,
        )
    session.runner.shutdown()
    assert not problems, "cut off on screen:\n" + "\n".join(problems)
