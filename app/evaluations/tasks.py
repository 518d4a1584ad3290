"""差评整改: the supervisor's list of rectification tasks, and the steps that work one through.

核实 → 整改 → 回访 → 办结, judged by :func:`app.evaluations.rectification.next_state` (the county
judges the steps sent up the same way). Each step is written, sent up (``rectification.step``,
keyed by the evaluation's uid so a task's steps go up in order) and audited together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, Select, and_, func, select
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.audit import AuditEvent
from app.errors import AppError, NotFound, ValidationError
from app.evaluations.levels import MAX_TEXT, Channel, Level, Reason, Service
from app.evaluations.rectification import CallBackOutcome, Step, StepRefused, TaskState, next_state
from app.evaluations.wire import RECTIFICATION, StepTerms
from app.outbox.enqueue import enqueue
from app.permissions import Permission, require
from app.units.declare import reads, reads_guarded, writes
from app.units.joined import in_transaction
from app.workflow.fold import local_date
from db.base import utcnow
from db.models import Applicant, Case, Evaluation, Item, RectificationStep

__all__ = [
    "StepView",
    "TaskDetail",
    "TaskRefused",
    "TaskView",
    "mask_name",
    "open_tasks",
    "overdue_tasks",
    "take_step",
    "task_detail",
    "task_overdue",
]


class TaskRefused(AppError):
    """A step the task's state does not allow (or an evaluation with no task); nothing written."""

    code = "E801"


@dataclass(frozen=True)
class TaskView:
    """One 差评's rectification task, as the supervisor's list shows it."""

    evaluation_id: int
    evaluation_uid: str
    case_id: int | None  # None: the case is not on this store
    receipt_no: str  # "" when the case is not on this store
    item_name: str
    service: Service
    channel: Channel
    level: Level
    reasons: tuple[str, ...]  # the reasons' labels
    text: str
    staff: str | None  # who served (username)
    assessed_at: dt.datetime
    task_state: TaskState
    task_due: dt.date | None
    overdue: bool
    anonymous: bool
    applicant_name: str  # masked (张**); "" when unknown
    applicant_phone: str | None  # for 回访; None for an anonymous rating or an unknown case

    @property
    def level_label(self) -> str:
        return self.level.label

    @property
    def state_label(self) -> str:
        return self.task_state.label


@dataclass(frozen=True)
class StepView:
    step: Step
    note: str
    founded: bool | None
    outcome: CallBackOutcome | None
    actor: str
    taken_at: dt.datetime

    @property
    def label(self) -> str:
        return self.step.label


@dataclass(frozen=True)
class TaskDetail:
    task: TaskView
    steps: tuple[StepView, ...]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the first character kept."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


_Row = Row[Evaluation, str, str, str, str | None]  # outer joins: all but the first may be None


def _task_query() -> Select[Evaluation, str, str, str, str | None]:
    return (
        select(Evaluation, Case.receipt_no, Item.name, Applicant.name, Applicant.phone)
        .outerjoin(Case, Case.id == Evaluation.case_id)
        .outerjoin(Item, Item.id == Case.item_id)
        .outerjoin(Applicant, Applicant.id == Case.applicant_id)
        .where(Evaluation.task_state.is_not(None))
    )


def _view(row: _Row, today: dt.date) -> TaskView:
    evaluation, receipt_no, item_name, name, phone = row
    state = TaskState(evaluation.task_state or TaskState.CLOSED)
    due = evaluation.task_due
    return TaskView(
        evaluation_id=evaluation.id,
        evaluation_uid=evaluation.uid,
        case_id=evaluation.case_id,
        receipt_no=receipt_no or "",
        item_name=item_name or "",
        service=Service(evaluation.service),
        channel=Channel(evaluation.channel),
        level=Level(evaluation.level),
        reasons=tuple(Reason(r).label for r in evaluation.reasons),
        text=evaluation.text,
        staff=evaluation.staff,
        assessed_at=evaluation.assessed_at,
        task_state=state,
        task_due=due,
        overdue=state is not TaskState.CLOSED and due is not None and due < today,
        anonymous=evaluation.anonymous,
        applicant_name=mask_name(name or ""),
        applicant_phone=None if evaluation.anonymous else phone,
    )


def _today() -> dt.date:
    return local_date(utcnow())


@reads_guarded(Permission.RECTIFY)
def open_tasks(session: Session, actor: Actor, *, today: dt.date | None = None) -> list[TaskView]:
    """Every task not closed, the most urgent first (overdue, then the earliest due)."""
    require(actor, Permission.RECTIFY)
    day = today or _today()
    with in_transaction(session):
        rows = session.execute(
            _task_query()
            .where(Evaluation.task_state != TaskState.CLOSED.value)
            .order_by(Evaluation.task_due.is_(None), Evaluation.task_due, Evaluation.id)
        ).all()
        return [_view(row, day) for row in rows]


