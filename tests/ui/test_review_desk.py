"""审批台: the back office works real cases through the real widgets; the store is checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import ui.cases.list_model
from app.cases import decisions
from app.errors import PermissionDenied
from db.models import CaseAction
from tests.cases.helpers import action_count, case_row
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.review.desk import ReviewDesk
from ui.fonts import install_bundled_fonts

DIBAO = "最低生活保障"  # 社会救助: two approver steps, the supervisor's opinion, the county
GAOLING = "高龄津贴"  # 养老服务: one approver step, then the county
ZHAIJIDI = "农村村民宅基地审批"  # decided in the town: approver step, then the supervisor's

EnvFor = Callable[[str], DeskEnv]


def accepted(centre: Centre, item: str) -> int:
    case = centre.walk_in(item)
    decisions.accept(centre.ctx, centre.actor("clerk"), case.case_id)
    return case.case_id


def open_desk(qtbot: QtBot, env: DeskEnv) -> ReviewDesk:
    desk = ReviewDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    qtbot.waitExposed(desk)
    wait_idle(qtbot, env.runner)
    return desk


def choose(qtbot: QtBot, desk: ReviewDesk, case_id: int) -> None:
    """Click the case's row in the queue, as the approver would."""
    row = desk.queue.model.row_of(case_id)
    assert row is not None, f"case {case_id} is not listed"
    table = desk.queue.table
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, desk.env.runner)
    assert desk.case_id == case_id and desk.view is not None


