"""The centre's evaluations (好差评), taken down from the county page by page: the other windows'
ratings, the residents' phone ratings, the county's count of each case's evaluations (评价次数)
and the steps of every 差评's rectification task, so the supervisor's PC works on a 差评 given at
any window or by phone.

A new evaluation is added (linked to its case when the case is on this store; one whose case
arrives later is linked then); a known one takes the county's ``assess_number``, task state and
steps (a step is known by its operation's ``op_id``). Steps taken here and not yet sent up stay
on top of the county's state. A 差评 that arrives without a due day (a phone rating) gets one
as at the window: :data:`~app.settings.RECTIFY_DAYS` working days after the rating's local date.
"""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from app import settings
from app.evaluations.rating import task_due_after
from app.evaluations.rectification import Step, StepRefused, TaskState, next_state
from app.evaluations.wire import EvaluationCopy, TakenStep
from app.outbox.envelope import Envelope
from app.sync.push import PENDING
from app.sync.transport import Transport
from app.workcalendar import WorkCalendar
from db.models import Case, Evaluation, OutboxEntry, RectificationStep
from db.store import Store

__all__ = ["PAGE", "pull_evaluations"]

PAGE = 500


def pull_evaluations(
    store: Store, transport: Transport, calendar: WorkCalendar, *, page: int = PAGE
) -> int:
    """Take down what changed in the centre's evaluations since the last pull; returns how
    many evaluations were added or changed here."""
    changed = 0
    while True:
        with store.reader() as session:
            after = settings.EVALUATION_CURSOR.get(session)
        answer = transport.evaluations(after, page)
        with store.session() as session, session.begin():
            for copy in answer.evaluations:
                changed += _take(session, copy, calendar)
            if answer.evaluations:
                cursor = max(copy.cursor for copy in answer.evaluations)
                settings.EVALUATION_CURSOR.set(session, max(after, cursor))
            link_cases(session)
        if not answer.more or not answer.evaluations:
            return changed


def link_cases(session: Session) -> None:
    """Give the evaluations whose case was not here their case, now that it is."""
    case_id = select(Case.id).where(Case.uid == Evaluation.case_uid).scalar_subquery()
    session.execute(
        update(Evaluation)
        .where(Evaluation.case_id.is_(None), exists().where(Case.uid == Evaluation.case_uid))
        .values(case_id=case_id)
        .execution_options(synchronize_session=False)
    )


def _take(session: Session, copy: EvaluationCopy, calendar: WorkCalendar) -> int:
    terms = copy.terms
    evaluation = session.scalar(select(Evaluation).where(Evaluation.uid == terms.uid))
    if evaluation is None:
        evaluation = Evaluation(
            uid=terms.uid,
            case_uid=terms.case_uid,
            case_id=session.scalar(select(Case.id).where(Case.uid == terms.case_uid)),
            service=terms.service.value,
            service_op_id=terms.service_op_id,
            channel=terms.channel.value,
            level=terms.level.value,
            reasons=[r.value for r in terms.reasons],
            text=terms.text,
            anonymous=terms.anonymous,
            staff=terms.staff,
            window=terms.window,
            assessed_at=terms.assessed_at,
        )
        session.add(evaluation)
        session.flush()
    before = (evaluation.assess_number, evaluation.task_state, evaluation.task_due)
    evaluation.assess_number = copy.assess_number
    added = _add_steps(session, evaluation, copy.steps)
    if copy.task_state is not None:
        evaluation.task_state = _state_with_pending(session, evaluation, copy.task_state).value
        if evaluation.task_due is None:
            evaluation.task_due = task_due_after(session, terms.assessed_at, calendar)
    after = (evaluation.assess_number, evaluation.task_state, evaluation.task_due)
    return int(added or before != after)


def _add_steps(session: Session, evaluation: Evaluation, steps: tuple[TakenStep, ...]) -> bool:
    if not steps:
        return False
    known = set(
        session.scalars(
            select(RectificationStep.op_id).where(
                RectificationStep.op_id.in_([s.op_id for s in steps])
            )
        )
    )
    new = [s for s in steps if s.op_id not in known]
    for step in new:
        session.add(
            RectificationStep(
                op_id=step.op_id,
                evaluation_id=evaluation.id,
                step=step.step.value,
                note=step.note,
                founded=step.founded,
                outcome=step.outcome.value if step.outcome else None,
                actor=step.actor,
                taken_at=step.taken_at,
            )
        )
    session.flush()
    return bool(new)


def _state_with_pending(
    session: Session, evaluation: Evaluation, county_state: TaskState
) -> TaskState:
    """The county's state, with the steps taken here and still waiting to go up on top."""
    rows = session.scalars(
        select(OutboxEntry.payload)
        .join(RectificationStep, RectificationStep.op_id == OutboxEntry.op_id)
        .where(
            RectificationStep.evaluation_id == evaluation.id,
            OutboxEntry.status == PENDING,
        )
        .order_by(OutboxEntry.id)
    )
    state = county_state
    for payload in rows:
        step = Envelope.model_validate(payload).payload
        try:
            state = next_state(
                state,
                Step(step["step"]),
                founded=step.get("founded"),
                anonymous=evaluation.anonymous,
            )
        except StepRefused:
            continue  # the county will refuse it too (the row is parked when it answers)
    return state
