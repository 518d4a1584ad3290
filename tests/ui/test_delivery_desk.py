"""出件台: the clerk hands results over through the real widgets; the store is checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.cases import decisions, intake
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.validators import id_check_digit
from db.models import Applicant, Case, CaseAction, ProxyAuthorization
from tests.cases.helpers import action_count, case_row
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.delivery.desk import DeliveryDesk
from ui.fonts import install_bundled_fonts

SHENGYU = "生育登记"  # 即办件: the clerk decides at the window

EnvFor = Callable[[str], DeskEnv]


def decided(centre: Centre) -> int:
    clerk = centre.actor("clerk")
    case = centre.walk_in(SHENGYU)
    decisions.accept(centre.ctx, clerk, case.case_id)
    decisions.decide(centre.ctx, clerk, case.case_id, approved=True, result_no="生育登记2026-015")
    return case.case_id


def ready(centre: Centre) -> int:
    case_id = decided(centre)
    decisions.mark_ready(centre.ctx, centre.actor("clerk"), case_id)
    return case_id


def applicant_of(centre: Centre, case_id: int) -> tuple[str, str]:
    with centre.store.session() as session:
        applicant = session.scalars(
            select(Applicant)
            .join(Case, Case.applicant_id == Applicant.id)
            .where(Case.id == case_id)
        ).one()
        assert applicant.id_number is not None
        return applicant.name, applicant.id_number


def last_payload(centre: Centre, case_id: int) -> dict[str, object]:
    with centre.store.session() as session:
        last = session.scalars(
            select(CaseAction).where(CaseAction.case_id == case_id).order_by(CaseAction.seq.desc())
        ).first()
        assert last is not None
        return dict(last.payload)


def open_desk(qtbot: QtBot, env: DeskEnv) -> DeliveryDesk:
    desk = DeliveryDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    qtbot.waitExposed(desk)
    wait_idle(qtbot, env.runner)
    return desk


def chosen(desk: DeliveryDesk) -> int | None:
    """The case the desk shows (a function, so type narrowing from earlier asserts ends)."""
    return desk.case_id


def listed_ids(desk: DeliveryDesk) -> list[int | None]:
    model = desk.queue.model
    return [model.case_id(row) for row in range(model.rowCount(QModelIndex()))]


def tab_texts(desk: DeliveryDesk) -> list[str]:
    return [desk.queue.tabs.tabText(i) for i in range(desk.queue.tabs.count())]


def choose(qtbot: QtBot, desk: DeliveryDesk, case_id: int) -> None:
    row = desk.queue.model.row_of(case_id)
    assert row is not None, f"case {case_id} is not listed"
    table = desk.queue.table
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, desk.env.runner)
    assert desk.case_id == case_id and desk.view is not None


def click(qtbot: QtBot, desk: DeliveryDesk, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Chinese arrives as an input method's commit; digits and letters as keys."""
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    if isinstance(widget, QLineEdit):
        widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    commit_text(widget, text)


def test_mark_ready_then_the_applicant_collects_after_the_id_check(
    qtbot: QtBot, qapp: QApplication, centre: Centre, desk_env: EnvFor
) -> None:
    install_bundled_fonts(qapp)
    case_id = decided(centre)
    desk = open_desk(qtbot, desk_env("clerk"))
    assert tab_texts(desk) == ["待出件（1）", "已出件待归档（0）"]
    assert listed_ids(desk) == [case_id]
    choose(qtbot, desk, case_id)
    p = desk.panel
    assert not p.window_page.submit.isEnabled()  # decided: not yet at the window
    click(qtbot, desk, p.mark_ready)
    assert case_row(centre.store, case_id).state == "awaiting_delivery"
    assert "已通知领取" in desk.notice.text()
    assert desk.case_id == case_id and p.window_page.submit.isEnabled()

    name, id_number = applicant_of(centre, case_id)
    first17 = id_number[:16] + ("1" if id_number[16] != "1" else "3")
    someone_else = first17 + id_check_digit(first17)
    type_into(qtbot, p.window_page.name, name)
    type_into(qtbot, p.window_page.id_number, someone_else)
    save_screenshots(desk, "desk-delivery")
    desk.resize(1366, 768)
    before = action_count(centre.store)
    click(qtbot, desk, p.window_page.submit)
    assert action_count(centre.store) == before
    assert case_row(centre.store, case_id).state == "awaiting_delivery"
    assert "领取人身份证号" in desk.notice.text() and desk.notice.property("error") is True
    assert someone_else not in desk.notice.text() and id_number not in desk.notice.text()

    type_into(qtbot, p.window_page.id_number, id_number)
    click(qtbot, desk, p.window_page.submit)
    row = case_row(centre.store, case_id)
    assert row.state == "delivered"
    shown = id_number[:6] + "********" + id_number[-4:]
    assert last_payload(centre, case_id) == {
        "method": "window",
        "collector_name": name,
        "collector_id": shown,
    }
    assert desk.notice.text().endswith(f"已出件：申请人本人 {name}（{shown}）领取。")
    assert case_id not in listed_ids(desk) and chosen(desk) is None
    assert p.window_page.id_number.text() == ""  # the full number does not linger
    assert tab_texts(desk) == ["待出件（0）", "已出件待归档（1）"]

    # 归档 from the delivered list (the clerk may archive).
    bar = desk.queue.tabs
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    wait_idle(qtbot, desk.env.runner)
    assert listed_ids(desk) == [case_id]
    choose(qtbot, desk, case_id)
    assert not p.window_page.submit.isEnabled()
    click(qtbot, desk, p.archive)
    assert case_row(centre.store, case_id).state == "archived"
    assert "已归档" in desk.notice.text() and listed_ids(desk) == []


