"""一次一评 at the window with one screen: after the clerk's service the resident rates it in the
resident-facing dialog; a 差评 asks why; 群众不评价 records nothing; the clerk's own desks hold
no control that rates, and a service is rated at the window once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.evaluations.levels import LEVEL_LABELS, Channel, Level, Reason, Service
from app.evaluations.rectification import TaskState
from app.evaluations.service import RatingRefused, invitation_for, record_window_rating
from tests.centre import Centre
from tests.ui import test_delivery_desk as delivery
from tests.ui import test_intake_desk as front
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.rating_drive import (
    ResidentFacing,
    accepted_case,
    evaluations,
    open_dialog,
    rate,
)
from tests.ui.test_whole_cases import _session, sign_in, sign_out
from ui.desk_base import DeskEnv
from ui.desks.rating import offer_rating
from ui.evaluation import hosts
from ui.evaluation.hosts import RatingDialog
from ui.evaluation.panel import NO_REASON

RATING_WORDS = (*LEVEL_LABELS.values(), "评价")


def resident_env(desk_env: Callable[[str], DeskEnv], user: str = "clerk") -> DeskEnv:
    return replace(desk_env(user), dialogs=ResidentFacing())


def host(qtbot: QtBot, size: tuple[int, int] = (1366, 768)) -> QWidget:
    """The clerk's window the dialog opens over."""
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def assert_unclipped(widget: QWidget) -> None:
    QApplication.processEvents()  # queued layout lands first
    assert not clipped(widget), clipped(widget)


