"""统计看板 screenshots on the demo centre (300 cases, as the demo seeds them): the supervisor's
month and year, the approver's own, a list of cases behind a bar; nothing clipped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.demo.seed import DEFAULT_CASES
from app.reports.presets import Preset
from db.store import Store
from tests.reports.demo_store import demo_store
from tests.ui.clipping import clipped
from tests.ui.drive import main_window
from tests.ui.screenshots import save_screenshot, save_screenshots
from tests.ui.test_dashboard import env_of, listed_ids, settle
from ui.desks.dashboard.desk import DashboardDesk
from ui.worker import Runner


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from demo_store(tmp_path_factory, DEFAULT_CASES)


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[Runner]:
    made = Runner()
    yield made
    qtbot.waitUntil(lambda: made.pending == 0, timeout=20_000)
    made.shutdown()


def shown(qtbot: QtBot, demo: Store, runner: Runner, user: str) -> tuple[object, DashboardDesk]:
    env = env_of(demo, runner, user)
    desk = DashboardDesk(env)
    window = main_window(env, [desk])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    desk.activate()
    settle(qtbot, desk)
    return window, desk


def test_screenshots(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    window, desk = shown(qtbot, demo, runner, "supervisor1")
    assert desk.shown is not None and desk.shown.figures.received > 0
    for width, height in ((1366, 768), (1920, 1080)):
        window.resize(width, height)  # type: ignore[attr-defined]
        qtbot.wait(50)
        assert clipped(window) == [], (width, height)  # type: ignore[arg-type]
    save_screenshots(window, "dashboard-month")  # type: ignore[arg-type]

    desk.picker.choose(Preset.THIS_YEAR)
    settle(qtbot, desk)
    save_screenshots(window, "dashboard-year")  # type: ignore[arg-type]

    desk.by_person.sets["逾期"].clicked.emit(0)
    listed_ids(qtbot, desk)
    assert desk.cases is not None
    qtbot.waitUntil(
        lambda: desk.cases is not None and desk.cases.detail.timeline_table.rowCount() > 0
    )
    save_screenshot(desk.cases, "dashboard-cases")


def test_approver_screenshot(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    window, desk = shown(qtbot, demo, runner, "approver1")
    assert not desk.breakdowns.isVisible()
    assert clipped(window) == []  # type: ignore[arg-type]
    save_screenshots(window, "dashboard-approver")  # type: ignore[arg-type]
