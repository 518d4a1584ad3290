"""The 审批台's inline input pages (no modal dialogs): the opinion, the decision, 补正 / 挂起,
延期, 终止 and 改派. Each page has its fields and one submit button (Ctrl+Enter)."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ui.desks.review.commands import Decision
from ui.widgets import line_edit

SUBMIT_KEY = "Ctrl+Return"


def action_button(text: str, name: str, shortcut: str | None = None, tip: str = "") -> QPushButton:
    """A button whose shortcut is shown in its text and tooltip."""
    button = QPushButton(f"{text}（{_key_text(shortcut)}）" if shortcut else text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
    button.setToolTip(f"{tip or text}（快捷键 {_key_text(shortcut)}）" if shortcut else tip or text)
    return button


def _key_text(shortcut: str | None) -> str:
    return (shortcut or "").replace("Return", "Enter")


def _text(name: str, accessible: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)
    return edit


def _days(name: str, accessible: str, default: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setAccessibleName(accessible)
    spin.setRange(1, 90)
    spin.setValue(default)
    spin.setSuffix(" 个工作日")
    spin.setMaximumWidth(160)
    return spin


def lines_of(edit: QPlainTextEdit) -> list[str]:
    """One entry per non-empty line (reasons, missing materials)."""
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class Page(QWidget):
    """A form with one submit button; ``first`` gets the focus when the page opens."""

    def __init__(self, name: str, submit_text: str, submit_name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.submit = action_button(submit_text, submit_name, SUBMIT_KEY)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(self.form)
        layout.addLayout(self.buttons)
        layout.addStretch(1)
        self.first: QWidget = self.submit

    def tab_order(self, *widgets: QWidget) -> None:
        """Tab goes through ``widgets`` in order, then to the submit button."""
        chain = [*widgets, self.submit]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def clear(self) -> None:
        for edit in self.findChildren(QLineEdit):
            if not isinstance(edit.parent(), QSpinBox):
                edit.clear()
        for text in self.findChildren(QPlainTextEdit):
            text.clear()


class OpinionPage(Page):
    def __init__(self) -> None:
        super().__init__("reviewOpinionPage", "记录意见", "reviewRecordOpinion")
        self.step = QLabel()
        self.step.setObjectName("reviewStep")
        self.step.setWordWrap(True)
        self.step.setTextFormat(Qt.TextFormat.RichText)
        self.opinion = _text("reviewOpinion", "审查意见", "填写本环节的审查意见")
        self.agree = QCheckBox("同意")
        self.agree.setObjectName("reviewAgree")
        self.agree.setAccessibleName("同意")
        self.agree.setChecked(True)
        self.form.addRow(self.step)
        self.form.addRow("审查意见：", self.opinion)
        self.record_next = action_button(
            "记录并转下一环节", "reviewRecordAndNext", "Ctrl+Shift+Return"
        )
        self.buttons.insertWidget(0, self.agree)
        self.buttons.insertWidget(2, self.record_next)
        self.first = self.opinion
        self.tab_order(self.opinion, self.agree, self.record_next)


class DecisionPage(Page):
    """Town decision (作出决定) or the county's result (录入县级结果, including 退回)."""

    def __init__(self) -> None:
        super().__init__("reviewDecisionPage", "确认办结", "reviewDecideSubmit")
        self.approve = QRadioButton("准予")
        self.deny = QRadioButton("不予")
        self.returned = QRadioButton("县级退回")
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for radio, name in (
            (self.approve, "reviewApprove"),
            (self.deny, "reviewDeny"),
            (self.returned, "reviewCountyReturned"),
        ):
            radio.setObjectName(name)
            radio.setAccessibleName(radio.text())
            group.addButton(radio)
            row.addWidget(radio)
        row.addStretch(1)
        self.approve.setChecked(True)
        self.result_no = line_edit("reviewResultNo", "结果文号", "准予时填写，如 民低保2026-0088")
        self.reasons = _text("reviewReasons", "理由", "不予或退回的理由，每行一条", 2)
        self.form.addRow("办理结果：", row)
        self.form.addRow("结果文号：", self.result_no)
        self.form.addRow("理由：", self.reasons)
        self.first = self.approve
        self.tab_order(self.approve, self.deny, self.returned, self.result_no, self.reasons)
        for radio in (self.approve, self.deny, self.returned):
            radio.toggled.connect(self._kind_changed)
        self._kind_changed()

    def set_county(self, county: bool) -> None:
        self.returned.setVisible(county)
        if not county and self.returned.isChecked():
            self.approve.setChecked(True)
        self.submit.setText(f"{'录入县级结果' if county else '确认办结'}（Ctrl+Enter）")
        self.submit.setAccessibleName("录入县级结果" if county else "确认办结")

    def _kind_changed(self) -> None:
        self.result_no.setEnabled(self.approve.isChecked())

    def decision(self) -> Decision:
        return Decision(
            approved=self.approve.isChecked(),
            result_no=self.result_no.text().strip() if self.approve.isChecked() else "",
            reasons=tuple(lines_of(self.reasons)),
            returned=self.returned.isChecked(),
        )


