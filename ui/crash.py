"""The crash handler: where every bug ends up, from ``sys.excepthook`` and from the runner.

It writes the traceback to the application log (redacted as it is written: ``app.logs``), then
tells the person at the window, in Chinese, that the action did not finish and offers to save a
diagnostics bundle (``app.diagnostics``) for technical support, through the replaceable
``Dialogs`` service (tests fake it).

One dialog at a time, and never a loop: a bug while the dialog is open, or within
:data:`QUIET_SECONDS` after it closed (a bug in a paint event repeats at once), or in the dialog
itself, is logged only — never shown again, never sent back into ``sys.excepthook``. A bug on
another thread is logged there and its dialog posted to the UI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from app.errors import INTERNAL_ERROR_MESSAGE
from app.system.logs import current_log_file
from ui.dialogs import Dialogs
from ui.worker import ExceptHook

if TYPE_CHECKING:
    from db.store import Store

CRASH_TITLE = "程序内部错误"
CRASH_TEXT = (
    f"{INTERNAL_ERROR_MESSAGE}\n\n"
    "可以保存一个诊断包（运行日志、版本和本地数据库状态，不含姓名、证件号码等个人信息）"
    "交给技术支持。"
)
ThreadHook = Callable[[threading.ExceptHookArgs], object]
#: After a crash dialog closes, further bugs for this long are logged without a dialog.
QUIET_SECONDS = 30.0

log = logging.getLogger("onewindow.crash")


class CrashHandler(QObject):
    """Call :meth:`install` at start-up; give the runner :meth:`excepthook` as its ``crash``."""

    _show_requested = Signal()

    def __init__(
        self,
        dialogs: Dialogs,
        *,
        store: Store | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.store = store  # set once the store is open: the bundle reports its health
        self.crashes = 0  # bugs seen this run
        self._clock = clock
        self._showing = False
        self._quiet_until = 0.0
        self._previous: tuple[ExceptHook, ThreadHook] | None = None
        # Auto connection: called at once on the UI thread, queued to it from any other.
        self._show_requested.connect(self._offer)

    # --- the hooks ------------------------------------------------------------------------

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """``sys.excepthook``'s signature: log the traceback, then offer the dialog."""
        self.crashes += 1
        log.error("unexpected error: %s", exc_type.__name__, exc_info=(exc_type, exc, tb))
        try:
            self._show_requested.emit()
        except RuntimeError:  # the handler's Qt side is gone (application shutting down)
            log.warning("crash dialog not shown: the application is closing")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def install(self) -> None:
        """Make this the handler of uncaught exceptions, on the UI thread and any other."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    # --- the dialog -----------------------------------------------------------------------

    @Slot()
    def _offer(self) -> None:
        if self._showing or self._clock() < self._quiet_until:
            log.info("crash dialog already shown: this error is in the log only")
            return
        self._showing = True
        try:
            parent = QApplication.activeWindow()
            if self.dialogs.offer_diagnostics(parent, CRASH_TITLE, CRASH_TEXT):
                self.save_diagnostics(parent)
        except Exception:  # never back into sys.excepthook: that would be a loop
            log.exception("the crash dialog failed")
        finally:
            self._showing = False
            self._quiet_until = self._clock() + QUIET_SECONDS

    def save_diagnostics(self, parent: QWidget | None) -> Path | None:
        """Ask where, write the bundle there and say so; None when cancelled or not written."""
        from app.system.diagnostics import build_bundle  # SQLAlchemy text etc.: only when asked for

        name = f"一窗通诊断包-{dt.datetime.now():%Y%m%d-%H%M%S}.zip"
        path = self.dialogs.choose_diagnostics_path(parent, str(Path.home() / name))
        if path is None:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            build_bundle(
                path,
                store=self.store,
                log_file=current_log_file(),
                extra_versions={"Qt": qVersion(), "Qt platform": QGuiApplication.platformName()},
            )
        except Exception as error:
            log.exception("diagnostics bundle not written")
            reason = error.strerror if isinstance(error, OSError) and error.strerror else "未知错误"
            self.dialogs.show_error(
                parent, "诊断包未保存", f"诊断包未能保存到 {path}（{reason}）。请换一个位置再试。"
            )
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.dialogs.show_info(
            parent,
            "诊断包已保存",
            f"诊断包已保存到：\n{path}\n其中不含姓名、证件号码等个人信息，可交给技术支持。",
        )
        return path
