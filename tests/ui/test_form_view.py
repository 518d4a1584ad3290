"""The form renderer driven as a clerk would: typing, tabbing, picking, ticking."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.catalog.loader import bundled_catalog
from app.catalog.schema import FieldType
from app.demo.forms import id_number, sample_form_data, uscc
from app.forms import check_form
from benchmarks import form_render
from tests.ui.drive import commit_text
from tests.ui.screenshots import save_screenshots
from ui.fonts import install_bundled_fonts
from ui.form import FormView

TEMPLATES = {t.id: t for t in bundled_catalog().templates}
# A valid 18-digit number of the demo county; its check digit is 5 (so ...4 is wrong).
GOOD_ID = id_number(random.Random(7))
BAD_ID = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")


def _open(qtbot: QtBot, template_id: str, size: tuple[int, int] = (900, 700)) -> FormView:
    view = FormView(TEMPLATES[template_id])
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    return view


def _line(view: FormView, name: str) -> QLineEdit:
    edit = view.findChild(QLineEdit, name)
    assert edit is not None, name
    return edit


def _type_into(qtbot: QtBot, edit: QWidget, text: str) -> None:
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, text)


def _type_chinese(qtbot: QtBot, edit: QWidget, text: str) -> None:
    """Chinese arrives as an input method's commit, as it does from a real 拼音 IME."""
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(edit.hasFocus)
    commit_text(edit, text)


def _leave(qtbot: QtBot, edit: QWidget) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not edit.hasFocus())