class SupplementPage(Page):
    """受理后补正: the missing materials (one a line) and how long the applicant needs."""

    def __init__(self) -> None:
        super().__init__("reviewSupplementPage", "通知补正并挂起", "reviewSupplementSubmit")
        self.missing = _text("reviewMissing", "需补正材料", "需补正的材料，每行一项", 3)
        self.days = _days("reviewSupplementDays", "预计补正时长", 10)
        self.form.addRow("需补正材料：", self.missing)
        self.form.addRow("预计时长：", self.days)
        self.first = self.missing
        self.tab_order(self.missing, self.days)


class SuspendPage(Page):
    def __init__(self) -> None:
        super().__init__("reviewSuspendPage", "确认挂起", "reviewSuspendSubmit")
        self.reason = line_edit("reviewSuspendReason", "挂起原因", "如：需组织听证、检验、鉴定")
        self.days = _days("reviewSuspendDays", "预计挂起时长", 5)
        self.form.addRow("挂起原因：", self.reason)
        self.form.addRow("预计时长：", self.days)
        self.first = self.reason
        self.tab_order(self.reason, self.days)


class ExtendPage(Page):
    def __init__(self) -> None:
        super().__init__("reviewExtendPage", "批准延期", "reviewExtendSubmit")
        self.days = _days("reviewExtendDays", "延长天数", 10)
        self.reason = line_edit("reviewExtendReason", "延期理由", "延期理由（将打印延期告知书）")
        self.form.addRow("延长：", self.days)
        self.form.addRow("延期理由：", self.reason)
        self.first = self.days
        self.tab_order(self.days, self.reason)


class TerminatePage(Page):
    def __init__(self) -> None:
        super().__init__("reviewTerminatePage", "终止办理…", "reviewTerminateSubmit")
        self.reason = line_edit("reviewTerminateReason", "终止原因", "如：容缺材料逾期未补交")
        self.form.addRow("终止原因：", self.reason)
        self.first = self.reason
        self.tab_order(self.reason)


class ReassignPage(Page):
    def __init__(self) -> None:
        super().__init__("reviewReassignPage", "确认改派", "reviewReassignSubmit")
        self.assignee = QComboBox()
        self.assignee.setObjectName("reviewAssignee")
        self.assignee.setAccessibleName("新承办人")
        self.form.addRow("新承办人：", self.assignee)
        self.first = self.assignee
        self.tab_order(self.assignee)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        current = self.assignee.currentData()
        self.assignee.clear()
        for user_id, name in choices:
            self.assignee.addItem(name, user_id)
        index = self.assignee.findData(current)
        self.assignee.setCurrentIndex(max(index, 0))
