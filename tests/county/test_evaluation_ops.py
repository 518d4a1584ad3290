"""The workstations' 好差评 operations at the county (``county/evaluation_ops.py`` through
``county/apply.py``), pushed over HTTP on both backends: a window rating applied, repeated
(``replayed``), its op_id reused (refused), forged, of an unknown case (``held``: sent again),
rated twice (refused); a 差评's steps taken by the supervisor in order, refused to a clerk and out
of order — and nothing written by any refusal. The feed ``GET /v1/evaluations`` gives the centre's
evaluations in order, and a proxy agent's laptop none."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.evaluations.levels import Channel, Level, Service
from app.evaluations.rectification import CallBackOutcome, Step, TaskState
from app.evaluations.wire import Evaluations, StepTerms
from county.evaluations import add_evaluation
from county.store.models import Centre as CountyCentre
from tests.centre import Centre
from tests.county.evaluation_scene import (
    AT,
    Scene,
    evaluation_op,
    received_scene,
    step_op,
    terms,
)
from tests.county.server import County
from tests.county.test_bad_input import store_rows
from tests.county.test_push_pull import DIBAO, queued

ELSEWHERE = "511899102000"


@pytest.fixture
def scene(centre: Centre, county: County) -> Scene:
    return received_scene(centre, county)


def _step(evaluation_uid: str, step: Step, **fields: Any) -> StepTerms:
    return StepTerms.model_validate(
        {"evaluation_uid": evaluation_uid, "step": step, "note": "已处理", "taken_at": AT, **fields}
    )


def _feed(scene: Scene, after: int = 0, secret: str | None = None, **query: int) -> Evaluations:
    with scene.county.client(secret or scene.w01) as client:
        answer = client.get("/v1/evaluations", params={"after": after, **query})
    assert answer.status_code == 200, answer.text
    return Evaluations.model_validate(answer.json())


def test_a_window_rating_is_applied_once_and_fed_to_the_centre(scene: Scene) -> None:
    rated = terms(scene, level=Level.SATISFIED)
    op = evaluation_op(rated)
    (answer,) = scene.push([op])
    assert (answer.outcome, answer.code) == ("applied", None)
    (again,) = scene.push([op])
    assert again.outcome == "replayed"
    (copy,) = _feed(scene).evaluations
    assert copy.terms == rated and copy.assess_number == 1 and copy.cursor == 1
    assert copy.task_state is None and copy.steps == ()
    assert copy.receipt_no == scene.receive["case"]["receipt_no"]
    assert copy.official_no is not None  # the case is numbered on receipt
    assert _feed(scene, after=1).evaluations == ()
    with scene.county.client() as client:
        assert client.get("/v1/evaluations").status_code == 401


def test_the_proxy_laptop_takes_no_evaluation_down(scene: Scene) -> None:
    (answer,) = scene.push([evaluation_op(terms(scene))])
    assert answer.outcome == "applied"
    assert _feed(scene, secret=scene.county.activate("V01")) == Evaluations(
        evaluations=(), more=False
    )


def test_a_reused_op_id_a_forged_centre_and_a_second_rating_are_refused_writing_nothing(
    scene: Scene,
) -> None:
    first = evaluation_op(terms(scene))
    (applied,) = scene.push([first])
    assert applied.outcome == "applied"
    before = store_rows(scene.county)
    reused = evaluation_op(terms(scene, level=Level.SATISFIED), op_id=first["op_id"])
    forged = evaluation_op(terms(scene), centre=ELSEWHERE)
    twice = evaluation_op(terms(scene, level=Level.BASICALLY_SATISFIED))
    phone = evaluation_op(terms(scene).model_copy(update={"channel": Channel.PHONE}))
    stranger = evaluation_op(terms(scene), actor="nobody")
    answers = scene.push([reused, forged, twice, phone, stranger])
    assert [(a.outcome, a.code) for a in answers] == [
        ("rejected", "E422-OP-REUSED"),
        ("rejected", "E403-FORGED"),
        ("rejected", "E422-DUPLICATE"),
        ("rejected", "E422-CHANNEL"),
        ("rejected", "E403-ACTOR"),
    ]
    assert answers[2].message == "该次服务已在窗口评价过，每次服务只能评价一次。"
    assert store_rows(scene.county) == before


def test_malformed_terms_are_refused_in_chinese(scene: Scene) -> None:
    before = store_rows(scene.county)
    bad = terms(scene, level=Level.DISSATISFIED).model_dump(mode="json")
    no_reason = evaluation_op(terms(scene))
    no_reason["payload"] = {**bad, "reasons": []}
    odd_level = evaluation_op(terms(scene))
    odd_level["payload"] = {**bad, "level": 9}
    answers = scene.push([no_reason, odd_level])
    assert [(a.outcome, a.code) for a in answers] == [("rejected", "E422-FORMAT")] * 2
    assert answers[0].message == "评价格式不正确：差评须至少选择一项原因"
    assert answers[1].message == "评价格式不正确：level 取值不在允许的范围内"
    assert store_rows(scene.county) == before


def test_a_rating_of_another_centre_s_case_is_refused(scene: Scene) -> None:
    with scene.county.store.sessions() as session, session.begin():
        session.add(CountyCentre(code=ELSEWHERE, name="柳林镇便民服务中心"))
        session.flush()
        scene.case(session).centre_code = ELSEWHERE
    before = store_rows(scene.county)
    (answer,) = scene.push([evaluation_op(terms(scene))])
    assert (answer.outcome, answer.code) == ("rejected", "E403-FORGED")
    assert store_rows(scene.county) == before


def test_a_rating_of_a_case_not_yet_at_the_county_waits_for_it(
    scene: Scene, centre: Centre
) -> None:
    centre.walk_in(DIBAO)
    receive = queued(centre)[-1]
    rated = terms(scene).model_copy(
        update={"case_uid": receive["case"]["uid"], "service_op_id": receive["op_id"]}
    )
    op = evaluation_op(rated)
    before = store_rows(scene.county)
    (held,) = scene.push([op])
    assert (held.outcome, held.code) == ("held", "E409-NOT-YET")
    assert held.message is not None and "留在本机" in held.message
    assert store_rows(scene.county) == before
    # Sent again with the case's opening action before it, in one push: both applied.
    answers = scene.push([receive, op])
    assert [a.outcome for a in answers] == ["applied", "applied"]
    (copy,) = _feed(scene).evaluations
    assert copy.terms.case_uid == receive["case"]["uid"]


def test_a_bad_rating_s_steps_are_the_supervisor_s_and_go_in_order(scene: Scene) -> None:
    bad = terms(scene, level=Level.VERY_DISSATISFIED, text="窗口人员态度生硬")
    (applied,) = scene.push([evaluation_op(bad)])
    assert applied.outcome == "applied"
    (copy,) = _feed(scene).evaluations
    assert copy.task_state is TaskState.TO_VERIFY
    before = store_rows(scene.county)
    by_clerk = step_op(_step(bad.uid, Step.VERIFY, founded=True), actor="clerk", role="clerk")
    too_early = step_op(_step(bad.uid, Step.CALL_BACK, outcome=CallBackOutcome.SATISFIED))
    unknown = step_op(_step(str(uuid.uuid4()), Step.VERIFY, founded=True))
    answers = scene.push([by_clerk, too_early, unknown])
    assert [(a.outcome, a.code) for a in answers] == [
        ("rejected", "E403-ROLE"),
        ("rejected", "E422-STEP"),
        ("held", "E409-NOT-YET"),
    ]
    assert answers[1].message == "请先完成核实和整改，再回访群众。"
    assert store_rows(scene.county) == before
    steps = [
        step_op(_step(bad.uid, Step.VERIFY, founded=True)),
        step_op(_step(bad.uid, Step.RECTIFY)),
        step_op(_step(bad.uid, Step.CALL_BACK, outcome=CallBackOutcome.SATISFIED)),
        step_op(_step(bad.uid, Step.CLOSE)),
    ]
    assert [a.outcome for a in scene.push(steps)] == ["applied"] * 4
    assert [a.outcome for a in scene.push(steps[:1])] == ["replayed"]
    (closed,) = _feed(scene).evaluations
    assert closed.task_state is TaskState.CLOSED and closed.cursor == 5
    assert [(s.step, s.op_id, s.actor) for s in closed.steps] == [
        (Step(op["payload"]["step"]), op["op_id"], "supervisor") for op in steps
    ]
    assert _feed(scene, after=4).evaluations == (closed,)
    (after_close,) = scene.push([step_op(_step(bad.uid, Step.CLOSE))])
    assert (after_close.outcome, after_close.code) == ("rejected", "E422-STEP")


def test_the_feed_comes_in_pages(scene: Scene) -> None:
    with scene.county.store.sessions() as session, session.begin():
        for _ in range(3):
            add_evaluation(
                session,
                scene.case(session),
                terms(scene, channel=Channel.PHONE, service=Service.CASE, service_op_id=None),
            )
    first = _feed(scene, limit=2)
    assert [e.cursor for e in first.evaluations] == [1, 2] and first.more
    assert [e.assess_number for e in first.evaluations] == [1, 2]
    rest = _feed(scene, after=2, limit=2)
    assert [e.cursor for e in rest.evaluations] == [3] and not rest.more
