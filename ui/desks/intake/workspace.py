"""The intake in front of the clerk: a new walk-in (its form and materials) or a pending case
(its details and materials), with the decision buttons and the inline decision panels.

Loading runs in the background; a decision runs as one use case and one transaction
(:mod:`app.cases.window`): a refused decision writes nothing, and the clerk reads why with the
form and the ticked materials as they were.
"""

from __future__ import annotations

import itertools
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.cases.intake import MaterialIn
from app.errors import AppError, ValidationError
from app.evaluations.service import service_of
from app.forms import FormInvalid
from app.intake import drafts, window
from app.intake.drafts import Draft
from app.intake.spec import IntakeSpec, intake_spec
from app.intake.window import Decision, Kind, Outcome
from app.workflow.guards import MATERIALS_FIELD
from app.workflow.states import CaseState
from ui.cases.detail_view import CaseDetailView
from ui.desk_base import DeskEnv
from ui.desks.intake.autosave import DraftKeeper
from ui.desks.intake.buttons import DecisionButtons, focusables
from ui.desks.intake.card_panel import CardReading
from ui.desks.intake.checks import (
    DeficiencyPlan,
    deficiency_plan,
    form_problem_text,
    form_problems_text,
    supplement_problem,
)
from ui.desks.intake.panels import DecisionPanel, MaterialsColumn
from ui.desks.intake.pending import PENDING_STATES
from ui.desks.intake.tasks import OpenCase, load_case, outcome_text
from ui.desks.rating import offer_rating
from ui.documents.offer import offer_documents
from ui.form import FormView, MaterialsChecklist
from ui.form.style import ERROR
from ui.scroll import scrolled

FORM_WIDTH, MATERIALS_WIDTH = 650, 440  # at 1366 px; the rest is shared
#: Narrower than this (logical px: 150 % scaling, a small window) the materials go under the
#: form instead of beside it, each the whole width: no field or material scrolls sideways.
SIDE_BY_SIDE_WIDTH = 1000
FORM_SHARE_STACKED = 0.6  # of the height, when the materials are under the form
FORM_SHARE_WITH_PANEL = 0.3  # … and while a decision panel is open under the materials
EMPTY_TEXT = (
    "请在左侧输入事项名称、拼音首字母或编码并回车选择事项（Ctrl+F 回到搜索），"
    "或从“草稿”“待办件”中继续办理。"
)


