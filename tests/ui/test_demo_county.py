"""``onewindow --demo`` with its county, as ``ui.application.run_gui`` wires it: the demo county
starts beside the window on a thread of its own, the workstation is activated against it, and
the status bar reaches 已连接 once the first sync is through (the seeded cases went up)."""

from __future__ import annotations

import socket
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.cli import build_parser
from app.demo.centre import demo_key_file
from app.demo.seed import MIN_CASES
from app.demo.start import ensure_demo_centre
from app.demo.users import DEMO_PASSWORD
from app.sync.session import sync_status
from db.store import open_store
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.application import _county_line, _demo_county, build_session
from ui.session import SessionController
from ui.worker import Runner


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_the_demo_window_starts_its_county_and_the_status_bar_says_connected(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data_dir = tmp_path / "demo"
    args = build_parser().parse_args(
        ["--demo", "--demo-county-port", str(free_port()), "--demo-clerk-delay", "1"]
    )
    county = _demo_county(args, data_dir)  # a fresh directory: W01, the county's owner
    sessions: list[SessionController] = []
    county.finished.connect(lambda line, failed: _county_line(line, sessions))
    lines: list[tuple[str, bool]] = []
    county.finished.connect(lambda line, failed: lines.append((line, failed)))
    county.start()  # before the store is even open, as at launch
    store = open_store(data_dir, demo_key_file(data_dir))
    try:
        ensure_demo_centre(store, cases=MIN_CASES)
        runner = Runner()
        session = build_session(store, True, FakeDialogs(), runner, idle_lock_ms=3_600_000)
        login = session.start()
        qtbot.addWidget(login)
        sessions.append(session)
        county.store_opened(store)

        qtbot.keyClicks(login.username, "clerk1")
        qtbot.keyClicks(login.password, DEMO_PASSWORD)
        with qtbot.waitSignal(session.window_opened, timeout=15_000):
            qtbot.keyClick(login.password, Qt.Key.Key_Return)
        window = session.window
        assert window is not None
        qtbot.addWidget(window)
        label = window.online_label
        qtbot.waitUntil(lambda: bool(lines), timeout=120_000)
        assert lines[0][1] is False and "激活本工作站" in lines[0][0]
        qtbot.waitUntil(lambda: label.text().startswith("县级系统：已连接"), timeout=120_000)
        assert "最近同步" in label.text()
        status = sync_status(store)
        assert (status.queued, status.parked) == (0, 0)  # the seeded centre went up whole
        save_screenshots(window, "demo-county-connected")
        wait_idle(qtbot, runner)
        session.shutdown()
    finally:
        county.stop()
        store.close()
