"""受理台 driven as a clerk would: search the item, type the form, tick the materials, decide
with the keyboard; then the store is read back to see what was really written."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases import decisions, intake, queries
from app.cases.queries import CaseDetail, CaseRow
from app.catalog.loader import bundled_catalog
from app.demo.forms import id_number, sample_form_data
from app.errors import IllegalTransition
from app.intake import window
from app.validators import id_check_digit
from app.workflow.states import Action, CaseState
from db.models import Case, IntakeDraft, Item
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.intake.desk import IntakeDesk

DIBAO = "最低生活保障"
DIBAO_INITIALS = next(i for i in bundled_catalog().items if i.name == DIBAO).pinyin_initials
GOOD_ID = id_number(random.Random(11))
BAD_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
NAME = "王秀英"
REQUIRED = ["application", "id_and_hukou", "declaration", "authorization", "income_proof", "photo"]


# --- driving the desk --------------------------------------------------------------------------


def open_desk(qtbot: QtBot, env: DeskEnv, size: tuple[int, int] = (1366, 720)) -> IntakeDesk:
    desk = IntakeDesk(env)
    qtbot.addWidget(desk)
    desk.resize(*size)
    desk.show()
    qtbot.waitExposed(desk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    wait_idle(qtbot, env.runner)
    return desk


W = TypeVar("W", bound=QWidget)


def child(desk: QWidget, kind: type[W], name: str) -> W:
    found = desk.findChild(kind, name)
    assert isinstance(found, kind), name
    return found


def line(desk: QWidget, name: str) -> QLineEdit:
    return child(desk, QLineEdit, name)


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def type_chinese(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Chinese arrives as an input method's commit, as from a real 拼音 IME."""
    focus(qtbot, widget)
    commit_text(widget, text)


def pick_dibao(qtbot: QtBot, desk: IntakeDesk) -> None:
    search = line(desk, "itemSearch")
    assert search.hasFocus()  # focus lands in the item search on open
    qtbot.keyClicks(search, DIBAO_INITIALS)
    items = child(desk, QListWidget, "itemList")
    assert [items.item(i).text() for i in range(items.count())] == [f"{DIBAO}（承诺件）"]
    qtbot.keyClick(search, Qt.Key.Key_Return)
    wait_idle(qtbot, desk.env.runner)
    assert desk.workspace.form is not None
    assert DIBAO in child(desk, QLabel, "intakeHeader").text()


def fill_dibao(qtbot: QtBot, desk: IntakeDesk, id_no: str = GOOD_ID, name: str = NAME) -> None:
    """Type the whole 低保 form, moving on with Enter as a clerk does."""
    name_edit = line(desk, "field_applicant_name")
    assert name_edit.hasFocus()  # the form's first field has the focus once the item is picked
    type_chinese(qtbot, name_edit, name)
    qtbot.keyClick(name_edit, Qt.Key.Key_Return)
    id_edit = line(desk, "field_applicant_id_number")
    qtbot.waitUntil(id_edit.hasFocus)
    qtbot.keyClicks(id_edit, id_no)
    qtbot.keyClick(id_edit, Qt.Key.Key_Return)
    phone = line(desk, "field_applicant_phone")
    qtbot.waitUntil(phone.hasFocus)
    qtbot.keyClicks(phone, "13812345678")
    focus(qtbot, line(desk, "field_residence_division_code"))
    qtbot.keyClicks(line(desk, "field_residence_division_code"), "511899101201")
    type_chinese(qtbot, line(desk, "field_residence_detail"), "清河镇东村3组12号")
    focus(qtbot, line(desk, "field_family_size"))
    qtbot.keyClicks(line(desk, "field_family_size"), "3")
    focus(qtbot, line(desk, "field_monthly_income"))
    qtbot.keyClicks(line(desk, "field_monthly_income"), "1200")
    reason = child(desk, QComboBox, "field_reason")
    focus(qtbot, reason)
    qtbot.keyClick(reason, Qt.Key.Key_Down)  # 因病
    consent = child(desk, QCheckBox, "field_consent")
    focus(qtbot, consent)
    qtbot.keyClick(consent, Qt.Key.Key_Space)
    assert consent.isChecked()