def _steps(session: Session, evaluation_id: int) -> tuple[StepView, ...]:
    rows = session.scalars(
        select(RectificationStep)
        .where(RectificationStep.evaluation_id == evaluation_id)
        .order_by(RectificationStep.taken_at, RectificationStep.id)
    )
    return tuple(
        StepView(
            Step(r.step),
            r.note,
            r.founded,
            CallBackOutcome(r.outcome) if r.outcome else None,
            r.actor,
            r.taken_at,
        )
        for r in rows
    )


def _detail(session: Session, evaluation_id: int, today: dt.date) -> TaskDetail:
    found = session.execute(_task_query().where(Evaluation.id == evaluation_id))
    row = found.one_or_none()
    if row is None:
        raise NotFound("未找到该差评整改任务。")
    return TaskDetail(_view(row, today), _steps(session, evaluation_id))


@reads_guarded(Permission.RECTIFY)
def task_detail(
    session: Session, actor: Actor, evaluation_id: int, *, today: dt.date | None = None
) -> TaskDetail:
    """One task with the steps taken so far, in order."""
    require(actor, Permission.RECTIFY)
    with in_transaction(session):
        return _detail(session, evaluation_id, today or _today())


def _checked_note(note: str) -> str:
    note = note.strip()
    if not note:
        raise ValidationError("办理说明", "请填写办理说明")
    if len(note) > MAX_TEXT:
        raise ValidationError("办理说明", f"办理说明不能超过{MAX_TEXT}个字（现有{len(note)}个字）")
    return note


def _check_fields(step: Step, founded: bool | None, outcome: CallBackOutcome | None) -> None:
    if step is Step.VERIFY and founded is None:
        raise ValidationError("核实结论", "请选择核实结论（属实或不属实）")
    if step is not Step.VERIFY and founded is not None:
        raise ValidationError("核实结论", "核实结论只在核实这一步填写")
    if step is Step.CALL_BACK and outcome is None:
        raise ValidationError("回访结果", "请选择回访结果")
    if step is not Step.CALL_BACK and outcome is not None:
        raise ValidationError("回访结果", "回访结果只在回访这一步填写")


@writes
def take_step(
    session: Session,
    actor: Actor,
    evaluation_id: int,
    step: Step,
    note: str,
    *,
    founded: bool | None = None,
    outcome: CallBackOutcome | None = None,
    now: dt.datetime,
) -> TaskState:
    """Take one step of a 差评's rectification task (the supervisor); returns the new state.
    Written, sent up and audited together, or not at all."""
    audit.authorize(session, actor, Permission.RECTIFY, subject=f"evaluation:{evaluation_id}")
    note = _checked_note(note)
    _check_fields(step, founded, outcome)
    with in_transaction(session):
        evaluation = session.get(Evaluation, evaluation_id)
        if evaluation is None:
            raise NotFound("未找到该差评整改任务。")
        if evaluation.task_state is None:
            raise TaskRefused("该评价不是差评，没有整改任务。")
        before = TaskState(evaluation.task_state)
        try:
            after = next_state(before, step, founded=founded, anonymous=evaluation.anonymous)
        except StepRefused as refused:
            raise TaskRefused(str(refused)) from refused
        terms = StepTerms(
            evaluation_uid=evaluation.uid,
            step=step,
            note=note,
            founded=founded,
            outcome=outcome,
            taken_at=now,
        )
        op_id = enqueue(
            session, actor, RECTIFICATION, evaluation.uid, terms.model_dump(mode="json"), now=now
        )
        session.add(
            RectificationStep(
                op_id=op_id,
                evaluation_id=evaluation.id,
                step=step.value,
                note=note,
                founded=founded,
                outcome=outcome.value if outcome else None,
                actor=actor.username,
                taken_at=now,
            )
        )
        evaluation.task_state = after.value
        receipt_no = session.scalar(select(Case.receipt_no).where(Case.id == evaluation.case_id))
        audit.record_for(
            session,
            actor,
            AuditEvent.RECTIFICATION_STEP,
            receipt_no,
            {
                "evaluation": evaluation.uid,
                "step": step.value,
                **({"founded": founded} if founded is not None else {}),
                **({"outcome": outcome.value} if outcome is not None else {}),
                "state": after.value,
            },
            at=now,
        )
        session.flush()
        return after


def task_overdue(today: dt.date) -> ColumnElement[bool]:
    """A 差评 task not closed and past its due day (this count, the desk alerts', the figures')."""
    return and_(
        Evaluation.task_state.is_not(None),
        Evaluation.task_state != TaskState.CLOSED.value,
        Evaluation.task_due < today,
    )


@reads
def overdue_tasks(session: Session, today: dt.date) -> int:
    """How many tasks not closed are past their due day (the alert's count)."""
    with in_transaction(session):
        count = session.scalar(
            select(func.count()).select_from(Evaluation).where(task_overdue(today))
        )
        return count or 0
