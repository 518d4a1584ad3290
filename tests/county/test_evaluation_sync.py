"""好差评 from the window to the county and back, through the real sync: a window rating and a
差评 taken at W01 (``app.evaluations.rating``) go up with the case's receipt in one push, the
supervisor's 核实 (``app.evaluations.tasks``) follows, and the county's feed holds them as applied,
numbered per case, with the step and its op_id. On both backends."""

from __future__ import annotations

from sqlalchemy import select

from app.evaluations.levels import Level, Reason, Service
from app.evaluations.rating import invitation_for, record_window_rating
from app.evaluations.rectification import Step, TaskState
from app.evaluations.tasks import take_step
from app.evaluations.wire import Evaluations
from app.sync.push import push_pending
from db.models import Evaluation, OutboxEntry
from tests.county.stations import Station
from tests.county.test_push_pull import DIBAO


def _rate(w01: Station, level: Level, reasons: tuple[Reason, ...] = ()) -> str:
    c = w01.centre
    case = c.walk_in(DIBAO)
    with c.store.reader() as session:
        invitation = invitation_for(session, c.actor("clerk"), case.case_id, Service.INTAKE)
    assert invitation is not None
    with c.store.session() as session:
        rated = record_window_rating(
            session, invitation, level, reasons, "", anonymous=False, now=c.clock(),
            calendar=c.ctx.calendar,
        )  # fmt: skip
        return rated.uid


def _feed(w01: Station) -> Evaluations:
    return w01.transport.evaluations(0, 1000)


def test_window_ratings_and_a_step_reach_the_county(w01: Station) -> None:
    good = _rate(w01, Level.VERY_SATISFIED)
    bad = _rate(w01, Level.DISSATISFIED, (Reason.WAITING,))
    pushed = push_pending(w01.centre.store, w01.transport)
    assert (pushed.applied, pushed.parked, pushed.waiting) == (4, 0, 0)  # 2 receipts, 2 ratings
    c = w01.centre
    with c.store.session() as session:
        evaluation_id = session.scalars(select(Evaluation.id).where(Evaluation.uid == bad)).one()
    with c.store.session() as session:
        take_step(session, c.actor("supervisor"), evaluation_id, Step.VERIFY, "属实，已约谈",
                  founded=True, now=c.clock())  # fmt: skip
    assert push_pending(c.store, w01.transport).applied == 1
    with c.store.reader() as session:
        step_op = session.scalars(select(OutboxEntry.op_id).order_by(OutboxEntry.id.desc())).first()
    copies = {copy.terms.uid: copy for copy in _feed(w01).evaluations}
    assert copies[good].task_state is None and copies[good].assess_number == 1
    assert copies[bad].task_state is TaskState.TO_RECTIFY
    (step,) = copies[bad].steps
    assert (step.step, step.founded, step.actor) == (Step.VERIFY, True, "supervisor")
    assert step.op_id == step_op
    assert [copy.terms.uid for copy in _feed(w01).evaluations] == [good, bad]  # by feed number
