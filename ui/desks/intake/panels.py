"""The three decisions that need more than a click, as inline panels under the materials list:
容缺受理 (due date + the applicant's signed promise), 一次性告知 (every missing material with
what to bring) and 不予受理 (reasons, and the competent organ). Each panel checks its own input
and hands back a :class:`Decision`, or the sentence saying what is missing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.catalog.schema import Material
from app.intake.window import Decision, Kind
from ui.form import MaterialsChecklist

CONFIRM_KEYS = "Ctrl+Enter"
MATERIALS_TITLE = "办理材料"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def default_note(material: Material) -> str:
    """What to bring, for the clerk to edit (e.g. what is wrong with what was brought)."""
    return f"未提交，请补交{material.form.label}{material.copies}份"


class DecisionPanel(QGroupBox):
    """A titled box with 确认 and 取消; ``decision()`` returns a Decision or an error text."""

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, name: str, title: str, confirm_text: str) -> None:
        super().__init__(title)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.body = QFormLayout()
        self.body.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.confirm = QPushButton(f"{confirm_text}（{CONFIRM_KEYS}）")
        self.confirm.setObjectName(f"{name}Confirm")
        self.confirm.setAccessibleName(confirm_text)
        self.confirm.setToolTip(f"快捷键 {CONFIRM_KEYS}")
        self.confirm.clicked.connect(self.confirmed)
        self.cancel = QPushButton("取消（Esc）")
        self.cancel.setObjectName(f"{name}Cancel")
        self.cancel.setAccessibleName("取消")
        self.cancel.clicked.connect(self.cancelled)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.addLayout(self.body)
        layout.addLayout(buttons)

    def decision(self) -> Decision | str:
        raise NotImplementedError

    def first_input(self) -> QWidget:
        return self.confirm

    @staticmethod
    def moves_on(edit: QLineEdit) -> None:
        """Enter in a line moves on, as in the form."""
        edit.returnPressed.connect(lambda: edit.focusNextChild())


class DeficiencyPanel(DecisionPanel):
    def __init__(self) -> None:
        super().__init__("deficiencyPanel", "容缺受理", "确认容缺受理")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("deficiencyMaterials")
        self.pending_label.setWordWrap(True)
        self.due = QDateEdit()
        self.due.setObjectName("deficiencyDue")
        self.due.setAccessibleName("容缺材料补交期限")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMaximumWidth(160)
        self.limit_label = QLabel()
        self.limit_label.setObjectName("deficiencyLimit")
        self.commitment = QCheckBox("申请人已签署《容缺受理承诺书》")
        self.commitment.setObjectName("deficiencyCommitment")
        self.commitment.setAccessibleName("申请人已签署容缺受理承诺书")
        self.body.addRow("容缺材料", self.pending_label)
        due_line = QHBoxLayout()
        due_line.addWidget(self.due)
        due_line.addWidget(self.limit_label, 1)
        self.body.addRow("补交期限", due_line)
        self.body.addRow("", self.commitment)
        self._pending: list[Material] = []
        self._today = dt.date.min
        self._latest = dt.date.max

    def open(self, pending: list[Material], due: dt.date, latest: dt.date, today: dt.date) -> None:
        self._pending, self._today, self._latest = pending, today, latest
        self.pending_label.setText("、".join(m.name for m in pending))
        self.due.setDateRange(_qdate(today + dt.timedelta(days=1)), _qdate(latest))
        self.due.setDate(_qdate(due))
        self.limit_label.setText(f"不晚于承诺办结日 {latest:%Y-%m-%d}")
        self.commitment.setChecked(False)

    def first_input(self) -> QWidget:
        return self.due

    def decision(self) -> Decision | str:
        due = _pydate(self.due.date())
        if not self._today < due <= self._latest:
            return f"补交期限须在今天之后、不晚于承诺办结日 {self._latest:%Y-%m-%d}。"
        if not self.commitment.isChecked():
            return "容缺受理须由申请人签署《容缺受理承诺书》，请勾选确认。"
        return Decision(
            Kind.DEFICIENCY,
            pending=tuple(m.id for m in self._pending),
            due=due,
            commitment=True,
        )


class SupplementPanel(DecisionPanel):
    def __init__(self) -> None:
        super().__init__("supplementPanel", "一次性告知（需补正的材料）", "出具一次性告知")
        self.intro = QLabel("以下材料需补正，可修改每项的补正要求：")
        self.intro.setWordWrap(True)
        self.body.addRow(self.intro)
        self._notes: list[tuple[Material, QLineEdit]] = []

    def open(self, missing: list[Material]) -> None:
        for _, edit in self._notes:
            self.body.removeRow(edit)
        self._notes = []
        for m in missing:
            edit = QLineEdit(default_note(m))
            edit.setObjectName(f"supplementNote_{m.id}")
            edit.setAccessibleName(f"{m.name}补正要求")
            edit.setToolTip(m.name)
            edit.setCursorPosition(0)
            self.moves_on(edit)
            label = QLabel(m.name)
            label.setWordWrap(True)
            label.setMaximumWidth(190)
            label.setToolTip(m.name)
            self.body.addRow(label, edit)
            self._notes.append((m, edit))

    def first_input(self) -> QWidget:
        return self._notes[0][1] if self._notes else self.confirm

    def note(self, key: str) -> QLineEdit:
        return next(edit for m, edit in self._notes if m.id == key)

    def decision(self) -> Decision | str:
        if not self._notes:
            return "没有需补正的材料。"
        empty = [m.name for m, edit in self._notes if not edit.text().strip()]
        if empty:
            return f"请写明补正要求：{'、'.join(empty)}。"
        missing = tuple(
            {"key": m.id, "name": m.name, "how": edit.text().strip()} for m, edit in self._notes
        )
        return Decision(Kind.SUPPLEMENT, missing=missing)


class RefusePanel(DecisionPanel):
    def __init__(self) -> None:
        super().__init__("refusePanel", "不予受理", "确认不予受理")
        self.reasons = QPlainTextEdit()
        self.reasons.setObjectName("refuseReasons")
        self.reasons.setAccessibleName("不予受理理由")
        self.reasons.setPlaceholderText("每行一条理由，例如：申请人户籍不在本镇")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setMaximumHeight(90)
        self.organ = QLineEdit()
        self.organ.setObjectName("refuseOrgan")
        self.organ.setAccessibleName("有权受理的机关")
        self.organ.setPlaceholderText("不属于本中心受理的，写明应向哪个机关申请（可不填）")
        self.moves_on(self.organ)
        self.body.addRow("不予受理理由", self.reasons)
        self.body.addRow("有权受理机关", self.organ)

    def open(self) -> None:
        self.reasons.clear()
        self.organ.clear()

    def first_input(self) -> QWidget:
        return self.reasons

    def decision(self) -> Decision | str:
        reasons = tuple(
            line.strip() for line in self.reasons.toPlainText().splitlines() if line.strip()
        )
        if not reasons:
            return "请填写不予受理理由（每行一条）。"
        return Decision(Kind.REFUSE, reasons=reasons, competent_organ=self.organ.text().strip())


class _ColumnLayout(QVBoxLayout):
    """The column's layout, telling the scroll area around the column (the workspace's) no
    height for its width: the area then gives the column the whole view, or its minimum and a
    scroll bar when the view is lower — not the height of every material's row (the list
    scrolls on its own) with a second scroll bar around it."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return False


