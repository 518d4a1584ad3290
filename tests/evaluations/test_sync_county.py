"""好差评 through the real county service on loopback: a 差评 given at W01's window goes up, comes
down at W02 (the supervisor's PC) as an open task linked to its case, is worked there, and its
steps come back down at W01 — each step once, in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.evaluations.levels import Level, Reason
from app.evaluations.rectification import CallBackOutcome, Step, TaskState
from app.evaluations.tasks import open_tasks, take_step, task_detail
from app.sync.push import push_all
from app.sync.session import sync_now
from db.models import Evaluation
from tests.county.server import County, running_county
from tests.county.stations import Station, w01, w02
from tests.evaluations.helpers import rate, served

__all__ = ["w01", "w02"]  # the stations' fixtures, on this module's county


@pytest.fixture
def county(tmp_path: Path) -> Iterator[County]:
    with running_county(tmp_path / "county") as running:
        yield running


def sync(station: Station) -> None:
    summary = sync_now(station.centre.store, station.transport, station.centre.ctx.calendar)
    assert summary.parked == 0, summary.line()


def steps_at(station: Station, uid: str) -> tuple[str | None, list[tuple[str, str]]]:
    c = station.centre
    with c.store.reader() as session:
        evaluation = session.scalars(select(Evaluation).where(Evaluation.uid == uid)).one()
        detail = task_detail(session, c.actor("supervisor"), evaluation.id)
    return evaluation.task_state, [(s.step.value, s.actor) for s in detail.steps]


def work(station: Station, uid: str, step: Step, **fields: object) -> TaskState:
    c = station.centre
    with c.store.reader() as session:
        evaluation_id = session.scalars(select(Evaluation.id).where(Evaluation.uid == uid)).one()
    with c.store.session() as session:
        return take_step(
            session,
            c.actor("supervisor"),
            evaluation_id,
            step,
            f"{step.label}记录",
            now=c.clock(),
            **fields,  # type: ignore[arg-type]
        )


def test_a_bad_rating_goes_round_the_centre_through_the_county(w01: Station, w02: Station) -> None:
    invitation = served(w01.centre)
    evaluation_id = rate(w01.centre, invitation, Level.VERY_DISSATISFIED, (Reason.SLOW,), "太慢")
    with w01.centre.store.reader() as session:
        mine = session.get(Evaluation, evaluation_id)
    assert mine is not None
    sync(w01)
    sync(w02)  # the case, then its evaluation

    with w02.centre.store.reader() as session:
        tasks = open_tasks(session, w02.centre.actor("supervisor"))
        there = session.scalars(select(Evaluation).where(Evaluation.uid == mine.uid)).one()
    assert [t.evaluation_uid for t in tasks] == [mine.uid]
    assert tasks[0].receipt_no == invitation.receipt_no  # linked to the case W02 took down
    assert (there.assess_number, there.task_state) == (1, TaskState.TO_VERIFY.value)
    assert there.task_due == mine.task_due
    assert (there.staff, there.window, there.service_op_id) == ("clerk", "W01", mine.service_op_id)

    work(w02, mine.uid, Step.VERIFY, founded=True)
    work(w02, mine.uid, Step.RECTIFY)
    work(w02, mine.uid, Step.CALL_BACK, outcome=CallBackOutcome.SATISFIED)
    sync(w02)
    sync(w01)
    assert steps_at(w01, mine.uid) == (
        TaskState.TO_CLOSE.value,
        [("verify", "supervisor"), ("rectify", "supervisor"), ("call_back", "supervisor")],
    )
    with w01.centre.store.reader() as session:
        assert session.get(Evaluation, evaluation_id).assess_number == 1  # type: ignore[union-attr]

    assert work(w01, mine.uid, Step.CLOSE) is TaskState.CLOSED
    sync(w01)
    sync(w02)
    sync(w02)  # again: nothing is taken twice
    state, steps = steps_at(w02, mine.uid)
    assert state == TaskState.CLOSED.value
    assert [s for s, _ in steps] == ["verify", "rectify", "call_back", "close"]


def test_the_rating_waits_in_the_outbox_until_pushed_and_is_acknowledged(
    w01: Station,
) -> None:
    rate(w01.centre, served(w01.centre), Level.SATISFIED)
    pushed = push_all(w01.centre.store, w01.transport)
    assert (pushed.applied, pushed.parked) == (2, 0)  # the case's opening action, the rating
