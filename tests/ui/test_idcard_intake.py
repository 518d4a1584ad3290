"""读卡 at the intake desk, driven as a clerk would: the 读卡 button and F2 fill the applicant from
the labelled 模拟读卡器 (a card placed on its 127.0.0.1 socket by the test), the photo shows and
is stored nowhere, an expired card warns, errors keep what was typed; a typed ID number fills
出生日期 and 性别; an ID number's error sits under the ID field."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app import settings
from app.catalog.loader import bundled_catalog
from app.idcard import IdCard
from app.idcard.simulator import CardPlacer, default_cards_file, load_cards
from app.validators import id_check_digit
from db.models import IntakeDraft
from tests.centre import Centre
from tests.ui import test_intake_desk as front
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.screenshots import save_screenshots
from ui.desk_base import DeskEnv
from ui.desks.intake.desk import IntakeDesk

CARDS = {card.name: card for card in load_cards(default_cards_file())}
PENSION = "城乡居民基本养老保险参保登记"
DIBAO = "最低生活保障"


def _initials(name: str) -> str:
    return next(i for i in bundled_catalog().items if i.name == name).pinyin_initials


@pytest.fixture
def placer(centre: Centre) -> Iterator[CardPlacer]:
    """The hand at the simulator: this workstation's reader is the 模拟读卡器 on its port."""
    with CardPlacer() as hand:
        _use_reader(centre, "simulator", port=hand.port)
        yield hand


def _use_reader(centre: Centre, kind: str, port: int = 0) -> None:
    with centre.store.session() as session, session.begin():
        settings.IDCARD_READER.set(session, kind)
        settings.IDCARD_SIMULATOR_PORT.set(session, port)


def _open(qtbot: QtBot, env: DeskEnv, item: str, size: tuple[int, int] = (1366, 720)) -> IntakeDesk:
    desk = IntakeDesk(env)
    qtbot.addWidget(desk)
    desk.resize(*size)
    desk.show()
    qtbot.waitExposed(desk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    wait_idle(qtbot, env.runner)
    search = front.child(desk, QLineEdit, "itemSearch")
    qtbot.keyClicks(search, _initials(item))
    items = front.child(desk, QListWidget, "itemList")
    qtbot.waitUntil(lambda: items.count() == 1)
    qtbot.keyClick(search, Qt.Key.Key_Return)
    wait_idle(qtbot, env.runner)
    assert desk.workspace.form is not None
    return desk


def _read_with_button(qtbot: QtBot, desk: IntakeDesk) -> None:
    button = front.child(desk, QPushButton, "readCardButton")
    assert button.isVisible() and button.text() == "读卡 F2"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, desk.env.runner)


def _applicant(desk: IntakeDesk) -> dict[str, object]:
    assert desk.workspace.form is not None
    value = desk.workspace.form.value()["applicant"]
    assert isinstance(value, dict)
    return value


def _photo(desk: IntakeDesk) -> QLabel:
    return front.child(desk, QLabel, "cardPhoto")


def _top_in(widget: QWidget, ancestor: QWidget) -> int:
    return widget.mapTo(ancestor, QPoint(0, 0)).y()


def test_read_card_fills_every_applicant_field_the_form_has_and_shows_the_photo(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre, placer: CardPlacer
) -> None:
    card = CARDS["李演示"]
    placer.place(card)
    env = desk_env("clerk")
    desk = _open(qtbot, env, PENSION)
    reader = front.child(desk, QLabel, "cardReaderLabel")
    assert "模拟读卡器" in reader.text()  # the simulator says what it is
    phone = front.child(desk, QLineEdit, "field_applicant_phone")
    phone.setFocus()
    qtbot.keyClicks(phone, "13812345678")
    assert _photo(desk).pixmap().isNull()

    _read_with_button(qtbot, desk)
    form = desk.workspace.form
    assert form is not None
    assert _applicant(desk) == {
        "kind": "natural_person",
        "name": "李演示",
        "id_number": card.id_number,
        "phone": "13812345678",  # typed before: kept
        # the village the card's 住址 names (清河镇清河社区), its code from the county's list
        "address": {"division_code": "511899101001", "detail": card.address},
    }
    assert front.child(desk, QLineEdit, "field_applicant_name").text() == "李演示"
    assert front.child(desk, QLineEdit, "field_applicant_id_number").text() == card.id_number
    assert front.child(desk, QLineEdit, "field_applicant_address_detail").text() == card.address
    values = form.value()
    assert values["nation"] == "汉族"
    assert values["sex"] == "女" and front.child(desk, QComboBox, "field_sex").currentText() == "女"
    assert values["birth_date"] == "1988-11-23"
    notice = front.child(desk, QLabel, "cardNotice")
    assert notice.isVisible()
    assert "签发机关 示例县公安局" in notice.text() and "2019.07.15-2039.07.15" in notice.text()
    assert desk.notice.text().startswith("已读卡（模拟读卡器）：李演示")

    photo = _photo(desk)
    assert not photo.pixmap().isNull() and photo.isVisible()
    save_screenshots(desk, "idcard-read-pension")

    # The photo is nowhere but on screen: not in the form's value, not in the saved draft.
    assert desk.workspace.keeper.save_now()
    wait_idle(qtbot, env.runner)
    with centre.store.reader() as session:
        (draft,) = session.scalars(select(IntakeDraft))
        stored = json.dumps(draft.form_data, ensure_ascii=False)
    assert "李演示" in stored
    assert card.photo is not None
    assert base64.b64encode(card.photo).decode()[:40] not in stored
    assert "photo" not in stored and "照片" not in stored


