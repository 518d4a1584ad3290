"""The materials checklist (材料清单): tick what the applicant handed over, and how many copies.

One row per material of the item: a check box (``material_<id>``), the name (click it to tick)
with its conditions in grey, whether it is 必交 / 视情形 / 可容缺, its form, and a copies box
(``material_<id>_copies``). A summary line says what is still missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.cases.intake import MaterialIn
from app.catalog.schema import Material
from ui.form.style import ERROR, WARNING, help_label, palettes

MAX_COPIES = 99


class _NameLabel(QLabel):
    """The material's name; clicking it ticks the box as clicking the box's text would."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self._box.toggle()
        super().mouseReleaseEvent(event)


def _requirement(material: Material) -> str:
    if not material.required:
        return "视情形"
    return "必交（可容缺）" if material.deficiency_allowed else "必交"


class MaterialsChecklist(QWidget):
    changed = Signal()

    def __init__(self, materials: Sequence[Material], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("materialsChecklist")
        self.setAccessibleName("材料清单")
        self.materials = list(materials)
        self._boxes: dict[str, QCheckBox] = {}
        self._copies: dict[str, QSpinBox] = {}
        self._loading = False

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        for column, title in enumerate(("", "材料名称", "要求", "形式", "份数")):
            header = QLabel(f"<b>{title}</b>" if title else "")
            grid.addWidget(header, 0, column)
        for index, material in enumerate(self.materials, start=1):
            self._add_row(grid, index, material)
        grid.setColumnStretch(1, 1)

        self.summary = QLabel()
        self.summary.setObjectName("materialsSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self._update_summary()

    def _add_row(self, grid: QGridLayout, row: int, material: Material) -> None:
        box = QCheckBox()
        box.setObjectName(f"material_{material.id}")
        box.setAccessibleName(material.name)
        box.toggled.connect(self._changed)
        name = QWidget()
        lines = QVBoxLayout(name)
        lines.setContentsMargins(0, 0, 0, 0)
        lines.setSpacing(0)
        lines.addWidget(_NameLabel(material.name, box))
        when = f"{material.required_when}时提交" if material.required_when else ""
        note = "；".join(n for n in (when, material.notes) if n)
        if note:
            lines.addWidget(help_label(note))
            name.setToolTip(note)
        lines.addStretch(1)  # keep the name level with its box when the row is taller
        requirement = QLabel(_requirement(material))
        if not material.required:
            requirement.setPalette(palettes()["help"])
        elif material.deficiency_allowed:
            requirement.setPalette(palettes()[WARNING])
        copies = QSpinBox()
        copies.setObjectName(f"material_{material.id}_copies")
        copies.setAccessibleName(f"{material.name}份数")
        copies.setRange(1, MAX_COPIES)
        copies.setValue(material.copies)
        copies.setSuffix(" 份")
        copies.valueChanged.connect(self._changed)
        self._boxes[material.id] = box
        self._copies[material.id] = copies
        grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(name, row, 1)
        grid.addWidget(requirement, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(QLabel(material.form.label), row, 3, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(copies, row, 4, Qt.AlignmentFlag.AlignTop)

    # --- the API ----------------------------------------------------------------------------

    def received(self) -> list[MaterialIn]:
        """The ticked materials, in list order, with their copies."""
        return [
            MaterialIn(m.id, self._copies[m.id].value())
            for m in self.materials
            if self._boxes[m.id].isChecked()
        ]

    def missing_required(self) -> list[Material]:
        return [m for m in self.materials if m.required and not self._boxes[m.id].isChecked()]

    def set_received(self, received: Mapping[str, int]) -> None:
        """Tick exactly the materials in ``received`` (key → copies). Emits ``changed`` once."""
        self._loading = True
        try:
            for material in self.materials:
                copies = received.get(material.id)
                self._boxes[material.id].setChecked(copies is not None)
                self._copies[material.id].setValue(copies if copies else material.copies)
        finally:
            self._loading = False
        self._changed()

    def set_checked(self, key: str, checked: bool) -> None:
        self._boxes[key].setChecked(checked)

    def checkbox(self, key: str) -> QCheckBox:
        return self._boxes[key]

    def copies_box(self, key: str) -> QSpinBox:
        return self._copies[key]

    # --- reacting ---------------------------------------------------------------------------

    def _changed(self) -> None:
        if self._loading:
            return
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        missing = self.missing_required()
        got = sum(1 for box in self._boxes.values() if box.isChecked())
        text = f"已收 {got} 项，共 {len(self.materials)} 项"
        if missing:
            deferrable = [m for m in missing if m.deficiency_allowed]
            text += f"；缺必交材料 {len(missing)} 项"
            if deferrable:
                text += f"（其中 {len(deferrable)} 项可容缺受理）"
            self.summary.setPalette(palettes()[ERROR])
        else:
            text += "；必交材料已齐全"
            self.summary.setPalette(self.palette())
        self.summary.setText(text)
