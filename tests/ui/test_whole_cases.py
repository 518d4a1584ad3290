"""Whole cases through the real application: each user signs in at the login window, works at
the desks their role opens, signs out; the next one picks the case up. The store is read back
after every step."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.accounts import passwords
from app.accounts import service as accounts
from app.actor import Role
from app.cases import decisions, intake
from app.catalog.loader import bundled_catalog
from app.errors import PermissionDenied
from db.models import ProxyAuthorization, User
from tests.cases.helpers import action_count, case_row
from tests.centre import Centre
from tests.ui import test_delivery_desk as delivery
from tests.ui import test_intake_desk as front
from tests.ui import test_review_desk as review
from tests.ui.conftest import wait_idle
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshots
from ui.application import build_session
from ui.desks.delivery.desk import DeliveryDesk
from ui.desks.intake.desk import IntakeDesk
from ui.desks.review.desk import ReviewDesk
from ui.desks.search_desk import SearchDesk
from ui.main_window import MainWindow
from ui.session import SessionController
from ui.signin.password_dialog import PasswordDialog
from ui.worker import Runner

PASSWORD = "Counter-2026"
USERS = ("clerk", "approver", "supervisor", "proxy")


def _passwords(centre: Centre) -> None:
    with centre.store.session() as session, session.begin():
        hashed = passwords.hash_password(PASSWORD)
        for user in session.scalars(select(User).where(User.username.in_(USERS))):
            user.password_hash = hashed


def _session(qtbot: QtBot, centre: Centre) -> SessionController:
    _passwords(centre)
    runner = Runner()
    session = build_session(
        centre.store, False, FakeDialogs(), runner, clock=centre.clock, idle_lock_ms=3_600_000
    )
    qtbot.addWidget(session.start())
    return session


def sign_in(qtbot: QtBot, session: SessionController, username: str) -> MainWindow:
    """Type the name and password at the login window and press Enter."""
    login = session.login
    assert login is not None and login.isVisible() and login.ready
    qtbot.keyClicks(login.username, username)
    qtbot.keyClick(login.username, Qt.Key.Key_Return)
    qtbot.keyClicks(login.password, PASSWORD)
    with qtbot.waitSignal(session.window_opened, timeout=15_000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    wait_idle(qtbot, session.runner)
    return window


def sign_out(qtbot: QtBot, session: SessionController, window: MainWindow) -> None:
    window.sign_out_action.trigger()
    wait_idle(qtbot, session.runner)
    assert session.window is None and session.login is not None
    qtbot.addWidget(session.login)


def tabs(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_a_walk_in_from_the_window_to_the_county_and_back_to_a_proxy(
    qtbot: QtBot, centre: Centre
) -> None:
    # The resident has also signed a 代办委托书 letting proxy agent 张秀英 collect the result.
    dibao = next(i for i in bundled_catalog().items if i.name == front.DIBAO)
    auth_id = intake.register_authorization(
        centre.ctx,
        centre.actor("proxy"),
        {"name": front.NAME, "id_number": front.GOOD_ID, "phone": "13812345678"},
        [dibao.code],
        dt.date(2026, 12, 31),
    ).authorization_id
    with centre.store.reader() as s:
        auth_no = s.scalars(
            select(ProxyAuthorization.authorization_no).where(ProxyAuthorization.id == auth_id)
        ).one()
    session = _session(qtbot, centre)

    # --- the clerk takes the walk-in ---------------------------------------------------------
    window = sign_in(qtbot, session, "clerk")
    assert tabs(window) == ["受理台", "出件台", "查询", "同步", "事项目录"]
    assert window.user_label.text() == "用户：clerk（窗口受理员）"
    assert window.station_label.text() == "工作站：W01"
    assert "离线" in window.online_label.text()
    desk = window.desk("intakeDesk")
    assert isinstance(desk, IntakeDesk) and window.tabs.currentWidget() is desk
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    front.pick_dibao(qtbot, desk)
    front.fill_dibao(qtbot, desk, id_no=front.BAD_ID)
    front.tick(qtbot, desk, front.REQUIRED)
    id_edit = front.line(desk, "field_applicant_id_number")
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    assert action_count(centre.store) == 0  # refused before anything was written
    assert "身份证号" in desk.workspace.form.problem_text("applicant")  # type: ignore[union-attr]
    save_screenshots(window, "main-clerk-intake")
    window.resize(1366, 768)
    front.focus(qtbot, id_edit)
    id_edit.clear()
    qtbot.keyClicks(id_edit, front.GOOD_ID)
    front.press(qtbot, desk, Qt.Key.Key_Return, ctrl=True)
    (row,) = front.rows_named(centre, front.NAME)
    case_id = row.case_id
    assert case_row(centre.store, case_id).state == "accepted"
    assert f"收件号 {row.receipt_no}" in desk.notice.text()
    sign_out(qtbot, session, window)

    # --- the approver reviews the two town steps ---------------------------------------------
    window = sign_in(qtbot, session, "approver")
    assert tabs(window) == ["审批台", "统计看板", "查询", "同步", "事项目录"]
    desk_r = window.desk("reviewDesk")
    assert isinstance(desk_r, ReviewDesk)
    review.choose(qtbot, desk_r, case_id)
    p = desk_r.panel
    review.click(qtbot, desk_r, p.start)
    review.type_into(qtbot, p.opinion.opinion, "入户调查属实")
    review.click(qtbot, desk_r, p.opinion.record_next)
    review.type_into(qtbot, p.opinion.opinion, "民主评议通过，公示无异议")
    review.click(qtbot, desk_r, p.opinion.record_next)
    assert case_row(centre.store, case_id).current_step == 3  # the supervisor's step
    save_screenshots(window, "main-approver-review")
    window.resize(1366, 768)
    sign_out(qtbot, session, window)

    # --- the centre's head gives the town's opinion ------------------------------------------
    window = sign_in(qtbot, session, "supervisor")
    desk_s = window.desk("reviewDesk")
    assert isinstance(desk_s, ReviewDesk)
    review.choose(qtbot, desk_s, case_id)
    review.type_into(qtbot, desk_s.panel.opinion.opinion, "同意，报县民政局")
    review.click(qtbot, desk_s, desk_s.panel.opinion.submit)
    sign_out(qtbot, session, window)

    # --- the approver reports to the county and records its decision --------------------------
    window = sign_in(qtbot, session, "approver")
    desk_r = window.desk("reviewDesk")
    assert isinstance(desk_r, ReviewDesk)
    review.choose(qtbot, desk_r, case_id)
    review.click(qtbot, desk_r, desk_r.panel.report)
    assert case_row(centre.store, case_id).state == "with_county"
    review.type_into(qtbot, desk_r.panel.decision.result_no, "民低保2026-0101")
    review.click(qtbot, desk_r, desk_r.panel.decision.submit)
    assert case_row(centre.store, case_id).state == "decided"
    sign_out(qtbot, session, window)

    # --- the clerk hands the result to the proxy agent ----------------------------------------
    window = sign_in(qtbot, session, "clerk")
    desk_d = window.show_desk("deliveryDesk")
    assert isinstance(desk_d, DeliveryDesk)
    wait_idle(qtbot, session.runner)
    delivery.choose(qtbot, desk_d, case_id)
    delivery.click(qtbot, desk_d, desk_d.panel.mark_ready)
    qtbot.mouseClick(desk_d.panel.by_proxy, Qt.MouseButton.LeftButton)
    delivery.type_into(qtbot, desk_d.panel.proxy_page.name, "张秀英")
    delivery.type_into(qtbot, desk_d.panel.proxy_page.authorization_no, auth_no)
    delivery.click(qtbot, desk_d, desk_d.panel.proxy_page.submit)
    assert case_row(centre.store, case_id).state == "delivered"
    assert auth_no in desk_d.notice.text()
    save_screenshots(window, "main-clerk-delivery")
    window.resize(1366, 768)

    # --- and finds the whole history in 查询 --------------------------------------------------
    search = window.show_desk("searchDesk")
    assert isinstance(search, SearchDesk)
    box = search.findChild(QLineEdit, "caseSearch")
    assert box is not None
    qtbot.keyClicks(box, row.receipt_no)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    wait_idle(qtbot, session.runner)
    qtbot.waitUntil(lambda: search.detail.timeline_table.rowCount() > 0)
    steps = [
        search.detail.timeline_table.item(r, 1).text()  # type: ignore[union-attr]
        for r in range(search.detail.timeline_table.rowCount())
    ]
    assert steps[0] == "收件" and steps[1] == "受理" and steps[-1] == "出件"
    assert "上报县级" in steps and steps.count("填写审查意见") == 3  # two approvers, the head
    save_screenshots(window, "main-clerk-search")
    sign_out(qtbot, session, window)
    session.runner.shutdown()


def test_a_clerk_cannot_reach_the_back_office(qtbot: QtBot, centre: Centre) -> None:
    accepted = centre.walk_in(front.DIBAO)
    decisions.accept(centre.ctx, centre.actor("clerk"), accepted.case_id)
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "clerk")
    assert window.desk("reviewDesk") is None and window.desk("adminDesk") is None
    assert "审批台" not in tabs(window)
    # Nor can the clerk's own backend do it: the use case refuses and writes nothing.
    backend = window.env.backend
    before = action_count(centre.store)
    try:
        backend.act(decisions.start_review, accepted.case_id)
    except PermissionDenied as refused:
        assert "后台审批人员" in refused.message
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("a clerk started a review")
    assert action_count(centre.store) == before
    assert case_row(centre.store, accepted.case_id).state == "accepted"
    sign_out(qtbot, session, window)
    session.runner.shutdown()


def test_a_new_account_must_replace_its_initial_password_at_first_sign_in(
    qtbot: QtBot, centre: Centre
) -> None:
    with centre.store.session() as s:
        accounts.create_user(
            s, centre.actor("admin"), "wangfang", "王芳", "Initial-2026", [Role.CLERK]
        )
    session = _session(qtbot, centre)
    login = session.login
    assert login is not None
    qtbot.keyClicks(login.username, "wangfang")
    qtbot.keyClicks(login.password, "Initial-2026")
    with qtbot.waitSignal(session.window_opened, timeout=15_000):
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    window = session.window
    assert window is not None
    qtbot.addWidget(window)
    dialog = window.findChild(PasswordDialog, "passwordDialog")
    assert dialog is not None and dialog.isVisible()
    dialog.reject()  # Esc: the change is required, the dialog stays
    assert dialog.isVisible()

    qtbot.keyClicks(dialog.old, "Initial-2026")
    qtbot.keyClicks(dialog.new, "Counter-2027")
    qtbot.keyClicks(dialog.again, "Counter-2028")
    dialog.submit()
    assert dialog.message.text() == "两次输入的新密码不一致。"
    dialog.again.clear()
    qtbot.keyClicks(dialog.again, "Counter-2027")
    with qtbot.waitSignal(dialog.accepted, timeout=15_000):
        dialog.submit()
    with centre.store.reader() as s:
        user = s.scalars(select(User).where(User.username == "wangfang")).one()
        assert not user.must_change_password
        assert passwords.verify_password(user.password_hash, "Counter-2027")
    sign_out(qtbot, session, window)
    session.runner.shutdown()
