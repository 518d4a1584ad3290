"""Rough edges of the 受理台 a new user met (issue 13): a check box left unticked says 请勾选;
the notice over a refused form follows the clerk's fixes and goes once they are done; signing
out (or locking) with a half-filled form keeps it as a draft and says so."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QListWidget
from pytestqt.qtbot import QtBot

from app.demo.forms import sample_form_data
from tests.centre import Centre
from tests.ui import test_intake_desk as front
from tests.ui.conftest import wait_idle
from tests.ui.drive import main_window
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshot, save_screenshots
from tests.ui.test_whole_cases import _passwords, sign_in, sign_out
from ui.application import build_session
from ui.desk_base import DeskEnv
from ui.desks.intake.desk import IntakeDesk
from ui.main_window import MainWindow
from ui.session import SessionController
from ui.worker import Runner

CONSENT = "已签署家庭经济状况查询核对授权书和信息真实性承诺书"


def _refused_for_id_and_consent(qtbot: QtBot, desk: IntakeDesk, centre: Centre) -> None:
    """The 低保 form filled in (as from a draft) but for a wrong ID number and the consent box
    left unticked, the materials ticked, then 受理 pressed."""
    front.pick_dibao(qtbot, desk)
    form = desk.workspace.form
    assert form is not None
    data = sample_form_data(centre.template(front.DIBAO), random.Random(5))
    data["applicant"] = {**data["applicant"], "id_number": front.BAD_ID}
    data["consent"] = False
    form.set_value(data)
    front.tick(qtbot, desk, front.REQUIRED)
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)


def test_an_unticked_required_check_box_says_tick_it(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = front.open_desk(qtbot, desk_env("clerk"))
    _refused_for_id_and_consent(qtbot, desk, centre)
    form = desk.workspace.form
    assert form is not None
    assert form.problem_text("consent") == f"请勾选{CONSENT}"
    assert "请填写" not in form.problem_text("consent")
    assert front.case_count(centre) == 0


def test_the_notice_over_a_refused_form_follows_the_fixes_and_goes(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = front.open_desk(qtbot, desk_env("clerk"))
    _refused_for_id_and_consent(qtbot, desk, centre)
    form = desk.workspace.form
    assert form is not None
    assert front.notice(desk).startswith("表单填写有误（") and "等 2 处" in front.notice(desk)
    assert desk.notice.property("error")
    save_screenshots(desk, "desk-intake-form-refused")

    id_edit = front.line(desk, "field_applicant_id_number")
    assert id_edit.hasFocus()  # the first problem
    qtbot.keyClick(id_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(id_edit, front.GOOD_ID[17])  # fixed: one problem left, named
    assert form.problem_text("applicant") == ""
    assert front.notice(desk) == (
        f"表单填写有误（请勾选{CONSENT}），请更正后再办理；未保存任何办件。"
    )
    assert desk.notice.property("error")

    consent = front.child(desk, QCheckBox, "field_consent")
    front.focus(qtbot, consent)
    qtbot.keyClick(consent, Qt.Key.Key_Space)  # all fixed: the notice goes
    assert form.problem_text("consent") == ""
    assert front.notice(desk) == ""
    save_screenshots(desk, "desk-intake-form-fixed")

    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # and the intake goes through
    assert front.notice(desk).startswith("已受理，收件号 ")
    qtbot.keyClick(front.line(desk, "itemSearch"), Qt.Key.Key_A)  # a later form is not watched
    assert front.notice(desk).startswith("已受理，收件号 ")


def _clerk_at_intake(
    qtbot: QtBot, centre: Centre
) -> tuple[SessionController, MainWindow, IntakeDesk]:
    """The clerk signed in through a real session, at the 受理台."""
    _passwords(centre)
    runner = Runner()
    session = build_session(
        centre.store, False, FakeDialogs(), runner, clock=centre.clock, idle_lock_ms=3_600_000
    )
    qtbot.addWidget(session.start())
    window = sign_in(qtbot, session, "clerk")
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    return session, window, desk


def test_signing_out_keeps_a_half_filled_form_as_a_draft_and_says_so(
    qtbot: QtBot, centre: Centre
) -> None:
    session, window, desk = _clerk_at_intake(qtbot, centre)
    front.pick_dibao(qtbot, desk)
    front.type_chinese(qtbot, front.line(desk, "field_applicant_name"), front.NAME)
    id_edit = front.line(desk, "field_applicant_id_number")
    front.focus(qtbot, id_edit)
    qtbot.keyClicks(id_edit, front.GOOD_ID)  # signed out at once: before any autosave
    typed = desk.workspace.form.value()  # type: ignore[union-attr]
    assert not desk.workspace.keeper.pending() or front.draft_count(centre) == 0

    sign_out(qtbot, session, window)
    login = session.login
    assert login is not None
    assert login.message.text() == (
        f"未完成的表单已保存为草稿：{front.DIBAO}（{front.NAME}），下次登录可在“草稿”中继续办理。"
    )
    assert front.draft_count(centre) == 1
    login.resize(1366, 768)
    save_screenshot(login, "login-draft-kept")

    window = sign_in(qtbot, session, "clerk")
    again = window.desk("intakeDesk")
    assert isinstance(again, IntakeDesk)
    qtbot.waitUntil(lambda: again.sidebar.tabText(1) == "草稿（1）")
    again.sidebar.setCurrentIndex(1)
    drafts = front.child(again, QListWidget, "intakeDrafts")
    assert front.NAME in drafts.item(0).text()
    save_screenshots(window, "main-clerk-draft-after-sign-in")
    window.resize(1366, 768)
    drafts.setCurrentRow(0)
    front.focus(qtbot, drafts)
    qtbot.keyClick(drafts, Qt.Key.Key_Return)
    wait_idle(qtbot, session.runner)
    assert again.workspace.form is not None
    assert again.workspace.form.value() == typed  # nothing typed is lost
    session.sign_out()  # resumed and untouched: kept again, said again
    assert session.login is not None and "未完成的表单已保存为草稿" in session.login.message.text()
    wait_idle(qtbot, session.runner)
    assert front.draft_count(centre) == 1


def test_an_empty_form_is_not_kept_and_nothing_is_said(qtbot: QtBot, centre: Centre) -> None:
    session, window, desk = _clerk_at_intake(qtbot, centre)
    front.pick_dibao(qtbot, desk)  # picked, nothing typed
    sign_out(qtbot, session, window)
    assert session.login is not None and session.login.message.text() == ""
    assert front.draft_count(centre) == 0


def test_locking_keeps_the_form_as_a_draft_and_on_screen(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("clerk")
    desk = IntakeDesk(env)
    window = main_window(env, [desk])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    wait_idle(qtbot, env.runner)
    front.pick_dibao(qtbot, desk)
    front.type_chinese(qtbot, front.line(desk, "field_applicant_name"), "李建国")
    window.lock()
    wait_idle(qtbot, env.runner)
    assert front.draft_count(centre) == 1  # kept at once, not after the autosave pause
    assert window.lock_screen is not None
    assert front.line(desk, "field_applicant_name").text() == "李建国"  # still there
