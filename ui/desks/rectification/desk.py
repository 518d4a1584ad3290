"""差评整改 (the supervisor): every 差评's rectification task not yet closed, overdue ones first
and marked 已超期; the chosen one's details — what the resident said, the steps so far — and
the form for its next step (核实 → 整改 → 回访 → 办结). The tab says how many are overdue
(「差评整改（2 件超期）」), so the alert is seen from any desk."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, ValidationError
from app.evaluations.rectification import Step
from app.evaluations.service import (
    StepView,
    TaskDetail,
    TaskView,
    open_tasks,
    take_step,
    task_detail,
)
from app.workflow.fold import CHINA_TZ
from ui.desk_base import Desk, DeskEnv
from ui.desks.rectification.step_form import StepForm, StepInput
from ui.scroll import scrolled
from ui.widgets import fill_table, push_button, readonly_table

TITLE = "差评整改"
HEADERS = ("状态", "整改期限", "收件号", "事项", "评价", "原因", "窗口人员")
STEP_HEADERS = ("步骤", "时间", "办理人", "结论", "说明")
OVERDUE = QColor("#b3261e")
BAD_COLOUR = "#b3261e"


def tab_title(overdue: int) -> str:
    return f"{TITLE}（{overdue} 件超期）" if overdue else TITLE


def _day(task: TaskView) -> str:
    return f"{task.task_due:%Y-%m-%d}" if task.task_due else "—"


def _state(task: TaskView) -> str:
    return f"已超期 · {task.state_label}" if task.overdue else task.state_label


def _row(task: TaskView) -> tuple[str, ...]:
    return (
        _state(task),
        _day(task),
        task.receipt_no or "（本机无此办件）",
        task.item_name or "—",
        task.level_label,
        "、".join(task.reasons) or "—",
        task.staff or "—",
    )


def _conclusion(step: StepView) -> str:
    if step.founded is not None:
        return "属实" if step.founded else "不属实"
    if step.outcome is not None:
        return step.outcome.label
    return ""


def detail_html(task: TaskView) -> str:
    """The 差评 as the supervisor reads it: what was rated, how, and the resident's own words."""
    e = html.escape
    when = f"{task.assessed_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"
    due = e(_day(task))
    if task.overdue:
        due = f"<span style='color:{BAD_COLOUR}'><b>{due}（已超期）</b></span>"
    words = e(task.text) if task.text else "<span style='color:#666'>（未填写文字意见）</span>"
    if task.anonymous:
        resident = "匿名（不需要回访）"
    else:
        phone = f"，联系电话 {e(task.applicant_phone)}" if task.applicant_phone else ""
        resident = f"{e(task.applicant_name or '—')}{phone}（实名，须回访）"
    number = e(task.receipt_no or "（本机无此办件）")
    # Short facts two to a line; the resident's reasons and words each a whole line.
    rows: list[tuple[tuple[str, str], ...]] = [
        (
            ("收件号", f"<span style='white-space:nowrap'>{number}</span>"),
            ("办理事项", e(task.item_name or "—")),
        ),
        (
            ("评价", f"<b style='color:{BAD_COLOUR}'>{e(task.level_label)}</b>　{when}"),
            ("评价的服务", f"{e(task.service.label)}（{e(task.channel.label)}）"),
        ),
        (("原因", e("、".join(task.reasons) or "—")),),
        (("群众的意见", f"<b>{words}</b>"),),
        (("评价人", resident),),
        (("窗口人员", e(task.staff or "—")), ("整改期限", due)),
        (("当前状态", e(task.state_label)),),
    ]
    key = "<td style='color:#555; padding-right:10px'>{}</td>"
    lines = []
    for pairs in rows:
        if len(pairs) == 1:
            ((k, v),) = pairs
            lines.append(f"<tr>{key.format(k)}<td colspan='3'>{v}</td></tr>")
        else:
            cells = "".join(
                f"{key.format(k)}<td style='padding-right:24px'>{v}</td>" for k, v in pairs
            )
            lines.append(f"<tr>{cells}</tr>")
    cells = "".join(lines)
    return f"<table>{cells}</table>"