def _without_unticked(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_every_template_renders_and_sample_data_round_trips(qtbot: QtBot, template_id: str) -> None:
    template = TEMPLATES[template_id]
    view = FormView(template)
    qtbot.addWidget(view)
    assert view.objectName() == "formView"
    assert view.accessibleName() == template.title
    titles = [box.title() for box in view.findChildren(QGroupBox)]
    assert titles == [s.title for s in template.sections]
    for spec in template.all_fields():
        assert view.editor(spec.key).objectName() == f"field_{spec.key}"
    for seed in range(6):
        sample = sample_form_data(template, random.Random(seed))
        view.set_value(sample)
        shown = view.value()
        result = check_form(template, shown)
        assert result.ok, (seed, result.problems)
        assert _without_unticked(result.cleaned) == check_form(template, sample).cleaned
        assert view.check().ok
        assert not any(view.problem_severity(f.key) == "error" for f in template.all_fields())
        assert not view.focus_first_problem()


def test_invalid_id_number_is_refused_naming_the_field_and_cleared_when_fixed(
    qtbot: QtBot,
) -> None:
    view = _open(qtbot, "dibao")
    id_edit = _line(view, "field_applicant_id_number")
    _type_into(qtbot, id_edit, BAD_ID[:10])
    assert view.problem_text("applicant") == ""  # no nagging while typing
    _leave(qtbot, id_edit)
    assert "身份证号" in view.problem_text("applicant")
    assert "18位" in view.problem_text("applicant")

    _type_into(qtbot, id_edit, BAD_ID[10:])  # the 18th character: checked at once
    assert "身份证号校验位不正确" in view.problem_text("applicant")
    assert view.problem_severity("applicant") == "error"
    problem = view.findChild(QLabel, "problem_applicant")
    assert problem is not None and problem.isVisible()
    assert problem.text() == view.problem_text("applicant")

    qtbot.keyClick(id_edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(id_edit, GOOD_ID[17])
    assert view.problem_text("applicant") == ""
    assert not problem.isVisible()
    assert view.value()["applicant"]["id_number"] == GOOD_ID


def test_a_credit_code_with_a_wrong_check_character_is_only_a_warning(qtbot: QtBot) -> None:
    view = _open(qtbot, "shipin_xiaozuofang")  # legal persons only
    assert view.findChild(QComboBox, "field_applicant_kind") is None
    assert not _line(view, "field_applicant_id_number").isVisible()
    code = uscc(random.Random(3))
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    edit = _line(view, "field_applicant_uscc")
    _type_into(qtbot, edit, wrong)
    _leave(qtbot, edit)
    assert view.problem_severity("applicant") == "warning"
    assert "统一社会信用代码校验位" in view.problem_text("applicant")

    _type_into(qtbot, edit, "")
    edit.selectAll()
    qtbot.keyClicks(edit, "91O")
    _leave(qtbot, edit)
    assert view.problem_severity("applicant") == "error"
    assert "不使用字母I、O、Z、S、V" in view.problem_text("applicant")


def test_reason_other_appears_only_for_other_and_is_dropped_when_hidden(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    other = view.findChild(QPlainTextEdit, "field_reason_other")
    label = view.findChild(QLabel, "label_reason_other")
    assert other is not None and label is not None
    assert not view.is_shown("reason_other") and not other.isVisible()
    assert not label.isVisible()

    reason = view.editor("reason")
    assert isinstance(reason, QComboBox) and reason.itemText(0) == ""
    changes: list[int] = []
    view.changed.connect(lambda: changes.append(1))
    reason.setFocus()
    qtbot.keyClick(reason, Qt.Key.Key_End)  # the last option: 其他
    assert reason.currentText() == "其他"
    assert changes
    assert view.is_shown("reason_other") and other.isVisible() and label.isVisible()
    assert "*" in label.text() and view.is_required("reason_other")
    _type_chinese(qtbot, other, "子女在外务工无力赡养")
    assert view.value()["reason_other"] == "子女在外务工无力赡养"

    reason.setFocus()
    qtbot.keyClick(reason, Qt.Key.Key_Home)  # back to the empty entry
    assert reason.currentIndex() == 0
    assert not view.is_shown("reason_other") and not other.isVisible()
    assert "reason_other" not in view.value() and "reason" not in view.value()


def test_unticking_a_checkbox_hides_its_dependent_field(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    box = view.editor("has_disabled_member")
    assert isinstance(box, QCheckBox)
    card = _line(view, "field_disability_card_no")
    assert not card.isVisible()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert view.is_shown("disability_card_no") and card.isVisible()
    _type_into(qtbot, card, "12345")
    _leave(qtbot, card)
    assert view.problem_text("disability_card_no") == "残疾人证号格式不正确"
    assert view.value()["disability_card_no"] == "12345"

    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert not view.is_shown("disability_card_no") and not card.isVisible()
    assert "disability_card_no" not in view.value()
    assert view.value()["has_disabled_member"] is False
    assert view.problem_text("disability_card_no") == ""


def test_required_if_puts_the_star_on_the_label(qtbot: QtBot) -> None:
    view = _open(qtbot, "laonianren_youdaizheng")  # 紧急联系电话 required once a contact is named
    label = view.findChild(QLabel, "label_emergency_phone")
    assert label is not None and label.isVisible()
    assert "*" not in label.text() and not view.is_required("emergency_phone")
    contact = _line(view, "field_emergency_contact")
    _type_chinese(qtbot, contact, "李桂兰")
    assert "*" in label.text() and view.is_required("emergency_phone")
    result = view.check()
    assert view.problem_text("emergency_phone") == "请填写紧急联系人电话" or any(
        p.key == "emergency_phone" for p in result.problems
    )
    contact.clear()
    assert "*" not in label.text() and not view.is_required("emergency_phone")


def test_the_longest_label_keeps_its_star_in_view(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    box = view.editor("apply_by_committee")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    label = view.findChild(QLabel, "label_agent_name")
    assert label is not None and label.isVisible() and "*" in label.text()
    assert label.sizeHint().width() <= label.width()  # the * is not cut off


def test_check_on_an_empty_form_shows_every_problem_and_focuses_the_first(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    result = view.check()
    assert not result.ok
    keys = [p.key for p in result.problems]
    assert keys == ["applicant", "residence", "family_size", "monthly_income", "reason", "consent"]
    for problem in result.problems:
        assert view.problem_text(problem.key) == problem.message
        shown = view.findChild(QLabel, f"problem_{problem.key}")
        assert shown is not None and shown.isVisible() and shown.text() == problem.message
    assert view.problem_text("consent").startswith("请勾选已签署")  # a box is ticked, not filled
    assert view.focus_first_problem()
    name = _line(view, "field_applicant_name")
    qtbot.waitUntil(name.hasFocus)

    # Typing into a field with a problem clears it once the value is good.
    size = _line(view, "field_family_size")
    _type_into(qtbot, size, "3")
    assert view.problem_text("family_size") == ""
    # After a full check, emptying a required field and leaving it names what is missing.
    size.clear()
    _leave(qtbot, size)
    assert view.problem_text("family_size") == "请填写共同生活家庭成员人数"

    view.set_value(sample_form_data(TEMPLATES["dibao"], random.Random(1)))
    assert view.problem_text("applicant") == ""
    assert not view.focus_first_problem()


def test_numbers_are_checked_against_their_bounds_when_leaving(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    size = _line(view, "field_family_size")
    _type_into(qtbot, size, "2x5")  # the x is refused as it is typed
    assert size.text() == "25"
    _leave(qtbot, size)
    assert view.problem_text("family_size") == "共同生活家庭成员人数不能大于20"
    qtbot.keyClick(size, Qt.Key.Key_Backspace)
    assert view.problem_text("family_size") == ""
    assert view.value()["family_size"] == 2


def test_enter_moves_on_like_tab_in_form_order(qtbot: QtBot) -> None:
    view = _open(qtbot, "dibao")
    order = [
        "field_applicant_name",
        "field_applicant_id_number",
        "field_applicant_phone",
        "field_applicant_address_division_code",
        "field_applicant_address_detail",
        "field_residence_division_code",
        "field_residence_detail",
        "field_apply_by_committee",
        "field_family_size",
        "field_monthly_income",
    ]
    first = _line(view, order[0])
    _type_chinese(qtbot, first, "王秀英")
    for current, following in itertools.pairwise(order):
        widget = view.findChild(QWidget, current)
        assert widget is not None and widget.hasFocus(), current
        key = Qt.Key.Key_Return if isinstance(widget, QLineEdit) else Qt.Key.Key_Tab
        qtbot.keyClick(widget, key)
        nxt = view.findChild(QWidget, following)
        assert nxt is not None
        qtbot.waitUntil(nxt.hasFocus)
    assert view.value()["applicant"] == {"kind": "natural_person", "name": "王秀英"}


def test_both_kinds_of_applicant_switch_the_block(qtbot: QtBot) -> None:
    view = _open(qtbot, "menpai_bianzhi")
    kind = view.findChild(QComboBox, "field_applicant_kind")
    assert kind is not None and kind.currentText() == "自然人"
    id_edit, code = _line(view, "field_applicant_id_number"), _line(view, "field_applicant_uscc")
    assert id_edit.isVisible() and not code.isVisible()
    kind.setFocus()
    qtbot.keyClick(kind, Qt.Key.Key_End)
    assert kind.currentText() == "法人或其他组织"
    assert code.isVisible() and not id_edit.isVisible()
    assert _line(view, "field_applicant_legal_representative").isVisible()
    _type_chinese(qtbot, _line(view, "field_applicant_name"), "清河镇福源食品作坊")
    assert view.value()["applicant"] == {"kind": "legal_person", "name": "清河镇福源食品作坊"}


def test_dates_typed_loosely_are_tidied_on_leaving(qtbot: QtBot) -> None:
    template = TEMPLATES["linshi_jiuzhu"]
    key = next(f.key for f in template.all_fields() if f.type is FieldType.DATE)
    view = _open(qtbot, "linshi_jiuzhu")
    edit = _line(view, f"field_{key}")
    _type_into(qtbot, edit, "2026/3/2")
    _leave(qtbot, edit)
    assert edit.text() == "2026-03-02" and view.value()[key] == "2026-03-02"
    assert view.problem_text(key) == ""
    edit.clear()
    _type_into(qtbot, edit, "2026-02-30")
    _leave(qtbot, edit)
    assert "日期" in view.problem_text(key)


def test_restoring_a_draft_emits_one_change(qtbot: QtBot) -> None:
    template = TEMPLATES["linmu_caifa_geren"]
    view = FormView(template)
    qtbot.addWidget(view)
    changes: list[int] = []
    view.changed.connect(lambda: changes.append(1))
    view.set_value(sample_form_data(template, random.Random(2)))
    assert changes == [1]


def test_the_render_benchmark_runs_for_every_template(qtbot: QtBot) -> None:
    """benchmarks/form_render.py still runs; no timings asserted (DESIGN §9: scripts measure)."""
    timings, extra = form_render.measure(repeat=1)
    assert sorted(t.template_id for t in timings) == sorted(TEMPLATES)
    assert all(t.widgets > t.fields for t in timings)
    assert set(extra) == {"largest set_value", "largest check"}


def _framed(template_id: str, data: dict[str, Any]) -> tuple[QWidget, FormView]:
    frame = QWidget()
    frame.setObjectName("screenshotFrame")
    row = QHBoxLayout(frame)
    view = FormView(TEMPLATES[template_id], frame)
    view.set_value(data)
    row.addWidget(view)
    return frame, view


@pytest.mark.parametrize("template_id", ["dibao", "geti_gongshanghu", "shipin_xiaozuofang"])
def test_screenshots(qtbot: QtBot, qapp: QApplication, template_id: str) -> None:
    install_bundled_fonts(qapp)
    template = TEMPLATES[template_id]
    data = sample_form_data(template, random.Random(5))
    applicant = dict(data["applicant"])
    if applicant["kind"] == "natural_person":
        applicant["id_number"] = BAD_ID
    else:
        applicant["uscc"] = applicant["uscc"][:17] + "0"
    data["applicant"] = applicant
    data.pop(next(f.key for f in template.all_fields() if f.required and f.key != "applicant"))
    frame, view = _framed(template_id, data)
    qtbot.addWidget(frame)
    result = view.check()
    assert result.problems or result.warnings
    save_screenshots(frame, f"form-{template_id}")