def test_f2_reads_the_card_from_anywhere_in_the_form(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], placer: CardPlacer
) -> None:
    placer.place(CARDS["张示范"])
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    name = front.child(desk, QLineEdit, "field_applicant_name")
    qtbot.waitUntil(name.hasFocus)
    qtbot.keyClick(name, Qt.Key.Key_F2)
    wait_idle(qtbot, desk.env.runner)
    assert name.text() == "张示范"
    assert name.hasFocus()  # the clerk carries on where they were
    assert _applicant(desk)["id_number"] == CARDS["张示范"].id_number
    assert not _photo(desk).pixmap().isNull()
    assert "长期" in front.child(desk, QLabel, "cardNotice").text()


def test_an_expired_card_warns_naming_its_validity(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], placer: CardPlacer
) -> None:
    placer.place(CARDS["王测试"])
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    _read_with_button(qtbot, desk)
    assert _applicant(desk)["name"] == "王测试"  # filled all the same: the clerk decides
    notice = front.child(desk, QLabel, "cardNotice")
    assert notice.isVisible() and notice.property("severity") == "warning"
    assert "已过期" in notice.text() and "有效期限 2010.05.01-2020.05.01" in notice.text()
    assert "已过期" in desk.notice.text()
    save_screenshots(desk, "idcard-expired-card")


def test_no_card_and_no_reader_say_so_and_keep_what_was_typed(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre, placer: CardPlacer
) -> None:
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    name = front.child(desk, QLineEdit, "field_applicant_name")
    commit_text(name, "手工录入")
    _read_with_button(qtbot, desk)  # nothing placed on the reader
    notice = front.child(desk, QLabel, "cardNotice")
    assert "没有放卡" in notice.text() and notice.property("severity") == "error"
    assert "E702" in desk.notice.text()
    assert name.text() == "手工录入"
    assert front.child(desk, QPushButton, "readCardButton").isEnabled()

    _use_reader(centre, "none")
    qtbot.keyClick(name, Qt.Key.Key_F2)
    wait_idle(qtbot, desk.env.runner)
    assert "未配置身份证阅读器" in notice.text()
    assert name.text() == "手工录入"


def test_filled_fields_are_checked_as_if_typed(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], placer: CardPlacer
) -> None:
    good = CARDS["赵样例"]
    wrong = good.id_number[:17] + ("0" if good.id_number[17] != "0" else "1")
    placer.place(IdCard(**{**good.__dict__, "id_number": wrong}))  # a chip that misread
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    _read_with_button(qtbot, desk)
    form = desk.workspace.form
    assert form is not None
    assert form.problem_severity("applicant") == "error"
    assert "校验位不正确" in form.problem_text("applicant")


