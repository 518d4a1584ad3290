"""差评整改: the supervisor works a 差评 through 核实 → 整改 → 回访 → 办结, each step sent up and
audited; a real-name 差评 is not closed without a 回访; no one else may take a step."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.audit_text import describe
from app.errors import PermissionDenied, ValidationError
from app.evaluations.figures import satisfaction
from app.evaluations.levels import Level, Reason
from app.evaluations.rectification import CallBackOutcome, Step, TaskState
from app.evaluations.tasks import (
    TaskRefused,
    mask_name,
    open_tasks,
    overdue_tasks,
    take_step,
    task_detail,
)
from app.evaluations.wire import RECTIFICATION, StepTerms
from app.outbox.envelope import parse_envelope
from db.models import Applicant, AuditEntry, Case, Evaluation, OutboxEntry, RectificationStep
from tests.centre import Centre
from tests.evaluations.helpers import bad, local, rate, served


def step(
    c: Centre,
    evaluation_id: int,
    which: Step,
    note: str = "已办理",
    *,
    who: str = "supervisor",
    founded: bool | None = None,
    outcome: CallBackOutcome | None = None,
) -> TaskState:
    with c.store.session() as session:
        return take_step(
            session,
            c.actor(who),
            evaluation_id,
            which,
            note,
            founded=founded,
            outcome=outcome,
            now=c.clock(),
        )


def written(c: Centre) -> tuple[int, int]:
    """Rectification steps and their outbox rows."""
    with c.store.reader() as session:
        steps = session.scalar(select(func.count()).select_from(RectificationStep)) or 0
        rows = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.kind == RECTIFICATION)
        )
        return steps, rows or 0


def test_a_task_is_worked_through_to_closed_with_each_step_sent_and_audited(
    centre: Centre,
) -> None:
    evaluation_id = bad(centre)
    supervisor = centre.actor("supervisor")
    assert step(centre, evaluation_id, Step.VERIFY, "调取录像，属实", founded=True) is (
        TaskState.TO_RECTIFY
    )
    centre.clock.advance(hours=2)
    assert step(centre, evaluation_id, Step.RECTIFY, "对窗口人员进行批评教育") is (
        TaskState.TO_CALL_BACK
    )
    centre.clock.advance(days=1)
    assert step(
        centre,
        evaluation_id,
        Step.CALL_BACK,
        "电话回访",
        outcome=CallBackOutcome.BASICALLY_SATISFIED,
    ) is (TaskState.TO_CLOSE)
    assert step(centre, evaluation_id, Step.CLOSE, "办结") is TaskState.CLOSED

    with centre.store.reader() as session:
        detail = task_detail(session, supervisor, evaluation_id)
        evaluation = session.get(Evaluation, evaluation_id)
        queued = session.scalars(
            select(OutboxEntry).where(OutboxEntry.kind == RECTIFICATION).order_by(OutboxEntry.id)
        ).all()
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.event == AuditEvent.RECTIFICATION_STEP)
            .order_by(AuditEntry.id)
        ).all()
        left = open_tasks(session, supervisor)
    assert evaluation is not None
    assert detail.task.task_state is TaskState.CLOSED
    assert [s.step for s in detail.steps] == [Step.VERIFY, Step.RECTIFY, Step.CALL_BACK, Step.CLOSE]
    assert detail.steps[0].founded is True and detail.steps[0].note == "调取录像，属实"
    assert detail.steps[2].outcome is CallBackOutcome.BASICALLY_SATISFIED
    assert {s.actor for s in detail.steps} == {"supervisor"}
    # Sent up in order under the evaluation's uid, each a valid step the county can judge.
    envelopes = [parse_envelope(row.payload) for row in queued]
    assert [e.key for e in envelopes] == [evaluation.uid] * 4
    assert {(e.actor.username, e.actor.role) for e in envelopes} == {("supervisor", "supervisor")}
    sent = [StepTerms.model_validate(e.payload) for e in envelopes]
    assert [s.step for s in sent] == [Step.VERIFY, Step.RECTIFY, Step.CALL_BACK, Step.CLOSE]
    assert {s.evaluation_uid for s in sent} == {evaluation.uid}
    with centre.store.reader() as session:
        ids = set(session.scalars(select(RectificationStep.op_id)))
    assert ids == {row.op_id for row in queued}  # a step is known by its operation's id
    # Audited, one sentence a step.
    assert [e.actor for e in entries] == ["supervisor"] * 4
    assert [e.detail["state"] for e in entries] == [
        "to_rectify",
        "to_call_back",
        "to_close",
        "closed",
    ]
    sentences = [describe(e.event, e.actor, e.subject, e.detail) for e in entries]
    assert sentences[0].startswith("supervisor 差评整改「核实」：属实，整改状态变为「待整改」")
    assert "「回访」：群众表示基本满意" in sentences[2]
    assert left == []  # a closed task leaves the list


def test_a_real_name_bad_rating_is_not_closed_without_a_call_back(centre: Centre) -> None:
    evaluation_id = bad(centre)
    step(centre, evaluation_id, Step.VERIFY, "核实不属实", founded=False)  # no rectification
    before = written(centre)
    with pytest.raises(TaskRefused, match="必须回访"):
        step(centre, evaluation_id, Step.CLOSE)
    assert written(centre) == before
    with pytest.raises(TaskRefused):
        step(centre, evaluation_id, Step.RECTIFY)  # an unfounded complaint needs none
    with pytest.raises(ValidationError) as refused:
        step(centre, evaluation_id, Step.CALL_BACK, "电话回访")  # no outcome
    assert refused.value.field == "回访结果"
    assert written(centre) == before
    step(centre, evaluation_id, Step.CALL_BACK, "电话回访", outcome=CallBackOutcome.SATISFIED)
    assert step(centre, evaluation_id, Step.CLOSE) is TaskState.CLOSED
    with pytest.raises(TaskRefused, match="已办结"):
        step(centre, evaluation_id, Step.CLOSE)


def test_an_anonymous_bad_rating_may_close_without_a_call_back(centre: Centre) -> None:
    evaluation_id = bad(centre, anonymous=True)
    step(centre, evaluation_id, Step.VERIFY, "属实", founded=True)
    step(centre, evaluation_id, Step.RECTIFY, "已整改")
    assert step(centre, evaluation_id, Step.CLOSE) is TaskState.CLOSED


def test_only_the_supervisor_works_the_tasks(centre: Centre) -> None:
    evaluation_id = bad(centre)
    before = written(centre)
    for who in ("clerk", "approver", "admin", "auditor", "proxy"):
        with pytest.raises(PermissionDenied):
            step(centre, evaluation_id, Step.VERIFY, founded=True, who=who)
        with centre.store.reader() as session, pytest.raises(PermissionDenied):
            open_tasks(session, centre.actor(who))
    assert written(centre) == before
    with centre.store.reader() as session:
        refusals = session.scalars(
            select(AuditEntry.actor).where(AuditEntry.event == AuditEvent.PERMISSION_DENIED)
        ).all()
        state = session.scalar(select(Evaluation.task_state))
    assert refusals == ["clerk", "approver", "admin", "auditor", "proxy"]
    assert state == TaskState.TO_VERIFY.value


def test_a_step_needs_a_note_and_fields_that_fit_it(centre: Centre) -> None:
    evaluation_id = bad(centre)
    cases: list[tuple[Step, str, bool | None, CallBackOutcome | None, str]] = [
        (Step.VERIFY, "  ", True, None, "办理说明"),
        (Step.VERIFY, "核实", None, None, "核实结论"),
        (Step.VERIFY, "核实", True, CallBackOutcome.SATISFIED, "回访结果"),
        (Step.RECTIFY, "整改", True, None, "核实结论"),
        (Step.VERIFY, "长" * 501, True, None, "办理说明"),
    ]
    for which, note, founded, outcome, field in cases:
        with pytest.raises(ValidationError) as refused:
            step(centre, evaluation_id, which, note, founded=founded, outcome=outcome)
        assert refused.value.field == field
    assert written(centre) == (0, 0)
    good = rate(centre, served(centre), Level.SATISFIED)
    with pytest.raises(TaskRefused, match="不是差评"):
        step(centre, good, Step.VERIFY, founded=True)


def test_the_list_puts_the_most_urgent_first_and_shows_what_a_call_back_needs(
    centre: Centre,
) -> None:
    late = bad(centre, at=local(dt.date(2026, 3, 2), 10))  # due Mon 9 March
    soon = bad(centre, at=local(dt.date(2026, 3, 10), 10), anonymous=True)  # due Tue 17 March
    earlier = bad(centre, at=local(dt.date(2026, 3, 3), 10))  # due Tue 10 March
    supervisor = centre.actor("supervisor")
    today = dt.date(2026, 3, 10)
    with centre.store.reader() as session:
        tasks = open_tasks(session, supervisor, today=today)
        overdue = overdue_tasks(session, today)
        later = overdue_tasks(session, dt.date(2026, 3, 18))
        names = {
            evaluation_id: name
            for evaluation_id, name in session.execute(
                select(Evaluation.id, Applicant.name)
                .join(Case, Case.id == Evaluation.case_id)
                .join(Applicant, Applicant.id == Case.applicant_id)
            )
        }
    assert [t.evaluation_id for t in tasks] == [late, earlier, soon]
    assert [t.overdue for t in tasks] == [True, False, False]  # due today is not late yet
    assert (overdue, later) == (1, 3)
    first = tasks[0]
    assert first.level is Level.DISSATISFIED and first.level_label == "不满意"
    assert first.reasons == (Reason.ATTITUDE.label,) and first.text == "等了很久"
    assert first.state_label == "待核实" and first.item_name == "生育登记"
    assert first.applicant_name == mask_name(names[late]) != names[late]
    assert first.applicant_name[0] == names[late][0]
    assert first.applicant_phone  # called back on it
    assert tasks[2].anonymous and tasks[2].applicant_phone is None  # asked not to be called


def test_the_satisfaction_figures(centre: Centre) -> None:
    for level in (Level.VERY_SATISFIED, Level.VERY_SATISFIED, Level.SATISFIED):
        rate(centre, served(centre), level)
    rate(centre, served(centre), Level.BASICALLY_SATISFIED)
    closed = bad(centre, anonymous=True)
    step(centre, closed, Step.VERIFY, "不属实", founded=False)
    step(centre, closed, Step.CLOSE)
    bad(centre)
    rate(centre, served(centre), Level.SATISFIED, at=local(dt.date(2026, 3, 3), 0, 10))
    with centre.store.reader() as session:
        figures = satisfaction(session, dt.date(2026, 3, 2), dt.date(2026, 3, 2))
        nothing = satisfaction(session, dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert figures.total == 6  # the rating early on 3 March (local) is not in the 2nd
    assert figures.counts[Level.VERY_SATISFIED] == 2 and figures.counts[Level.DISSATISFIED] == 2
    assert figures.share == pytest.approx(3 / 6)
    assert (figures.bad, figures.tasks_closed, figures.tasks_open) == (2, 1, 1)
    assert "满意度 50.0%" in figures.line()
    assert nothing.total == 0 and nothing.share is None
