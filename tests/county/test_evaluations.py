"""好差评 at the county (``county/evaluations.py``): an evaluation numbered per case, the centre's
feed number moving on, one window rating per service, a 差评's task and its steps — on both
backends."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.evaluations.levels import Channel, Level, Service
from app.evaluations.rectification import CallBackOutcome, Step, TaskState
from app.evaluations.wire import StepTerms
from county.evaluations import EvaluationRefused, add_evaluation, add_step
from county.store.models import CountyEvaluation
from tests.centre import Centre
from tests.county.evaluation_scene import AT, Scene, received_scene, terms
from tests.county.server import County


@pytest.fixture
def scene(centre: Centre, county: County) -> Scene:
    return received_scene(centre, county)


def _count(scene: Scene) -> int:
    with scene.county.store.sessions() as session:
        return session.scalar(select(func.count()).select_from(CountyEvaluation)) or 0


def test_evaluations_are_numbered_per_case_and_fed_in_order(scene: Scene) -> None:
    store = scene.county.store
    with store.sessions() as session, session.begin():
        window = add_evaluation(session, scene.case(session), terms(scene))
        phone = add_evaluation(
            session,
            scene.case(session),
            terms(
                scene,
                channel=Channel.PHONE,
                service=Service.CASE,
                service_op_id=None,
                level=Level.VERY_DISSATISFIED,
            ),
        )
        assert (window.assess_number, window.feed_seq, window.task_state) == (1, 1, None)
        assert (phone.assess_number, phone.feed_seq) == (2, 2)
        assert phone.task_state == TaskState.TO_VERIFY.value and phone.steps == []
    assert _count(scene) == 2


def test_a_service_is_rated_once_at_the_window(scene: Scene) -> None:
    store = scene.county.store
    with store.sessions() as session, session.begin():
        add_evaluation(session, scene.case(session), terms(scene))
    with (
        store.sessions() as session,
        session.begin(),
        pytest.raises(EvaluationRefused) as refused,
    ):
        add_evaluation(session, scene.case(session), terms(scene, level=Level.SATISFIED))
    assert refused.value.code == "E422-DUPLICATE"
    assert "只能评价一次" in refused.value.message
    with store.sessions() as session, session.begin():  # a later phone rating is welcome
        phone = add_evaluation(
            session,
            scene.case(session),
            terms(scene, channel=Channel.PHONE, service=Service.CASE, service_op_id=None),
        )
        assert phone.assess_number == 2
    assert _count(scene) == 2


def test_a_rating_of_a_service_that_is_not_the_case_s_is_refused(scene: Scene) -> None:
    with (
        scene.county.store.sessions() as session,
        session.begin(),
        pytest.raises(EvaluationRefused) as refused,
    ):
        add_evaluation(session, scene.case(session), terms(scene, service_op_id=str(uuid.uuid4())))
    assert refused.value.code == "E422-SERVICE"
    assert _count(scene) == 0


def test_a_bad_rating_s_task_goes_through_its_steps_in_order(scene: Scene) -> None:
    store = scene.county.store
    with store.sessions() as session, session.begin():
        bad = add_evaluation(session, scene.case(session), terms(scene, level=Level.DISSATISFIED))
        uid = bad.uid

    def step(name: Step, **fields: object) -> StepTerms:
        return StepTerms.model_validate(
            {"evaluation_uid": uid, "step": name, "note": "说明", "taken_at": AT, **fields}
        )

    with store.sessions() as session, session.begin():
        row = session.scalars(select(CountyEvaluation).where(CountyEvaluation.uid == uid)).one()
        with pytest.raises(EvaluationRefused) as refused:
            add_step(session, row, step(Step.CLOSE), actor="supervisor", op_id=str(uuid.uuid4()))
        assert refused.value.code == "E422-STEP"
        assert row.task_state == TaskState.TO_VERIFY.value and row.feed_seq == 1
        ops = [str(uuid.uuid4()) for _ in range(4)]
        add_step(session, row, step(Step.VERIFY, founded=True), actor="supervisor", op_id=ops[0])
        add_step(session, row, step(Step.RECTIFY), actor="supervisor", op_id=ops[1])
        add_step(
            session,
            row,
            step(Step.CALL_BACK, outcome=CallBackOutcome.SATISFIED),
            actor="supervisor",
            op_id=ops[2],
        )
        add_step(session, row, step(Step.CLOSE), actor="supervisor", op_id=ops[3])
    with store.sessions() as session:
        row = session.scalars(select(CountyEvaluation).where(CountyEvaluation.uid == uid)).one()
        assert row.task_state == TaskState.CLOSED.value
        assert [s["step"] for s in row.steps] == ["verify", "rectify", "call_back", "close"]
        assert [s["op_id"] for s in row.steps] == ops
        assert row.feed_seq == 5  # moved on with each step
