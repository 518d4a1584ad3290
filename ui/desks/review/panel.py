"""The 审批台's action panel: the review step line, one button per action (enabled only when
the case's state and the user's roles allow it) and the inline input pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.cases.case_view import CaseView, ReviewProgress
from app.workflow.states import Action, CaseState
from ui.desks.review.pages import (
    DecisionPage,
    ExtendPage,
    OpinionPage,
    Page,
    ReassignPage,
    SupplementPage,
    SuspendPage,
    TerminatePage,
    action_button,
)


def progress_html(progress: ReviewProgress | None) -> str:
    """环节 ① → ② → ③ → 县级, the current one bold, with whether its opinion is in."""
    if progress is None or not progress.steps:
        return "本事项没有乡镇审查环节。"
    parts = []
    for index, name in enumerate(progress.steps):
        text = f"{index + 1}. {name}"
        if index == progress.current:
            done = "，意见已填写" if progress.opinion_recorded else ""
            role = progress.step_roles[index]
            text = f"<b>▶ {text}（{role}{done}）</b>"
        parts.append(text)
    if progress.county:
        parts.append("县级审批")
    return "审查环节：" + " → ".join(parts)


class ReviewPanel(QWidget):
    def __init__(self, supervisor: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.setAccessibleName("办理操作")
        self.start = action_button("开始审查", "reviewStartReview", "F6")
        self.next = action_button("下一环节", "reviewNextStep", "F7")
        self.report = action_button("上报县级", "reviewReportCounty", "F8")
        self.decide = action_button("作出决定", "reviewDecide", "F9")
        self.supplement = action_button("受理后补正", "reviewPostSupplement", "Alt+B")
        self.suspend = action_button("挂起", "reviewSuspend", "Alt+G")
        self.resume = action_button("恢复办理", "reviewResume", "Alt+H")
        self.terminate = action_button("终止", "reviewTerminate", "Alt+Z")
        self.extend = action_button("延期", "reviewExtend", "Alt+Y", "批准延期（中心负责人）")
        self.reassign = action_button("改派", "reviewReassign", "Alt+P", "改派承办人（中心负责人）")
        buttons: list[QPushButton] = [
            self.start,
            self.next,
            self.report,
            self.decide,
            self.supplement,
            self.suspend,
            self.resume,
            self.terminate,
        ]
        if supervisor:
            buttons += [self.extend, self.reassign]
        else:
            self.extend.hide()
            self.reassign.hide()
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        for index, button in enumerate(buttons):
            grid.addWidget(button, index // 4, index % 4)

        self.opinion = OpinionPage()
        self.decision = DecisionPage()
        self.post_supplement = SupplementPage()
        self.suspension = SuspendPage()
        self.extension = ExtendPage()
        self.termination = TerminatePage()
        self.reassignment = ReassignPage()
        self.stack = QStackedWidget()
        self.stack.setObjectName("reviewPages")
        for page in self.pages:
            self.stack.addWidget(page)
        for button, page in (
            (self.decide, self.decision),
            (self.supplement, self.post_supplement),
            (self.suspend, self.suspension),
            (self.extend, self.extension),
            (self.terminate, self.termination),
            (self.reassign, self.reassignment),
        ):
            button.clicked.connect(lambda _=False, p=page: self.open(p))
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(lambda: self.open(self.opinion))

        self.page_title = QLabel()
        self.page_title.setObjectName("reviewPageTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.page_title)
        layout.addWidget(self.stack, 1)
        self._state: CaseState | None = None
        self.open(self.opinion, focus=False)

    @property
    def pages(self) -> tuple[Page, ...]:
        return (
            self.opinion,
            self.decision,
            self.post_supplement,
            self.suspension,
            self.extension,
            self.termination,
            self.reassignment,
        )

    def open(self, page: Page, *, focus: bool = True) -> None:
        self.stack.setCurrentWidget(page)
        titles = {
            self.opinion: "审查意见",
            self.decision: self.decide.accessibleName(),
            self.post_supplement: "受理后补正（挂起，不计时限）",
            self.suspension: "挂起（特别程序，不计时限）",
            self.extension: "延期",
            self.termination: "终止办理",
            self.reassignment: "改派承办人",
        }
        back = "" if page is self.opinion else "　·　Esc 返回审查意见"
        self.page_title.setText(f"<b>{titles[page]}</b>{back}")
        if focus and page.first.isEnabled():
            page.first.setFocus()

    def reset(self) -> None:
        """Another case: empty inputs."""
        for page in self.pages:
            page.clear()
        self._state = None

    def follow(self, view: CaseView) -> None:
        """A case shown in a new state: the page that state calls for (the county's result
        once reported, else the opinion)."""
        state = view.detail.row.state
        if state is not self._state:
            self._state = state
            county = state is CaseState.WITH_COUNTY
            self.open(self.decision if county else self.opinion, focus=False)

    def show_state(
        self, view: CaseView | None, progress: ReviewProgress | None, busy: bool
    ) -> None:
        actions = frozenset() if view is None or busy else view.actions
        county = view is not None and view.detail.row.state is CaseState.WITH_COUNTY
        decide_text = "录入县级结果" if county else "作出决定"
        self.decide.setText(f"{decide_text}（F9）")
        self.decide.setAccessibleName(decide_text)
        self.decision.set_county(county)
        if self.stack.currentWidget() is self.decision:
            self.open(self.decision, focus=False)
        state = view.detail.row.state if view is not None else None
        # The table allows these from the state; the item's steps narrow them further as the
        # engine's guards will (it checks again): 下一环节 and 上报 need the current step's
        # opinion; 上报 only when the county decides and the town review is done (or there is
        # none); the town decides only what the county does not, at its last step.
        steps = progress is not None and bool(progress.steps)
        county_item = progress is not None and progress.county
        later_step = progress is not None and progress.has_next
        opinion_in = progress is not None and progress.opinion_recorded
        town_done = state is CaseState.IN_REVIEW and opinion_in and not later_step
        if state is CaseState.ACCEPTED:
            town_done = not steps
        town_decides = town_done and progress is not None and progress.yours and not county_item
        can = {
            self.start: Action.START_REVIEW in actions and steps,
            self.next: Action.NEXT_STEP in actions and later_step and opinion_in,
            self.report: Action.REPORT_TO_COUNTY in actions and county_item and town_done,
            self.decide: bool({Action.DECIDE, Action.COUNTY_RETURNED} & actions)
            and (state is CaseState.WITH_COUNTY or town_decides),
            self.supplement: Action.SUSPEND in actions,
            self.suspend: Action.SUSPEND in actions,
            self.resume: Action.RESUME in actions,
            self.terminate: Action.TERMINATE in actions,
            self.extend: Action.EXTEND in actions,
            self.reassign: Action.REASSIGN in actions,
        }
        for button, enabled in can.items():
            button.setEnabled(enabled)
        opinion = Action.RECORD_OPINION in actions and progress is not None and progress.yours
        self.opinion.submit.setEnabled(opinion)
        self.opinion.record_next.setEnabled(opinion and progress is not None and progress.has_next)
        self.opinion.opinion.setEnabled(opinion)
        self.opinion.agree.setEnabled(opinion)
        self.opinion.step.setText(progress_html(progress) if view is not None else "")
        for page, button in (
            (self.decision, self.decide),
            (self.post_supplement, self.supplement),
            (self.suspension, self.suspend),
            (self.extension, self.extend),
            (self.termination, self.terminate),
            (self.reassignment, self.reassign),
        ):
            page.setEnabled(can[button])
