"""Editors of composite fields: an address (区划代码 + 详细地址) and the applicant block
(自然人: 姓名, 身份证号, 联系电话, 住址; 法人: 单位名称, 统一社会信用代码, 法定代表人, 联系电话,
住所), plus :func:`make_editor`, which picks the editor for any field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.catalog.schema import ApplicantKind, FieldType, FormField
from app.divisions.policy import CentreDivisions
from ui.form.division_picker import DivisionPicker
from ui.form.editors import (
    CheckEditor,
    DateEditor,
    FieldEditor,
    LineEditor,
    MultiSelectEditor,
    NumberEditor,
    SelectEditor,
    TextAreaEditor,
    id_number_edit,
    is_complete_id,
    line_edit,
    phone_edit,
    restrict,
    uscc_edit,
)
from ui.form.style import label_html


class AddressInputs(QWidget):
    """A 12-digit 统计用区划代码 and the detail, side by side; with the centre's villages
    (:meth:`use_divisions`) the code is picked by name, pinyin initials or code, and the
    village's name shows between the two."""

    def __init__(self, name: str, label: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(label)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.code = line_edit(f"{name}_division_code", f"{label}区划代码", "12位区划代码", 150)
        self.code.setFixedWidth(150)
        self.code.setMaxLength(12)
        restrict(self.code, r"[0-9]{0,12}")
        self.code.setToolTip("统计用区划代码，到村（社区）一级共 12 位")
        self.place = QLabel()
        self.place.setObjectName(f"{name}_place")
        self.place.setVisible(False)
        self.picker: DivisionPicker | None = None
        self.detail = line_edit(
            f"{name}_detail", f"{label}详细地址", "详细地址（村、组、门牌号）", 480
        )
        self.detail.setMaxLength(100)
        row.addWidget(self.code)
        row.addWidget(self.place)
        row.addWidget(self.detail, 10)
        row.addStretch(1)  # past the detail's widest, space goes here, not between the edits

    def value(self) -> dict[str, str] | None:
        parts = {"division_code": self.code.text().strip(), "detail": self.detail.text().strip()}
        kept = {k: v for k, v in parts.items() if v}
        return kept or None

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, Mapping) else {}
        self.code.setText(str(value.get("division_code") or ""))
        self.detail.setText(str(value.get("detail") or ""))

    def edits(self) -> list[QLineEdit]:
        return [self.code, self.detail]

    def use_divisions(self, divisions: CentreDivisions) -> None:
        """Pick the code from the centre's villages (typing the 12 digits still works)."""
        if divisions.villages is None or self.picker is not None:
            return
        restrict(self.code, r".{0,20}")  # names and initials as well as digits
        self.code.setMaxLength(20)
        self.code.setPlaceholderText("村名/拼音/代码")
        self.code.setToolTip(
            "输入村（社区）名称、拼音首字母（如 dhc）或代码，用↑↓选择、回车确定；"
            "也可直接输入12位统计用区划代码"
        )
        self.picker = DivisionPicker(self.code, self.place, divisions)


class AddressEditor(FieldEditor):
    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.inputs = AddressInputs(f"field_{spec.key}", spec.label)
        self.widget = self.inputs
        for edit in self.inputs.edits():
            edit.textChanged.connect(self.edited)

    def value(self) -> Any:
        return self.inputs.value()

    def set_value(self, value: Any) -> None:
        self.inputs.set_value(value)

    def focus_widgets(self) -> list[QWidget]:
        return list(self.inputs.edits())

    def part_widget(self, part: str | None) -> QWidget:
        return self.inputs.detail if part == "detail" else self.inputs.code

    def use_divisions(self, divisions: CentreDivisions) -> None:
        self.inputs.use_divisions(divisions)
        if self.inputs.picker is not None:
            self.inputs.picker.picked.connect(self.committed)


# Row labels of the applicant block: (part, natural person's label, legal person's label).
_NAME_LABELS = {ApplicantKind.NATURAL_PERSON: "姓名", ApplicantKind.LEGAL_PERSON: "单位名称"}
_ADDRESS_LABELS = {ApplicantKind.NATURAL_PERSON: "住址", ApplicantKind.LEGAL_PERSON: "住所"}
_ONLY_FOR = {
    "id_number": ApplicantKind.NATURAL_PERSON,
    "uscc": ApplicantKind.LEGAL_PERSON,
    "legal_representative": ApplicantKind.LEGAL_PERSON,
}


