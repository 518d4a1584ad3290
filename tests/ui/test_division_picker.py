"""The village picker in a form's address, driven from the keyboard as a clerk does: type a
name, pinyin initials or digits, arrow through the popup, Enter; and a code of another county
warned about or refused by the centre's setting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import settings
from app.catalog.loader import bundled_catalog
from app.divisions.loader import county_divisions
from app.divisions.policy import CentreDivisions, OutOfCounty
from tests.centre import Centre
from tests.ui.conftest import wait_idle
from tests.ui.drive import commit_text
from tests.ui.screenshots import SCREENSHOT_DIR, SIZES, save_screenshots
from tests.ui.test_intake_desk import draft_count, focus, line, open_desk, pick_dibao
from ui.desk_base import DeskEnv
from ui.form import FormView
from ui.form.division_picker import DivisionPicker

TEMPLATES = {t.id: t for t in bundled_catalog().templates}
VILLAGES = county_divisions("511899")
CODE = "field_residence_division_code"
DETAIL = "field_residence_detail"
EAST_LAKE, BIG_RIVER = "511899101201", "511899101214"  # 东湖村 and 大河村: both "dhc"


def _divisions(rule: OutOfCounty = OutOfCounty.WARN) -> CentreDivisions:
    return CentreDivisions("511899101000", VILLAGES, rule)


def _open(qtbot: QtBot, rule: OutOfCounty = OutOfCounty.WARN) -> FormView:
    view = FormView(TEMPLATES["dibao"], divisions=_divisions(rule))
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def _edit(view: QWidget, name: str = CODE) -> QLineEdit:
    edit = view.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def _popup(view: QWidget, name: str = CODE) -> QTreeView:
    """The picker's list (a popup window of its own, not a child of the form)."""
    picker = _edit(view, name).findChild(DivisionPicker)
    assert isinstance(picker, DivisionPicker), name
    return picker.popup


