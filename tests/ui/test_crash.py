"""The crash handler: the traceback in the redacted log, one Chinese message through the dialog
service, a diagnostics bundle when asked for, and never a loop."""

from __future__ import annotations

import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.store import Store
from tests.app_log import app_log, log_text
from tests.ui.fake_dialogs import FakeDialogs
from ui.crash import CRASH_TEXT, CRASH_TITLE, QUIET_SECONDS, CrashHandler
from ui.dialogs import QtDialogs

__all__ = ["app_log"]

ID_NUMBER = "11010519491231002X"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def crash(handler: CrashHandler, message: str = "the bug") -> None:
    """A bug reaching the handler with its traceback, as sys.excepthook gets it."""
    try:
        raise RuntimeError(message)
    except RuntimeError as error:
        handler.excepthook(type(error), error, error.__traceback__)


def test_a_bug_is_logged_with_its_traceback_redacted_and_the_user_told(
    qtbot: QtBot, app_log: Path
) -> None:
    dialogs = FakeDialogs()
    handler = CrashHandler(dialogs)
    crash(handler, f"证件号 {ID_NUMBER} 处理失败")
    assert dialogs.crash_offers == [(CRASH_TITLE, CRASH_TEXT)]
    assert "程序内部错误，本次操作未完成，已记录日志" in CRASH_TEXT and "诊断包" in CRASH_TEXT
    text = log_text(app_log)
    assert "ERROR onewindow.crash" in text and "Traceback" in text
    assert "处理失败" in text and ID_NUMBER not in text  # redacted as it was written
    assert dialogs.diagnostics_suggestions == []  # 关闭: nothing saved


def test_no_second_dialog_while_one_is_open(qtbot: QtBot, app_log: Path) -> None:
    class Reentrant(FakeDialogs):
        def offer_diagnostics(self, parent: QWidget | None, title: str, text: str) -> bool:
            crash(handler, "while the dialog is open")  # e.g. a paint event fails meanwhile
            return super().offer_diagnostics(parent, title, text)

    dialogs = Reentrant()
    handler = CrashHandler(dialogs)
    crash(handler)
    assert len(dialogs.crash_offers) == 1 and handler.crashes == 2
    assert "while the dialog is open" in log_text(app_log)


def test_a_dialog_that_fails_is_logged_and_not_reported_again(qtbot: QtBot, app_log: Path) -> None:
    class Broken(FakeDialogs):
        def offer_diagnostics(self, parent: QWidget | None, title: str, text: str) -> bool:
            raise RuntimeError("no screen")

    handler = CrashHandler(Broken())
    crash(handler)  # returns: nothing goes back into sys.excepthook
    assert handler.crashes == 1
    assert "the crash dialog failed" in log_text(app_log)


def test_bugs_right_after_a_dialog_are_logged_only(qtbot: QtBot, app_log: Path) -> None:
    dialogs, clock = FakeDialogs(), Clock()
    handler = CrashHandler(dialogs, clock=clock)
    crash(handler, "first")
    crash(handler, "repeats at once")  # a bug in a paint event comes back at every repaint
    assert len(dialogs.crash_offers) == 1
    clock.now += QUIET_SECONDS + 1
    crash(handler, "later")
    assert len(dialogs.crash_offers) == 2
    assert log_text(app_log).count("Traceback") == 3


def test_installed_it_gets_sys_excepthook_and_other_threads(qtbot: QtBot, app_log: Path) -> None:
    dialogs = FakeDialogs()
    handler = CrashHandler(dialogs, clock=Clock())
    before = (sys.excepthook, threading.excepthook)
    handler.install()
    try:
        assert sys.excepthook == handler.excepthook
        try:
            raise ValueError("from a Qt callback")
        except ValueError as error:
            sys.excepthook(type(error), error, error.__traceback__)
        handler._quiet_until = 0.0  # the next one is shown too

        def fails() -> None:
            raise OSError("from a thread")

        thread = threading.Thread(target=fails)
        thread.start()
        thread.join()
        # Logged on its thread; the dialog waits for the UI thread's event loop.
        qtbot.waitUntil(lambda: len(dialogs.crash_offers) == 2)
    finally:
        handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    text = log_text(app_log)
    assert "from a Qt callback" in text and "from a thread" in text


def test_the_bundle_is_saved_where_the_user_chose(
    qtbot: QtBot, app_log: Path, store: Store, tmp_path: Path
) -> None:
    dialogs = FakeDialogs()
    dialogs.save_diagnostics = True
    dialogs.diagnostics_path = tmp_path / "out" / "诊断包.zip"
    handler = CrashHandler(dialogs, store=store)
    crash(handler)
    [suggested] = dialogs.diagnostics_suggestions
    assert Path(suggested).name.startswith("一窗通诊断包-") and suggested.endswith(".zip")
    with zipfile.ZipFile(dialogs.diagnostics_path) as bundle:
        names = bundle.namelist()
        versions = bundle.read("versions.json").decode("utf-8")
        log = bundle.read("logs/onewindow.log").decode("utf-8")
    assert names == [
        "README.txt",
        "versions.json",
        "store_health.json",
        "logs/onewindow.log",
    ]
    assert '"Qt": "6.' in versions and '"Qt platform": "offscreen"' in versions
    assert "RuntimeError: the bug" in log
    [(title, text)] = dialogs.infos
    assert title == "诊断包已保存" and str(dialogs.diagnostics_path) in text


def test_a_bundle_that_cannot_be_written_is_said_so(
    qtbot: QtBot, app_log: Path, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    dialogs = FakeDialogs()
    dialogs.save_diagnostics = True
    dialogs.diagnostics_path = tmp_path / "a-file" / "bundle.zip"
    handler = CrashHandler(dialogs)
    crash(handler)
    [(title, text)] = dialogs.errors
    assert title == "诊断包未保存" and "请换一个位置再试" in text
    assert "diagnostics bundle not written" in log_text(app_log)


@pytest.mark.parametrize(("button", "expected"), [("保存诊断包…", True), ("关闭", False)])
def test_the_real_crash_message_offers_the_bundle(
    qtbot: QtBot, button: str, expected: bool
) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert box.text() == CRASH_TEXT
        [chosen] = [b for b in box.buttons() if b.text() == button]
        chosen.click()

    QTimer.singleShot(0, press)
    assert QtDialogs().offer_diagnostics(None, CRASH_TITLE, CRASH_TEXT) is expected
