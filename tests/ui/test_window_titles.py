"""Window titles name the program once: Qt appends the application display name (一窗通) to a
title that does not end with it, so the title ends with it instead of beginning with it."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.ui.drive import main_window
from ui.desk_base import DeskEnv
from ui.signin.login_dialog import LoginDialog
from ui.titles import APP_NAME, window_title
from ui.worker import Runner


def shown(title: str) -> str:
    """The title as X11 and Windows show it (Qt's ``QPlatformWindow::formatWindowTitle``)."""
    return title if title.endswith(APP_NAME) else f"{title} — {APP_NAME}"


def test_the_main_window_names_the_program_once(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv]
) -> None:
    window = main_window(desk_env("clerk"), [])
    qtbot.addWidget(window)
    assert window.windowTitle() == "测试中心 — 一窗通"
    assert shown(window.windowTitle()).count(APP_NAME) == 1


def test_the_login_window_names_the_program_once(qtbot: QtBot) -> None:
    runner = Runner()
    try:
        for demo in (False, True):
            login = LoginDialog(runner, demo=demo)
            qtbot.addWidget(login)
            assert shown(login.windowTitle()).count(APP_NAME) == 1, login.windowTitle()
        assert login.windowTitle() == "登录（演示模式） — 一窗通"
    finally:
        runner.shutdown()


def test_window_title_leaves_out_empty_parts() -> None:
    assert window_title("", "登录") == "登录 — 一窗通"
    assert window_title() == APP_NAME