def tick(qtbot: QtBot, desk: IntakeDesk, keys: list[str]) -> None:
    for key in keys:
        box = child(desk, QCheckBox, f"material_{key}")
        focus(qtbot, box)
        qtbot.keyClick(box, Qt.Key.Key_Space)
        assert box.isChecked(), key


def press(qtbot: QtBot, desk: IntakeDesk, key: Qt.Key, ctrl: bool = False) -> None:
    """A shortcut pressed wherever the focus is in the desk."""
    target = QApplication.focusWidget() or desk
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.keyClick(target, key, modifier)
    wait_idle(qtbot, desk.env.runner)


def notice(desk: IntakeDesk) -> str:
    return desk.notice.text()


# --- reading the store -------------------------------------------------------------------------


def case_count(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def rows_named(centre: Centre, name: str) -> list[CaseRow]:
    with centre.store.reader() as session:
        return queries.search(session, centre.actor("supervisor"), name)


def detail(centre: Centre, case_id: int) -> CaseDetail:
    with centre.store.reader() as session:
        return queries.case_detail(
            session, centre.actor("supervisor"), case_id, centre.ctx.calendar, dt.date(2026, 3, 2)
        )


def payload_of(centre: Centre, case_id: int, action: Action) -> dict[str, Any]:
    entry = next(e for e in detail(centre, case_id).timeline if e.action is action)
    return entry.payload


def draft_count(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(IntakeDraft)) or 0


# --- the paths -----------------------------------------------------------------------------------


def test_the_item_search_offers_recent_items_first_and_picks_by_keyboard_or_mouse(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    centre.walk_in("高龄津贴")  # taken in at this workstation (W01) before
    desk = open_desk(qtbot, desk_env("clerk"))
    search = line(desk, "itemSearch")
    items = child(desk, QListWidget, "itemList")
    for word in ("名称", "拼音首字母", "编码"):
        assert word in search.placeholderText()
    qtbot.waitUntil(lambda: items.count() > 10)
    assert items.item(0).text() == "【最近】高龄津贴（承诺件）"
    assert all("最近" not in items.item(i).text() for i in range(1, items.count()))

    type_chinese(qtbot, search, "低保")  # the short name
    assert [items.item(i).text() for i in range(items.count())] == [f"{DIBAO}（承诺件）"]
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # Esc clears the search
    assert search.text() == "" and items.count() > 10
    qtbot.keyClicks(search, "DEMO-MZ-001")  # the code
    assert items.count() == 1 and DIBAO in items.item(0).text()
    qtbot.keyClick(search, Qt.Key.Key_Escape)

    qtbot.keyClick(search, Qt.Key.Key_Down)  # into the list, on the second item
    assert items.hasFocus() and items.currentRow() == 1
    second = items.item(1)
    rect = items.visualItemRect(second)
    qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, desk.env.runner)
    spec = desk.workspace.spec
    assert spec is not None and spec.name in second.text()
    assert desk.workspace.form is not None


def test_tab_goes_from_the_form_to_the_materials_and_the_decisions(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    consent = child(desk, QCheckBox, "field_consent")  # the form's last field
    focus(qtbot, consent)
    qtbot.keyClick(consent, Qt.Key.Key_Tab)
    qtbot.waitUntil(child(desk, QCheckBox, "material_application").hasFocus)
    last_copies = desk.workspace.checklist.copies_box("photo")  # type: ignore[union-attr]
    focus(qtbot, last_copies)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.waitUntil(child(desk, QPushButton, "intakeAccept").hasFocus)
    accept = child(desk, QPushButton, "intakeAccept")
    assert "Ctrl+Enter" in accept.text()
    for name, key in (
        ("intakeDeficiency", "F6"),
        ("intakeSupplement", "F7"),
        ("intakeRefuse", "F8"),
    ):
        assert key in child(desk, QPushButton, name).text()


def test_clerk_picks_dibao_by_initials_and_accepts_with_the_shortcut(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk, id_no=BAD_ID)
    tick(qtbot, desk, REQUIRED)

    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # 受理: the ID number is wrong
    form = desk.workspace.form
    assert form is not None
    assert "身份证" in form.problem_text("applicant")
    assert "表单填写有误" in notice(desk) and desk.notice.property("error")
    assert line(desk, "field_applicant_id_number").hasFocus()  # the first problem
    assert case_count(centre) == 0  # nothing written

    id_edit = line(desk, "field_applicant_id_number")
    qtbot.keyClick(id_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(id_edit, GOOD_ID[17])
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)

    (row,) = rows_named(centre, NAME)
    assert row.state is CaseState.ACCEPTED and row.applicant_name == NAME
    assert row.receipt_no == "511899101000-W01-20260302-0001"
    assert row.due_date == dt.date(2026, 4, 7)
    assert notice(desk) == (
        "已受理，收件号 511899101000-W01-20260302-0001，承诺办结日 2026-04-07。"
    )
    received = payload_of(centre, row.case_id, Action.RECEIVE)
    assert sorted(received["materials"]) == sorted(REQUIRED)
    # Cleared for the next resident, the focus back in the item search.
    assert desk.workspace.form is None
    qtbot.waitUntil(line(desk, "itemSearch").hasFocus)
    assert line(desk, "itemSearch").text() == ""


def test_accept_with_a_required_material_missing_names_it_and_writes_nothing(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, [k for k in REQUIRED if k != "declaration"])
    child(desk, QPushButton, "intakeAccept").click()
    wait_idle(qtbot, desk.env.runner)
    assert "家庭人口、收入和财产状况书面声明" in notice(desk)
    assert "不能直接受理" in notice(desk)
    assert case_count(centre) == 0
    assert child(desk, QCheckBox, "material_declaration").hasFocus()
    assert line(desk, "field_applicant_name").text() == NAME  # everything kept
    save_screenshots(desk, "desk-intake-refused")


def test_one_time_notice_lists_every_missing_material_with_its_note(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, [k for k in REQUIRED if k not in ("authorization", "photo")])
    press(qtbot, desk, Qt.Key.Key_F7)
    panel = child(desk, QWidget, "supplementPanel")
    assert panel.isVisible()
    note = line(desk, "supplementNote_photo")
    assert note.hasFocus() is False and "2份" in note.text()
    assert line(desk, "supplementNote_authorization").hasFocus()
    note.selectAll()
    focus(qtbot, note)
    note.selectAll()
    type_chinese(qtbot, note, "照片须为近期二寸蓝底彩照两张")
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)

    (row,) = rows_named(centre, NAME)
    assert row.state is CaseState.AWAITING_SUPPLEMENT
    missing = payload_of(centre, row.case_id, Action.REQUEST_SUPPLEMENT)["missing"]
    assert isinstance(missing, list)
    assert [m["key"] for m in missing] == ["authorization", "photo"]
    assert missing[0]["name"] == "家庭经济状况查询核对授权书"
    assert missing[1]["how"] == "照片须为近期二寸蓝底彩照两张"
    assert "已出具一次性告知" in notice(desk) and "待补正材料 2 项" in notice(desk)
    assert desk.workspace.form is None


def test_refuse_needs_reasons_then_refuses(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    press(qtbot, desk, Qt.Key.Key_F8)
    panel = child(desk, QWidget, "refusePanel")
    reasons = child(desk, QPlainTextEdit, "refuseReasons")
    assert panel.isVisible() and reasons.hasFocus()
    press(qtbot, desk, Qt.Key.Key_Escape)  # Esc closes the panel: nothing decided
    assert not panel.isVisible()
    press(qtbot, desk, Qt.Key.Key_F8)
    assert reasons.hasFocus()
    child(desk, QPushButton, "refusePanelConfirm").click()
    wait_idle(qtbot, desk.env.runner)
    assert "请填写不予受理理由" in notice(desk)
    assert case_count(centre) == 0

    type_chinese(qtbot, reasons, "申请人户籍不在本镇")
    type_chinese(qtbot, line(desk, "refuseOrgan"), "户籍所在地乡镇人民政府")
    focus(qtbot, reasons)
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # confirms the open panel

    (row,) = rows_named(centre, NAME)
    assert row.state is CaseState.REFUSED
    payload = payload_of(centre, row.case_id, Action.REFUSE)
    assert payload["reasons"] == ["申请人户籍不在本镇"]
    assert payload["competent_organ"] == "户籍所在地乡镇人民政府"
    assert notice(desk).startswith("已不予受理，收件号 511899101000-W01-20260302-0001")


def test_deficiency_only_for_deferrable_materials(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, [k for k in REQUIRED if k not in ("application", "income_proof")])
    press(qtbot, desk, Qt.Key.Key_F6)  # the application form may not be deferred
    assert "不允许容缺" in notice(desk) and "最低生活保障申请书" in notice(desk)
    assert not child(desk, QWidget, "deficiencyPanel").isVisible()
    assert case_count(centre) == 0

    tick(qtbot, desk, ["application"])
    press(qtbot, desk, Qt.Key.Key_F6)
    due = child(desk, QDateEdit, "deficiencyDue")
    assert due.hasFocus()
    assert due.date() == QDate(2026, 3, 9)  # 5 working days out, before the promised 4/7
    assert "2026-04-07" in child(desk, QLabel, "deficiencyLimit").text()
    assert "家庭成员收入证明" in child(desk, QLabel, "deficiencyMaterials").text()
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # the promise is not signed yet
    assert "容缺受理承诺书" in notice(desk) and case_count(centre) == 0

    commitment = child(desk, QCheckBox, "deficiencyCommitment")
    focus(qtbot, commitment)
    qtbot.keyClick(commitment, Qt.Key.Key_Space)
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)

    (row,) = rows_named(centre, NAME)
    assert row.state is CaseState.ACCEPTED and row.deficiency
    found = detail(centre, row.case_id)
    assert found.deadlines.deficiency_due == dt.date(2026, 3, 9)
    assert [m.key for m in found.materials if m.pending] == ["income_proof"]
    assert "已容缺受理" in notice(desk) and "补交期限 2026-03-09" in notice(desk)


def test_a_store_error_is_shown_and_everything_typed_is_kept(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, REQUIRED)
    with centre.store.session() as session, session.begin():  # the catalogue changed meanwhile
        session.scalars(select(Item).where(Item.name == DIBAO)).one().active = False
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    assert "不在当前事项目录中" in notice(desk) and desk.notice.property("error")
    assert case_count(centre) == 0
    assert line(desk, "field_applicant_name").text() == NAME
    assert line(desk, "field_applicant_id_number").text() == GOOD_ID
    assert child(desk, QCheckBox, "material_photo").isChecked()


def test_a_decision_refused_after_the_intake_leaves_nothing_and_can_be_retried(
    qtbot: QtBot,
    desk_env: Callable[[str], DeskEnv],
    centre: Centre,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """收件 went through inside the transaction but the decision did not (the case changed
    under us): nothing is on file, the form and materials stay, and the retry takes the
    resident in once."""
    desk = open_desk(qtbot, desk_env("clerk"))
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    tick(qtbot, desk, REQUIRED)
    step = window._step

    def refused(session: Session, case: object, now: object) -> None:
        raise IllegalTransition("办件状态已变化，请刷新后再办理。")

    monkeypatch.setattr(window, "_step", lambda decision: replace(step(decision), after=refused))
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    assert rows_named(centre, NAME) == []
    assert notice(desk) == "[E500] 办件状态已变化，请刷新后再办理。"
    assert desk.workspace.case is None and desk.workspace.form is not None
    assert line(desk, "field_applicant_name").text() == NAME
    assert child(desk, QCheckBox, "material_application").isChecked()

    monkeypatch.setattr(window, "_step", step)
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    (row,) = rows_named(centre, NAME)  # one case
    assert row.state is CaseState.ACCEPTED
    assert notice(desk).startswith("已受理，收件号 511899101000-W01-20260302-0001")


def test_draft_is_kept_resumed_exactly_and_gone_once_decided(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    pick_dibao(qtbot, desk)
    name_edit = line(desk, "field_applicant_name")
    type_chinese(qtbot, name_edit, NAME)
    qtbot.keyClicks(line(desk, "field_applicant_id_number"), GOOD_ID)
    tick(qtbot, desk, ["application", "photo"])
    spin = desk.workspace.checklist.copies_box("photo")  # type: ignore[union-attr]
    spin.setValue(3)
    typed = desk.workspace.form.value()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: draft_count(centre) == 1, timeout=5000)  # autosaved
    wait_idle(qtbot, env.runner)
    desk.close()
    desk.deleteLater()

    again = open_desk(qtbot, desk_env("clerk"))
    sidebar_text = again.sidebar.tabText(1)
    assert sidebar_text == "草稿（1）"
    drafts = child(again, QListWidget, "intakeDrafts")
    assert NAME in drafts.item(0).text() and DIBAO in drafts.item(0).text()
    again.sidebar.setCurrentIndex(1)
    focus(qtbot, drafts)
    drafts.setCurrentRow(0)
    qtbot.keyClick(drafts, Qt.Key.Key_Return)
    wait_idle(qtbot, env.runner)
    form = again.workspace.form
    checklist = again.workspace.checklist
    assert form is not None and checklist is not None
    assert form.value() == typed
    assert {m.key: m.copies for m in checklist.received()} == {"application": 1, "photo": 3}

    # The same draft, completed and accepted: the draft is gone from the store.
    focus(qtbot, line(again, "field_applicant_phone"))
    qtbot.keyClicks(line(again, "field_applicant_phone"), "13812345678")
    focus(qtbot, line(again, "field_residence_division_code"))
    qtbot.keyClicks(line(again, "field_residence_division_code"), "511899101201")
    type_chinese(qtbot, line(again, "field_residence_detail"), "清河镇东村3组12号")
    focus(qtbot, line(again, "field_family_size"))
    qtbot.keyClicks(line(again, "field_family_size"), "3")
    focus(qtbot, line(again, "field_monthly_income"))
    qtbot.keyClicks(line(again, "field_monthly_income"), "1200")
    reason = child(again, QComboBox, "field_reason")
    focus(qtbot, reason)
    qtbot.keyClick(reason, Qt.Key.Key_Down)
    consent = child(again, QCheckBox, "field_consent")
    focus(qtbot, consent)
    qtbot.keyClick(consent, Qt.Key.Key_Space)
    tick(qtbot, again, ["id_and_hukou", "declaration", "authorization", "income_proof"])
    press(qtbot, again, Qt.Key.Key_Return, ctrl=True)
    (row,) = rows_named(centre, NAME)
    assert row.state is CaseState.ACCEPTED
    assert draft_count(centre) == 0
    qtbot.waitUntil(lambda: again.sidebar.tabText(1) == "草稿")


def test_put_aside_then_discard_a_draft(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    pick_dibao(qtbot, desk)
    type_chinese(qtbot, line(desk, "field_applicant_name"), "李建国")
    press(qtbot, desk, Qt.Key.Key_S, ctrl=True)  # 暂存草稿: the next resident is waiting
    assert draft_count(centre) == 1 and desk.workspace.form is None
    assert "已暂存为草稿" in notice(desk)
    qtbot.waitUntil(line(desk, "itemSearch").hasFocus)

    desk.sidebar.setCurrentIndex(1)
    drafts = child(desk, QListWidget, "intakeDrafts")
    qtbot.waitUntil(lambda: drafts.count() == 1)
    dialogs = env.dialogs
    assert isinstance(dialogs, FakeDialogs)
    dialogs.confirm_answer = False
    child(desk, QPushButton, "discardDraft").click()
    wait_idle(qtbot, env.runner)
    assert draft_count(centre) == 1  # the clerk thought better of it
    dialogs.confirm_answer = True
    child(desk, QPushButton, "discardDraft").click()
    wait_idle(qtbot, env.runner)
    assert draft_count(centre) == 0
    assert dialogs.confirms[-1][0] == "放弃草稿"
    qtbot.waitUntil(lambda: drafts.count() == 0)


def _proxy_filing(centre: Centre) -> int:
    """高龄津贴 filed by proxy agent "proxy" for a resident and submitted (tests/cases)."""
    proxy = centre.actor("proxy")
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    item = next(i for i in bundled_catalog().items if i.name == "高龄津贴")
    auth_id = intake.register_authorization(
        centre.ctx, proxy, resident, [item.code], dt.date(2026, 12, 31)
    ).authorization_id
    form = sample_form_data(centre.template("高龄津贴"), centre.rng)
    applicant_key = centre.template("高龄津贴").applicant_field().key  # type: ignore[union-attr]
    form[applicant_key] = {**form[applicant_key], "name": "赵桂兰"}
    draft = intake.create_proxy_draft(centre.ctx, proxy, centre.item_id("高龄津贴"), form, auth_id)
    intake.submit(centre.ctx, proxy, draft.case_id)
    return draft.case_id


def test_a_proxy_filing_is_picked_up_received_and_accepted(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    case_id = _proxy_filing(centre)
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    assert desk.sidebar.tabText(2) == "待办件（1）"
    desk.sidebar.setCurrentIndex(2)
    table = child(desk, QTableView, "intakePendingTable")
    focus(qtbot, table)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    wait_idle(qtbot, env.runner)
    assert desk.workspace.case is not None
    assert "代办员提交" in child(desk, QLabel, "intakeHeader").text()
    receive = child(desk, QPushButton, "intakeReceive")
    assert receive.isVisible() and receive.text() == "收件（F4）"

    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)  # no paper handed over yet
    assert "必交材料未收齐" in notice(desk)
    assert detail(centre, case_id).row.state is CaseState.SUBMITTED
    tick(qtbot, desk, centre.required_materials("高龄津贴"))
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)

    found = detail(centre, case_id)
    assert found.row.state is CaseState.ACCEPTED
    actions = [e.action for e in found.timeline]
    assert actions[-2:] == [Action.RECEIVE, Action.ACCEPT]
    assert {m.key for m in found.materials} == set(centre.required_materials("高龄津贴"))
    assert notice(desk).startswith("已受理，收件号 ")
    qtbot.waitUntil(lambda: desk.sidebar.tabText(2) == "待办件")


def test_supplement_received_at_the_window_then_accepted(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    walked = centre.walk_in(DIBAO, materials=REQUIRED[:-1])
    decisions.request_supplement(
        centre.ctx, centre.actor("clerk"), walked.case_id, [{"name": "照片", "how": "两张"}]
    )
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    desk.sidebar.setCurrentIndex(2)
    child(desk, QPushButton, "openPending").click()
    wait_idle(qtbot, env.runner)
    application = child(desk, QCheckBox, "material_application")
    assert application.isChecked() and not application.isEnabled()
    assert child(desk, QPushButton, "intakeReceive").text() == "补正收件（F4）"
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    assert "补交的材料" in notice(desk)  # nothing ticked yet
    tick(qtbot, desk, ["photo"])
    press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    found = detail(centre, walked.case_id)
    assert found.row.state is CaseState.ACCEPTED
    supplied = next(e for e in found.timeline if e.action is Action.SUPPLEMENT)
    assert supplied.payload["materials"] == ["photo"]


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_half_filled_intake_fits_the_screen(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre, size: tuple[int, int]
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"), size)
    pick_dibao(qtbot, desk)
    type_chinese(qtbot, line(desk, "field_applicant_name"), NAME)
    qtbot.keyClicks(line(desk, "field_applicant_id_number"), GOOD_ID)
    tick(qtbot, desk, ["application", "id_and_hukou"])
    form = desk.workspace.form
    assert form is not None
    # Both the form and the materials are on screen side by side, buttons below them.
    assert form.isVisible() and form.width() >= 560
    checklist = desk.workspace.materials_scroll
    assert checklist.width() >= 420
    buttons = child(desk, QWidget, "intakeDecisions")
    assert buttons.geometry().bottom() <= desk.height()
    for name in ("intakeAccept", "intakeDeficiency", "intakeSupplement", "intakeRefuse"):
        button = child(desk, QPushButton, name)
        assert button.width() >= button.sizeHint().width(), name  # no clipped labels
    if size == (1366, 768):
        save_screenshots(desk, "desk-intake")


def test_pending_list_screenshot(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    _proxy_filing(centre)
    walked = centre.walk_in(DIBAO, materials=REQUIRED[:-1])
    decisions.request_supplement(
        centre.ctx, centre.actor("clerk"), walked.case_id, [{"name": "照片", "how": "两张"}]
    )
    centre.walk_in("生育登记")
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    desk.sidebar.setCurrentIndex(2)
    assert desk.sidebar.tabText(2) == "待办件（3）"
    child(desk, QPushButton, "openPending").click()
    wait_idle(qtbot, env.runner)
    assert desk.workspace.case is not None
    save_screenshots(desk, "desk-intake-pending")
