"""好差评 at the county: the evaluations of the centres' cases, their 差评 tasks' steps, and the
feed the centres' workstations take them down from.

An evaluation comes from a window (the workstation's ``evaluation.record``,
``county/evaluation_ops.py``), from the resident's phone (the progress page), or from the county
itself when no rating came within the set working days (``county/evaluation_defaults.py``). Each
is numbered per case in the county's order (``assess_number``, 评价次数: 1, 2, …), and each
change — a new evaluation, a new step of its task — gives it the next number of its centre's
feed (``feed_seq``), under the county-wide lock (``county/lock.py``), so a workstation that has
read the feed up to some number never misses a change committed later with a smaller one.

A refusal raises :class:`EvaluationRefused` with a code (``E422-DUPLICATE``, ``E422-STEP``…) and
a Chinese message, before anything is written; the push answers it as ``rejected`` with that
code, the progress page shows the message.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.evaluations.levels import Channel
from app.evaluations.rectification import StepRefused, TaskState, next_state
from app.evaluations.wire import (
    EvaluationCopy,
    Evaluations,
    EvaluationTerms,
    StepTerms,
    TakenStep,
)
from county.lock import one_at_a_time
from county.store.models import (
    CENTRE_SCOPE,
    CaseActionRow,
    CountyCase,
    CountyEvaluation,
    Workstation,
)

__all__ = [
    "EvaluationRefused",
    "add_evaluation",
    "add_step",
    "copy_of",
    "evaluations_after",
]

#: Channels rated once per service: a second window rating of one service is refused, and the
#: default 满意 is given only to a service nobody rated.
_ONCE_PER_SERVICE = (Channel.WINDOW, Channel.DEFAULT)


class EvaluationRefused(AppError):
    """An evaluation or a step the county does not take; ``code`` is the push's refusal code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def add_evaluation(session: Session, case: CountyCase, terms: EvaluationTerms) -> CountyEvaluation:
    """Record ``terms`` as the next evaluation of ``case``, in the caller's transaction (flushed,
    not committed). Takes the county-wide lock. :class:`EvaluationRefused`, nothing written, when
    the terms are of another case, the evaluation is known already, the rated service is not an
    action of the case, or the service was rated at the window (or given its default) already."""
    one_at_a_time(session)
    if terms.case_uid != case.uid:
        raise EvaluationRefused("E422-CASE", "评价所注明的办件与所评价的办件不一致。")
    if session.scalar(select(CountyEvaluation.id).where(CountyEvaluation.uid == terms.uid)):
        raise EvaluationRefused("E422-DUPLICATE", "该评价已登记过。")
    if terms.service_op_id is not None:
        of_case = session.scalar(
            select(CaseActionRow.case_id).where(CaseActionRow.op_id == terms.service_op_id)
        )
        if of_case != case.id:
            raise EvaluationRefused("E422-SERVICE", "所评价的服务不是该办件的办理记录。")
        if terms.channel in _ONCE_PER_SERVICE and session.scalar(
            select(CountyEvaluation.id).where(
                CountyEvaluation.service_op_id == terms.service_op_id,
                CountyEvaluation.channel.in_([c.value for c in _ONCE_PER_SERVICE]),
            )
        ):
            raise EvaluationRefused(
                "E422-DUPLICATE", "该次服务已在窗口评价过，每次服务只能评价一次。"
            )
    counted = session.scalar(
        select(func.max(CountyEvaluation.assess_number)).where(CountyEvaluation.case_id == case.id)
    )
    row = CountyEvaluation(
        uid=terms.uid,
        centre_code=case.centre_code,
        case_id=case.id,
        assess_number=(counted or 0) + 1,
        service_op_id=terms.service_op_id,
        channel=terms.channel.value,
        level=terms.level.value,
        terms=terms.model_dump(mode="json"),
        task_state=TaskState.TO_VERIFY.value if terms.level.is_bad else None,
        steps=[],
        feed_seq=_next_feed_seq(session, case.centre_code),
    )
    session.add(row)
    session.flush()
    return row


def add_step(
    session: Session, evaluation: CountyEvaluation, terms: StepTerms, *, actor: str, op_id: str
) -> CountyEvaluation:
    """Take one step of ``evaluation``'s 差评 task, in the caller's transaction (flushed).
    Takes the county-wide lock. The caller has checked that ``actor`` may take it (a supervisor
    of the evaluation's centre). :class:`EvaluationRefused` (``E422-STEP``), nothing written,
    when the evaluation is not a 差评 or its task's state does not allow the step."""
    one_at_a_time(session)
    if terms.evaluation_uid != evaluation.uid:
        raise EvaluationRefused("E422-EVALUATION", "整改步骤所注明的评价与所办理的评价不一致。")
    if evaluation.task_state is None:
        raise EvaluationRefused("E422-STEP", "该评价不是差评，没有整改任务。")
    rated = EvaluationTerms.model_validate(evaluation.terms)
    try:
        state = next_state(
            TaskState(evaluation.task_state),
            terms.step,
            founded=terms.founded,
            anonymous=rated.anonymous,
        )
    except StepRefused as refused:
        raise EvaluationRefused("E422-STEP", str(refused)) from refused
    taken = TakenStep(**terms.model_dump(), op_id=op_id, actor=actor)
    evaluation.task_state = state.value
    evaluation.steps = [*evaluation.steps, taken.model_dump(mode="json")]
    evaluation.feed_seq = _next_feed_seq(session, evaluation.centre_code)
    session.flush()
    return evaluation


def _next_feed_seq(session: Session, centre_code: str) -> int:
    """The centre's next feed number (the caller holds the county-wide lock)."""
    last = session.scalar(
        select(func.max(CountyEvaluation.feed_seq)).where(
            CountyEvaluation.centre_code == centre_code
        )
    )
    return (last or 0) + 1


def copy_of(evaluation: CountyEvaluation, case: CountyCase) -> EvaluationCopy:
    """``evaluation`` (of ``case``) as the feed carries it."""
    return EvaluationCopy(
        cursor=evaluation.feed_seq,
        terms=EvaluationTerms.model_validate(evaluation.terms),
        assess_number=evaluation.assess_number,
        receipt_no=case.receipt_no,
        official_no=case.official_no,
        task_state=TaskState(evaluation.task_state) if evaluation.task_state else None,
        steps=tuple(TakenStep.model_validate(step) for step in evaluation.steps),
    )


def evaluations_after(
    session: Session, station: Workstation, after: int, limit: int
) -> Evaluations:
    """The evaluations of ``station``'s centre changed after feed number ``after``, in feed
    order, at most ``limit`` (``more`` when there are others). A proxy agent's laptop takes none
    down: 好差评 is the centre's work."""
    if station.scope != CENTRE_SCOPE:
        return Evaluations(evaluations=(), more=False)
    rows = session.execute(
        select(CountyEvaluation, CountyCase)
        .join(CountyCase, CountyCase.id == CountyEvaluation.case_id)
        .where(
            CountyEvaluation.centre_code == station.centre_code,
            CountyEvaluation.feed_seq > after,
        )
        .order_by(CountyEvaluation.feed_seq)
        .limit(limit + 1)
    ).all()
    return Evaluations(
        evaluations=tuple(copy_of(row, case) for row, case in rows[:limit]),
        more=len(rows) > limit,
    )
