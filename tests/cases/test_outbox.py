"""The outbox holds what travels up: one complete envelope per local operation, none for an action
that came down from the county."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.actor import Role
from app.cases import decisions as d
from app.cases.engine import perform
from app.outbox.enqueue import enqueue
from app.outbox.envelope import CaseActionEnvelope, Envelope, parse_envelope
from app.outbox.ids import new_uid
from app.workflow.states import Action
from db.models import Case, CaseAction, OutboxEntry
from tests.cases.helpers import assert_consistent, assert_no_local_ids
from tests.centre import TOWN, Centre

DIBAO = "最低生活保障"


def _outbox(c: Centre) -> list[OutboxEntry]:
    with c.store.reader() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)))


def test_an_acceptance_queues_its_envelope(centre: Centre) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    first, second = _outbox(c)
    envelope = parse_envelope(second.payload)
    assert isinstance(envelope, CaseActionEnvelope)
    with c.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None
        action = session.scalars(
            select(CaseAction).where(CaseAction.case_id == case.id, CaseAction.seq == 2)
        ).one()
    assert envelope.op_id == second.op_id == action.op_id != first.op_id
    assert (envelope.key, envelope.case.uid, envelope.case.receipt_no) == (
        case.uid,
        case.uid,
        case.receipt_no,
    )
    assert (envelope.base_seq, envelope.seq, envelope.action) == (1, 2, "accept")
    assert (envelope.from_state, envelope.to_state) == ("received", "accepted")
    assert (envelope.actor.username, envelope.actor.role) == ("clerk", "clerk")
    assert (envelope.workstation, envelope.centre) == ("W01", TOWN)
    assert envelope.case.item_code == "DEMO-MZ-001" and len(envelope.case.item_version) == 64
    assert (envelope.case.template_key, envelope.case.template_version) == ("dibao", 1)
    assert envelope.occurred_at == c.clock.now
    assert envelope.payload == {}
    assert_no_local_ids(second.payload)


def test_an_action_from_the_county_writes_no_outbox_row(centre: Centre) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    county_op = new_uid()
    before = len(_outbox(c))
    with c.store.session() as session, session.begin():
        case = session.get(Case, received.case_id)
        assert case is not None
        perform(
            session,
            actor=c.actor("clerk"),
            case=case,
            action=Action.ACCEPT,
            payload={},
            calendar=c.ctx.calendar,
            now=c.clock.now,
            from_county=county_op,
        )
    assert len(_outbox(c)) == before
    with c.store.reader() as session:
        ops = session.scalars(
            select(CaseAction.op_id).where(CaseAction.case_id == received.case_id)
        ).all()
    assert ops[-1] == county_op


def test_other_operations_travel_with_their_own_kind(centre: Centre) -> None:
    c = centre
    admin = c.actor("admin")
    assert Role.ADMIN in admin.roles
    now = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    with c.store.session() as session, session.begin():
        op_id = enqueue(session, admin, "user.disable", "clerk2", {"username": "clerk2"}, now=now)
    (row,) = _outbox(c)
    envelope = parse_envelope(row.payload)
    assert type(envelope) is Envelope
    assert (row.op_id, row.key, row.kind, row.case_id) == (op_id, "clerk2", "user.disable", None)
    assert (envelope.kind, envelope.key, envelope.payload) == (
        "user.disable",
        "clerk2",
        {"username": "clerk2"},
    )
    assert (envelope.actor.username, envelope.centre, envelope.occurred_at) == ("admin", TOWN, now)
    assert_consistent(c.store, c.ctx.calendar)