def _rows(popup: QTreeView) -> list[tuple[str, str, str]]:
    model = popup.model()
    return [
        tuple(str(model.index(r, c).data()) for c in range(3))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type ``text`` key by key; once the popup is open, keys go to it (it has the keyboard,
    as on screen) and it hands them on to the edit."""
    window = edit.window()
    if not window.isActiveWindow():  # the offscreen platform does not give it back after a popup
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    edit.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    for char in text:
        popup = QApplication.activePopupWidget()
        qtbot.keyClicks(popup if popup is not None else edit, char)


def _key(qtbot: QtBot, edit: QLineEdit, key: Qt.Key) -> None:
    """A key where the keyboard goes: the open popup, else the edit."""
    qtbot.keyClick(QApplication.activePopupWidget() or edit, key)


def test_initials_arrow_and_enter_pick_the_second_match(qtbot: QtBot) -> None:
    view = _open(qtbot)
    code = _edit(view)
    _type(qtbot, code, "dhc")
    popup = _popup(view)
    qtbot.waitUntil(popup.isVisible)
    assert _rows(popup) == [("东湖村", "清河镇", EAST_LAKE), ("大河村", "清河镇", BIG_RIVER)]
    assert popup.currentIndex().row() == 0  # the best match is highlighted at once
    assert code.text() == "dhc"  # what was typed stays while the clerk chooses
    _key(qtbot, code, Qt.Key.Key_Down)
    _key(qtbot, code, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert code.text() == BIG_RIVER
    place = view.findChild(QLabel, "field_residence_place")
    assert place is not None and place.isVisible() and place.text() == "大河村"
    assert place.toolTip() == f"清河镇大河村  {BIG_RIVER}"
    assert code.hasFocus()
    # The next Enter moves on to the detail, as everywhere in the form.
    qtbot.keyClick(code, Qt.Key.Key_Return)
    qtbot.waitUntil(_edit(view, DETAIL).hasFocus)
    assert view.value()["residence"] == {"division_code": BIG_RIVER}
    assert view.problem_text("residence") == ""


def test_name_digits_and_whole_code_find_the_village(qtbot: QtBot) -> None:
    view = _open(qtbot)
    code = _edit(view)
    _type(qtbot, code, "201")  # the village's last digits
    qtbot.waitUntil(_popup(view).isVisible)
    assert [row[2] for row in _rows(_popup(view))] == [EAST_LAKE]
    _key(qtbot, code, Qt.Key.Key_Enter)
    assert code.text() == EAST_LAKE

    code.clear()
    commit_text(code, "柳湾")  # a name arrives from the 拼音 input method as one commit
    qtbot.waitUntil(_popup(view).isVisible)
    assert _rows(_popup(view)) == [("柳湾村", "清河镇", "511899101207")]
    _key(qtbot, code, Qt.Key.Key_Escape)
    assert not _popup(view).isVisible()

    # Twelve digits typed whole: no list to choose from, the name shows beside the code.
    code.clear()
    _type(qtbot, code, "511899101003")
    assert not _popup(view).isVisible()
    place = view.findChild(QLabel, "field_residence_place")
    assert place is not None and place.text() == "河滨社区"


def test_applicant_address_has_the_picker_too(qtbot: QtBot) -> None:
    view = _open(qtbot)
    code = _edit(view, "field_applicant_address_division_code")
    _type(qtbot, code, "cx")  # 长兴村: 长 read cháng
    popup = _popup(view, "field_applicant_address_division_code")
    qtbot.waitUntil(popup.isVisible)
    assert _rows(popup) == [("长兴村", "清河镇", "511899101208")]
    _key(qtbot, code, Qt.Key.Key_Tab)  # Tab picks as Enter does
    assert code.text() == "511899101208"
    assert not popup.isVisible()


def test_a_name_typed_but_not_picked_is_named_as_such(qtbot: QtBot) -> None:
    view = _open(qtbot)
    code = _edit(view)
    _type(qtbot, code, "zzz")  # nothing found: no popup
    assert not _popup(view).isVisible()
    qtbot.keyClick(code, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not code.hasFocus())
    assert view.problem_text("residence") == (
        "户籍地址的区划代码：请从名单中选择村（社区），或输入12位数字代码"
    )


@pytest.mark.parametrize("rule", [OutOfCounty.WARN, OutOfCounty.REFUSE])
def test_a_code_of_another_county_is_warned_or_refused(qtbot: QtBot, rule: OutOfCounty) -> None:
    view = _open(qtbot, rule)
    code = _edit(view)
    _type(qtbot, code, "111899101001")  # a valid province prefix, another county
    commit_text(_edit(view, DETAIL), "北京市某区某街1号")  # leaves the code: it is checked
    message = "户籍地址的区划代码111899101001不属于本县（示例县 511899）"
    assert view.problem_text("residence").startswith(message)
    assert view.problem_severity("residence") == (
        "warning" if rule is OutOfCounty.WARN else "error"
    )
    check = view.check()
    on_residence = [p.message for p in check.problems if p.key == "residence"]
    if rule is OutOfCounty.WARN:
        assert on_residence == []
        assert any(w.message.startswith(message) for w in check.warnings)
    else:
        assert on_residence == [f"{message}，本中心不予通过，请核对"]


def test_without_the_centres_villages_the_code_is_typed_as_before(qtbot: QtBot) -> None:
    view = FormView(TEMPLATES["dibao"])
    qtbot.addWidget(view)
    code = _edit(view)
    assert code.placeholderText() == "12位区划代码"
    assert code.findChild(DivisionPicker) is None


# --- at the desk: the draft keeps the pick; screenshots --------------------------------------


def test_picked_village_survives_the_draft_round_trip(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    env = desk_env("clerk")
    desk = open_desk(qtbot, env)
    pick_dibao(qtbot, desk)
    code = line(desk, CODE)
    _save_open_picker(qtbot, desk, code)
    _type(qtbot, code, "dhc")
    popup = _popup(desk)
    qtbot.waitUntil(popup.isVisible)
    _key(qtbot, code, Qt.Key.Key_Down)
    _key(qtbot, code, Qt.Key.Key_Return)
    assert code.text() == BIG_RIVER
    typed = desk.workspace.form.value()  # type: ignore[union-attr]
    assert typed["residence"] == {"division_code": BIG_RIVER}
    qtbot.waitUntil(lambda: draft_count(centre) == 1, timeout=5000)  # autosaved
    wait_idle(qtbot, env.runner)
    desk.close()
    desk.deleteLater()

    again = open_desk(qtbot, desk_env("clerk"))
    drafts = again.findChild(QListWidget, "intakeDrafts")
    assert drafts is not None
    again.sidebar.setCurrentIndex(1)
    focus(qtbot, drafts)
    drafts.setCurrentRow(0)
    qtbot.keyClick(drafts, Qt.Key.Key_Return)
    wait_idle(qtbot, env.runner)
    form = again.workspace.form
    assert form is not None and form.value() == typed
    place = form.findChild(QLabel, "field_residence_place")
    assert place is not None and place.text() == "大河村"
    assert not _popup(again).isVisible()  # restoring a draft opens no list
    save_screenshots(again, "intake-village-picked")


def _save_open_picker(qtbot: QtBot, desk: QWidget, code: QLineEdit) -> None:
    """The desk with the picker's list open, at each screen size: the list is a popup window
    of its own, painted onto the desk's grab where it stands on screen."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    for label, size in SIZES.items():
        desk.resize(*size)
        QApplication.processEvents()
        _type(qtbot, code, "dhc")
        popup = _popup(desk)
        qtbot.waitUntil(popup.isVisible)
        shot: QPixmap = desk.grab()
        painter = QPainter(shot)
        origin = popup.mapToGlobal(QPoint(0, 0)) - desk.mapToGlobal(QPoint(0, 0))
        painter.drawPixmap(origin, popup.grab())
        painter.end()
        assert shot.save(str(SCREENSHOT_DIR / f"intake-village-picker-{label}.png"))
        _key(qtbot, code, Qt.Key.Key_Escape)
        code.clear()
    desk.resize(1366, 720)


def test_the_administrator_makes_other_counties_codes_refused(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    from tests.ui.test_admin_desk import _open as open_admin

    env = desk_env("admin")
    desk = open_admin(qtbot, env)
    desk.tabs.setCurrentWidget(desk.settings)
    rule = desk.settings.editors["out_of_county_codes"]
    assert isinstance(rule, QComboBox)
    assert rule.objectName() == "settingOutOfCountyCodes"
    assert rule.currentText() == "提醒核对，可继续办理"  # the default
    focus(qtbot, rule)
    qtbot.keyClick(rule, Qt.Key.Key_Down)
    assert rule.currentText() == "不予通过，须改为本县代码"
    with qtbot.waitSignal(desk.settings.save_button.clicked):
        qtbot.keyClick(rule, "s", Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, env.runner)
    assert desk.notice.text() == "设置已保存。"
    with centre.store.reader() as session:
        assert settings.OUT_OF_COUNTY_CODES.get(session) == "refuse"
    save_screenshots(desk, "desk-admin-settings-out-of-county")

    # The next intake form at the window refuses a code of another county.
    clerk = desk_env("clerk")
    intake = open_desk(qtbot, clerk)
    pick_dibao(qtbot, intake)
    code = line(intake, CODE)
    _type(qtbot, code, "111899101001")
    commit_text(line(intake, DETAIL), "北京市某区某街1号")
    form = intake.workspace.form
    assert form is not None
    assert form.problem_severity("residence") == "error"
    assert form.problem_text("residence") == (
        "户籍地址的区划代码111899101001不属于本县（示例县 511899），本中心不予通过，请核对"
    )
