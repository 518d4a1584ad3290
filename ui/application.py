"""Start-up of the GUI: the login window first (in well under a second), then the store is
opened in the background; the login button works once it is ready.

Only light modules are imported here; SQLAlchemy, Alembic and the desks load in the worker
(``ui.startup``), so the window is on screen while they do.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.demo.stations import (
    COUNTY_OWNER,
    DEMO_CLERK_SECONDS,
    DEMO_COUNTY_PORT,
    DEMO_SIGN_IN,
)
from app.errors import AppError
from app.system.paths import default_data_dir, demo_key_file
from ui.crash import CrashHandler
from ui.demo_county import DemoCountyStarter
from ui.dialogs import Dialogs, QtDialogs
from ui.refcounts import guard_singletons
from ui.signin.login_dialog import LoginDialog
from ui.startup import Opened, StoreHolder, glance_for_gui, open_for_gui, preload_desks
from ui.station import Workstation
from ui.style import apply_style
from ui.worker import Runner

if TYPE_CHECKING:
    from db.store import Store
    from ui.session import SessionController

# Smoke tests (and the frozen-build check) set this: start, wait until the login window is
# ready (store open), quit.
SMOKE_ENV = "ONEWINDOW_SMOKE_TEST"


def resolve_data_dir(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """(data dir, key file). Demo mode: a fresh directory and its labelled demo key file."""
    if args.demo:
        station = getattr(args, "workstation", None)
        prefix = f"onewindow-demo-{station}-" if station and station != "W01" else "onewindow-demo-"
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix=prefix))
        return data_dir, args.key_file or demo_key_file(data_dir)
    return args.data_dir or default_data_dir(), args.key_file


def store_status(store: Store) -> tuple[str, str]:
    return (
        f"本地数据库：已加密（SQLCipher）· 密钥：{store.key_source.describe()}",
        f"数据目录：{store.data_dir}",
    )


def build_session(
    store: Store,
    demo_mode: bool,
    dialogs: Dialogs | None = None,
    runner: Runner | None = None,
    **options: Any,
) -> SessionController:
    from ui.backend import workstation
    from ui.session import SessionController

    text, tip = store_status(store)
    return SessionController(
        store,
        dialogs or QtDialogs(),
        runner or Runner(),
        workstation(store),
        demo=demo_mode,
        store_text=text,
        store_tip=tip,
        **options,
    )


class _Progress(QObject):
    """Carries the demo seeding's progress from the worker to the login window."""

    step = Signal(int, int)


def _demo_county(args: argparse.Namespace, data_dir: Path) -> DemoCountyStarter:
    """The demo county for this demo window (W01 starts it, the others find it)."""
    station = getattr(args, "workstation", None)
    return DemoCountyStarter(
        data_dir,
        # A data directory reopened without --workstation: its store says which it is.
        station or (COUNTY_OWNER if _empty(data_dir) else None),
        port=getattr(args, "demo_county_port", DEMO_COUNTY_PORT),
        clerk_delay=getattr(args, "demo_clerk_delay", DEMO_CLERK_SECONDS),
    )


def _empty(data_dir: Path) -> bool:
    return not data_dir.exists() or not any(data_dir.iterdir())


def _county_line(line: str, sessions: list[SessionController]) -> None:
    """The demo county is up (or could not be): say so, and sync now if signed in."""
    print(f"演示县级服务：{line}", file=sys.stderr, flush=True)
    for session in sessions:
        if session.sync is not None:
            session.sync.sync()


def store_error_box(parent: QWidget | None, error: AppError) -> QMessageBox:
    """What a person sees when the store does not open at start (no keyring, a data directory
    that cannot be written, another PC's store, a newer program's): the message names the way
    forward; the program then exits."""
    box = QMessageBox(QMessageBox.Icon.Critical, "无法打开本地数据库", str(error), parent=parent)
    box.setObjectName("storeErrorBox")
    return box


def run_gui(args: argparse.Namespace) -> int:
    guard_singletons()  # before the first Qt call of the day (ui/refcounts.py)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("OneWindow")
    app.setApplicationDisplayName("一窗通")
    apply_style(app)
    smoke = bool(os.environ.get(SMOKE_ENV))
    data_dir, key_file = resolve_data_dir(args)

    dialogs = QtDialogs()
    # Every bug, from a Qt callback (sys.excepthook), a thread or a runner task, is logged and
    # offered as a diagnostics bundle; the desk that ran it is released by the runner.
    crash = CrashHandler(dialogs)
    crash.install()
    runner = Runner(crash=crash.excepthook)
    login = LoginDialog(runner, demo=args.demo)
    login.show()
    if smoke:
        print(f"smoke test: login window shown, data dir {data_dir}", flush=True)
        # Qt's own words (the standard buttons, the right-click menus) as staff see them.
        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        print(f"smoke test: Qt's Cancel button reads {cancel}", flush=True)
    progress = _Progress()
    progress.step.connect(
        lambda done, total: login.set_status(f"正在准备演示中心的数据（首次启动）… {done}/{total}")
    )
    sessions: list[SessionController] = []
    county = _demo_county(args, data_dir) if args.demo and not smoke else None
    if county is not None:
        county.finished.connect(lambda line, failed: _county_line(line, sessions))
        county.start()
    station = getattr(args, "workstation", None)
    if args.demo and station in DEMO_SIGN_IN:
        login.username.setText(DEMO_SIGN_IN[station])
        login.password.setFocus()

    # The login button works as soon as a glance shows the key opens the store at head; the
    # full open (SQLAlchemy, the sign-in path) goes on behind it, and a sign-in asked for
    # meanwhile runs after it on the same writer thread (ui/startup.py).
    holder = StoreHolder()
    usable: list[bool] = []

    def say_usable() -> None:
        if smoke and not usable:
            print("smoke test: login window ready", flush=True)
        usable.append(True)

    def glanced(station: Workstation | None) -> None:
        if station is not None and not login.ready:
            login.set_opening(station, holder.get)
            say_usable()

    def opened(result: Opened) -> None:
        crash.store = result.store
        session = build_session(
            result.store, args.demo, dialogs, runner, save_diagnostics=crash.save_diagnostics
        )
        session.start(login)
        sessions.append(session)
        if county is not None:
            county.store_opened(result.store)
        runner.read(preload_desks)
        say_usable()
        if smoke:
            print("smoke test: sign-in loaded", flush=True)
            QTimer.singleShot(0, app.quit)

    def failed(error: AppError) -> None:
        print(f"无法打开本地数据库：{error}", file=sys.stderr)
        login.set_failed(f"无法打开本地数据库：{error.message}")
        if not smoke:
            store_error_box(login, error).exec()
        app.exit(1)

    demo = bool(args.demo)
    runner.write(lambda: glance_for_gui(data_dir, key_file, demo, station), glanced)
    runner.write(
        lambda: open_for_gui(data_dir, key_file, demo, progress.step.emit, station, holder),
        opened,
        failed,
    )
    try:
        return app.exec()
    finally:
        crash.store = None
        for session in sessions:
            session.shutdown()
        if county is not None:
            county.stop()  # after the last sync round; before the store it activates closes
        for session in sessions:
            session.store.close()
        runner.shutdown()
        crash.uninstall()
