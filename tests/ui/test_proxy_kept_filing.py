"""The 代办台's 新建代办 kept when the sitting ends (issue 13): signing out, locking or 切换用户
with a half-filled filing keeps it as typed and the login window says so, naming the item, the
resident and where to find it; at the next sign-in it is back on 新建代办 as typed; an untouched
form is not kept and nothing is said. The session drives the real proxy desk."""

from __future__ import annotations

import datetime as dt
import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.cases import intake
from app.demo.forms import id_number
from db.models import Case, IntakeDraft
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.fake_dialogs import FakeDialogs
from tests.ui.screenshots import save_screenshot, save_screenshots
from tests.ui.test_whole_cases import _passwords, sign_in, sign_out
from ui.application import build_session
from ui.desks.proxy.desk import ProxyDesk
from ui.main_window import MainWindow
from ui.session import SessionController
from ui.worker import Runner

RESIDENT, RESIDENT_ID = "王秀英", id_number(random.Random(11))
ITEM = "高龄津贴"  # DEMO-MZ-004
ADDRESS = "清河镇幸福村3组12号"
KEPT = (
    f"未完成的代办申请已保存为草稿：{ITEM}（{RESIDENT}），下次登录可在代办台“新建代办”中继续填写。"
)


def _session(qtbot: QtBot, centre: Centre) -> SessionController:
    _passwords(centre)
    intake.register_authorization(
        centre.ctx,
        centre.actor("proxy"),
        {"name": RESIDENT, "id_number": RESIDENT_ID, "phone": "13800138000"},
        ["DEMO-MZ-004"],
        dt.date(2026, 12, 31),
    )
    session = build_session(
        centre.store, False, FakeDialogs(), Runner(), clock=centre.clock, idle_lock_ms=3_600_000
    )
    qtbot.addWidget(session.start())
    return session


def _new_filing(qtbot: QtBot, window: MainWindow) -> ProxyDesk:
    """The proxy desk on its 新建代办 tab, the item's form open."""
    desk = window.desk("proxyDesk")
    assert isinstance(desk, ProxyDesk)
    window.tabs.setCurrentWidget(desk)
    desk.tabs.setCurrentWidget(desk.new_filing)
    window.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    filing = desk.new_filing
    qtbot.waitUntil(lambda: filing.form is not None and filing.save_button.isEnabled())
    assert filing.item.currentText() == ITEM
    return desk


def _half_fill(qtbot: QtBot, desk: ProxyDesk) -> dict[str, object]:
    """The address typed and the age band picked; the bank left for later. Signed out at
    once after: nothing has been saved by any button."""
    form = desk.new_filing.form
    assert form is not None
    code = form.findChild(QLineEdit, "field_residence_division_code")
    detail = form.findChild(QLineEdit, "field_residence_detail")
    assert code is not None and detail is not None
    code.setFocus()
    qtbot.keyClicks(code, "511899101001")
    qtbot.keyClick(code, Qt.Key.Key_Escape)  # the village picker's popup closed
    commit_text(detail, ADDRESS)
    age = form.editor("age_band")
    assert isinstance(age, QComboBox)
    age.setFocus()
    qtbot.keyClick(age, Qt.Key.Key_Down)
    assert age.currentText()
    assert not form.check().ok  # half filled: 暂存 would refuse it
    return form.value()


def _kept(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(IntakeDraft)) or 0


def _cases(centre: Centre) -> int:
    with centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def test_signing_out_keeps_the_half_filled_filing_and_it_comes_back_as_typed(
    qtbot: QtBot, centre: Centre
) -> None:
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "proxy")
    desk = _new_filing(qtbot, window)
    typed = _half_fill(qtbot, desk)

    sign_out(qtbot, session, window)
    login = session.login
    assert login is not None
    assert login.message.text() == KEPT
    assert _kept(centre) == 1 and _cases(centre) == 0  # kept as typed, not filed
    save_screenshot(login, "login-proxy-filing-kept")  # the login keeps its size on any screen

    window = sign_in(qtbot, session, "proxy")
    assert session.login is None
    again = _new_filing(qtbot, window)
    filing = again.new_filing
    assert filing.form is not None
    assert filing.form.value() == typed  # nothing typed is lost
    assert filing.resident.text().count(RESIDENT) == 1
    assert again.notice.text() == (
        f"已恢复上次未完成的代办申请：{ITEM}（{RESIDENT}），请在“新建代办”中继续填写后暂存或提交。"
    )
    save_screenshots(window, "main-proxy-filing-resumed")
    window.resize(1366, 768)

    bank = filing.form.editor("bank_name")
    assert isinstance(bank, QLineEdit)
    commit_text(bank, "农村信用社")
    qtbot.mouseClick(filing.save_button, Qt.MouseButton.LeftButton)  # now 暂存: a case draft
    wait_idle(qtbot, session.runner)
    assert "已暂存草稿" in again.notice.text(), again.notice.text()
    assert _cases(centre) == 1 and _kept(centre) == 0  # filed: no longer kept besides
    assert window.keep_unsaved() == []  # the next sign-out keeps and says nothing


def test_an_untouched_filing_is_not_kept_and_nothing_is_said(qtbot: QtBot, centre: Centre) -> None:
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "proxy")
    _new_filing(qtbot, window)  # the form open, nothing typed
    sign_out(qtbot, session, window)
    assert session.login is not None and session.login.message.text() == ""
    assert _kept(centre) == 0


def test_locking_keeps_the_filing_and_switching_user_says_so(qtbot: QtBot, centre: Centre) -> None:
    session = _session(qtbot, centre)
    window = sign_in(qtbot, session, "proxy")
    desk = _new_filing(qtbot, window)
    typed = _half_fill(qtbot, desk)

    window.lock()
    wait_idle(qtbot, session.runner)
    assert _kept(centre) == 1  # kept at once: the PC may be switched off at the lock page
    assert window.lock_screen is not None
    assert desk.new_filing.form is not None and desk.new_filing.form.value() == typed

    switch = window.lock_screen.findChild(QPushButton, "switchUserButton")
    assert switch is not None and switch.text() == "切换用户"
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, session.runner)
    assert session.window is None and session.login is not None
    qtbot.addWidget(session.login)
    assert session.login.message.text() == KEPT
    assert _kept(centre) == 1
