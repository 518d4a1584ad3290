"""统计看板 on a seeded demo centre: the tiles are the figures, a tile and a chart's bar open the
cases behind them (as many as the figure), an approver sees only their own, and the desk reads
again when cases change (a write, or sync's changes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import decisions
from app.cases import queries as q
from app.reports.dashboard import Dashboard
from app.reports.figures import FigureRow, Grouping, figures
from app.reports.period import Period
from app.reports.presets import Preset
from db.models import Case
from db.store import Store
from tests.reports.demo_store import NOW, TODAY, actor_of, calendar_of, demo_store
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.desks.dashboard.desk import DashboardDesk
from ui.worker import Changed, Runner

HISTORY = Period(TODAY.replace(month=9, day=1), TODAY)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from demo_store(tmp_path_factory)


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[Runner]:
    made = Runner()
    yield made
    wait_idle(qtbot, made)
    made.shutdown()


def env_of(store: Store, runner: Runner, user: str) -> DeskEnv:
    backend = DeskBackend(store, calendar_of(store), actor_of(store, user), lambda: NOW)
    return DeskEnv(backend, runner, FakeDialogs())


def settle(qtbot: QtBot, desk: DashboardDesk) -> None:
    """Every read done: the figures (the desk's own reader), the lists and cases (the app's)."""
    qtbot.waitUntil(
        lambda: desk.reports.pending == 0 and desk.env.runner.pending == 0 and not desk._reading,
        timeout=20_000,
    )


def open_dashboard(
    qtbot: QtBot, store: Store, runner: Runner, user: str, period: Period = HISTORY
) -> DashboardDesk:
    desk = DashboardDesk(env_of(store, runner, user))
    qtbot.addWidget(desk)
    desk.resize(1366, 720)
    desk.show()
    desk.picker.set_custom(period.start, period.end)  # reads (as activate would)
    settle(qtbot, desk)
    assert desk.shown is not None and desk.shown.period == period
    return desk


def centre_figures(store: Store, period: Period, grouping: Grouping = Grouping.CENTRE) -> FigureRow:
    with store.reader() as session:
        return figures(session, period, grouping, today=TODAY, calendar=calendar_of(store)).total


def listed_ids(qtbot: QtBot, desk: DashboardDesk) -> list[int]:
    """Every case the open list has, its later pages fetched as scrolling would."""
    dialog = desk.cases
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.count.text() != "读取中…", timeout=10_000)
    model = dialog.model
    model.show_rows(0, model.rowCount() - 1)
    settle(qtbot, desk)
    ids = [model.case_id(r) for r in range(model.rowCount())]
    assert None not in ids
    return [i for i in ids if i is not None]


def test_the_tiles_are_the_centres_figures_and_open_their_cases(
    qtbot: QtBot, demo: Store, runner: Runner
) -> None:
    desk = open_dashboard(qtbot, demo, runner, "supervisor1")
    row = centre_figures(demo, HISTORY)
    tiles = desk.tiles.tiles
    assert tiles["收件量"].value == str(row.received)
    assert tiles["逾期"].value == str(row.overdue) and row.overdue > 0
    assert tiles["办结率"].value == f"{row.completion_rate * 100:.1f}%"  # type: ignore[operator]
    assert desk.breakdowns.isVisible()

    qtbot.mouseClick(tiles["逾期"], Qt.MouseButton.LeftButton)
    ids = listed_ids(qtbot, desk)
    with demo.reader() as session:
        overdue = q.overdue(session, actor_of(demo, "supervisor1"), TODAY, limit=10_000)
    assert ids == [r.case_id for r in overdue] and len(ids) == row.overdue
    assert desk.cases is not None and desk.cases.count.text() == f"共 {row.overdue} 件"
    # The first case opens beside the list, with its timeline.
    qtbot.waitUntil(
        lambda: desk.cases is not None and desk.cases.detail.timeline_table.rowCount() > 0
    )

    qtbot.mouseClick(tiles["收件量"], Qt.MouseButton.LeftButton)
    assert len(listed_ids(qtbot, desk)) == row.received


def test_a_bar_clicked_opens_its_cases(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    desk = open_dashboard(qtbot, demo, runner, "supervisor1")
    with demo.reader() as session:
        windows = figures(
            session, HISTORY, Grouping.WINDOW, today=TODAY, calendar=calendar_of(demo)
        )
    chart = desk.by_window
    assert chart.categories == [r.label for r in windows.rows if r.overdue]
    first = next(r for r in windows.rows if r.overdue)
    # A real click on the bar's middle, on the chart's viewport.
    at = chart.bar_position("逾期", 0)
    qtbot.mouseClick(
        chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(int(at.x()), int(at.y()))
    )
    qtbot.waitUntil(lambda: desk.cases is not None, timeout=5_000)
    assert desk.cases is not None and desk.cases.drill.key == first.key
    ids = listed_ids(qtbot, desk)
    with demo.reader() as session:
        cases = dict(
            session.execute(select(Case.id, Case.workstation).where(Case.id.in_(ids))).all()
        )
    assert len(ids) == first.overdue and set(cases.values()) == {first.key}

    # The trend's bars: a day's 办结量 lists that day's decisions (the set's signal).
    points = desk.shown.trend.points  # type: ignore[union-attr]
    busiest = max(range(len(points)), key=lambda i: points[i].decided)
    desk.trend.sets["办结量"].clicked.emit(busiest)
    drill = desk.cases.drill
    assert (drill.name, drill.period) == ("decided", points[busiest].period)
    assert len(listed_ids(qtbot, desk)) == points[busiest].decided > 0

    # The items' bars: the top item's 收件量.
    top = desk.shown.items_by_volume[0]  # type: ignore[union-attr]
    desk.by_item.sets["收件量"].clicked.emit(0)
    assert desk.cases is not None and desk.cases.drill.key == top.key
    assert len(listed_ids(qtbot, desk)) == top.received

    # A point of the 满意度 line: that month's ratings; the 满意度 tile: the period's.
    rated = max(range(len(points)), key=lambda i: points[i].rated)
    line = desk.rates.lines["满意度"]
    line.clicked.emit(QPointF(rated, (points[rated].satisfaction or 0) * 100))
    assert desk.cases is not None and desk.cases.drill.period == points[rated].period
    assert len(listed_ids(qtbot, desk)) == points[rated].rated > 0
    qtbot.mouseClick(desk.tiles.tiles["满意度"], Qt.MouseButton.LeftButton)
    assert desk.cases is not None and desk.cases.drill.name == "rated"
    assert len(listed_ids(qtbot, desk)) == centre_figures(demo, HISTORY).rated


def test_an_approver_sees_only_their_own(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    desk = open_dashboard(qtbot, demo, runner, "approver1")
    with demo.reader() as session:
        own = figures(
            session, HISTORY, Grouping.PERSON, today=TODAY, calendar=calendar_of(demo)
        ).row("approver1")
    centre = centre_figures(demo, HISTORY)
    assert own.decided != centre.decided
    assert desk.tiles.tiles["办结量"].value == str(own.decided)
    assert "李强" in desk.scope_label.text()
    assert not desk.breakdowns.isVisible()
    qtbot.mouseClick(desk.tiles.tiles["办结量"], Qt.MouseButton.LeftButton)
    assert len(listed_ids(qtbot, desk)) == own.decided
    assert desk.cases is not None and desk.cases.drill.key == "approver1"


def test_the_desk_reads_again_when_cases_change(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    month = Period.month(TODAY.year, TODAY.month)
    desk = open_dashboard(qtbot, demo, runner, "supervisor1", month)
    before = centre_figures(demo, month)
    assert desk.tiles.tiles["受理量"].value == str(before.accepted)
    # A case past the watchdog is accepted at this workstation: a write the desk hears.
    with demo.reader() as session:
        waiting = q.watchdog(session, actor_of(demo, "supervisor1"), TODAY)
    assert waiting
    b = env_of(demo, runner, "clerk1").backend  # the window accepts it
    runner.write(lambda: b.act(decisions.accept, waiting[0].case_id))
    qtbot.waitUntil(lambda: desk.tiles.tiles["受理量"].value == str(before.accepted + 1))
    settle(qtbot, desk)
    assert desk.tiles.tiles["收件超时"].value == str(before.watchdog - 1)
    # Sync's changes: written behind the desk's back, then announced as sync does.
    with demo.reader() as session:
        second = q.watchdog(session, actor_of(demo, "supervisor1"), TODAY)[0].case_id
    qtbot.mouseClick(desk.tiles.tiles["收件超时"], Qt.MouseButton.LeftButton)
    assert second in listed_ids(qtbot, desk)
    b.act(decisions.accept, second)
    assert desk.tiles.tiles["受理量"].value == str(before.accepted + 1)
    runner.cases_changed.emit(Changed(frozenset({second}), from_sync=True))
    qtbot.waitUntil(lambda: desk.tiles.tiles["受理量"].value == str(before.accepted + 2))
    settle(qtbot, desk)
    # The open list of the cases behind 收件超时 is read again too: the case has left it.
    assert second not in listed_ids(qtbot, desk)
    assert desk.cases is not None and desk.cases.total == before.watchdog - 2


def test_the_period_picker(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    desk = open_dashboard(qtbot, demo, runner, "supervisor1")
    desk.picker.choose(Preset.LAST_MONTH)
    settle(qtbot, desk)
    assert desk.shown is not None and desk.shown.period == Period.month(2026, 10)
    desk.picker.choose(Preset.THIS_YEAR)
    settle(qtbot, desk)
    assert desk.shown is not None and desk.shown.period == Period.year(2026)
    assert len(desk.shown.trend.points) == 11  # January to November: up to today
    desk.picker.set_custom(TODAY, TODAY.replace(day=1))  # the end before the start
    assert "结束日期" in desk.notice.text() and desk.notice.property("error")
    QApplication.processEvents()


def read_so_far(desk: DashboardDesk) -> Dashboard | None:
    return desk.shown


def test_read_when_shown_not_before(qtbot: QtBot, demo: Store, runner: Runner) -> None:
    """A desk built at sign-in reads nothing until its tab is chosen (activate); then 本月."""
    desk = DashboardDesk(env_of(demo, runner, "supervisor1"))
    qtbot.addWidget(desk)
    qtbot.wait(50)
    assert read_so_far(desk) is None and desk.reports.pending == 0
    runner.cases_changed.emit(Changed(None))  # off screen: not heard
    assert desk.reports.pending == 0 and not desk._reading
    desk.show()
    desk.activate()
    settle(qtbot, desk)
    shown = read_so_far(desk)
    assert shown is not None
    assert shown.period == Period.month(TODAY.year, TODAY.month)
    assert desk.tiles.tiles["收件量"].value == str(centre_figures(demo, shown.period).received)
