"""The form for a 差评整改 task's next step: 核实 (属实 / 不属实 and a note), 整改 (a note),
回访 (the outcome and a note; an anonymous 差评 may be closed without one), 办结 (a note). Only
the step the task's state allows is offered; a refused step is said here, in the form."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.evaluations.levels import MAX_TEXT
from app.evaluations.rectification import CALL_BACK_LABELS, CallBackOutcome, Step, TaskState
from app.evaluations.service import TaskView

#: The step each open state waits for.
NEXT_STEP: dict[TaskState, Step] = {
    TaskState.TO_VERIFY: Step.VERIFY,
    TaskState.TO_RECTIFY: Step.RECTIFY,
    TaskState.TO_CALL_BACK: Step.CALL_BACK,
    TaskState.TO_CLOSE: Step.CLOSE,
}
NOTE_HINTS: dict[Step, str] = {
    Step.VERIFY: "核实经过：调阅记录、询问窗口人员等，情况是否属实",
    Step.RECTIFY: "整改措施：对窗口人员的批评教育、流程或指南的改进等",
    Step.CALL_BACK: "回访情况：回访时间、电话、群众的意见",
    Step.CLOSE: "办结说明",
}
SUBMIT_KEY = "Ctrl+Return"


@dataclass(frozen=True)
class StepInput:
    """What the supervisor entered for one step."""

    step: Step
    note: str
    founded: bool | None = None
    outcome: CallBackOutcome | None = None


class StepForm(QWidget):
    """``taken(StepInput)`` when the supervisor submits the step shown."""

    taken = Signal(object)  # StepInput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rectifyStepForm")
        self.setAccessibleName("整改办理")
        self.task: TaskView | None = None
        self.step: Step | None = None

        self.heading = QLabel()
        self.heading.setObjectName("rectifyStepHeading")
        self.heading.setWordWrap(True)
        self.founded = QRadioButton("属实")
        self.founded.setObjectName("rectifyFounded")
        self.unfounded = QRadioButton("不属实")
        self.unfounded.setObjectName("rectifyUnfounded")
        self.finding = QButtonGroup(self)
        self.finding.addButton(self.founded)
        self.finding.addButton(self.unfounded)
        self.finding_row = QWidget()
        finding = QHBoxLayout(self.finding_row)
        finding.setContentsMargins(0, 0, 0, 0)
        finding.addWidget(self.founded)
        finding.addWidget(self.unfounded)
        finding.addStretch(1)
        self.outcome = QComboBox()
        self.outcome.setObjectName("rectifyOutcome")
        self.outcome.setAccessibleName("回访结果")
        self.outcome.addItem("请选择回访结果", None)
        for value, label in CALL_BACK_LABELS.items():
            self.outcome.addItem(label, value)
        self.note = QPlainTextEdit()
        self.note.setObjectName("rectifyNote")
        self.note.setAccessibleName("办理说明")
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 14)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("核实结论：", self.finding_row)
        self.form.addRow("回访结果：", self.outcome)
        self.form.addRow("办理说明：", self.note)

        self.submit = QPushButton()
        self.submit.setObjectName("rectifySubmit")
        self.submit.setProperty("primary", True)
        self.submit.setToolTip("提交（Ctrl+Enter）")
        self.submit.clicked.connect(self._submit)
        self.close_anonymous = QPushButton("直接办结（匿名差评无需回访）")
        self.close_anonymous.setObjectName("rectifyCloseAnonymous")
        self.close_anonymous.clicked.connect(self._close_anonymous)
        self.message = QLabel()
        self.message.setObjectName("rectifyMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e;")
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_anonymous)
        buttons.addStretch(1)
        buttons.addWidget(self.submit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        shortcut = QShortcut(QKeySequence(SUBMIT_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._submit)
        self.show_task(None)

    # --- what is shown --------------------------------------------------------------------

    def show_task(self, task: TaskView | None) -> None:
        """The form for ``task``'s next step, emptied (None: no task chosen)."""
        self.task = task
        self.step = NEXT_STEP.get(task.task_state) if task is not None else None
        self.finding.setExclusive(False)
        for button in (self.founded, self.unfounded):
            button.setChecked(False)
        self.finding.setExclusive(True)
        self.outcome.setCurrentIndex(0)
        self.note.clear()
        self.clear_message()
        step = self.step
        shown = step is not None
        for row, wanted in ((self.finding_row, Step.VERIFY), (self.outcome, Step.CALL_BACK)):
            self.form.setRowVisible(row, step is wanted)
        self.form.setRowVisible(self.note, shown)
        self.submit.setVisible(shown)
        anonymous = task is not None and task.anonymous
        self.close_anonymous.setVisible(step is Step.CALL_BACK and anonymous)
        if task is None:
            self.heading.setText("请在左侧选择一件差评整改任务。")
        elif step is None:
            self.heading.setText(f"该任务{task.task_state.label}。")
        else:
            self.heading.setText(f"<b>下一步：{step.label}</b>（当前：{task.task_state.label}）")
            self.submit.setText(f"提交{step.label}" if step is not Step.CLOSE else "办结")
            self.submit.setAccessibleName(self.submit.text())
            self.note.setPlaceholderText(f"{NOTE_HINTS[step]}（必填，最多 {MAX_TEXT} 字）")
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        for button in (self.submit, self.close_anonymous):
            button.setEnabled(not busy and self.step is not None)

    def say(self, text: str) -> None:
        """A refused step, in Chinese; what was entered stays."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def clear_message(self) -> None:
        self.say("")

    # --- submitting -----------------------------------------------------------------------

    def _submit(self) -> None:
        if self.step is None or not self.submit.isEnabled():
            return
        founded: bool | None = None
        if self.step is Step.VERIFY:
            if not (self.founded.isChecked() or self.unfounded.isChecked()):
                self.say("核实结论：请选择属实或不属实。")
                self.founded.setFocus()
                return
            founded = self.founded.isChecked()
        outcome: CallBackOutcome | None = None
        if self.step is Step.CALL_BACK:
            chosen = self.outcome.currentData()  # the item's data comes back as a plain str
            outcome = CallBackOutcome(chosen) if chosen else None
            if outcome is None:
                self.say("回访结果：请选择回访结果。")
                self.outcome.setFocus()
                return
        self._send(StepInput(self.step, self.note.toPlainText(), founded, outcome))

    def _close_anonymous(self) -> None:
        if self.step is Step.CALL_BACK:
            self._send(StepInput(Step.CLOSE, self.note.toPlainText()))

    def _send(self, entered: StepInput) -> None:
        self.clear_message()
        self.set_busy(True)
        self.taken.emit(entered)
