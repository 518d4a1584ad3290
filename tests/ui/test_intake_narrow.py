"""受理台 on a narrow screen: a 1366×768 screen at 150 % scaling leaves 911×512 logical pixels.
The materials go under the form, the side bar steps aside while an intake is open, the form's
labels narrow when the form is narrow: no field scrolls sideways and the checklist stays in
reach. At 1366×768 the three panes stay side by side."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.centre import Centre
from tests.ui.clipping import clipped
from tests.ui.conftest import wait_idle
from tests.ui.screenshots import save_screenshot
from tests.ui.test_intake_desk import (
    NAME,
    child,
    fill_dibao,
    line,
    open_desk,
    pick_dibao,
    press,
    type_chinese,
)
from ui.desk_base import DeskEnv
from ui.desks.intake.desk import IntakeDesk
from ui.form import FormView

#: The desk's room in a 911×512 window (menu, desk tabs and status bar take the rest).
NARROW = (911, 420)


def _settled(qtbot: QtBot, desk: IntakeDesk) -> FormView:
    QApplication.processEvents()
    wait_idle(qtbot, desk.env.runner)
    form = desk.workspace.form
    assert form is not None
    return form


def _fits_across(form: FormView) -> None:
    """No sideways scrolling: the scroll bar is not needed and every field is within the view."""
    scroll = form._scroll
    assert scroll.horizontalScrollBar().maximum() == 0
    view = scroll.viewport()
    for key in ("applicant", "residence", "family_size", "monthly_income", "consent"):
        editor = form.editor(key)
        right = editor.mapTo(view, QPoint(editor.width(), 0)).x()
        assert right <= view.width(), (key, right, view.width())


def _left_of(first: QWidget, second: QWidget) -> bool:
    a = first.mapToGlobal(QPoint(first.width(), 0)).x()
    return a <= second.mapToGlobal(QPoint(0, 0)).x()


def test_at_150_percent_the_materials_go_under_the_form_and_nothing_scrolls_sideways(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"), NARROW)
    assert desk.sidebar.isVisible()  # nothing open: the item search is there
    pick_dibao(qtbot, desk)
    form = _settled(qtbot, desk)
    assert not desk.sidebar.isVisible()  # the open intake takes its width
    show = child(desk, QPushButton, "intakeShowSidebar")
    assert show.isVisible()
    assert desk.workspace.split.orientation() == Qt.Orientation.Vertical
    _fits_across(form)
    materials = desk.workspace.materials_scroll
    assert materials.isVisible() and materials.height() >= 60
    assert materials.width() >= form.width() - 2  # the whole width, under the form
    title = desk.workspace.right.title
    assert title.isVisible() and title.text() == "办理材料（缺必交材料 6 项）"
    # The keyboard way is unchanged: the form, then the materials, by Tab.
    type_chinese(qtbot, line(desk, "field_applicant_name"), NAME)
    last = [w for w in form.focus_widgets() if w.isVisible()][-1]
    last.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    first_box = child(desk, QCheckBox, "material_application")
    qtbot.waitUntil(first_box.hasFocus)
    qtbot.keyClick(first_box, Qt.Key.Key_Space)
    assert title.text() == "办理材料（缺必交材料 5 项）"
    save_screenshot(desk, "desk-intake-911x420")
    # Ctrl+F brings the side bar back, with the search focused; the form still fits.
    press(qtbot, desk, Qt.Key.Key_F, ctrl=True)
    assert desk.sidebar.isVisible() and not show.isVisible()
    assert line(desk, "itemSearch").hasFocus()
    _fits_across(_settled(qtbot, desk))


def test_at_150_percent_a_decision_panel_under_the_materials_scrolls_into_view_whole(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"), NARROW)
    pick_dibao(qtbot, desk)
    fill_dibao(qtbot, desk)
    press(qtbot, desk, Qt.Key.Key_F7)  # 一次性告知: a note per missing material (six)
    panel = desk.workspace.right.open_panel()
    assert panel is desk.workspace.right.supplement
    assert line(desk, "supplementNote_application").hasFocus()
    qtbot.waitUntil(lambda: desk.workspace.right_scroll.verticalScrollBar().value() == panel.y())
    assert clipped(desk) == []  # the column scrolls instead of squeezing the panel's rows
    note = line(desk, "supplementNote_photo")  # the last note, at the panel's foot
    note.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClick(note, Qt.Key.Key_Escape)  # Esc closes the panel
    assert desk.workspace.right.open_panel() is None


def test_a_narrow_form_narrows_its_labels_instead_of_scrolling_sideways(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"), (700, 700))
    pick_dibao(qtbot, desk)
    desk.focus_search()  # the side bar back: the form has some 430 px
    form = _settled(qtbot, desk)
    assert form.width() < 500
    assert form.is_narrow()
    _fits_across(form)
    desk.resize(1366, 700)  # wide again: the wide labels come back
    form = _settled(qtbot, desk)
    assert not form.is_narrow()
    _fits_across(form)


def test_at_1366_the_three_panes_stay_side_by_side(
    qtbot: QtBot, desk_env: Callable[[str], DeskEnv], centre: Centre
) -> None:
    desk = open_desk(qtbot, desk_env("clerk"), (1366, 768))
    pick_dibao(qtbot, desk)
    form = _settled(qtbot, desk)
    materials = desk.workspace.materials_scroll
    assert desk.sidebar.isVisible()
    assert not child(desk, QPushButton, "intakeShowSidebar").isVisible()
    assert desk.workspace.split.orientation() == Qt.Orientation.Horizontal
    assert _left_of(desk.sidebar, form) and _left_of(form, materials)
    assert not form.is_narrow()
    assert form.width() >= 560 and materials.width() >= 420
    _fits_across(form)
