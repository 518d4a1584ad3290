"""One editor per field type. An editor is a small controller around the widget(s) the clerk
types into: it reads and writes the value in the shape ``app.forms.check_form`` expects and says
when the value changed (``edited``) and when a choice is complete (``committed``, e.g. an item
picked in a list or the 18th character of an ID number), so the form can check the field at once.

Editors of composite fields (address, applicant) live in :mod:`ui.form.composite`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QObject, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.catalog.schema import FieldType, FormField
from app.divisions.policy import CentreDivisions
from app.validators import normalize_text

#: Widest a line edit grows, by field type (pixels); long text may use the whole row.
MAX_WIDTH: dict[FieldType, int] = {
    FieldType.INTEGER: 140,
    FieldType.DECIMAL: 180,
    FieldType.DATE: 180,
    FieldType.ID_NUMBER: 260,
    FieldType.USCC: 260,
    FieldType.PHONE: 220,
    FieldType.TEXT: 520,
    FieldType.TEXTAREA: 640,
    FieldType.SELECT: 320,
}

PLACEHOLDERS: dict[FieldType, str] = {
    FieldType.ID_NUMBER: "18位居民身份证号",
    FieldType.USCC: "18位统一社会信用代码",
    FieldType.PHONE: "手机号或带区号的固定电话",
    FieldType.DATE: "年-月-日，如 2026-03-02",
}


class FieldEditor(QObject):
    """Base of all editors. ``widget`` carries the objectName ``field_<key>``."""

    edited = Signal()
    committed = Signal()

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget: QWidget = parent  # replaced by every subclass

    def value(self) -> Any:
        """The value, or None when nothing was entered."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widgets(self) -> list[QWidget]:
        """The widgets the clerk tabs through, in order."""
        return [self.widget]

    def part_widget(self, part: str | None) -> QWidget:
        """The widget to focus for a problem with ``part`` (composite fields) or the field."""
        del part
        return self.focus_widgets()[0]

    def tidy(self) -> None:
        """Normalise what was typed once the clerk leaves the field (dates)."""

    def place_problem(self, label: QWidget, part: str | None) -> bool:
        """Put the field's message ``label`` under the part it is about, inside the editor;
        False: the editor has no such place (the form puts it under the whole field). The form
        takes the label back with :meth:`take_problem` before placing it again."""
        del label, part
        return False

    def take_problem(self, label: QWidget) -> None:
        """Take ``label`` out of the editor if :meth:`place_problem` put it there."""
        del label

    def use_divisions(self, divisions: CentreDivisions) -> None:
        """The centre's villages, for editors that hold an address (the village picker)."""
        del divisions


def line_edit(name: str, accessible: str, placeholder: str | None, width: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    edit.setMaximumWidth(width)
    edit.setClearButtonEnabled(False)
    return edit


def restrict(edit: QLineEdit, pattern: str) -> None:
    """Refuse keystrokes that can never give a valid value (the full check comes on leaving)."""
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))


def id_number_edit(name: str, accessible: str, placeholder: str | None = None) -> QLineEdit:
    edit = line_edit(name, accessible, placeholder or PLACEHOLDERS[FieldType.ID_NUMBER], 260)
    edit.setMaxLength(18)
    restrict(edit, r"[0-9]{0,17}[0-9xX]?")
    return edit


def uscc_edit(name: str, accessible: str, placeholder: str | None = None) -> QLineEdit:
    edit = line_edit(name, accessible, placeholder or PLACEHOLDERS[FieldType.USCC], 260)
    edit.setMaxLength(18)
    restrict(edit, r"[0-9A-Za-z]{0,18}")  # I O Z S V get the validator's own message
    return edit


def phone_edit(name: str, accessible: str, placeholder: str | None = None) -> QLineEdit:
    edit = line_edit(name, accessible, placeholder or PLACEHOLDERS[FieldType.PHONE], 220)
    edit.setMaxLength(24)
    return edit


def is_complete_id(text: str) -> bool:
    return len(normalize_text(text)) == 18


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


class LineEditor(FieldEditor):
    """text, id_number, uscc, phone: a line edit."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        name, label = f"field_{spec.key}", spec.label
        if spec.type is FieldType.ID_NUMBER:
            self.edit = id_number_edit(name, label, spec.placeholder)
        elif spec.type is FieldType.USCC:
            self.edit = uscc_edit(name, label, spec.placeholder)
        elif spec.type is FieldType.PHONE:
            self.edit = phone_edit(name, label, spec.placeholder)
        else:
            width = MAX_WIDTH.get(spec.type, 520)
            if spec.max_length is not None and spec.max_length <= 20:
                width = 320
            self.edit = line_edit(name, label, spec.placeholder, width)
            if spec.max_length is not None:
                self.edit.setMaxLength(spec.max_length)
        self.widget = self.edit
        self.edit.textChanged.connect(self._changed)

    def _changed(self, text: str) -> None:
        self.edited.emit()
        if self.spec.type is FieldType.ID_NUMBER and is_complete_id(text):
            self.committed.emit()

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text_of(value))


class NumberEditor(LineEditor):
    """integer (an int) and decimal (the text as typed, e.g. "1800.00")."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.edit.setMaximumWidth(MAX_WIDTH[spec.type])
        sign = "-?" if spec.min is None or spec.min < 0 else ""
        if spec.type is FieldType.INTEGER:
            restrict(self.edit, sign + r"[0-9]{0,12}")
        else:
            restrict(self.edit, sign + r"[0-9]{0,12}(\.[0-9]{0,6})?")

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None
        if self.spec.type is FieldType.INTEGER and re.fullmatch(r"-?[0-9]+", text):
            return int(text)
        return text  # decimal text, or something check_form will name as not a number