class MaterialsColumn(QWidget):
    """The right-hand column: the materials checklist, and below it the open decision panel.

    ``decided`` carries the open panel's Decision, or the sentence saying what is missing.
    """

    decided = Signal(object)  # Decision | str

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("intakeRight")
        self.title = title = QLabel(MATERIALS_TITLE)
        title.setObjectName("materialsTitle")
        title.setWordWrap(True)
        bold = QFont(title.font())
        bold.setBold(True)
        title.setFont(bold)
        self.materials_scroll = QScrollArea()
        self.materials_scroll.setObjectName("materialsScroll")
        self.materials_scroll.setWidgetResizable(True)
        self.deficiency = DeficiencyPanel()
        self.supplement = SupplementPanel()
        self.refuse = RefusePanel()
        self.panels: tuple[DecisionPanel, ...] = (self.deficiency, self.supplement, self.refuse)
        column = _ColumnLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addWidget(self.materials_scroll, 1)
        for panel in self.panels:
            panel.hide()
            panel.confirmed.connect(self.confirm)
            panel.cancelled.connect(self.close_panels)
            column.addWidget(panel)
            escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), panel)
            escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            escape.activated.connect(self.close_panels)

    def show_checklist(self, checklist: QWidget | None) -> None:
        """Put ``checklist`` in the column (None: empty it); the old one is the caller's."""
        self.close_panels()
        self.materials_scroll.takeWidget()
        self.title.setText(MATERIALS_TITLE)
        if isinstance(checklist, MaterialsChecklist):
            checklist.changed.connect(lambda: self._count_missing(checklist))
            self._count_missing(checklist)
        if checklist is not None:
            self.materials_scroll.setWidget(checklist)
            checklist.show()

    def _count_missing(self, checklist: MaterialsChecklist) -> None:
        """The title says how many required materials are missing: it stays in sight when the
        list itself is scrolled, or squeezed under the form on a narrow screen."""
        if self.materials_scroll.widget() not in (checklist, None):
            return  # an old list, already replaced
        missing = len(checklist.missing_required())
        self.title.setText(
            f"{MATERIALS_TITLE}（缺必交材料 {missing} 项）"
            if missing
            else f"{MATERIALS_TITLE}（必交材料已齐全）"
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """With the open panel's wrapped lines at this width: the scroll area around the
        column gives it at least that (see ``_ColumnLayout``), nothing is squeezed."""
        hint = super().minimumSizeHint()
        panel = self.open_panel()
        if panel is not None and panel.hasHeightForWidth():
            extra = panel.heightForWidth(self.width()) - panel.minimumSizeHint().height()
            hint.setHeight(hint.height() + max(extra, 0))
        return hint

    def open_panel(self) -> DecisionPanel | None:
        return next((p for p in self.panels if p.isVisible()), None)

    def show_panel(self, panel: DecisionPanel) -> None:
        for other in self.panels:
            other.setVisible(other is panel)

    def close_panels(self) -> None:
        for panel in self.panels:
            panel.hide()

    def confirm(self) -> None:
        panel = self.open_panel()
        if panel is not None:
            self.decided.emit(panel.decision())
