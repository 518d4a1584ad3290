"""代办台: a proxy agent registers a 代办委托书, files for the resident and submits, as they
would at a village service point; the store is checked afterwards."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts.identity import masked
from app.cases import decisions, intake, proxy
from app.demo.forms import id_number, sample_form_data
from app.errors import ValidationError
from app.workflow.states import CaseState
from db.models import Applicant, Case, ProxyAuthorization
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import cell, commit_text
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.proxy.desk import ProxyDesk

RESIDENT_ID = id_number(random.Random(11))
BAD_ID = RESIDENT_ID[:17] + ("0" if RESIDENT_ID[17] != "0" else "1")


def _open(qtbot: QtBot, env: DeskEnv) -> ProxyDesk:
    desk = ProxyDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    desk.activate()
    wait_idle(qtbot, env.runner)
    return desk


def _click(qtbot: QtBot, button: QAbstractButton, env: DeskEnv) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)


def _retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _pick(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Choose an entry with the arrow keys, as from the keyboard."""
    combo.setFocus()
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def _register(qtbot: QtBot, desk: ProxyDesk, env: DeskEnv, id_text: str, filter_text: str) -> None:
    pane = desk.authorizations
    desk.tabs.setCurrentWidget(pane)
    commit_text(pane.name, "王秀英")
    _retype(qtbot, pane.id_number, id_text)
    _retype(qtbot, pane.phone, "13800138000")
    _retype(qtbot, pane.items_filter, filter_text)
    qtbot.keyClick(pane.items_filter, Qt.Key.Key_Tab)
    assert pane.items.hasFocus()
    qtbot.keyClick(pane.items, Qt.Key.Key_Space)  # tick the first item the filter left
    _click(qtbot, pane.register_button, env)


def _authorizations(centre: Centre) -> list[ProxyAuthorization]:
    with centre.store.reader() as session:
        return list(session.scalars(select(ProxyAuthorization)))


