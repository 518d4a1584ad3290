"""Start-up of the GUI: fonts, data directory, store, main window."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import demo
from app.errors import AppError, StoreError
from app.logs import configure_logging
from app.paths import default_data_dir
from db.store import Store, open_store
from ui.demo_startup import prepare_demo_with_progress
from ui.dialogs import Dialogs, QtDialogs
from ui.session import SessionController
from ui.style import apply_style

# Smoke tests (and the frozen-build check) set this to start, show the window and quit at once.
SMOKE_ENV = "ONEWINDOW_SMOKE_TEST"


def resolve_data_dir(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """(data dir, key file). Demo mode: a fresh directory and its labelled demo key file."""
    if args.demo:
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="onewindow-demo-"))
        return data_dir, args.key_file or demo.demo_key_file(data_dir)
    return args.data_dir or default_data_dir(), args.key_file


def store_status(store: Store) -> tuple[str, str]:
    return (
        f"本地数据库：已加密（SQLCipher）· 密钥：{store.key_source.describe()}",
        f"数据目录：{store.data_dir}",
    )


def build_session(
    store: Store, demo_mode: bool, dialogs: Dialogs | None = None, **options: Any
) -> SessionController:
    text, tip = store_status(store)
    return SessionController(
        store, dialogs or QtDialogs(), demo=demo_mode, store_text=text, store_tip=tip, **options
    )


def run_gui(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("OneWindow")
    app.setApplicationDisplayName("一窗通")
    apply_style(app)
    data_dir, key_file = resolve_data_dir(args)
    try:
        store = open_store(data_dir, key_file)
        configure_logging(data_dir)
        if args.demo:
            error_text = prepare_demo_with_progress(store)
            if error_text:
                raise StoreError(error_text)
    except AppError as error:
        print(f"无法打开本地数据库：{error}", file=sys.stderr)
        if not os.environ.get(SMOKE_ENV):
            QMessageBox.critical(None, "无法打开本地数据库", str(error))
        return 1
    session = build_session(store, args.demo)
    session.start()
    if os.environ.get(SMOKE_ENV):
        print(f"smoke test: login window shown, data dir {data_dir}")
        QTimer.singleShot(0, app.quit)
    try:
        return app.exec()
    finally:
        session.shutdown()
        store.close()
