"""帮助 menu of the main window: 保存诊断信息包 saves the crash dialog's bundle (the session
wires it to the crash handler), and 关于一窗通 shows the version and commit."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.version import current
from tests.centre import Centre
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.test_whole_cases import _passwords, sign_in
from ui.application import build_session
from ui.crash import CrashHandler
from ui.worker import Runner


def test_help_menu_saves_the_bundle_and_says_which_version(
    qtbot: QtBot, centre: Centre, tmp_path: Path
) -> None:
    _passwords(centre)
    dialogs = FakeDialogs()
    dialogs.diagnostics_path = tmp_path / "一窗通诊断包.zip"
    handler = CrashHandler(dialogs, store=centre.store)
    session = build_session(
        centre.store,
        False,
        dialogs,
        Runner(),
        clock=centre.clock,
        idle_lock_ms=3_600_000,
        save_diagnostics=handler.save_diagnostics,
    )
    qtbot.addWidget(session.start())
    window = sign_in(qtbot, session, "clerk")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus[-1] == "帮助(&H)"
    window.diagnostics_action.trigger()
    with zipfile.ZipFile(dialogs.diagnostics_path) as bundle:
        assert {"README.txt", "versions.json", "store_health.json"} <= set(bundle.namelist())
    assert dialogs.infos[-1][0] == "诊断包已保存"
    window.about_action.trigger()
    title, text = dialogs.infos[-1]
    assert title == "关于一窗通" and current().line() in text
    session.sign_out()