class IntakeWorkspace(QWidget):
    said = Signal(str, bool)  # text, is_error
    done = Signal()  # the intake was decided, put aside or closed: back to the item search
    shown = Signal()  # a walk-in's form or a pending case is on screen

    def __init__(self, env: DeskEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeWorkspace")
        self.env = env
        self.spec: IntakeSpec | None = None
        self.case: OpenCase | None = None
        self.form: FormView | None = None
        self.checklist: MaterialsChecklist | None = None
        self._generation = 0
        self.card: CardReading | None = None  # 读卡 for the open walk-in's form
        self._form_banner = False  # the desk's notice is the form's problems: keep it current
        self.said.connect(self._said)  # first: any later message replaces the form's banner
        self.keeper = DraftKeeper(env, self)
        self.keeper.failed.connect(lambda e: self.said.emit(f"草稿未能保存或删除：{e}", True))
        self.keeper.discarded.connect(lambda: self.said.emit("草稿已放弃。", False))

        self.header = QLabel(EMPTY_TEXT)
        self.header.setObjectName("intakeHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.left = QStackedWidget()
        self.left.setObjectName("intakeLeft")
        self.form_holder = QWidget()
        QVBoxLayout(self.form_holder).setContentsMargins(0, 0, 0, 0)
        self.detail = CaseDetailView()
        # Scrolls rather than holding the pane's height up: under the materials (150 %
        # scaling) the pane gives way to an open decision panel.
        self.detail_scroll = scrolled(self.detail, "caseDetailScroll")
        self.left.addWidget(self.form_holder)
        self.left.addWidget(self.detail_scroll)

        self.right = MaterialsColumn()
        self.right.decided.connect(self._panel_decided)
        self.materials_scroll = self.right.materials_scroll

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("intakeSplit")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.left)
        # The column scrolls as a whole when it is shorter than the materials and an open
        # decision panel need (under the form at 150 % scaling) instead of squeezing the panel.
        self.right_scroll = scrolled(self.right, "intakeRightScroll")
        self.split.addWidget(self.right_scroll)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([FORM_WIDTH, MATERIALS_WIDTH])
        self._sized_for: Qt.Orientation | None = None  # _fit_panes set the sizes for it

        self.buttons = DecisionButtons(self)
        self.buttons.pressed.connect(self.decide)
        self.buttons.confirm.connect(self.confirm_key)
        self.buttons.save_draft.clicked.connect(lambda: self.put_aside())
        self.buttons.discard.clicked.connect(self._discard)
        self.buttons.close_case.clicked.connect(self._close_case)

        # The header's line; the desk puts its 「选择事项」 button before the header here.
        self.header_row = QHBoxLayout()
        self.header_row.addWidget(self.header, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.header_row)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.buttons)
        read_card = QShortcut(QKeySequence(Qt.Key.Key_F2), self)
        read_card.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        read_card.activated.connect(self.read_card)
        self._reset()

    # --- what is shown ----------------------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self.keeper.token if self.spec is not None and self.case is None else None

    def start_walk_in(self, item_id: int, draft: Draft | None = None) -> None:
        """A resident at the window for ``item_id`` (or a draft resumed); loads in background."""
        if draft is not None and self.token == draft.token:
            return  # already open
        self.put_aside(quiet=True)
        self._generation += 1
        generation = self._generation
        backend = self.env.backend
        self.header.setText("正在载入事项…")
        self.env.runner.read(
            lambda: backend.lookup(intake_spec, item_id),
            lambda spec: self._show_walk_in(generation, spec, draft),
            self._load_failed,
            owner=self,
        )

    def open_case(self, case_id: int) -> None:
        """A pending case (submitted by a proxy, awaiting supplement, or received)."""
        self.put_aside(quiet=True)
        self._generation += 1
        generation = self._generation
        backend = self.env.backend
        self.header.setText("正在载入办件…")
        self.env.runner.read(
            lambda: load_case(backend, case_id),
            lambda case: self._show_case(generation, case),
            self._load_failed,
            owner=self,
        )

    def put_aside(self, *, quiet: bool = False) -> None:
        """Keep a walk-in as a draft (if anything was entered) and clear the workspace."""
        if self.spec is None:
            return
        kept = self.case is None and self.keeper.save_now()
        self._reset()
        if not quiet:
            if kept:
                self.said.emit("已暂存为草稿，可在“草稿”中继续办理。", False)
            self.done.emit()

    def _show_walk_in(self, generation: int, spec: IntakeSpec, draft: Draft | None) -> None:
        if generation != self._generation:
            return
        self._reset()
        self.spec = spec
        self.form = FormView(spec.template, divisions=spec.divisions)
        self.checklist = MaterialsChecklist(spec.materials)
        if draft is not None:
            self.form.set_value(draft.form_data)
            self.checklist.set_received(draft.materials)
        token = draft.token if draft is not None else uuid.uuid4().hex
        self.keeper.watch(spec.item_id, token, self.form, self.checklist, stored=draft is not None)
        self.form.changed.connect(self._form_changed)
        self.card = CardReading.attach(self.env, self.form)
        if self.card is not None:
            self.card.said.connect(self.said)
        layout = self.form_holder.layout()
        assert layout is not None
        layout.addWidget(self.form)
        self.left.setCurrentWidget(self.form_holder)
        self.form.show()  # now, not on the next event loop pass: the focus goes in below
        self.right.show_checklist(self.checklist)
        restored = "　<i>（已从草稿恢复）</i>" if draft is not None else ""
        self.header.setText(self._item_line(spec) + restored)
        self.buttons.show_for(None)
        self._tab_chain()
        first = focusables(self.form)
        if first:
            first[0].setFocus(Qt.FocusReason.OtherFocusReason)
        self.shown.emit()

    def _show_case(self, generation: int, case: OpenCase) -> None:
        if generation != self._generation:
            return
        row = case.view.detail.row
        if row.state not in PENDING_STATES:
            self._reset()
            self.said.emit(
                f"办件 {row.official_no or row.receipt_no} 当前状态为“{row.state.label}”，"
                "不在窗口待办中。",
                True,
            )
            return
        self._reset()
        self.spec, self.case = case.spec, case
        self.detail.show_case(case.view)
        self.left.setCurrentWidget(self.detail_scroll)
        self.checklist = MaterialsChecklist(case.spec.materials)
        self.checklist.set_received(case.received)
        for key in (m.id for m in case.spec.materials):
            locked = key in case.received or row.state is CaseState.RECEIVED
            self.checklist.checkbox(key).setEnabled(not locked)
            self.checklist.copies_box(key).setEnabled(not locked)
        self.right.show_checklist(self.checklist)
        origin = "代办员提交" if row.state is CaseState.SUBMITTED else row.state.label
        self.header.setText(f"{self._item_line(case.spec)}　<b>待办件（{origin}）</b>")
        self.buttons.show_for(row.state)
        self._tab_chain()
        boxes = [box for box in focusables(self.checklist) if box.isEnabled()]
        target = boxes[0] if boxes else self.buttons.first()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.shown.emit()

    @staticmethod
    def _item_line(spec: IntakeSpec) -> str:
        return (
            f"<b style='font-size:large'>{spec.name}</b>　{spec.handling_kind}　"
            f"承诺时限：{spec.promised_limit}　"
            f"<span style='color:#666'>{spec.category} · {spec.code}</span>"
        )

    def _load_failed(self, error: AppError) -> None:
        self._reset()
        self.said.emit(str(error), True)

    def _reset(self) -> None:
        self.keeper.stop()
        self.right.show_checklist(None)
        for widget in (self.form, self.checklist):
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.form = self.checklist = None
        self.card = None  # went with its form
        self.spec = self.case = None
        self.detail.clear()
        self.left.setCurrentWidget(self.form_holder)
        self.header.setText(EMPTY_TEXT)
        self.buttons.show_for(None, empty=True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_panes()

    def _fit_panes(self) -> None:
        """Form and materials side by side when there is room for both, else the materials
        under the form (the Tab order stays form → materials → decisions either way)."""
        side_by_side = self.width() >= SIDE_BY_SIDE_WIDTH
        wanted = Qt.Orientation.Horizontal if side_by_side else Qt.Orientation.Vertical
        if self._sized_for == wanted:
            return
        self.split.setOrientation(wanted)
        if side_by_side:
            self.split.setSizes([FORM_WIDTH, MATERIALS_WIDTH])
        else:
            height = max(self.split.height(), 100)
            form = round(height * FORM_SHARE_STACKED)
            self.split.setSizes([form, height - form])
        self._sized_for = wanted

    def _tab_chain(self) -> None:
        chain = focusables(self.left.currentWidget() or self.left)
        if self.checklist is not None:
            chain += focusables(self.checklist)
        panel = self.right.open_panel()
        if panel is not None:
            chain += focusables(panel)
        chain += self.buttons.focusables()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def read_card(self) -> None:
        """读卡 (F2): the ID card on the reader fills the applicant's fields."""
        if self.card is not None:
            self.card.read()
        elif self.form is not None:
            self.said.emit("本事项的申请人信息不由身份证填写（非自然人申请），无需读卡。", True)

    # --- deciding ---------------------------------------------------------------------------

    def confirm_key(self) -> None:
        """Ctrl+Enter: confirm the open decision panel, else 受理."""
        if self.right.open_panel() is not None:
            self.right.confirm()
        else:
            self.decide(Kind.ACCEPT)

    def decide(self, kind: Kind) -> None:
        if self.spec is None or self.checklist is None or not self.buttons.usable(kind):
            return
        refused = self._precheck(kind)
        if refused is not None:
            text, in_form = refused
            self.said.emit(text, True)
            self._form_banner = in_form
            return
        missing = self.checklist.missing_required()
        if kind is Kind.ACCEPT:
            self._run(Decision(Kind.ACCEPT))
        elif kind is Kind.DEFICIENCY:
            backend = self.env.backend
            plan = deficiency_plan(self.spec, missing, backend.calendar, backend.today())
            if not isinstance(plan, DeficiencyPlan):
                self.said.emit(plan, True)
                return
            self.right.deficiency.open(plan.pending, plan.due, plan.latest, backend.today())
            self._open_panel(self.right.deficiency)
        elif kind is Kind.SUPPLEMENT:
            problem = supplement_problem(missing)
            if problem is not None:
                self.said.emit(problem, True)
                return
            self.right.supplement.open(missing)
            self._open_panel(self.right.supplement)
        elif kind is Kind.REFUSE:
            self.right.refuse.open()
            self._open_panel(self.right.refuse)
        else:
            self._run(Decision(Kind.RECEIVE))

    def _precheck(self, kind: Kind) -> tuple[str, bool] | None:
        """Why the decision cannot go ahead, and whether it is the form's problems."""
        if self.form is not None:
            check = self.form.check()
            if not check.ok:
                self.form.focus_first_problem()
                return form_problem_text(check), True
        state = self.case.view.detail.row.state if self.case is not None else None
        if state is CaseState.AWAITING_SUPPLEMENT and not self._handed_over():
            return "请勾选申请人本次补交的材料（补正收件）后再办理。", False
        if kind is Kind.RECEIVE and state not in (
            CaseState.SUBMITTED,
            CaseState.AWAITING_SUPPLEMENT,
        ):
            return "只有代办员提交的申请和待补正的办件需要收件。", False
        return None

    def _open_panel(self, panel: DecisionPanel) -> None:
        self.right.show_panel(panel)
        if self.split.orientation() == Qt.Orientation.Vertical:  # the panel under the materials
            height = sum(self.split.sizes())
            form = round(height * FORM_SHARE_WITH_PANEL)
            self.split.setSizes([form, height - form])
            # Once the column is laid out with the panel: scrolled to the panel's title.
            bar = self.right_scroll.verticalScrollBar()
            QTimer.singleShot(0, panel, lambda: bar.setValue(panel.y()))
        self._tab_chain()
        panel.first_input().setFocus(Qt.FocusReason.OtherFocusReason)

    def _panel_decided(self, decision: Decision | str) -> None:
        if isinstance(decision, str):
            self.said.emit(decision, True)
        else:
            self._run(decision)

    def _handed_over(self) -> list[MaterialIn]:
        assert self.checklist is not None
        ticked = self.checklist.received()
        if self.case is None:
            return ticked
        return [m for m in ticked if m.key not in self.case.received]

    def _run(self, decision: Decision) -> None:
        assert self.spec is not None
        backend = self.env.backend
        materials = self._handed_over()
        self.buttons.set_busy(True)
        if self.case is None:
            assert self.form is not None
            item_id, form, token = self.spec.item_id, self.form.value(), self.keeper.token
            self.keeper.hold(True)
            self.env.runner.write(
                lambda: backend.act(
                    window.receive_and_decide, item_id, form, materials, decision, token
                ),
                self._decided,
                self._refused,
                owner=self,
            )
        else:
            case_id = self.case.view.detail.row.case_id
            self.env.runner.write(
                lambda: backend.act(window.take_in_and_decide, case_id, materials, decision),
                self._decided,
                self._refused,
                owner=self,
            )

    def _decided(self, outcome: Outcome) -> None:
        self.buttons.set_busy(False)
        self.said.emit(outcome_text(outcome), False)
        if not outcome.decided:
            self.open_case(outcome.change.case_id)  # received: carry on with it to decide
            return
        self._reset()
        self.done.emit()
        offer_documents(
            self, self.env, outcome.change.case_id, outcome.documents, outcome.change.receipt_no
        )
        service = service_of(outcome.change.action)  # 收件受理, 一次性告知, 不予受理
        if service is not None:
            offer_rating(self, self.env, outcome.change.case_id, service)

    def _refused(self, error: AppError) -> None:
        """Nothing was written: say why and keep everything the clerk entered."""
        self.buttons.set_busy(False)
        self.keeper.hold(False)
        self.said.emit(str(error), True)
        if isinstance(error, FormInvalid) and self.form is not None:
            self.form.check()
            self.form.focus_first_problem()
            self._form_banner = True
        elif isinstance(error, ValidationError) and error.field == MATERIALS_FIELD:
            missing = self.checklist.missing_required() if self.checklist else []
            if missing:  # the first material the use case found missing, to tick it
                assert self.checklist is not None
                self.checklist.checkbox(missing[0].id).setFocus(Qt.FocusReason.OtherFocusReason)

    def _said(self, _text: str, _error: bool) -> None:
        self._form_banner = False

    def _form_changed(self) -> None:
        """After a refused decision the notice sums up the form's problems: as the clerk fixes
        them it says what is left, and goes once nothing is."""
        if not self._form_banner or self.form is None:
            return
        form = self.form
        shown = [
            form.problem_text(f.key)
            for f in form.template.all_fields()
            if form.is_shown(f.key) and form.problem_severity(f.key) == ERROR
        ]
        self.said.emit(form_problems_text(shown) if shown else "", bool(shown))
        self._form_banner = bool(shown)

    # --- leaving ----------------------------------------------------------------------------

    def keep_for_later(self) -> str | None:
        """The sitting ends (sign-out, lock, the window closes): keep a walk-in with anything
        entered as a draft now, without waiting for the autosave; what to tell the clerk, or
        None when nothing needed keeping."""
        if self.spec is None or self.form is None or self.case is not None:
            return None
        if not self.keeper.save_now():
            return None
        label = drafts.applicant_label(self.spec.template, self.form.value())
        return drafts.kept_notice(self.spec.name, label)

    def _discard(self) -> None:
        token = self.token
        if token is None:
            return
        if not self.env.dialogs.confirm(
            self, "放弃本次收件", "放弃后，已填写的内容和这份草稿都将删除。确定放弃吗？"
        ):
            return
        self._reset()
        self.discard_draft(token)
        self.done.emit()

    def discard_draft(self, token: str) -> None:
        """Delete draft ``token`` in the background (and close it if it is open here)."""
        if self.token == token:
            self._reset()
        self.keeper.discard(token)

    def _close_case(self) -> None:
        self._reset()
        self.done.emit()