class RectificationDesk(Desk):
    title = TITLE
    object_name = "rectificationDesk"

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(env, parent)
        self.tasks: list[TaskView] = []
        self.chosen: int | None = None  # the evaluation id of the task shown
        self.detail: TaskDetail | None = None
        self.overdue = 0
        self._token = 0

        self.summary = QLabel()
        self.summary.setObjectName("rectifySummary")
        refresh = push_button("刷新", "rectifyRefresh", tip="重新读取整改任务")
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addSpacing(24)
        top.addWidget(self.notice, 1)  # the last step's outcome, on the same line
        top.addWidget(refresh)

        self.table = readonly_table("rectifyTasks", HEADERS, "差评整改任务", stretch=5, single=True)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.info = QLabel()
        self.info.setObjectName("rectifyDetail")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.steps = readonly_table("rectifySteps", STEP_HEADERS, "已办理的整改步骤")
        self.steps.setMinimumHeight(96)
        self.form = StepForm()
        self.form.taken.connect(self._take)
        detail_box = QGroupBox("差评详情")
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.addWidget(self.info)
        steps_box = QGroupBox("已办理步骤")
        QVBoxLayout(steps_box).addWidget(self.steps)
        # It takes what room is left and asks for none: the pane scrolls only when the detail
        # and the form themselves do not fit.
        steps_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        steps_box.setMinimumHeight(150)
        form_box = QGroupBox("办理")
        QVBoxLayout(form_box).addWidget(self.form)
        right = QWidget()
        right.setObjectName("rectifyRight")
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        # The form before the steps so far: on a short screen the list of steps gives way.
        right_layout.addWidget(detail_box)
        right_layout.addWidget(form_box)
        right_layout.addWidget(steps_box, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("rectifySplit")
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(scrolled(right, "rectifyRightScroll"))
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setSizes([700, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.refresh()  # the tab's overdue count at sign-in, before the desk is opened

    # --- reading --------------------------------------------------------------------------

    def activate(self) -> None:
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.run(open_tasks, today=backend.today()),
            self._listed,
            self.failed,
            owner=self,
        )

    def _listed(self, tasks: list[TaskView]) -> None:
        # Overdue first (the list comes most urgent first within each).
        self.tasks = [t for t in tasks if t.overdue] + [t for t in tasks if not t.overdue]
        self.overdue = sum(1 for t in tasks if t.overdue)
        self._retitle()
        text = f"未办结差评 {len(tasks)} 件"
        if self.overdue:
            text += f"，<b style='color:{BAD_COLOUR}'>其中已超期 {self.overdue} 件</b>"
        self.summary.setText(text if tasks else "没有待办的差评整改任务。")
        chosen = self.chosen
        self.table.blockSignals(True)
        fill_table(self.table, [_row(t) for t in self.tasks])
        for r, task in enumerate(self.tasks):
            reasons = self.table.item(r, HEADERS.index("原因"))
            if reasons is not None:
                reasons.setToolTip(reasons.text())  # whole, where the column elides it
            if task.overdue:
                for c in range(self.table.columnCount()):
                    item = self.table.item(r, c)
                    if item is not None:
                        item.setForeground(QBrush(OVERDUE))
        self.table.blockSignals(False)
        ids = [t.evaluation_id for t in self.tasks]
        if chosen in ids:
            self.table.selectRow(ids.index(chosen))
            self._load(chosen, keep_form=True)
        elif ids:
            self.table.selectRow(0)  # the most urgent one, ready to work on
        else:
            self._show(None)

    def _retitle(self) -> None:
        """The tab's title says how many tasks are overdue, in red while any is."""
        text = tab_title(self.overdue)
        self.setAccessibleName(text)
        tabs = self._tabs()
        if tabs is not None:
            index = tabs.indexOf(self)
            tabs.setTabText(index, text)
            tabs.tabBar().setTabTextColor(index, OVERDUE if self.overdue else QColor())
            tabs.setTabToolTip(
                index, f"已超期的差评整改任务 {self.overdue} 件" if self.overdue else ""
            )

    def _tabs(self) -> QTabWidget | None:
        w = self.parentWidget()
        while w is not None and not isinstance(w, QTabWidget):
            w = w.parentWidget()
        return w

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.tasks):
            return
        task = self.tasks[rows[0].row()]
        if task.evaluation_id != self.chosen:
            self._load(task.evaluation_id)

    def _load(self, evaluation_id: int, *, keep_form: bool = False) -> None:
        self.chosen = evaluation_id
        self._token += 1
        token = self._token
        backend = self.env.backend
        self.env.runner.read(
            lambda: backend.run(task_detail, evaluation_id, today=backend.today()),
            lambda found: self._detail_read(token, found, keep_form),
            self.failed,
            owner=self,
        )

    def _detail_read(self, token: int, found: TaskDetail, keep_form: bool) -> None:
        if token != self._token:
            return  # another task was chosen meanwhile
        same_step = (
            keep_form
            and self.detail is not None
            and self.detail.task.task_state is found.task.task_state
        )
        self._show(found, keep_form=same_step)

    def _show(self, found: TaskDetail | None, *, keep_form: bool = False) -> None:
        self.detail = found
        if found is None:
            self.chosen = None
            self.info.setText("请在左侧选择一件差评整改任务。")
            fill_table(self.steps, [])
            self.form.show_task(None)
            return
        self.info.setText(detail_html(found.task))
        fill_table(
            self.steps,
            [
                (
                    s.label,
                    f"{s.taken_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}",
                    s.actor,
                    _conclusion(s),
                    s.note,
                )
                for s in found.steps
            ],
        )
        if not keep_form:
            self.form.show_task(found.task)

    # --- writing --------------------------------------------------------------------------

    def _take(self, entered: StepInput) -> None:
        if self.detail is None:
            self.form.set_busy(False)
            return
        task = self.detail.task
        backend = self.env.backend
        evaluation_id = task.evaluation_id

        def step() -> str:
            after = backend.run(
                take_step,
                evaluation_id,
                entered.step,
                entered.note,
                founded=entered.founded,
                outcome=entered.outcome,
                now=backend.ctx.clock(),
            )
            return _taken_text(task, entered, after.label)

        self.env.runner.write(step, self._taken, self._refused, owner=self, changes_cases=False)

    def _taken(self, text: str) -> None:
        self.say(text)
        self.detail = None  # read again: the form shows the next step
        self.refresh()

    def _refused(self, error: AppError) -> None:
        """Nothing was written: the reason in the form, what was typed kept."""
        self.form.set_busy(False)
        if isinstance(error, ValidationError) and error.field not in error.message:
            self.form.say(f"{error.field}：{error.message}")
        else:
            self.form.say(str(error))


def _taken_text(task: TaskView, entered: StepInput, state: str) -> str:
    number = task.receipt_no or task.item_name
    if entered.step is Step.VERIFY:
        finding = "属实" if entered.founded else "不属实"
        return f"{number} 的差评已核实（{finding}），现{state}。"
    if entered.step is Step.CALL_BACK and entered.outcome is not None:
        return f"{number} 的差评已回访（{entered.outcome.label}），现{state}。"
    return f"{number} 的差评已{entered.step.label}，现{state}。"
