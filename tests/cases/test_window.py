"""Each window action is one unit of work: 收件 + decision + draft, file + submit, ID check +
hand-over each commit once, and a failure in the middle leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.cases import decisions as d
from app.cases import delivery, intake
from app.cases import proxy as p
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.errors import IllegalTransition, ValidationError
from app.intake import window
from app.intake.drafts import save_draft
from app.intake.window import Decision, Kind
from app.printing.kinds import DocKind
from app.validators import id_check_digit
from app.workflow import guards
from app.workflow.states import Action, CaseState
from db.models import AuditEntry, Case, CaseAction, IntakeDraft, OutboxEntry
from tests.cases.helpers import applicant_of, assert_consistent
from tests.centre import Centre

DIBAO = "最低生活保障"
GAOLING = "高龄津贴"


@dataclass
class Counts:
    commits: int = 0
    statements: int = 0


@contextmanager
def counted(c: Centre) -> Iterator[Counts]:
    """Commits and SQL statements sent to the store while the block runs."""
    counts = Counts()

    def on_commit(_conn: Any) -> None:
        counts.commits += 1

    def on_statement(*_args: Any) -> None:
        counts.statements += 1

    engine = c.store.engine
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "before_cursor_execute", on_statement)
    try:
        yield counts
    finally:
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "before_cursor_execute", on_statement)


def written(c: Centre) -> tuple[int, ...]:
    with c.store.reader() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Case, CaseAction, OutboxEntry, AuditEntry, IntakeDraft)
        )


def _walk_in_args(c: Centre) -> tuple[int, dict[str, Any], list[intake.MaterialIn]]:
    form = sample_form_data(c.template(DIBAO), c.rng)
    materials = [intake.MaterialIn(k) for k in c.required_materials(DIBAO)]
    return c.item_id(DIBAO), form, materials


def test_accept_at_the_window_is_one_transaction(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    item_id, form, materials = _walk_in_args(c)
    with c.store.session() as session:
        save_draft(session, clerk, "draft-1", item_id, form, {})
    with counted(c) as counts:
        outcome = window.receive_and_decide(
            c.ctx, clerk, item_id, form, materials, Decision(Kind.ACCEPT), "draft-1"
        )
    assert counts.commits == 1
    assert outcome.decided and outcome.change.state is CaseState.ACCEPTED
    assert outcome.change.receipt_no == "511899101000-W01-20260302-0001"
    assert outcome.due_date == dt.date(2026, 4, 7) and outcome.deficiency_due is None
    assert outcome.documents == (DocKind.ACCEPTANCE_NOTICE, DocKind.MATERIALS_RECEIPT)
    assert written(c)[4] == 0  # the draft went with it
    assert_consistent(c.store, c.ctx.calendar)


def test_a_decision_refused_after_the_intake_leaves_nothing(
    centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = centre
    clerk = c.actor("clerk")
    item_id, form, materials = _walk_in_args(c)
    with c.store.session() as session:
        save_draft(session, clerk, "draft-1", item_id, form, {})
    before = written(c)
    step = window._step

    def fails(session: Session, case: Case, now: dt.datetime) -> None:
        raise IllegalTransition("办件状态已变化")  # after 收件 and the decision's action row

    monkeypatch.setattr(window, "_step", lambda decision: replace(step(decision), after=fails))
    with pytest.raises(IllegalTransition):
        window.receive_and_decide(
            c.ctx, clerk, item_id, form, materials, Decision(Kind.ACCEPT), "draft-1"
        )
    assert written(c) == before  # no case, action, outbox row or audit entry; the draft kept
    # A decision the guards refuse (a required material missing) leaves nothing either.
    monkeypatch.setattr(window, "_step", step)
    with pytest.raises(ValidationError, match="必交材料未收齐"):
        window.receive_and_decide(
            c.ctx, clerk, item_id, form, materials[:-1], Decision(Kind.ACCEPT), "draft-1"
        )
    assert written(c) == before


def test_a_pending_case_is_taken_in_and_decided_at_once(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    received = c.walk_in(DIBAO, materials=c.required_materials(DIBAO)[:-1])
    d.request_supplement(c.ctx, clerk, received.case_id, [{"name": "照片", "how": "补交"}])
    last = [intake.MaterialIn(c.required_materials(DIBAO)[-1])]
    with counted(c) as counts:
        outcome = window.take_in_and_decide(
            c.ctx, clerk, received.case_id, last, Decision(Kind.ACCEPT)
        )
    assert counts.commits == 1
    assert outcome.change.state is CaseState.ACCEPTED and outcome.change.seq == 4
    with pytest.raises(IllegalTransition, match="只有代办员提交的申请和待补正的办件需要收件"):
        window.take_in_and_decide(c.ctx, clerk, received.case_id, [], Decision(Kind.RECEIVE))


def _authorized(c: Centre) -> int:
    first17 = "51189919440312002"
    resident = {
        "name": "赵桂兰",
        "id_number": first17 + id_check_digit(first17),
        "phone": "13812345678",
    }
    gaoling = next(i for i in bundled_catalog().items if i.name == GAOLING)
    return intake.register_authorization(
        c.ctx, c.actor("proxy"), resident, [gaoling.code], dt.date(2026, 12, 31)
    ).authorization_id


def _proxy_form(c: Centre) -> dict[str, Any]:
    form = sample_form_data(c.template(GAOLING), c.rng)
    applicant = c.template(GAOLING).applicant_field()
    assert applicant is not None
    form.pop(applicant.key)  # the proxy desk never holds the resident's ID number
    return form


def test_file_and_submit_is_one_transaction_and_all_or_nothing(
    centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = centre
    proxy = c.actor("proxy")
    auth = _authorized(c)
    form = _proxy_form(c)
    before = written(c)

    def refuse_submit(*args: Any, **kwargs: Any) -> Any:
        raise IllegalTransition("提交失败")

    monkeypatch.setattr(intake, "act_in", refuse_submit)  # the submit, after the draft
    with pytest.raises(IllegalTransition):
        p.file_for_resident(c.ctx, proxy, c.item_id(GAOLING), form, auth, submit=True)
    assert written(c) == before  # no draft left behind to be filed twice
    monkeypatch.undo()

    with counted(c) as counts:
        filed = p.file_for_resident(c.ctx, proxy, c.item_id(GAOLING), form, auth, submit=True)
    assert counts.commits == 1
    assert (filed.state, filed.seq) == (CaseState.SUBMITTED, 2)
    assert_consistent(c.store, c.ctx.calendar)


def test_hand_over_checks_the_card_in_the_transaction_that_records_it(centre: Centre) -> None:
    c = centre
    clerk = c.actor("clerk")
    received = c.walk_in("生育登记")  # 即办件: decided at the window
    d.accept(c.ctx, clerk, received.case_id)
    d.decide(c.ctx, clerk, received.case_id, approved=True)
    d.mark_ready(c.ctx, clerk, received.case_id)
    name, card = applicant_of(c.store, received.case_id)
    before = written(c)
    wrong = card[:-5] + ("1" if card[-5] != "1" else "2") + card[-4:-1]
    wrong += id_check_digit(wrong)
    with pytest.raises(ValidationError, match="领取人身份证号与申请人"):
        delivery.deliver_to_applicant(c.ctx, clerk, received.case_id, name, wrong)
    assert written(c) == before
    with counted(c) as counts:
        done = delivery.deliver_to_applicant(c.ctx, clerk, received.case_id, name, card)
    assert counts.commits == 1 and done.state is CaseState.DELIVERED
    assert not hasattr(d, "deliver_at_window")  # no hand-over without the card check


def test_opinion_and_next_step_are_one_action(
    centre: Centre, monkeypatch: pytest.MonkeyPatch
) -> None:
    """记录意见并进入下一环节: both in one transaction, or neither; what comes back names the
    step the case moved to, so the desk says it without reading the case again."""
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    started = d.start_review(c.ctx, c.actor("approver"), received.case_id)
    assert started.step is not None and started.step.role == "approver"
    assert started.due_date == dt.date(2026, 4, 7)
    before = written(c)

    def refused(g: guards.GuardContext) -> None:
        raise IllegalTransition("不能进入下一环节")  # after the opinion's action row

    monkeypatch.setitem(guards.GUARDS, Action.NEXT_STEP, refused)
    with pytest.raises(IllegalTransition):
        d.record_opinion(c.ctx, c.actor("approver"), received.case_id, "同意", then_next=True)
    assert written(c) == before  # the opinion is not left behind on its own
    monkeypatch.undo()
    with counted(c) as counts:
        moved = d.record_opinion(
            c.ctx, c.actor("approver"), received.case_id, "材料齐全，同意", then_next=True
        )
    assert counts.commits == 1 and moved.seq == started.seq + 2
    assert moved.step is not None and moved.step != started.step
