"""差评整改 at the supervisor's desk: a 差评 given at the window opens a task; the supervisor
works it through 核实 → 整改 → 回访 → 办结 to closed; a refused step is said in the form; an
overdue task is listed first, marked, and counted in the tab's title."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.evaluations.levels import Level, Reason
from app.evaluations.rectification import CallBackOutcome, Step, TaskState
from app.evaluations.service import take_step
from db.models import Evaluation, RectificationStep
from tests.centre import Centre
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell, commit_text, main_window
from tests.ui.rating_drive import accepted_case, rated
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.rectification.desk import RectificationDesk
from ui.desks.registry import desk_classes
from ui.main_window import MainWindow

WORDS = "窗口人员态度生硬，材料说明前后不一"


def open_desk(
    qtbot: QtBot, env: DeskEnv, size: tuple[int, int] = (1366, 768)
) -> tuple[MainWindow, RectificationDesk]:
    desk = RectificationDesk(env)
    window = main_window(env, [desk])
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, env.runner)
    return window, desk


def task_row(centre: Centre) -> Evaluation:
    with centre.store.reader() as session:
        found = session.scalars(select(Evaluation).where(Evaluation.task_state.is_not(None))).one()
        session.expunge_all()
        return found


def steps_taken(centre: Centre) -> list[tuple[str, str, bool | None, str | None]]:
    with centre.store.reader() as session:
        rows = session.scalars(select(RectificationStep).order_by(RectificationStep.id))
        return [(r.step, r.note, r.founded, r.outcome) for r in rows]


def write_note(qtbot: QtBot, desk: RectificationDesk, text: str) -> None:
    commit_text(desk.form.note, text)
    qtbot.waitUntil(lambda: desk.form.note.toPlainText() == text)


def submit(qtbot: QtBot, desk: RectificationDesk) -> None:
    assert desk.form.submit.isVisible() and desk.form.submit.isEnabled()
    qtbot.mouseClick(desk.form.submit, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)


def assert_unclipped(widget: QWidget) -> None:
    QApplication.processEvents()
    assert not clipped(widget), clipped(widget)


def test_the_supervisor_has_the_desk_and_the_clerk_has_not(
    desk_env: Callable[[str], DeskEnv],
) -> None:
    supervisor = desk_env("supervisor").backend.actor
    clerk = desk_env("clerk").backend.actor
    assert RectificationDesk in desk_classes(supervisor)
    assert RectificationDesk not in desk_classes(clerk)


def test_a_bad_rating_is_verified_rectified_called_back_and_closed(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    rated(centre, case_id, Level.DISSATISFIED, (Reason.ATTITUDE, Reason.MATERIALS), WORDS)
    window, desk = open_desk(qtbot, desk_env("supervisor"))
    assert window.tabs.tabText(0) == "差评整改"  # nothing overdue
    assert desk.table.rowCount() == 1
    assert cell(desk.table, 0, 0) == "待核实"
    assert cell(desk.table, 0, 1) == "2026-03-09"
    assert cell(desk.table, 0, 4) == "不满意"
    assert cell(desk.table, 0, 5) == "服务态度不好、要求的材料过多或不合理"
    assert cell(desk.table, 0, 6) == "clerk"
    # The most urgent task is chosen: what the resident said, the form for 核实.
    assert WORDS in desk.info.text() and "实名，须回访" in desk.info.text()
    form = desk.form
    assert "下一步：核实" in form.heading.text()
    assert form.founded.isVisible() and not form.outcome.isVisible()
    assert form.submit.text() == "提交核实"
    assert_unclipped(window)
    save_screenshots(window, "desk-rectification")

    # 核实 with no finding, then with no note: each refused in the form, nothing written.
    write_note(qtbot, desk, "调阅监控并询问窗口人员")
    submit(qtbot, desk)
    assert form.message.isVisible() and "属实或不属实" in form.message.text()
    form.founded.click()
    form.note.clear()
    submit(qtbot, desk)
    assert form.message.text() == "[E100] 请填写办理说明"
    assert form.founded.isChecked()  # what was entered stays
    assert steps_taken(centre) == []

    write_note(qtbot, desk, "调阅监控并询问窗口人员，情况属实")
    submit(qtbot, desk)
    assert "已核实（属实）" in desk.notice.text()
    assert cell(desk.table, 0, 0) == "待整改"
    assert "下一步：整改" in form.heading.text() and form.note.toPlainText() == ""
    assert not form.founded.isVisible()
    assert desk.steps.rowCount() == 1 and cell(desk.steps, 0, 3) == "属实"

    write_note(qtbot, desk, "对窗口人员批评教育，统一材料说明口径")
    submit(qtbot, desk)
    assert cell(desk.table, 0, 0) == "待回访"
    assert "下一步：回访" in form.heading.text() and form.outcome.isVisible()
    assert not form.close_anonymous.isVisible()  # a real-name 差评 must be called back
    assert desk.steps.rowCount() == 2
    assert_unclipped(window)
    save_screenshots(window, "desk-rectification-call-back")
    write_note(qtbot, desk, "电话回访申请人")
    submit(qtbot, desk)  # no outcome chosen
    assert "请选择回访结果" in form.message.text()
    form.outcome.setCurrentIndex(form.outcome.findData(CallBackOutcome.SATISFIED.value))
    assert form.outcome.currentText() == "群众表示满意"
    submit(qtbot, desk)
    assert "已回访（群众表示满意）" in desk.notice.text()
    assert "下一步：办结" in form.heading.text() and form.submit.text() == "办结"

    write_note(qtbot, desk, "整改完成，群众满意")
    submit(qtbot, desk)
    assert desk.table.rowCount() == 0
    assert "没有待办的差评整改任务" in desk.summary.text()
    assert task_row(centre).task_state == TaskState.CLOSED.value
    assert steps_taken(centre) == [
        ("verify", "调阅监控并询问窗口人员，情况属实", True, None),
        ("rectify", "对窗口人员批评教育，统一材料说明口径", None, None),
        ("call_back", "电话回访申请人", None, "satisfied"),
        ("close", "整改完成，群众满意", None, None),
    ]


def test_an_overdue_task_comes_first_marked_and_counted_in_the_tab(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    early = accepted_case(centre)
    rated(centre, early, Level.VERY_DISSATISFIED, (Reason.WAITING,), anonymous=True)
    centre.clock.advance(days=4)  # Fri 6 March: due the 13th
    later = accepted_case(centre)
    rated(centre, later, Level.DISSATISFIED, (Reason.SLOW,), "等了很久")
    centre.clock.advance(days=4)  # Tue 10 March: the first (due the 9th) is overdue
    window, desk = open_desk(qtbot, desk_env("supervisor"))
    assert window.tabs.tabText(0) == "差评整改（1 件超期）"
    assert window.tabs.tabBar().tabTextColor(0).name() == "#b3261e"
    assert "其中已超期 1 件" in desk.summary.text()
    assert [cell(desk.table, r, 0) for r in range(2)] == ["已超期 · 待核实", "待核实"]
    first = desk.table.item(0, 0)
    assert first is not None and first.foreground().color().name() == "#b3261e"
    assert "已超期" in desk.info.text() and "匿名" in desk.info.text()
    assert_unclipped(window)
    save_screenshots(window, "desk-rectification-overdue")

    # An anonymous 差评 may be closed without a call back (no one to call).
    desk.form.founded.click()
    write_note(qtbot, desk, "属实，已提醒")
    submit(qtbot, desk)
    write_note(qtbot, desk, "增开一个窗口")
    submit(qtbot, desk)
    assert desk.form.close_anonymous.isVisible()
    write_note(qtbot, desk, "匿名差评，无法回访")
    qtbot.mouseClick(desk.form.close_anonymous, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)
    assert window.tabs.tabText(0) == "差评整改"
    assert desk.table.rowCount() == 1 and cell(desk.table, 0, 0) == "待核实"


def test_a_step_taken_meanwhile_elsewhere_is_refused_in_the_form(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    rated(centre, case_id, Level.VERY_DISSATISFIED, (Reason.FEES,))
    env = desk_env("supervisor")
    _window, desk = open_desk(qtbot, env)
    evaluation_id = task_row(centre).id
    # Another supervisor verified it a moment ago; this desk still shows 待核实.
    env.backend.run(
        take_step,
        evaluation_id,
        Step.VERIFY,
        "另一位负责人已核实",
        founded=False,
        now=centre.clock(),
    )
    desk.form.unfounded.click()
    write_note(qtbot, desk, "核实不属实")
    submit(qtbot, desk)
    assert desk.form.message.isVisible()
    assert desk.form.message.text() == "[E801] 该差评已核实过。"
    assert desk.form.note.toPlainText() == "核实不属实"  # kept as typed
    assert [s[0] for s in steps_taken(centre)] == ["verify"]
    desk.refresh()  # read again: the form offers what is next
    wait_idle(qtbot, env.runner)
    assert "下一步：回访" in desk.form.heading.text()  # unfounded: no 整改