def test_a_typed_id_number_fills_birth_date_and_sex(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv]
) -> None:
    desk = _open(qtbot, desk_env("clerk"), PENSION)
    form = desk.workspace.form
    assert form is not None
    id_edit = front.child(desk, QLineEdit, "field_applicant_id_number")
    id_edit.setFocus()
    woman17 = "51189919610305002"
    qtbot.keyClicks(id_edit, woman17 + id_check_digit(woman17))
    assert form.value()["birth_date"] == "1961-03-05"
    assert form.value()["sex"] == "女"
    assert form.problem_text("birth_date") == ""  # checked as if typed: nothing to say

    # A corrected number replaces what the first one filled …
    id_edit.clear()
    man17 = "51189919700101001"
    qtbot.keyClicks(id_edit, man17 + id_check_digit(man17))
    assert (form.value()["birth_date"], form.value()["sex"]) == ("1970-01-01", "男")
    # … but not what the clerk typed there.
    birth = front.child(desk, QLineEdit, "field_birth_date")
    birth.setFocus()
    birth.selectAll()
    qtbot.keyClicks(birth, "1970-01-02")
    id_edit.clear()
    other17 = "51189919550607004"
    qtbot.keyClicks(id_edit, other17 + id_check_digit(other17))
    assert form.value()["birth_date"] == "1970-01-02"
    assert form.value()["sex"] == "女"  # still the ID's: replaced
    # An ID number that fails the check fills nothing.
    id_edit.clear()
    qtbot.keyClicks(id_edit, "511899196103050099"[:17] + "0")
    assert form.value()["sex"] == "女"


def test_the_id_error_sits_under_the_id_field_not_under_the_address(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv]
) -> None:
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    form = desk.workspace.form
    assert form is not None
    id_edit = front.child(desk, QLineEdit, "field_applicant_id_number")
    phone = front.child(desk, QLineEdit, "field_applicant_phone")
    address = front.child(desk, QLineEdit, "field_applicant_address_detail")
    id_edit.setFocus()
    good17 = "51189919610305002"
    qtbot.keyClicks(id_edit, good17 + ("0" if id_check_digit(good17) != "0" else "1"))
    problem = front.child(form, QLabel, "problem_applicant")
    qtbot.waitUntil(problem.isVisible)
    assert not _photo(desk).isVisible()  # no reader set up here: no empty photo box either
    assert "校验位不正确" in problem.text()
    top = _top_in(problem, form)
    assert _top_in(id_edit, form) < top < _top_in(phone, form) < _top_in(address, form)
    save_screenshots(desk, "idcard-id-error-under-id")

    # A phone's error goes under the phone; once fixed, nothing is left anywhere.
    id_edit.clear()
    qtbot.keyClicks(id_edit, good17 + id_check_digit(good17))
    phone.setFocus()
    qtbot.keyClicks(phone, "123")
    qtbot.keyClick(phone, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: "联系电话" in problem.text())
    assert _top_in(phone, form) < _top_in(problem, form) < _top_in(address, form)
    phone.setFocus()
    phone.clear()
    qtbot.keyClicks(phone, "13812345678")
    qtbot.waitUntil(lambda: not problem.isVisible())


def test_the_demo_card_file_round_robin_through_the_settings(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    _use_reader(centre, "simulator")  # no port, no file: the bundled demo cards
    desk = _open(qtbot, desk_env("clerk"), DIBAO)
    _read_with_button(qtbot, desk)
    first = _applicant(desk)["name"]
    _read_with_button(qtbot, desk)
    assert _applicant(desk)["name"] != first


def test_the_administrator_chooses_the_reader_on_the_settings_page(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    from ui.desks.admin.desk import AdminDesk

    env = desk_env("admin")
    desk = AdminDesk(env)
    qtbot.addWidget(desk)
    desk.resize(1366, 768)
    desk.show()
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    desk.activate()
    wait_idle(qtbot, env.runner)
    desk.tabs.setCurrentWidget(desk.settings)
    pane = desk.settings
    kind = front.child(pane, QComboBox, "settingIdcardReader")
    assert kind.currentData() == "none"
    assert [kind.itemText(i) for i in range(kind.count())][1].startswith("模拟读卡器")

    kind.setCurrentIndex(kind.findData("sdk"))  # a vendor's reader, but no library named
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)
    library = front.child(pane, QLineEdit, "settingIdcardSdkLibrary")
    assert "阅读器接口库路径" in desk.notice.text() and library.hasFocus()
    with centre.store.reader() as session:
        assert settings.IDCARD_READER.get(session) == "none"  # nothing saved

    kind.setCurrentIndex(kind.findData("simulator"))
    port = pane.editors["idcard_simulator_port"]
    assert not isinstance(port, QLineEdit | QComboBox)
    port.setValue(8711)
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, env.runner)
    assert desk.notice.text() == "设置已保存。"
    with centre.store.reader() as session:
        assert settings.IDCARD_READER.get(session) == "simulator"
        assert settings.IDCARD_SIMULATOR_PORT.get(session) == 8711
    save_screenshots(desk, "idcard-admin-reader-settings")
