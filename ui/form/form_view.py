"""The form renderer (表单): any form template as a scrollable form of real editors.

Sections are group boxes; every field is a row (label with a red * while required, the editor,
its inline message, a grey help line). Conditional fields come and go as the fields they depend
on change; each field is checked as the clerk leaves it, and :meth:`FormView.check` runs the
full ``app.forms.check_form`` and shows every problem next to its field.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog.schema import FieldType, FormField, FormTemplate, Section
from app.divisions.policy import CentreDivisions
from app.forms import CodeCheck, FormCheck, check_form
from app.validators import check_division_code
from ui.form.composite import make_editor
from ui.form.editors import FieldEditor, decimal_or_none
from ui.form.id_autofill import IdAutofill
from ui.form.inline_check import Message, field_message, from_check
from ui.form.style import ERROR, STAR, help_label, label_html, problem_label, show_problem

#: The form never grows wider than this: long rows are hard to read on a wide screen.
MAX_FORM_WIDTH = 1000
#: Labels wider than this wrap onto a second line.
MAX_LABEL_WIDTH = 220
#: When the form is narrower than its rows need (150 % scaling, large text), the label column
#: shrinks to this many characters (longer labels wrap) and a row that still does not fit,
#: such as the applicant block, puts its label above it instead of beside it.
NARROW_LABEL_CHARS = 5
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(eq=False)
class _Row:
    spec: FormField
    editor: FieldEditor
    layout: QFormLayout
    holder: QWidget
    label: QLabel | None  # None for a check box: the box carries its own label
    star: QLabel | None  # the * beside a check box
    spacer: QWidget | None = None  # the empty label column of a check box row
    required: bool = False
    visible: bool = True
    problem: QLabel | None = None
    message: Message | None = None


class FormView(QWidget):
    """A form template rendered for input. See the module docstring."""

    changed = Signal()

    def __init__(
        self,
        template: FormTemplate,
        parent: QWidget | None = None,
        *,
        divisions: CentreDivisions | None = None,
    ) -> None:
        super().__init__(parent)
        self.template = template
        # The centre's villages: addresses pick their 区划代码 from them and are checked
        # against the centre's county (without: the code's form only).
        self.divisions = divisions
        self._check_code: CodeCheck = divisions.check if divisions else check_division_code
        self.setObjectName("formView")
        self.setAccessibleName(template.title)
        self._rows: dict[str, _Row] = {}
        self._owner: dict[QObject, str] = {}
        self._loading = True
        self._checked = False
        self._sections: list[QFormLayout] = []
        self._label_width = 0  # the label column's width on a wide form
        self._label_needs: list[int] = []  # each label's own width, with a *
        self._narrow = False
        self._wide_needs = 0  # the width the wide layout needs, measured when it narrowed

        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("formScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        content = QWidget()
        content.setObjectName("formContent")
        content.setMaximumWidth(MAX_FORM_WIDTH)
        column = QVBoxLayout(content)
        title = QLabel(template.title)
        title.setObjectName("formTitle")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        title.setFont(font)
        column.addWidget(title)
        for section in template.sections:
            column.addWidget(self._build_section(section))
        column.addStretch(1)
        self._scroll.setWidget(content)
        self._content = content
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)

        self._align_labels()
        self._set_editors({f.key: f.default for f in template.all_fields()})
        self._set_tab_order()
        self._refresh_states()
        self._loading = False
        # A typed ID number fills 出生日期 and 性别 where the form has them.
        self.id_autofill = IdAutofill(template, self.changed, self.value, self.fill, self)

    # --- building ---------------------------------------------------------------------------

    def _build_section(self, section: Section) -> QGroupBox:
        box = QGroupBox(section.title)
        box.setObjectName(f"section_{section.fields[0].key}")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(10)
        self._sections.append(form)
        if section.description:
            form.addRow(help_label(section.description))
        for spec in section.fields:
            self._build_row(spec, form)
        return box

    def _build_row(self, spec: FormField, form: QFormLayout) -> None:
        editor = make_editor(spec, self)
        if self.divisions is not None:
            editor.use_divisions(self.divisions)
        holder = QWidget()
        holder.setObjectName(f"row_{spec.key}")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        label: QLabel | None = None
        star: QLabel | None = None
        spacer: QWidget | None = None
        if spec.type is FieldType.CHECKBOX:
            line = QHBoxLayout()
            line.setSpacing(2)
            star = QLabel(STAR)
            star.setVisible(False)
            line.addWidget(editor.widget)
            line.addWidget(star)
            line.addStretch(1)
            column.addLayout(line)
            # A bare widget, not an empty QLabel: a row with an empty label loses height-for-width
            # and leaves a gap under the box.
            spacer = QWidget()
            form.addRow(spacer, holder)
        else:
            column.addWidget(editor.widget)
            label = QLabel(label_html(spec.label, False))
            label.setObjectName(f"label_{spec.key}")
            label.setBuddy(editor.focus_widgets()[0])
            label.setContentsMargins(0, 4, 0, 0)  # level with the text in the editor
            form.addRow(label, holder)
        if spec.help:
            editor.widget.setToolTip(spec.help)
            if label is not None:
                label.setToolTip(spec.help)
            column.addWidget(help_label(spec.help))
        row = _Row(spec, editor, form, holder, label, star, spacer)
        self._rows[spec.key] = row
        for widget in editor.focus_widgets():
            self._owner[widget] = spec.key
            widget.installEventFilter(self)
        editor.edited.connect(lambda key=spec.key: self._edited(key))
        editor.committed.connect(lambda key=spec.key: self._committed(key))

    def _align_labels(self) -> None:
        """One label column width for every section; longer labels wrap."""
        labels = [(row.label, row.spec) for row in self._rows.values() if row.label is not None]
        if not labels:
            return
        widths = []
        for label, spec in labels:  # measured with the * that required_if may add later
            label.setText(label_html(spec.label, True))
            widths.append(label.sizeHint().width())
            label.setText(label_html(spec.label, False))
        self._label_needs = widths
        self._label_width = min(max(widths), MAX_LABEL_WIDTH)
        for label, _ in labels:
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._size_labels(self._label_width)

    def _size_labels(self, width: int) -> None:
        labels = [row.label for row in self._rows.values() if row.label is not None]
        for label, needed in zip(labels, self._label_needs, strict=True):
            label.setWordWrap(needed > width)
            label.setFixedWidth(width)
        for row in self._rows.values():
            if row.spacer is not None:
                row.spacer.setFixedSize(width, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """Narrow labels (and rows wrapped under their labels) when the wide layout would
        scroll sideways; back to the wide layout once it fits again."""
        if not self._label_needs:
            return
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        if not self._narrow:
            needs = self._content.minimumSizeHint().width() + bar
            if self.width() >= needs:
                return
            self._wide_needs = needs
        elif self.width() < self._wide_needs:
            return
        self._narrow = not self._narrow
        narrow_width = self.fontMetrics().horizontalAdvance("字" * NARROW_LABEL_CHARS)
        width = min(self._label_width, narrow_width) if self._narrow else self._label_width
        wrap = QFormLayout.RowWrapPolicy
        for form in self._sections:
            form.setRowWrapPolicy(wrap.WrapLongRows if self._narrow else wrap.DontWrapRows)
        self._size_labels(width)
        content = self._content.layout()
        if content is not None:  # now, not on a later pass: no sideways scroll bar meanwhile
            for form in self._sections:  # inside out: each box's new size reaches its parent
                form.activate()
            content.activate()
            self._scroll.setWidgetResizable(True)  # fits the content to the view again

    def is_narrow(self) -> bool:
        """Whether the labels are narrowed to fit a narrow form (see :meth:`_fit_width`)."""
        return self._narrow

    def _set_tab_order(self) -> None:
        for first, second in itertools.pairwise(self.focus_widgets()):
            QWidget.setTabOrder(first, second)

    # --- the API ----------------------------------------------------------------------------

    def value(self) -> dict[str, Any]:
        """The visible fields' values, empty ones left out (a check box is always a bool)."""
        data: dict[str, Any] = {}
        for key, row in self._rows.items():
            if row.visible:
                value = row.editor.value()
                if value is not None:
                    data[key] = value
        return data

    def set_value(self, data: Mapping[str, Any]) -> None:
        """Show ``data`` (a draft); fields it lacks are emptied. Emits ``changed`` once."""
        self._set_editors(data)
        self._checked = False
        for row in self._rows.values():
            self._show(row, None)
        self._refresh_states()
        self.id_autofill.loaded(self.value())  # a draft's ID number fills nothing by itself
        self.changed.emit()

    def reset(self) -> None:
        """Back to a blank form with the template's defaults. Emits ``changed`` once."""
        self.set_value({f.key: f.default for f in self.template.all_fields()})

    def check(self) -> FormCheck:
        """Run the full check and show every problem (and warning) beside its field."""
        self._checked = True
        data = self.value()
        result = check_form(self.template, data, self._check_code)
        for key, row in self._rows.items():
            shown = (
                from_check(row.spec, data.get(key), result, self._check_code)
                if row.visible
                else None
            )
            self._show(row, shown)
        return result

    def focus_first_problem(self) -> bool:
        for row in self._rows.values():
            if row.visible and row.message is not None and row.message.severity == ERROR:
                widget = row.editor.part_widget(row.message.part)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                self._scroll.ensureWidgetVisible(widget, 40, 60)
                return True
        return False

    def focus_widgets(self) -> list[QWidget]:
        """Every widget the clerk can tab to, in form order (hidden ones included), for a desk
        that chains its own tab order on after the form."""
        return [w for row in self._rows.values() for w in row.editor.focus_widgets()]

    def editor(self, key: str) -> QWidget:
        return self._rows[key].editor.widget

    def is_shown(self, key: str) -> bool:
        return self._rows[key].visible

    def problem_text(self, key: str) -> str:
        message = self._rows[key].message
        return message.text if message is not None else ""

    def problem_severity(self, key: str) -> str:
        """ "error", "warning", or "" when nothing is shown for the field."""
        message = self._rows[key].message
        return message.severity if message is not None else ""

    def is_required(self, key: str) -> bool:
        """Whether the field is currently marked required (its * is shown)."""
        return self._rows[key].required

    def fill(self, values: Mapping[str, Any]) -> None:
        """Put ``values`` into their fields as if the clerk had typed them (an ID card read,
        an ID number's birth date): each field then is checked as on leaving it."""
        for key, value in values.items():
            self._rows[key].editor.set_value(value)  # edited → conditions, changed
        for key in values:
            self._validate(key)

    def attach_below(self, key: str, widget: QWidget) -> None:
        """Show ``widget`` right under field ``key``'s editor, above its help line (the 读卡
        strip under the applicant block); the field's own message still comes first."""
        cast(QVBoxLayout, self._rows[key].holder.layout()).insertWidget(1, widget)

    # --- reacting ---------------------------------------------------------------------------

    def _set_editors(self, data: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for key, row in self._rows.items():
                row.editor.set_value(data.get(key))
        finally:
            self._loading = False

    def _condition_data(self) -> dict[str, Any]:
        """Every editor's value, hidden ones too (field_states sees through visibility itself);
        decimals as numbers so that conditions compare them by value."""
        data: dict[str, Any] = {}
        for key, row in self._rows.items():
            value = row.editor.value()
            if value is not None and row.spec.type is FieldType.DECIMAL:
                value = decimal_or_none(value) or value
            data[key] = value
        return data

    def _refresh_states(self) -> None:
        states = self.template.field_states(self._condition_data())
        for key, row in self._rows.items():
            state = states[key]
            if state.visible != row.visible:
                row.visible = state.visible
                row.layout.setRowVisible(row.holder, state.visible)
                if not state.visible:
                    self._show(row, None)
            if state.required != row.required:
                row.required = state.required
                if row.label is not None:
                    row.label.setText(label_html(row.spec.label, state.required))
                if row.star is not None:
                    row.star.setVisible(state.required)
                for widget in row.editor.focus_widgets()[:1]:
                    widget.setAccessibleDescription("必填" if state.required else "")

    def _edited(self, key: str) -> None:
        if self._loading:
            return
        self._refresh_states()
        row = self._rows[key]
        if row.message is not None and row.message.severity == ERROR:
            found = self._message_for(row)  # cleared as soon as it is fixed
            if found is None or found.severity != ERROR:
                self._show(row, found)
        self.changed.emit()

    def _committed(self, key: str) -> None:
        if not self._loading:
            self._validate(key)

    def _validate(self, key: str) -> None:
        row = self._rows[key]
        if not row.visible:
            return
        row.editor.tidy()
        self._show(row, self._message_for(row))

    def _message_for(self, row: _Row) -> Message | None:
        return field_message(
            self.template, row.spec, self.value(), insist=self._checked, check_code=self._check_code
        )

    def _show(self, row: _Row, message: Message | None) -> None:
        if message == row.message:
            return
        row.message = message
        if message is None:
            if row.problem is not None:
                row.problem.hide()
            return
        column = cast(QVBoxLayout, row.holder.layout())
        if row.problem is None:
            row.problem = problem_label()
            row.problem.setObjectName(f"problem_{row.spec.key}")
        else:  # placed again: under the part it is about now (an applicant's ID, its phone…)
            column.removeWidget(row.problem)
            row.editor.take_problem(row.problem)
        if not row.editor.place_problem(row.problem, message.part):
            column.insertWidget(1, row.problem)
        show_problem(row.problem, message.severity, message.text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        key = self._owner.get(watched)
        if key is None:
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            reason = cast(QFocusEvent, event).reason()
            if reason != Qt.FocusReason.PopupFocusReason and not self._loading:
                self._validate(key)
        elif kind == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self._scroll.ensureWidgetVisible(watched, 40, 60)
        elif kind == QEvent.Type.KeyPress and isinstance(watched, QLineEdit | QComboBox):
            press = cast(QKeyEvent, event)
            plain = press.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if press.key() in _ENTER_KEYS and plain == Qt.KeyboardModifier.NoModifier:
                _focus_next(cast(QWidget, watched))
                return True
        return False


def _focus_next(widget: QWidget) -> None:
    """Move on as Tab would: the next visible, enabled widget that takes Tab focus."""
    candidate = widget.nextInFocusChain()
    for _ in range(10_000):
        if candidate is None or candidate is widget:
            return
        if (
            candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
            and candidate.isVisible()
            and candidate.isEnabled()
        ):
            candidate.setFocus(Qt.FocusReason.TabFocusReason)
            return
        candidate = candidate.nextInFocusChain()