def closed(dialog: RatingDialog) -> bool:
    """Closed (a closed rating dialog deletes itself)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def invited(qtbot: QtBot, env: DeskEnv, window: QWidget, case_id: int) -> RatingDialog:
    offer_rating(window, env, case_id, Service.INTAKE)
    wait_idle(qtbot, env.runner)
    dialog = open_dialog()
    assert dialog is not None, "no rating dialog"
    qtbot.waitExposed(dialog)
    return dialog


def test_the_resident_rates_the_intake_in_the_dialog_after_the_clerk_accepts(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = resident_env(desk_env)
    desk = front.open_desk(qtbot, env)
    front.pick_dibao(qtbot, desk)
    front.fill_dibao(qtbot, desk)
    front.tick(qtbot, desk, front.REQUIRED)
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # 受理
    assert "已受理" in front.notice(desk)
    dialog = open_dialog()
    assert dialog is not None and dialog.isModal()
    (row,) = front.rows_named(centre, front.NAME)
    panel = dialog.panel
    assert panel.served.text() == "您正在评价：clerk W01 窗口 · 收件受理"
    assert "最低生活保障" in panel.case.text() and row.receipt_no in panel.case.text()
    assert "请群众本人评价" in dialog.turn.text()
    assert [b.text() for b in panel.level_buttons.values()] == list(LEVEL_LABELS.values())
    assert_unclipped(dialog)

    rate(qtbot, panel, Level.SATISFIED)
    (evaluation,) = evaluations(centre)
    assert (evaluation.level, evaluation.service, evaluation.channel) == (2, "intake", "window")
    assert evaluation.case_id == row.case_id and evaluation.staff == "clerk"
    assert evaluation.task_state is None  # not a 差评: no task
    assert "感谢您的评价" in panel.thanks.text()
    qtbot.waitUntil(lambda: closed(dialog), timeout=hosts.THANKS_MS + 3_000)
    # Rated once: the window offers it no more, and the service refuses a second rating.
    backend = env.backend
    assert backend.run(invitation_for, row.case_id, Service.INTAKE) is None


def test_a_bad_rating_asks_why_and_opens_a_rectification_task(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    env = resident_env(desk_env)
    window = host(qtbot)  # kept: the dialog goes with its window
    dialog = invited(qtbot, env, window, case_id)
    panel = dialog.panel
    qtbot.mouseClick(panel.level_buttons[Level.VERY_DISSATISFIED], Qt.MouseButton.LeftButton)
    assert panel.pages.currentWidget() is panel.reasons_page
    assert "非常不满意" in panel.reasons_prompt.text()
    assert [b.text() for b in panel.reason_boxes.values()][:2] == [
        "服务态度不好",
        "办理效率低、时间长",
    ]
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)  # no reason given
    assert panel.error.isVisible() and panel.error.text() == NO_REASON
    assert evaluations(centre) == []

    panel.reason_boxes[Reason.WAITING].click()
    panel.reason_boxes[Reason.MANY_TRIPS].click()
    commit_text(panel.text, "材料要求前后说法不一，跑了三趟")
    assert not panel.error.isVisible()
    assert_unclipped(dialog)
    qtbot.mouseClick(panel.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.thanked, timeout=10_000)
    assert "回访" in panel.thanks_note.text()  # real name: a call back is promised
    (evaluation,) = evaluations(centre)
    assert evaluation.level == Level.VERY_DISSATISFIED.value
    assert sorted(evaluation.reasons) == sorted([Reason.MANY_TRIPS.value, Reason.WAITING.value])
    assert evaluation.text == "材料要求前后说法不一，跑了三趟" and not evaluation.anonymous
    assert evaluation.task_state == TaskState.TO_VERIFY.value
    assert evaluation.task_due == dt.date(2026, 3, 9)  # 5 working days after Mon 2 March
    dialog.reject()


def test_the_anonymous_box_and_going_back_to_the_five_levels(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    env = resident_env(desk_env)
    window = host(qtbot)  # kept: the dialog goes with its window
    dialog = invited(qtbot, env, window, case_id)
    panel = dialog.panel
    panel.level_buttons[Level.DISSATISFIED].click()
    panel.back.click()  # 重新选择
    assert panel.pages.currentWidget() is panel.choose_page
    panel.level_buttons[Level.DISSATISFIED].click()
    panel.reason_boxes[Reason.ATTITUDE].click()
    panel.anonymous.click()
    panel.submit.click()
    qtbot.waitUntil(lambda: panel.thanked, timeout=10_000)
    assert "回访" not in panel.thanks_note.text()
    (evaluation,) = evaluations(centre)
    assert evaluation.anonymous and evaluation.level == Level.DISSATISFIED.value
    dialog.reject()


def test_skipping_records_nothing_and_the_resident_may_still_rate(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    env = resident_env(desk_env)
    window = host(qtbot)  # kept: the dialog goes with its window
    dialog = invited(qtbot, env, window, case_id)
    assert dialog.skip.text() == "群众不评价（跳过）"
    qtbot.mouseClick(dialog.skip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog))
    wait_idle(qtbot, env.runner)
    assert evaluations(centre) == []
    # Nothing recorded: the service is still open to a rating.
    assert env.backend.run(invitation_for, case_id, Service.INTAKE) is not None
    # Esc skips too.
    window = host(qtbot)  # kept: the dialog goes with its window
    dialog = invited(qtbot, env, window, case_id)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog))
    assert evaluations(centre) == []


def test_a_second_rating_of_the_same_service_is_refused_in_the_dialog(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = accepted_case(centre)
    env = resident_env(desk_env)
    window = host(qtbot)
    first = invited(qtbot, env, window, case_id)
    invitation = first.panel.invitation
    assert invitation is not None
    rate(qtbot, first.panel, Level.VERY_SATISFIED)
    first.reject()
    # A dialog left over with the same invitation (opened before the rating) cannot rate it.
    second = RatingDialog(env.runner, env.backend, invitation, window)
    second.open()
    second.panel.level_buttons[Level.SATISFIED].click()
    wait_idle(qtbot, env.runner)
    assert second.panel.error.isVisible()
    assert "一次一评" in second.panel.error.text()
    assert not second.panel.thanked
    assert len(evaluations(centre)) == 1
    second.reject()


def test_the_clerk_cannot_rate(qtbot: QtBot, centre: Centre) -> None:
    """No desk, menu or shortcut of the clerk's window rates a service; the service itself takes
    a second window rating of a service never."""
    case_id = accepted_case(centre)
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "clerk")
    for desk in window.desks:
        window.tabs.setCurrentWidget(desk)
        wait_idle(qtbot, session.runner)
    texts = [b.text() for b in window.findChildren(QAbstractButton)]
    texts += [a.text() for a in window.findChildren(QAction)]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    rating = [t for t in texts if any(word in t for word in RATING_WORDS)]
    assert rating == [], rating
    assert not [
        b for b in window.findChildren(QAbstractButton) if b.objectName().startswith("rate")
    ]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, RatingDialog)]

    # Rated once by the resident: a second window rating of that service is refused.
    backend = window.env.backend
    invitation = backend.run(invitation_for, case_id, Service.INTAKE)
    assert invitation is not None
    with centre.store.session() as s:
        record_window_rating(
            s, invitation, Level.SATISFIED, [], "", anonymous=False, now=centre.clock()
        )
    assert backend.run(invitation_for, case_id, Service.INTAKE) is None
    with pytest.raises(RatingRefused, match="一次一评"), centre.store.session() as s:
        record_window_rating(
            s, invitation, Level.VERY_SATISFIED, [], "", anonymous=False, now=centre.clock()
        )
    assert [e.channel for e in evaluations(centre)] == [Channel.WINDOW.value]
    sign_out(qtbot, session, window)
    session.runner.shutdown()


@pytest.mark.parametrize(
    ("decide", "service"),
    [("supplement", Service.NOTICE), ("refuse", Service.REFUSAL)],
)
def test_a_notice_or_a_refusal_at_the_intake_desk_invites_a_rating(
    qtbot: QtBot,
    desk_env: Callable[[str], DeskEnv],
    centre: Centre,
    decide: str,
    service: Service,
) -> None:
    dialogs = FakeDialogs()
    env = replace(desk_env("clerk"), dialogs=dialogs)
    desk = front.open_desk(qtbot, env)
    front.pick_dibao(qtbot, desk)
    front.fill_dibao(qtbot, desk)
    if decide == "supplement":
        front.tick(qtbot, desk, [k for k in front.REQUIRED if k != "photo"])
        front.press(qtbot, desk, Qt.Key.Key_F7)
    else:
        front.press(qtbot, desk, Qt.Key.Key_F8)
        front.type_chinese(qtbot, front.child(desk, QWidget, "refuseReasons"), "户籍不在本镇")
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    wait_idle(qtbot, env.runner)
    (row,) = front.rows_named(centre, front.NAME)
    offered = dialogs.rating_invitations
    assert [(i.case_id, i.service) for i in offered] == [(row.case_id, service)]


def test_handing_the_result_over_at_the_window_invites_a_rating(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = delivery.ready(centre)
    dialogs = FakeDialogs()
    env = replace(desk_env("clerk"), dialogs=dialogs)
    desk = delivery.open_desk(qtbot, env)
    delivery.choose(qtbot, desk, case_id)
    page = desk.panel.window_page
    name, id_number = delivery.applicant_of(centre, case_id)
    delivery.type_into(qtbot, page.name, name)
    delivery.type_into(qtbot, page.id_number, id_number)
    delivery.click(qtbot, desk, page.submit)
    wait_idle(qtbot, env.runner)
    assert "已出件" in desk.notice.text()
    offered = dialogs.rating_invitations
    assert [(i.case_id, i.service) for i in offered] == [(case_id, Service.DELIVERY)]