def click(qtbot: QtBot, desk: ReviewDesk, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Chinese arrives as an input method's commit, as it does from a real 拼音 IME."""
    commit_text(widget, text)


def chosen(desk: ReviewDesk) -> int | None:
    """The case the desk shows (a function, so type narrowing from earlier asserts ends)."""
    return desk.case_id


def listed_ids(desk: ReviewDesk) -> list[int | None]:
    model = desk.queue.model
    return [model.case_id(row) for row in range(model.rowCount(QModelIndex()))]


def tab_texts(desk: ReviewDesk) -> list[str]:
    return [desk.queue.tabs.tabText(i) for i in range(desk.queue.tabs.count())]


def click_tab(qtbot: QtBot, desk: ReviewDesk, label: str) -> None:
    bar = desk.queue.tabs
    index = next(i for i in range(bar.count()) if bar.tabText(i).startswith(label))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    wait_idle(qtbot, desk.env.runner)


def review_buttons(desk: ReviewDesk) -> list[QAbstractButton]:
    p = desk.panel
    return [
        p.start,
        p.next,
        p.report,
        p.decide,
        p.supplement,
        p.suspend,
        p.resume,
        p.terminate,
        p.extend,
        p.reassign,
        p.opinion.submit,
        p.opinion.record_next,
    ]


def test_dibao_is_reviewed_step_by_step_reported_and_the_county_result_recorded(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    dibao = accepted(centre, DIBAO)
    gaoling = accepted(centre, GAOLING)
    desk = open_desk(qtbot, desk_env("approver"))
    assert tab_texts(desk) == ["全部（2）", "养老服务（1）", "社会救助（1）"]
    assert set(listed_ids(desk)) == {dibao, gaoling}
    click_tab(qtbot, desk, "社会救助")
    assert listed_ids(desk) == [dibao]

    choose(qtbot, desk, dibao)
    p = desk.panel
    assert "最低生活保障" in desk.detail.summary.text()
    assert [b.isEnabled() for b in (p.next, p.report, p.decide, p.opinion.submit)] == [False] * 4
    click(qtbot, desk, p.start)
    assert case_row(centre.store, dibao).state == "in_review"
    assert desk.notice.text().endswith(
        "已开始审查，当前环节：「家庭经济状况核对与入户调查」（后台审批人员办理）。"
    )
    assert desk.case_id == dibao and "▶ 1. 家庭经济状况核对与入户调查" in p.opinion.step.text()

    # Step 1: opinion, then on to the next step in one go.
    type_into(qtbot, p.opinion.opinion, "入户调查属实，家庭人均收入低于标准")
    click(qtbot, desk, p.opinion.record_next)
    assert "已记录意见并进入下一环节：「民主评议与公示」" in desk.notice.text()
    assert p.opinion.opinion.toPlainText() == ""
    # Step 2: record first, then 下一环节 by its own button.
    type_into(qtbot, p.opinion.opinion, "民主评议通过，公示7天无异议")
    click(qtbot, desk, p.opinion.submit)
    assert "已记录审查意见（同意）" in desk.notice.text()
    assert "意见已填写" in p.opinion.step.text()
    click(qtbot, desk, p.next)
    assert "「乡镇审核意见」（中心负责人办理）" in desk.notice.text()
    # Step 3 is the supervisor's: the approver may neither record it nor report yet.
    assert not p.opinion.submit.isEnabled() and not p.report.isEnabled()

    supervisor = open_desk(qtbot, desk_env("supervisor"))
    choose(qtbot, supervisor, dibao)
    type_into(qtbot, supervisor.panel.opinion.opinion, "同意，报县民政局审核确认")
    click(qtbot, supervisor, supervisor.panel.opinion.submit)
    assert "已记录审查意见" in supervisor.notice.text()

    # The approver's desk refreshed by itself (cases_changed): the case is still chosen.
    assert desk.case_id == dibao and p.report.isEnabled()
    click(qtbot, desk, p.report)
    assert case_row(centre.store, dibao).state == "with_county"
    assert "已上报县级" in desk.notice.text()
    assert desk.case_id == dibao
    assert p.stack.currentWidget() is p.decision  # the county's result is what comes next
    assert p.decide.accessibleName() == "录入县级结果" and p.decision.returned.isVisible()

    type_into(qtbot, p.decision.result_no, "民低保2026-0088")
    click(qtbot, desk, p.decision.submit)
    row = case_row(centre.store, dibao)
    assert (row.state, row.result, row.result_no) == ("decided", "approved", "民低保2026-0088")
    assert "已录入县级审批结果：准予（结果文号 民低保2026-0088）" in desk.notice.text()
    assert dibao not in listed_ids(desk)  # decided: no longer the back office's work
    assert chosen(desk) is None and not p.decide.isEnabled()


def test_county_return_sends_the_case_back_to_town_review(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = accepted(centre, GAOLING)
    approver = centre.actor("approver")
    decisions.start_review(centre.ctx, approver, case_id)
    decisions.record_opinion(centre.ctx, approver, case_id, "年满80周岁")
    decisions.report_to_county(centre.ctx, approver, case_id)
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    qtbot.mouseClick(p.decision.returned, Qt.MouseButton.LeftButton)
    assert not p.decision.result_no.isEnabled()
    type_into(qtbot, p.decision.reasons, "缺少户口簿复印件")
    click(qtbot, desk, p.decision.submit)
    assert case_row(centre.store, case_id).state == "in_review"
    assert "已录入县级退回，回到「乡镇审核汇总」" in desk.notice.text()
    assert p.stack.currentWidget() is p.opinion and p.opinion.submit.isEnabled()


def test_town_decided_item_is_decided_by_the_supervisor_with_a_result_number(
    qtbot: QtBot, qapp: QApplication, centre: Centre, desk_env: EnvFor
) -> None:
    install_bundled_fonts(qapp)
    case_id = accepted(centre, ZHAIJIDI)
    accepted(centre, DIBAO)
    approver = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, approver, case_id)
    click(qtbot, approver, approver.panel.start)
    type_into(qtbot, approver.panel.opinion.opinion, "联审联办，实地审查符合规划")
    click(qtbot, approver, approver.panel.opinion.record_next)
    assert not approver.panel.decide.isEnabled()  # the last step is the supervisor's

    desk = open_desk(qtbot, desk_env("supervisor"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    assert not p.report.isEnabled()  # decided in the town: nothing to report
    type_into(qtbot, p.opinion.opinion, "同意")
    click(qtbot, desk, p.opinion.submit)
    save_screenshots(desk, "desk-review")
    desk.resize(1366, 768)
    QApplication.processEvents()
    # F9 opens the decision page; the result number is typed and Ctrl+Enter decides.
    desk.activateWindow()
    qtbot.waitActive(desk)
    desk.queue.table.setFocus()
    qtbot.waitUntil(desk.queue.table.hasFocus)
    qtbot.keyClick(desk.queue.table, Qt.Key.Key_F9)  # a shortcut clicks after a short flash
    qtbot.waitUntil(lambda: p.stack.currentWidget() is p.decision)
    assert p.decide.text() == "作出决定（F9）" and p.decision.approve.hasFocus()
    assert not p.decision.returned.isVisible()
    type_into(qtbot, p.decision.result_no, "宅批〔2026〕001号")
    qtbot.keyClick(p.decision.result_no, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已作出决定" in desk.notice.text())
    wait_idle(qtbot, desk.env.runner)
    row = case_row(centre.store, case_id)
    assert (row.state, row.result, row.result_no) == ("decided", "approved", "宅批〔2026〕001号")
    assert "已作出决定：准予（结果文号 宅批〔2026〕001号），已办结" in desk.notice.text()
    # The supervisor's queue holds decided cases too: the case stays chosen, nothing to do.
    assert desk.case_id == case_id and not p.decide.isEnabled()


def test_denial_needs_reasons_and_nothing_is_written_without_them(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = accepted(centre, GAOLING)
    approver = centre.actor("approver")
    decisions.start_review(centre.ctx, approver, case_id)
    decisions.record_opinion(centre.ctx, approver, case_id, "年满80周岁")
    decisions.report_to_county(centre.ctx, approver, case_id)
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    qtbot.mouseClick(p.decision.deny, Qt.MouseButton.LeftButton)
    before = action_count(centre.store)
    click(qtbot, desk, p.decision.submit)
    assert action_count(centre.store) == before
    assert "不予理由" in desk.notice.text() and desk.notice.property("error") is True
    type_into(qtbot, p.decision.reasons, "户籍不在本镇")
    click(qtbot, desk, p.decision.submit)
    row = case_row(centre.store, case_id)
    assert (row.state, row.result) == ("decided", "denied")


def test_post_acceptance_supplement_suspends_and_resume_restores(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = accepted(centre, ZHAIJIDI)
    decisions.start_review(centre.ctx, centre.actor("approver"), case_id)
    due = case_row(centre.store, case_id).due_date
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    click(qtbot, desk, p.supplement)
    assert p.stack.currentWidget() is p.post_supplement
    assert p.post_supplement.missing.hasFocus()
    type_into(qtbot, p.post_supplement.missing, "四邻签字确认书")
    qtbot.keyClick(p.post_supplement.missing, Qt.Key.Key_Return)
    type_into(qtbot, p.post_supplement.missing, "村民小组意见")
    p.post_supplement.days.setValue(7)
    click(qtbot, desk, p.post_supplement.submit)
    row = case_row(centre.store, case_id)
    assert (row.state, row.state_before_suspension) == ("suspended", "in_review")
    with centre.store.session() as session:
        last = session.scalars(
            select(CaseAction).where(CaseAction.case_id == case_id).order_by(CaseAction.seq.desc())
        ).first()
        assert last is not None
        assert last.payload == {
            "reason": "受理后补正：四邻签字确认书、村民小组意见",
            "expected_days": 7,
            "kind": "supplement",
        }
    assert "已通知受理后补正（四邻签字确认书、村民小组意见）" in desk.notice.text()
    assert desk.case_id == case_id  # suspended cases stay in the back office's queue
    assert p.resume.isEnabled() and not p.supplement.isEnabled()

    centre.clock.advance(days=2)  # Wed: paused Mon and Tue
    click(qtbot, desk, p.resume)
    row = case_row(centre.store, case_id)
    assert row.state == "in_review"
    assert due is not None and row.due_date is not None and row.due_date > due
    assert f"承诺办结日为 {row.due_date:%Y-%m-%d}" in desk.notice.text()


def test_suspend_needs_a_reason(qtbot: QtBot, centre: Centre, desk_env: EnvFor) -> None:
    case_id = accepted(centre, ZHAIJIDI)
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    click(qtbot, desk, desk.panel.suspend)
    before = action_count(centre.store)
    click(qtbot, desk, desk.panel.suspension.submit)
    assert action_count(centre.store) == before
    assert "挂起原因" in desk.notice.text()
    type_into(qtbot, desk.panel.suspension.reason, "需组织现场踏勘与四邻听证")
    click(qtbot, desk, desk.panel.suspension.submit)
    assert case_row(centre.store, case_id).state == "suspended"


def test_terminate_asks_for_confirmation_first(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = accepted(centre, DIBAO)
    env = desk_env("approver")
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    desk = open_desk(qtbot, env)
    choose(qtbot, desk, case_id)
    p = desk.panel
    click(qtbot, desk, p.terminate)
    type_into(qtbot, p.termination.reason, "申请人死亡")
    dialogs.confirm_answer = False
    before = action_count(centre.store)
    click(qtbot, desk, p.termination.submit)
    assert len(dialogs.confirms) == 1 and "终止原因：申请人死亡" in dialogs.confirms[0][1]
    assert action_count(centre.store) == before and "已取消终止" in desk.notice.text()

    dialogs.confirm_answer = True
    click(qtbot, desk, p.termination.submit)
    assert case_row(centre.store, case_id).state == "terminated"
    assert "已终止办理：申请人死亡" in desk.notice.text()
    assert case_id not in listed_ids(desk)


def test_supervisor_extends_and_reassigns(qtbot: QtBot, centre: Centre, desk_env: EnvFor) -> None:
    case_id = accepted(centre, ZHAIJIDI)
    decisions.start_review(centre.ctx, centre.actor("approver"), case_id)
    due = case_row(centre.store, case_id).due_date
    approver_desk = open_desk(qtbot, desk_env("approver"))
    assert not approver_desk.panel.extend.isVisible()
    assert not approver_desk.panel.reassign.isVisible()

    desk = open_desk(qtbot, desk_env("supervisor"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    click(qtbot, desk, p.extend)
    p.extension.days.setValue(10)
    type_into(qtbot, p.extension.reason, "需补充林业部门意见")
    click(qtbot, desk, p.extension.submit)
    row = case_row(centre.store, case_id)
    assert row.extension_days == 10 and row.due_date is not None and due is not None
    assert row.due_date > due and "已批准延期 10 个工作日" in desk.notice.text()

    click(qtbot, desk, p.reassign)
    combo = p.reassignment.assignee
    assert [combo.itemText(i) for i in range(combo.count())] == ["approver", "approver2"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "approver2"
    click(qtbot, desk, p.reassignment.submit)
    assert case_row(centre.store, case_id).assignee_id == centre.actor("approver2").user_id
    assert "已改派给 approver2" in desk.notice.text()


def test_a_clerk_cannot_take_review_actions(qtbot: QtBot, centre: Centre, desk_env: EnvFor) -> None:
    case_id = accepted(centre, DIBAO)
    received = centre.walk_in(GAOLING).case_id
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    assert case_id not in listed_ids(desk)  # accepted cases are not the window's queue
    choose(qtbot, desk, received)
    assert [b.objectName() for b in review_buttons(desk) if b.isEnabled()] == []
    before = action_count(centre.store)
    for attempt in (
        lambda: env.backend.act(decisions.start_review, case_id),
        lambda: env.backend.act(decisions.suspend, case_id, "x", 3),
        lambda: env.backend.act(decisions.terminate, case_id, "x"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert action_count(centre.store) == before
    assert case_row(centre.store, case_id).state == "accepted"


def test_up_and_down_move_between_cases_and_the_detail_follows(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    first, second = accepted(centre, DIBAO), accepted(centre, GAOLING)
    desk = open_desk(qtbot, desk_env("approver"))
    ordered = listed_ids(desk)
    assert set(ordered) == {first, second}
    choose(qtbot, desk, ordered[0])  # type: ignore[arg-type]
    qtbot.keyClick(desk.queue.table, Qt.Key.Key_Down)
    wait_idle(qtbot, desk.env.runner)
    assert desk.case_id == ordered[1]
    assert desk.view is not None and desk.view.detail.row.case_id == ordered[1]
    qtbot.keyClick(desk.queue.table, Qt.Key.Key_Up)
    wait_idle(qtbot, desk.env.runner)
    assert desk.case_id == ordered[0]


def test_keyboard_only_start_review_and_record_an_opinion(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = accepted(centre, GAOLING)
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    desk.activateWindow()
    qtbot.waitActive(desk)
    qtbot.keyClick(desk.queue.table, Qt.Key.Key_F6)  # 开始审查
    qtbot.waitUntil(lambda: "已开始审查" in desk.notice.text())
    wait_idle(qtbot, desk.env.runner)
    assert case_row(centre.store, case_id).state == "in_review"

    type_into(qtbot, p.opinion.opinion, "年满80周岁，户籍在本镇")
    qtbot.keyClick(p.opinion.opinion, Qt.Key.Key_Tab)
    assert p.opinion.agree.hasFocus()
    qtbot.keyClick(p.opinion.agree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已记录审查意见" in desk.notice.text())
    wait_idle(qtbot, desk.env.runner)
    with centre.store.session() as session:
        opinions = session.scalars(
            select(CaseAction.payload).where(
                CaseAction.case_id == case_id, CaseAction.action == "record_opinion"
            )
        ).all()
    assert opinions == [{"opinion": "年满80周岁，户籍在本镇", "agree": True}]
    # The only town step is done: 上报县级 is next; Esc leaves a page for the opinion again.
    assert p.report.isEnabled() and not p.next.isEnabled()
    click(qtbot, desk, p.suspend)
    assert p.stack.currentWidget() is p.suspension and p.suspension.reason.hasFocus()
    qtbot.keyClick(p.suspension.reason, Qt.Key.Key_Escape)
    assert p.stack.currentWidget() is p.opinion


def current_case(desk: ReviewDesk) -> int | None:
    """The case of the queue's current row (the highlighted one), as the list has it."""
    table = desk.queue.table
    return table.current_case_id()


def shows(desk: ReviewDesk, case_id: int | None) -> bool:
    """The desk's detail and actions are those of ``case_id``: its number in the summary."""
    if case_id is None or desk.case_id != case_id or desk.view is None:
        return False
    row = desk.view.detail.row
    return row.case_id == case_id and (row.official_no or row.receipt_no) in (
        desk.detail.summary.text()
    )


QUEUE_LENGTH = 32  # the queue shows about 20 rows at 1366×768


@pytest.fixture
def long_queue(monkeypatch: pytest.MonkeyPatch, centre: Centre) -> list[int]:
    """More accepted cases than the queue shows at once, in pages of five: the last rows arrive
    only when reached, as the rows past the first hundred of a real queue do."""
    monkeypatch.setattr(ui.cases.list_model, "PAGE_SIZE", 5)
    return [accepted(centre, (DIBAO, GAOLING, ZHAIJIDI)[n % 3]) for n in range(QUEUE_LENGTH)]


def test_ctrl_end_and_arrow_keys_always_show_the_current_rows_case(
    qtbot: QtBot, long_queue: list[int], desk_env: EnvFor
) -> None:
    desk = open_desk(qtbot, desk_env("approver"))
    table = desk.queue.table
    first = desk.queue.model.case_id(0)
    assert first is not None
    choose(qtbot, desk, first)
    assert shows(desk, first)

    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    # The last row's page is on its way: the previous case is no longer shown nor acted on.
    assert table.currentIndex().row() == QUEUE_LENGTH - 1
    assert desk.case_id != first and not desk.panel.start.isEnabled()
    wait_idle(qtbot, desk.env.runner)
    assert current_case(desk) is not None and shows(desk, current_case(desk))
    assert set(listed_ids(desk)) == set(long_queue)

    last = QUEUE_LENGTH - 1
    for key, row in (
        (Qt.Key.Key_Up, last - 1),
        (Qt.Key.Key_Up, last - 2),
        (Qt.Key.Key_Down, last - 1),
    ):
        qtbot.keyClick(table, key)
        wait_idle(qtbot, desk.env.runner)
        assert table.currentIndex().row() == row
        assert shows(desk, current_case(desk)), (key, row)

    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, desk.env.runner)
    assert table.currentIndex().row() == 0 and shows(desk, first)


def test_f6_keeps_the_case_chosen_and_shown_even_past_the_first_page(
    qtbot: QtBot, long_queue: list[int], centre: Centre, desk_env: EnvFor
) -> None:
    desk = open_desk(qtbot, desk_env("approver"))
    table = desk.queue.table
    table.scrollToBottom()  # the approver scrolls down and clicks the last case
    table.viewport().repaint()
    wait_idle(qtbot, desk.env.runner)
    last = desk.queue.model.case_id(QUEUE_LENGTH - 1)
    assert last is not None
    choose(qtbot, desk, last)
    assert current_case(desk) == last and shows(desk, last)

    desk.activateWindow()
    qtbot.waitActive(desk)
    qtbot.keyClick(table, Qt.Key.Key_F6)  # 开始审查
    qtbot.waitUntil(lambda: "已开始审查" in desk.notice.text())
    wait_idle(qtbot, desk.env.runner)
    assert case_row(centre.store, last).state == "in_review"
    assert current_case(desk) == last and shows(desk, last)
    assert "审查中" in desk.detail.summary.text()
    assert desk.panel.opinion.submit.isEnabled()  # the next step is on the same case


def test_a_write_refreshes_only_what_shows_the_cases_it_changed(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another case's change re-reads the list but not the detail on screen; a document put on
    file re-reads that case's detail but no list; a draft or a password change re-reads
    nothing."""
    dibao = accepted(centre, DIBAO)
    gaoling = accepted(centre, GAOLING)
    env = desk_env("approver")
    desk = open_desk(qtbot, env)
    choose(qtbot, desk, dibao)
    reads: list[str] = []
    run = env.backend.run

    def counted(fn: Callable[..., object], *args: object, **kwargs: object) -> object:
        reads.append(fn.__name__)
        return run(fn, *args, **kwargs)

    monkeypatch.setattr(env.backend, "run", counted)

    def written(**notice: object) -> list[str]:
        reads.clear()
        env.runner.write(lambda: None, **notice)  # type: ignore[arg-type]
        wait_idle(qtbot, env.runner)
        return sorted(set(reads))

    # the alerts' counts too (app.alerts): a change that may move cases moves them
    assert written(cases=(gaoling,)) == ["desk_alerts", "queue_categories", "queue_listing"]
    assert chosen(desk) == dibao and desk.view is not None
    assert written(cases=(dibao,), lists=False) == ["case_view", "review_progress"]
    assert written(cases=(dibao,)) == [
        "case_view",
        "desk_alerts",
        "queue_categories",
        "queue_listing",
        "review_progress",
    ]
    assert written(changes_cases=False) == []
    desk.hide()  # another tab in front: it reads again when activated, not before
    assert written(cases=(dibao,)) == []