def test_wrong_name_is_refused_naming_the_field(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = ready(centre)
    _, id_number = applicant_of(centre, case_id)
    desk = open_desk(qtbot, desk_env("clerk"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    type_into(qtbot, p.window_page.name, "张冒领")
    type_into(qtbot, p.window_page.id_number, id_number)
    before = action_count(centre.store)
    click(qtbot, desk, p.window_page.submit)
    assert action_count(centre.store) == before
    assert "领取人姓名" in desk.notice.text()
    assert case_row(centre.store, case_id).state == "awaiting_delivery"


def test_a_proxy_collects_under_a_valid_authorization(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    c = centre
    proxy, clerk = c.actor("proxy"), c.actor("clerk")
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    item = next(i for i in bundled_catalog().items if i.name == SHENGYU)
    auth_id = intake.register_authorization(
        c.ctx, proxy, resident, [item.code], dt.date(2026, 12, 31)
    ).authorization_id
    form = sample_form_data(c.template(SHENGYU), c.rng)
    draft = intake.create_proxy_draft(c.ctx, proxy, c.item_id(SHENGYU), form, auth_id)
    intake.submit(c.ctx, proxy, draft.case_id)
    materials = [intake.MaterialIn(k) for k in c.required_materials(SHENGYU)]
    intake.receive_submitted(c.ctx, clerk, draft.case_id, materials)
    decisions.accept(c.ctx, clerk, draft.case_id)
    decisions.decide(c.ctx, clerk, draft.case_id, approved=True)
    decisions.mark_ready(c.ctx, clerk, draft.case_id)
    with c.store.session() as session:
        auth_no = session.scalars(
            select(ProxyAuthorization.authorization_no).where(ProxyAuthorization.id == auth_id)
        ).one()

    desk = open_desk(qtbot, desk_env("clerk"))
    choose(qtbot, desk, draft.case_id)
    p = desk.panel
    qtbot.mouseClick(p.by_proxy, Qt.MouseButton.LeftButton)
    assert p.stack.currentWidget() is p.proxy_page and p.proxy_page.name.hasFocus()
    type_into(qtbot, p.proxy_page.name, "代办员张秀英")
    type_into(qtbot, p.proxy_page.authorization_no, "WT-W01-20260302-99999")
    before = action_count(c.store)
    click(qtbot, desk, p.proxy_page.submit)
    assert action_count(c.store) == before
    assert "代办委托书编号" in desk.notice.text() and "不符" in desk.notice.text()
    assert case_row(c.store, draft.case_id).state == "awaiting_delivery"

    type_into(qtbot, p.proxy_page.authorization_no, auth_no)
    click(qtbot, desk, p.proxy_page.submit)
    assert case_row(c.store, draft.case_id).state == "delivered"
    assert last_payload(c, draft.case_id) == {
        "method": "proxy",
        "collector_name": "代办员张秀英",
        "authorization_no": auth_no,
    }
    assert f"已出件：代办员 代办员张秀英 凭委托书 {auth_no} 代领" in desk.notice.text()
    assert draft.case_id not in listed_ids(desk)


def test_mail_delivery_records_tracking_number_and_address(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = ready(centre)
    desk = open_desk(qtbot, desk_env("clerk"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    qtbot.mouseClick(p.by_mail, Qt.MouseButton.LeftButton)
    assert p.stack.currentWidget() is p.mail_page
    suggested = p.mail_page.address.text()
    assert suggested  # the applicant's address from the form
    type_into(qtbot, p.mail_page.tracking_no, "EMS1234567890CN")
    click(qtbot, desk, p.mail_page.submit)
    assert case_row(centre.store, case_id).state == "delivered"
    assert last_payload(centre, case_id) == {
        "method": "mail",
        "tracking_no": "EMS1234567890CN",
        "address": suggested,
    }
    assert "已邮寄送达：邮件单号 EMS1234567890CN" in desk.notice.text()


def test_an_approver_cannot_hand_results_over(
    qtbot: QtBot, centre: Centre, desk_env: EnvFor
) -> None:
    case_id = ready(centre)
    desk = open_desk(qtbot, desk_env("approver"))
    choose(qtbot, desk, case_id)
    p = desk.panel
    assert not p.window_page.submit.isEnabled() and not p.by_mail.isEnabled()
    assert not p.archive.isEnabled()
