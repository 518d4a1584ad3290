"""A county with one case of the test centre received from W01, for the 好差评 tests: the
workstation's receive action pushed and applied, and helpers to build evaluation terms and the
envelopes a workstation would push for them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level, Reason, Service
from app.evaluations.wire import EVALUATION, RECTIFICATION, EvaluationTerms, StepTerms
from app.sync.protocol import OpAnswer, PushAnswer
from county.store.models import CountyCase
from tests.centre import TOWN, Centre
from tests.county.server import County
from tests.county.test_push_pull import DIBAO, queued

AT = dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai


@dataclass
class Scene:
    county: County
    w01: str  # W01's secret
    case_uid: str
    receive: dict[str, Any]  # the receive action's envelope, as pushed

    @property
    def receive_op(self) -> str:
        return str(self.receive["op_id"])

    def case(self, session: Session) -> CountyCase:
        return session.scalars(select(CountyCase).where(CountyCase.uid == self.case_uid)).one()

    def push(self, ops: list[dict[str, Any]], secret: str | None = None) -> list[OpAnswer]:
        with self.county.client(secret or self.w01) as client:
            answer = client.post("/v1/ops", json={"ops": ops})
        assert answer.status_code == 200, answer.text
        return list(PushAnswer.model_validate(answer.json()).answers)


def received_scene(centre: Centre, county: County) -> Scene:
    centre.walk_in(DIBAO)
    (receive,) = queued(centre)
    scene = Scene(county, county.activate("W01"), receive["case"]["uid"], receive)
    (answer,) = scene.push([receive])
    assert answer.outcome == "applied", answer
    return scene


def terms(
    scene: Scene,
    *,
    level: Level = Level.VERY_SATISFIED,
    channel: Channel = Channel.WINDOW,
    service: Service = Service.INTAKE,
    service_op_id: str | None = "receive",
    reasons: tuple[Reason, ...] = (),
    text: str = "",
    anonymous: bool = False,
    at: dt.datetime = AT,
) -> EvaluationTerms:
    """Terms of a rating of the scene's case; ``service_op_id="receive"``: its receive action."""
    return EvaluationTerms(
        uid=str(uuid.uuid4()),
        case_uid=scene.case_uid,
        service=service,
        service_op_id=scene.receive_op if service_op_id == "receive" else service_op_id,
        channel=channel,
        level=level,
        reasons=reasons or ((Reason.ATTITUDE,) if level.is_bad else ()),
        text=text,
        anonymous=anonymous,
        staff="clerk",
        window="W01",
        assessed_at=at,
    )


def envelope(
    kind: str,
    payload: dict[str, Any],
    *,
    key: str,
    actor: str = "clerk",
    role: str = "clerk",
    centre: str = TOWN,
    workstation: str = "W01",
    op_id: str | None = None,
) -> dict[str, Any]:
    return {
        "envelope_version": 1,
        "op_id": op_id or str(uuid.uuid4()),
        "kind": kind,
        "key": key,
        "occurred_at": AT.isoformat(),
        "actor": {"username": actor, "role": role},
        "workstation": workstation,
        "centre": centre,
        "payload": payload,
    }


def evaluation_op(rated: EvaluationTerms, **fields: Any) -> dict[str, Any]:
    return envelope(EVALUATION, rated.model_dump(mode="json"), key=rated.uid, **fields)


def step_op(step: StepTerms, **fields: Any) -> dict[str, Any]:
    fields.setdefault("actor", "supervisor")
    fields.setdefault("role", "supervisor")
    return envelope(RECTIFICATION, step.model_dump(mode="json"), key=step.evaluation_uid, **fields)