class ApplicantEditor(FieldEditor):
    """The applicant block; the kind chooser appears only when the item takes both kinds."""

    def __init__(self, spec: FormField, parent: QWidget) -> None:
        super().__init__(spec, parent)
        self.kinds = list(spec.applicant_kinds or [ApplicantKind.NATURAL_PERSON])
        key, label = spec.key, spec.label
        self.widget = QWidget()
        self.widget.setObjectName(f"field_{key}")
        self.widget.setAccessibleName(label)
        self.rows = QFormLayout(self.widget)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_combo: QComboBox | None = None
        if len(self.kinds) > 1:
            self.kind_combo = QComboBox()
            self.kind_combo.setObjectName(f"field_{key}_kind")
            self.kind_combo.setAccessibleName(f"{label}类型")
            for kind in self.kinds:
                self.kind_combo.addItem(kind.label, kind.value)
            self.kind_combo.setMaximumWidth(260)
            self.kind_combo.currentIndexChanged.connect(self._kind_changed)
            self.rows.addRow("申请人类型", self.kind_combo)
        self.parts: dict[str, QLineEdit] = {
            "name": line_edit(f"field_{key}_name", f"{label}名称", None, 320),
            "id_number": id_number_edit(f"field_{key}_id_number", f"{label}居民身份证号"),
            "uscc": uscc_edit(f"field_{key}_uscc", f"{label}统一社会信用代码"),
            "legal_representative": line_edit(
                f"field_{key}_legal_representative", "法定代表人", "法定代表人（负责人）", 320
            ),
            "phone": phone_edit(f"field_{key}_phone", f"{label}联系电话"),
        }
        self.parts["name"].setMaxLength(60)
        self.parts["legal_representative"].setMaxLength(30)
        self.address = AddressInputs(f"field_{key}_address", f"{label}住址")
        self.labels: dict[str, str] = {
            "id_number": "居民身份证号",
            "uscc": "统一社会信用代码",
            "legal_representative": "法定代表人",
            "phone": "联系电话",
        }
        for part, edit in self.parts.items():
            self.rows.addRow(label_html(self.labels.get(part, "姓名"), True), edit)
            edit.textChanged.connect(self.edited)
        self.rows.addRow(_ADDRESS_LABELS[ApplicantKind.NATURAL_PERSON], self.address)
        for edit in self.address.edits():
            edit.textChanged.connect(self.edited)
        self.parts["id_number"].textChanged.connect(self._id_changed)
        self._apply_kind()

    def kind(self) -> ApplicantKind:
        if self.kind_combo is None:
            return self.kinds[0]
        return ApplicantKind(self.kind_combo.currentData())

    def _id_changed(self, text: str) -> None:
        if is_complete_id(text):
            self.committed.emit()

    def _kind_changed(self) -> None:
        self._apply_kind()
        self.edited.emit()

    def _apply_kind(self) -> None:
        kind = self.kind()
        for part, only in _ONLY_FOR.items():
            self.rows.setRowVisible(self.parts[part], only is kind)
        self._set_row_label(self.parts["name"], label_html(_NAME_LABELS[kind], True))
        self._set_row_label(self.address, _ADDRESS_LABELS[kind])

    def _set_row_label(self, field: QWidget, text: str) -> None:
        label = self.rows.labelForField(field)
        if label is not None and hasattr(label, "setText"):
            label.setText(text)

    def value(self) -> Any:
        kind = self.kind()
        data: dict[str, Any] = {}
        for part, edit in self.parts.items():
            text = edit.text().strip()
            if text and _ONLY_FOR.get(part, kind) is kind:
                data[part] = text
        address = self.address.value()
        if address:
            data["address"] = address
        return {"kind": kind.value, **data} if data else None

    def set_value(self, value: Any) -> None:
        value = value if isinstance(value, Mapping) else {}
        if self.kind_combo is not None:
            index = self.kind_combo.findData(str(value.get("kind")))
            self.kind_combo.setCurrentIndex(max(index, 0))
        for part, edit in self.parts.items():
            edit.setText(str(value.get(part) or ""))
        self.address.set_value(value.get("address"))
        self._apply_kind()

    def focus_widgets(self) -> list[QWidget]:
        head: list[QWidget] = [self.kind_combo] if self.kind_combo is not None else []
        return [*head, *self.parts.values(), *self.address.edits()]

    def part_widget(self, part: str | None) -> QWidget:
        if part in self.parts:
            return self.parts[part]
        if part == "address_detail":
            return self.address.detail
        if part == "address_division_code":
            return self.address.code
        return self.parts["name"]

    def place_problem(self, label: QWidget, part: str | None) -> bool:
        """Under the row of the part it is about: an ID number's error under the ID number,
        not under the last row (住址) of the block."""
        anchor: QWidget | None = self.parts.get(part or "")
        if anchor is None and part is not None and part.startswith("address_"):
            anchor = self.address
        if anchor is None:
            return False
        found = cast(tuple[int, QFormLayout.ItemRole], self.rows.getWidgetPosition(anchor))
        position = found[0]
        # A null label (Qt allows it; the stubs do not say so): the message sits in the field
        # column, and its row takes no room while the message is hidden.
        self.rows.insertRow(position + 1, cast(QWidget, None), label)
        return True

    def take_problem(self, label: QWidget) -> None:
        if self.rows.indexOf(label) >= 0:
            self.rows.takeRow(label)

    def use_divisions(self, divisions: CentreDivisions) -> None:
        self.address.use_divisions(divisions)
        if self.address.picker is not None:
            self.address.picker.picked.connect(self.committed)


_EDITORS: dict[FieldType, type[FieldEditor]] = {
    FieldType.TEXT: LineEditor,
    FieldType.ID_NUMBER: LineEditor,
    FieldType.USCC: LineEditor,
    FieldType.PHONE: LineEditor,
    FieldType.TEXTAREA: TextAreaEditor,
    FieldType.INTEGER: NumberEditor,
    FieldType.DECIMAL: NumberEditor,
    FieldType.DATE: DateEditor,
    FieldType.SELECT: SelectEditor,
    FieldType.MULTI_SELECT: MultiSelectEditor,
    FieldType.CHECKBOX: CheckEditor,
    FieldType.ADDRESS: AddressEditor,
    FieldType.APPLICANT: ApplicantEditor,
}


def make_editor(spec: FormField, parent: QWidget) -> FieldEditor:
    return _EDITORS[spec.type](spec, parent)