def test_proxy_registers_files_and_submits_for_a_resident(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("proxy")
    desk = _open(qtbot, env)
    pane = desk.authorizations

    _register(qtbot, desk, env, BAD_ID, "gljt")
    assert pane.chosen_codes() == ["DEMO-MZ-004"]
    assert "委托人居民身份证号" in desk.notice.text()
    assert desk.notice.property("error") is True
    assert pane.id_number.hasFocus()
    assert _authorizations(centre) == []

    _retype(qtbot, pane.id_number, RESIDENT_ID)
    _click(qtbot, pane.register_button, env)
    (auth,) = _authorizations(centre)
    assert auth.matters == ["DEMO-MZ-004"] and auth.may_collect
    assert auth.valid_until == dt.date(2026, 9, 2)  # six months by default
    assert auth.authorization_no in desk.notice.text()
    assert auth.authorization_no in pane.result.text()
    assert pane.table.rowCount() == 1
    assert cell(pane.table, 0, 2) == masked(RESIDENT_ID)  # never the full number
    assert cell(pane.table, 0, 3) == "高龄津贴"
    assert pane.name.text() == "" and pane.chosen_codes() == []
    save_screenshots(desk, "desk-proxy-authorizations")

    filing = desk.new_filing
    desk.tabs.setCurrentWidget(filing)
    assert filing.authorization.count() == 1
    assert filing.item.currentText() == "高龄津贴"
    qtbot.waitUntil(lambda: filing.form is not None)
    form = filing.form
    assert form is not None
    assert (
        RESIDENT_ID not in filing.resident.text() and masked(RESIDENT_ID) in filing.resident.text()
    )
    with pytest.raises(KeyError):
        form.editor("applicant")  # the applicant comes from the authorization

    # Submitting the empty form is stopped at the first problem, nothing written.
    _click(qtbot, filing.submit_button, env)
    assert "请填写户籍地址" in desk.notice.text()
    code = form.findChild(QLineEdit, "field_residence_division_code")
    detail = form.findChild(QLineEdit, "field_residence_detail")
    assert code is not None and detail is not None and code.hasFocus()

    qtbot.keyClicks(code, "511899101001")
    commit_text(detail, "清河镇幸福村3组12号")
    age = form.editor("age_band")
    assert isinstance(age, QComboBox)
    _pick(qtbot, age, "90—99周岁")
    bank = form.editor("bank_name")
    assert isinstance(bank, QLineEdit)
    commit_text(bank, "农村信用社")
    with qtbot.waitSignal(filing.submit_button.clicked):  # Ctrl+Enter animates the click
        qtbot.keyClick(bank, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, env.runner)

    assert "已提交代办申请" in desk.notice.text(), desk.notice.text()
    with centre.store.reader() as session:
        (case,) = session.scalars(select(Case))
        applicant = session.get(Applicant, case.applicant_id)
        assert applicant is not None
        assert case.state == CaseState.SUBMITTED.value
        assert case.proxy_user_id == centre.actor("proxy").user_id
        assert case.authorization_id == auth.id
        assert (applicant.name, applicant.id_number) == ("王秀英", RESIDENT_ID)
        assert case.form_data["applicant"]["id_number"] == RESIDENT_ID
        assert case.form_data["age_band"] == "90—99周岁"
        receipt_no = case.receipt_no
    assert receipt_no in desk.notice.text()

    # The desk shows the filing in the agent's list, selected, with its state.
    assert desk.tabs.currentWidget() is desk.filings
    filings = desk.filings
    qtbot.waitUntil(lambda: filings.model.total == 1)
    wait_idle(qtbot, env.runner)
    assert filings.table.current_case_id() == case.id
    index = filings.model.index(0, 4)
    assert filings.model.data(index) == "已提交"
    assert receipt_no in filings.detail.summary.text()
    assert filings.withdraw_button.isEnabled() and not filings.submit_button.isEnabled()
    save_screenshots(desk, "desk-proxy")


def test_draft_saved_then_submitted_then_withdrawn(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    auth_id = intake.register_authorization(
        centre.ctx,
        centre.actor("proxy"),
        {"name": "李建国", "id_number": RESIDENT_ID, "phone": "13800138000"},
        ["DEMO-MZ-004", "DEMO-RS-002"],
        dt.date(2026, 6, 30),
    ).authorization_id
    env = desk_env("proxy")
    desk = _open(qtbot, env)
    filing = desk.new_filing
    desk.tabs.setCurrentWidget(filing)
    _pick(qtbot, filing.item, "高龄津贴")
    qtbot.waitUntil(lambda: filing.form is not None and filing.save_button.isEnabled())
    form = filing.form
    assert form is not None
    code = form.findChild(QLineEdit, "field_residence_division_code")
    detail = form.findChild(QLineEdit, "field_residence_detail")
    assert code is not None and detail is not None
    qtbot.keyClick(filing.item, Qt.Key.Key_Tab)  # from the item straight into the form
    assert code.hasFocus()
    qtbot.keyClicks(code, "511899101001")
    commit_text(detail, "清河镇幸福村3组12号")
    age = form.editor("age_band")
    assert isinstance(age, QComboBox)
    _pick(qtbot, age, "80—89周岁")
    bank = form.editor("bank_name")
    commit_text(bank, "农村信用社")
    save_screenshots(desk, "desk-proxy-new-filing")
    _click(qtbot, filing.save_button, env)
    assert "已暂存草稿" in desk.notice.text(), desk.notice.text()
    with centre.store.reader() as session:
        (case,) = session.scalars(select(Case))
        assert case.state == CaseState.DRAFT.value and case.authorization_id == auth_id

    filings = desk.filings
    assert desk.tabs.currentWidget() is filings
    qtbot.waitUntil(lambda: filings.submit_button.isEnabled())
    _click(qtbot, filings.submit_button, env)
    assert "已提交" in desk.notice.text()
    with centre.store.reader() as session:
        assert session.get(Case, case.id).state == CaseState.SUBMITTED.value  # type: ignore[union-attr]

    qtbot.waitUntil(lambda: filings.withdraw_button.isEnabled())
    _click(qtbot, filings.withdraw_button, env)
    assert "请填写撤回原因" in desk.notice.text() and filings.reason.hasFocus()
    commit_text(filings.reason, "申请人已自行到窗口办理")
    _click(qtbot, filings.withdraw_button, env)
    assert desk.env.dialogs.confirms  # type: ignore[attr-defined]
    assert "已撤回" in desk.notice.text()
    with centre.store.reader() as session:
        assert session.get(Case, case.id).state == CaseState.WITHDRAWN.value  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not filings.withdraw_button.isEnabled())


def test_results_ready_to_collect_show_the_authorization_to_bring(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    agent = centre.actor("proxy")
    auth_id = intake.register_authorization(
        centre.ctx,
        agent,
        {"name": "李建国", "id_number": RESIDENT_ID, "phone": "13800138000"},
        ["DEMO-RS-002"],
        dt.date(2026, 6, 30),
    ).authorization_id
    template = proxy.filing_template(centre.template("《就业创业证》申领"))
    data = sample_form_data(template, random.Random(3))
    item_id = centre.item_id("《就业创业证》申领")
    # Someone else's agent cannot use this authorization.
    with pytest.raises(ValidationError):
        proxy.file_for_resident(centre.ctx, centre.actor("proxy2"), item_id, data, auth_id)
    draft = proxy.file_for_resident(centre.ctx, agent, item_id, data, auth_id)
    intake.submit(centre.ctx, agent, draft.case_id)
    clerk = centre.actor("clerk")
    materials = [intake.MaterialIn(k) for k in centre.required_materials("《就业创业证》申领")]
    intake.receive_submitted(centre.ctx, clerk, draft.case_id, materials)
    decisions.accept(centre.ctx, clerk, draft.case_id)
    decisions.decide(centre.ctx, clerk, draft.case_id, approved=True, result_no="JY-2026-001")
    decisions.mark_ready(centre.ctx, clerk, draft.case_id)

    env = desk_env("proxy")
    desk = _open(qtbot, env)
    ready = desk.filings.ready
    assert ready.rowCount() == 1
    with centre.store.reader() as session:
        auth = session.get(ProxyAuthorization, auth_id)
        assert auth is not None
    assert cell(ready, 0, 0) == draft.receipt_no
    assert cell(ready, 0, 3) == auth.authorization_no
    assert cell(ready, 0, 4) == "是"
    assert desk.filings.model.data(desk.filings.model.index(0, 4)) == "待出件"
