"""An action the county refuses is parked at the push — and the case no longer shows it, even
when no pull comes to touch the case afterwards (a refusal brings nothing new down)."""

from __future__ import annotations

from sqlalchemy import select, update

from app.sync.push import PENDING
from benchmarks.soak.world import World
from county.store.models import Account
from db.models import Case, OutboxEntry
from tests.faults.conftest import healed_and_checked, walk_in_and_accept


def test_a_refused_action_is_parked_and_the_case_folded_without_it(soak: World) -> None:
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    case = walk_in_and_accept(w01.centre)
    assert w01.sync().error is None and w02.sync().error is None
    with w01.store.reader() as session:
        uid = session.scalars(select(Case.uid).where(Case.id == case)).one()
    county = soak.county_store()
    try:  # the county disables the approver's account; W02 has not heard yet
        with county.sessions() as session, session.begin():
            session.execute(
                update(Account).where(Account.username == "approver").values(active=False)
            )
    finally:
        county.close()
    with w02.store.reader() as session:
        at_w02 = session.scalars(select(Case.id).where(Case.uid == uid)).one()
    from app.cases import decisions

    decisions.start_review(w02.centre.ctx, w02.centre.actor("approver"), at_w02)
    outcome = w02.sync()
    assert outcome.summary is not None and outcome.summary.parked == 1
    with w02.store.reader() as session:
        reason = session.scalars(
            select(OutboxEntry.last_error).where(
                OutboxEntry.status != PENDING,
                OutboxEntry.case_id == at_w02,
                OutboxEntry.status == "parked",
            )
        ).one()
        state = session.scalars(select(Case.state).where(Case.id == at_w02)).one()
    assert reason is not None and "E403-ACTOR" in reason
    assert state == "accepted"  # not 审查中: the parked review is not folded
    healed_and_checked(soak)
