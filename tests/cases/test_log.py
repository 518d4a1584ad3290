"""The log this workstation folds: confirmed actions in county order, then its own pending ones;
a parked action is kept but never folded."""

from __future__ import annotations

from sqlalchemy import select, text

from app.cases import decisions as d
from app.cases.engine import project
from app.cases.log import PARKED, in_fold_order
from app.workflow.states import CaseState
from db.models import ActionConfirmation, Case, CaseAction, OutboxEntry
from tests.centre import Centre

DIBAO = "最低生活保障"


def _folded(c: Centre, case_id: int) -> list[str]:
    with c.store.reader() as session:
        return [a.action for a in session.scalars(in_fold_order(case_id))]


def test_confirmed_actions_come_first_in_county_order_and_parked_ones_are_left_out(
    centre: Centre,
) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    d.start_review(c.ctx, c.actor("approver"), received.case_id)
    assert _folded(c, received.case_id) == ["receive", "accept", "start_review"]
    with c.store.session() as session, session.begin():
        rows = session.scalars(
            select(CaseAction).where(CaseAction.case_id == received.case_id)
        ).all()
        by_action = {r.action: r for r in rows}
        # The county confirmed the review first (another window's order), then the rest.
        session.add(ActionConfirmation(action_id=by_action["start_review"].id, county_seq=1))
        session.add(ActionConfirmation(action_id=by_action["receive"].id, county_seq=2))
        session.execute(
            text("UPDATE outbox SET status = :parked WHERE action_id = :a"),
            {"parked": PARKED, "a": by_action["accept"].id},
        )
    assert _folded(c, received.case_id) == ["start_review", "receive"]
    with c.store.reader() as session:
        parked = session.scalars(
            select(OutboxEntry).where(OutboxEntry.action_id == by_action["accept"].id)
        ).one()
        assert parked.status == PARKED  # kept, for a person to resolve
        assert session.get(CaseAction, by_action["accept"].id) is not None


def test_a_parked_action_leaves_the_case_where_the_rest_put_it(centre: Centre) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    with c.store.session() as session, session.begin():
        accept = session.scalars(
            select(CaseAction).where(
                CaseAction.case_id == received.case_id, CaseAction.action == "accept"
            )
        ).one()
        session.execute(
            text("UPDATE outbox SET status = :parked WHERE action_id = :a"),
            {"parked": PARKED, "a": accept.id},
        )
    with c.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None
        assert project(session, case, c.ctx.calendar).state is CaseState.RECEIVED
    # The next action folds on what is left and takes the next local number.
    change = d.accept(c.ctx, c.actor("clerk"), received.case_id)
    assert change.state is CaseState.ACCEPTED and change.seq == 2
    with c.store.reader() as session:
        numbers = session.scalars(
            select(CaseAction.seq).where(CaseAction.case_id == received.case_id)
        ).all()
    assert sorted(numbers) == [1, 2, 3]