_DATE_PARTS = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def normalise_date(text: str) -> str:
    """2026/3/2, 2026.3.2, 2026年3月2日 and 20260302 → 2026-03-02; anything else unchanged."""
    text = text.strip()
    match = _DATE_PARTS.fullmatch(text)
    parts = match.groups() if match else None
    if parts is None and re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    if parts is None:
        return text
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return text


class DateEditor(LineEditor):
    """A date typed as 年-月-日 (may stay empty when not required)."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.edit.setMaximumWidth(MAX_WIDTH[FieldType.DATE])
        self.edit.setMaxLength(11)
        if not spec.placeholder:
            self.edit.setPlaceholderText(PLACEHOLDERS[FieldType.DATE])
        restrict(self.edit, r"[0-9\-/.年月日]{0,11}")

    def value(self) -> Any:
        text = self.edit.text().strip()
        return normalise_date(text) if text else None

    def tidy(self) -> None:
        text = self.edit.text()
        tidy = normalise_date(text)
        if tidy != text.strip():
            self.edit.setText(tidy)


class TextAreaEditor(FieldEditor):
    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit()
        self.edit.setObjectName(f"field_{spec.key}")
        self.edit.setAccessibleName(spec.label)
        self.edit.setTabChangesFocus(True)
        if spec.placeholder:
            self.edit.setPlaceholderText(spec.placeholder)
        self.edit.setMaximumWidth(MAX_WIDTH[FieldType.TEXTAREA])
        lines = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(lines * 3 + 14)
        self.widget = self.edit
        self.edit.textChanged.connect(self.edited)

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(_text_of(value))


class SelectEditor(FieldEditor):
    """A drop-down list whose first entry is empty (nothing chosen)."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox()
        self.combo.setObjectName(f"field_{spec.key}")
        self.combo.setAccessibleName(spec.label)
        self.combo.addItem("")
        self.combo.addItems(spec.options or [])
        self.combo.setMaximumWidth(MAX_WIDTH[FieldType.SELECT])
        self.combo.setMinimumContentsLength(8)
        self.widget = self.combo
        self.combo.currentIndexChanged.connect(self._changed)

    def _changed(self) -> None:
        self.edited.emit()
        self.committed.emit()

    def value(self) -> Any:
        return self.combo.currentText() if self.combo.currentIndex() > 0 else None

    def set_value(self, value: Any) -> None:
        index = self.combo.findText(str(value)) if value not in (None, "") else 0
        self.combo.setCurrentIndex(max(index, 0))


class MultiSelectEditor(FieldEditor):
    """One check box per option (objectNames ``field_<key>_<n>``), four to a row."""

    COLUMNS = 4

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.widget = QWidget()
        self.widget.setObjectName(f"field_{spec.key}")
        self.widget.setAccessibleName(spec.label)
        grid = QGridLayout(self.widget)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        self.boxes: list[QCheckBox] = []
        for index, option in enumerate(spec.options or []):
            box = QCheckBox(option)
            box.setObjectName(f"field_{spec.key}_{index}")
            box.setAccessibleName(f"{spec.label}：{option}")
            box.toggled.connect(self._changed)
            grid.addWidget(box, index // self.COLUMNS, index % self.COLUMNS)
            self.boxes.append(box)
        grid.setColumnStretch(self.COLUMNS, 1)

    def _changed(self) -> None:
        self.edited.emit()
        self.committed.emit()

    def value(self) -> Any:
        return [box.text() for box in self.boxes if box.isChecked()] or None

    def set_value(self, value: Any) -> None:
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else set()
        for box in self.boxes:
            box.setChecked(box.text() in chosen)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.boxes) or [self.widget]


class CheckEditor(FieldEditor):
    """A single tick (an undertaking, a yes/no question). Unticked is False, not empty."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox(spec.label)
        self.box.setObjectName(f"field_{spec.key}")
        self.box.setAccessibleName(spec.label)
        self.widget = self.box
        self.box.toggled.connect(self._changed)

    def _changed(self) -> None:
        self.edited.emit()
        self.committed.emit()

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(value is True)


def decimal_or_none(text: object) -> Decimal | None:
    """A decimal field's text as a number, for conditions that compare numbers."""
    try:
        number = Decimal(str(text))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
