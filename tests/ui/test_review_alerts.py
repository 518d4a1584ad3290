"""Alerts on the 审批台: the approver's own nearly-due, overdue and 环节超时 cases counted over
the queue, the supervisor's the centre's with the 收件 watchdog and overdue 差评整改; a count
lists its cases; a case turning red (or its step 超时) is announced once in a banner — not on a
refresh, sync's changes, the timer, a second sign-in or a restart of the program."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.alerts.desk_alerts import AlertKind
from db.store import open_store
from tests.alerts.alert_cases import AlertCases, alert_cases
from tests.centre import Centre
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshot, save_screenshots
from tests.ui.test_review_desk import choose, open_desk
from ui.backend import DeskBackend
from ui.desk_base import DeskEnv
from ui.desks.review.desk import ReviewDesk
from ui.worker import Changed

K = AlertKind


def opened(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre, user: str
) -> tuple[ReviewDesk, AlertCases]:
    made = alert_cases(centre)
    desk = open_desk(qtbot, desk_env(user))
    qtbot.waitUntil(lambda: desk.alerts.isVisible())
    wait_idle(qtbot, desk.env.runner)
    return desk, made


def texts(desk: ReviewDesk) -> dict[AlertKind, str]:
    return {kind: button.text() for kind, button in desk.alerts.buttons.items()}


def listed(desk: ReviewDesk) -> list[str]:
    model = desk.queue.model
    return [model.data(model.index(r, 0)) for r in range(model.rowCount())]


def deadlines(desk: ReviewDesk) -> list[str]:
    model = desk.queue.model
    return [model.data(model.index(r, 6)) for r in range(model.rowCount())]


def click(qtbot: QtBot, desk: ReviewDesk, kind: AlertKind | None) -> None:
    button = desk.alerts.everything if kind is None else desk.alerts.buttons[kind]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)


def test_the_approver_sees_their_own_cases_counted_and_listed(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk, made = opened(qtbot, desk_env, centre, "approver")
    r = made.receipts
    assert texts(desk) == {
        K.NEARLY_DUE: "临近到期 1 件",
        K.OVERDUE: "已超期 1 件",
        K.STEP_OVERDUE: "环节超时 3 件",
    }
    queue_total = desk.queue.model.total
    assert queue_total == 8  # the approver's queue: every accepted case, not only their own
    click(qtbot, desk, K.OVERDUE)
    assert listed(desk) == [made.receipts["own_over"]]  # not approver2's, not the unassigned
    assert desk.alerts.buttons[K.OVERDUE].isChecked()
    click(qtbot, desk, K.NEARLY_DUE)
    assert listed(desk) == [made.receipts["own_soon"]]
    assert not desk.alerts.buttons[K.OVERDUE].isChecked()
    click(qtbot, desk, K.STEP_OVERDUE)
    assert listed(desk) == [r["own_over"], r["own_soon"], r["green"]]
    # the 时限 column: overdue says so; the others say their step ran out
    assert deadlines(desk) == ["已超期 1 个工作日", "环节超时 16 个工作日", "环节超时 4 个工作日"]
    # the case's detail gives the step's own last day beside the promised one
    choose(qtbot, desk, made.ids["own_soon"])
    assert "本环节时限：" in desk.detail.deadline.text()
    assert desk.detail.deadline.text().endswith("（已超时 16 个工作日）")
    save_screenshot(desk, "alerts-review-approver-step-detail-1366x768")
    click(qtbot, desk, None)
    assert desk.queue.model.total == queue_total
    assert not desk.alerts.everything.isVisible()
    assert desk.banner.isVisible()
    assert desk.banner.text.text() == (
        f"办件 {r['own_over']} 已超期；办件 {r['own_over']}、{r['own_soon']}、{r['green']} 环节超时"
    )


def test_the_supervisor_sees_the_centre_and_the_watchdog_and_rectification(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk, made = opened(qtbot, desk_env, centre, "supervisor")
    r = made.receipts
    assert texts(desk) == {
        K.NEARLY_DUE: "临近到期 1 件",
        K.OVERDUE: "已超期 3 件",
        K.STEP_OVERDUE: "环节超时 5 件",
        K.WATCHDOG: "收件超5个工作日未受理 1 件",
        K.RECTIFICATION_OVERDUE: "差评整改超期 1 件",
    }
    click(qtbot, desk, K.OVERDUE)
    assert sorted(listed(desk)) == sorted([r["own_over"], r["other_over"], r["unassigned_over"]])
    click(qtbot, desk, K.WATCHDOG)
    assert listed(desk) == [r["waiting"]]
    click(qtbot, desk, K.RECTIFICATION_OVERDUE)
    assert listed(desk) == [r["bad_over"]]
    # choosing a category tab leaves the alert's list for that category's queue
    desk.queue.tabs.setCurrentIndex(desk.queue.tabs.count() - 1)
    wait_idle(qtbot, desk.env.runner)
    assert desk.alerts.current is None and not desk.alerts.everything.isVisible()
    assert desk.banner.isVisible()
    overdue = "、".join(r[key] for key in ("own_over", "other_over", "unassigned_over"))
    late = "、".join(r[key] for key in ("own_over", "other_over", "own_soon"))
    # due first, then filed first
    assert desk.banner.text.text() == f"办件 {overdue} 已超期；办件 {late} 等 5 件环节超时"


def test_a_case_turning_red_is_announced_once(
    qtbot: QtBot,
    desk_env: Callable[[str], DeskEnv],
    centre: Centre,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk, made = opened(qtbot, desk_env, centre, "approver")
    assert desk.banner.text.text().startswith(f"办件 {made.receipts['own_over']} 已超期；")
    qtbot.mouseClick(desk.banner.dismiss, Qt.MouseButton.LeftButton)
    assert not desk.banner.isVisible()
    desk.refresh()
    wait_idle(qtbot, desk.env.runner)
    assert not desk.banner.isVisible()  # told already: no nag on the next refresh
    # sync brings changes: the counts are read again, still no second notice
    reads: list[str] = []
    run = desk.env.backend.run

    def counted(fn: Callable[..., object], *args: object, **kwargs: object) -> object:
        reads.append(fn.__name__)
        return run(fn, *args, **kwargs)

    monkeypatch.setattr(desk.env.backend, "run", counted)
    desk.env.runner.cases_changed.emit(Changed(None, from_sync=True))
    wait_idle(qtbot, desk.env.runner)
    assert "desk_alerts" in reads
    assert not desk.banner.isVisible()
    # two working days on (the desk's timer reads the alerts again), the nearly-due case is
    # overdue too: it alone is announced
    centre.clock.set_local(centre.ctx.calendar.add_working_days(made.today, 2))
    desk.alerts_timer.timeout.emit()
    qtbot.waitUntil(lambda: desk.banner.isVisible())
    assert desk.banner.text.text() == f"办件 {made.receipts['own_soon']} 已超期"
    assert texts(desk) == {
        K.NEARLY_DUE: "临近到期 0 件",
        K.OVERDUE: "已超期 2 件",
        K.STEP_OVERDUE: "环节超时 3 件",
    }
    assert not desk.alerts.buttons[K.NEARLY_DUE].isEnabled()
    # a second desk of the same person (signed in again) is not told again
    again = open_desk(qtbot, desk_env("approver"))
    qtbot.waitUntil(lambda: again.alerts.isVisible())
    wait_idle(qtbot, again.env.runner)
    assert not again.banner.isVisible()
    # nor after a restart: the store opened afresh, a new backend and desk
    store = open_store(centre.store.data_dir)
    try:
        backend = DeskBackend(store, centre.ctx.calendar, centre.actor("approver"), centre.clock)
        restarted = open_desk(qtbot, DeskEnv(backend, desk.env.runner, FakeDialogs()))
        qtbot.waitUntil(lambda: restarted.alerts.isVisible())
        wait_idle(qtbot, restarted.env.runner)
        assert texts(restarted)[K.OVERDUE] == "已超期 2 件"
        assert not restarted.banner.isVisible()
    finally:
        wait_idle(qtbot, desk.env.runner)
        store.close()


@pytest.mark.parametrize("user", ["approver", "supervisor"])
def test_screenshots_of_the_alerts(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre, user: str
) -> None:
    desk, _ = opened(qtbot, desk_env, centre, user)
    assert desk.banner.isVisible()
    for path in save_screenshots(desk, f"alerts-review-{user}"):
        assert path.exists()
        assert clipped(desk) == [], path.name
    click(qtbot, desk, K.OVERDUE)  # the list filtered, 显示全部办件 offered
    desk.resize(1366, 768)
    path = save_screenshot(desk, f"alerts-review-{user}-overdue-1366x768")
    assert desk.alerts.everything.isVisible() and clipped(desk) == [], path.name
    click(qtbot, desk, K.STEP_OVERDUE)  # the 时限 column says which steps ran out
    path = save_screenshot(desk, f"alerts-review-{user}-step-overdue-1366x768")
    assert desk.alerts.everything.isVisible() and clipped(desk) == [], path.name
