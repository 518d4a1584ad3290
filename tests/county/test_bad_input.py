"""Bad input at the county (issue 11): malformed envelopes, oversized requests, unknown kinds,
a forged workstation or actor, another centre, another workstation's op_id. Each is refused
with a stable code and a Chinese message — one operation ``rejected`` while the rest of the batch
is judged, or the whole request refused with an HTTP status and a code — nothing is written to the
county's store (every table, row by row, on both backends), and the county logs it at WARNING:
the workstation, the op_id if any, the code."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.cases import decisions as d
from app.sync.protocol import MAX_BATCH, OpAnswer, PushAnswer
from county.credentials import code_digest
from county.refusals import MAX_BODY
from county.store.models import Account, CountyBase, Workstation
from county.store.models import Centre as CountyCentre
from tests.centre import TOWN, Centre
from tests.county.server import County
from tests.county.test_push_pull import DIBAO, queued

W01 = f"workstation {TOWN}/W01"
W02 = f"workstation {TOWN}/W02"
ELSEWHERE = "511899102000"  # another centre of the county, with its workstation X01
X01 = f"workstation {ELSEWHERE}/X01"
LOGGER = "county.refusals"


@dataclass
class Scene:
    """The test centre's first case received at the county from W01; its acceptance still to
    push. W02 and the other centre's X01 activated too; clerk2's account deactivated."""

    county: County
    w01: str
    w02: str
    x01: str
    receive: dict[str, Any]
    accept: dict[str, Any]


@pytest.fixture
def scene(centre: Centre, county: County, caplog: pytest.LogCaptureFixture) -> Scene:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    received = centre.walk_in(DIBAO)
    d.accept(centre.ctx, centre.actor("clerk"), received.case_id)
    receive, accept = queued(centre)
    with county.store.sessions() as session, session.begin():
        session.add(CountyCentre(code=ELSEWHERE, name="柳林镇便民服务中心"))
        session.flush()
        session.add(
            Account(
                username="liulin-clerk",
                centre_code=ELSEWHERE,
                display_name="柳林镇受理员",
                roles=["clerk"],
                password_hash="x",
            )
        )
        session.add(
            Workstation(centre_code=ELSEWHERE, code="X01", activation_hash=code_digest("ACT-X01"))
        )
    with county.client() as client:
        answer = client.post(
            "/v1/activate", json={"centre": ELSEWHERE, "workstation": "X01", "code": "ACT-X01"}
        )
    x01 = answer.json()["secret"]
    with county.store.sessions() as session, session.begin():
        session.get_one(Account, "clerk2").active = False
    scene = Scene(county, county.activate("W01"), county.activate("W02"), x01, receive, accept)
    (applied,) = push(scene, scene.w01, [receive])
    assert applied.outcome == "applied"
    caplog.clear()
    return scene


def push(scene: Scene, secret: str, ops: list[dict[str, Any]]) -> list[OpAnswer]:
    """The answers to a push the county read (200)."""
    with scene.county.client(secret) as client:
        answer = client.post("/v1/ops", json={"ops": ops})
    assert answer.status_code == 200, answer.text
    return PushAnswer.model_validate(answer.json()).answers


def refused(answer: httpx.Response) -> tuple[int, str, str]:
    """A whole request refused: its status, code and message."""
    detail = answer.json()["detail"]
    return answer.status_code, detail["code"], detail["message"]


def changed(op: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**op, **fields}


def new_op_id() -> str:
    return str(uuid.uuid4())


def store_rows(county: County) -> dict[str, list[str]]:
    """Every row of every county table, as text, in a stable order."""
    with county.store.sessions() as session:
        return {
            table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
            for table in CountyBase.metadata.sorted_tables
        }


@pytest.fixture
def nothing_written(scene: Scene) -> Iterator[None]:
    """The county's store is the same after the test as before it: each table's row count, then
    each row."""
    before = store_rows(scene.county)
    yield
    after = store_rows(scene.county)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(r) for t, r in before.items()}
    assert after == before


def warned(caplog: pytest.LogCaptureFixture, *parts: str) -> None:
    """The county logged a refusal, at WARNING, naming all of ``parts``."""
    lines = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == LOGGER)
    assert any(all(part in line for part in parts) for line in lines), (parts, lines)


# --- (a) malformed envelopes, and a request that is not a push at all -------------------------


@pytest.mark.usefixtures("nothing_written")
def test_a_malformed_envelope_is_rejected_alone(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    accept = scene.accept
    no_actor = {k: v for k, v in accept.items() if k != "actor"}
    wrong_type = changed(accept, op_id=new_op_id(), base_seq="one")
    no_case = {k: v for k, v in changed(accept, op_id=new_op_id()).items() if k != "case"}
    answers = push(scene, scene.w01, [no_actor, wrong_type, no_case])
    assert [(a.outcome, a.code, a.message) for a in answers] == [
        ("rejected", "E422-FORMAT", "操作格式不正确：actor 缺少必填项"),
        ("rejected", "E422-FORMAT", "操作格式不正确：base_seq 应为整数"),
        ("rejected", "E422-FORMAT", "操作格式不正确：case 缺少必填项"),
    ]
    for op in (no_actor, wrong_type, no_case):
        warned(caplog, W01, op["op_id"], "E422-FORMAT")


def test_the_rest_of_a_batch_is_judged_around_a_malformed_envelope(scene: Scene) -> None:
    broken = changed(scene.accept, op_id=new_op_id(), occurred_at="yesterday")
    answers = push(scene, scene.w01, [broken, scene.accept])
    assert [(a.outcome, a.code) for a in answers] == [
        ("rejected", "E422-FORMAT"),
        ("applied", None),
    ]
    assert answers[0].message == "操作格式不正确：occurred_at 应为日期时间"


@pytest.mark.parametrize(
    ("body", "message", "field"),
    [
        (b'{"ops": [', "请求格式不正确：不是有效的 JSON", None),
        (b"[]", "请求格式不正确：应为对象", None),
        (b"{}", "请求格式不正确：ops 缺少必填项", "ops"),
        (b'{"ops": "all of them"}', "请求格式不正确：ops 应为数组", "ops"),
        (b'{"ops": [1, "two"]}', "请求格式不正确：ops.0 应为对象", "ops.0"),
        (b'{"ops": [], "more": true}', "请求格式不正确：more 不认识的字段", "more"),
    ],
    ids=["not-json", "not-an-object", "no-ops", "ops-not-a-list", "op-not-an-object", "extra"],
)
@pytest.mark.usefixtures("nothing_written")
def test_a_push_that_is_not_a_list_of_objects_is_refused_whole(
    scene: Scene, caplog: pytest.LogCaptureFixture, body: bytes, message: str, field: str | None
) -> None:
    with scene.county.client(scene.w01) as client:
        answer = client.post("/v1/ops", content=body, headers={"Content-Type": "application/json"})
    assert refused(answer) == (422, "E422-FORMAT", message)
    assert answer.json()["detail"]["field"] == field
    warned(caplog, W01, "E422-FORMAT", message)


# --- (b) oversized requests ---------------------------------------------------------------------


@pytest.mark.usefixtures("nothing_written")
def test_more_operations_than_a_batch_holds_are_refused_whole(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    ops = [changed(scene.accept, op_id=new_op_id()) for _ in range(MAX_BATCH + 1)]
    with scene.county.client(scene.w01) as client:
        answer = client.post("/v1/ops", json={"ops": ops})
    message = "一次推送的操作过多：最多 500 项，本次 501 项。"
    assert refused(answer) == (413, "E413-BATCH", message)
    warned(caplog, W01, "E413-BATCH")


def _huge(op: dict[str, Any]) -> bytes:
    """A push of ``op`` with six MB of text in its payload (valid JSON, a well-formed envelope)."""
    padded = changed(op, payload={**op["payload"], "note": "备" * (2 * 1024 * 1024)})
    body = json.dumps({"ops": [padded]}, ensure_ascii=False).encode("utf-8")
    assert len(body) > MAX_BODY
    return body


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.usefixtures("nothing_written")
def test_a_body_over_the_byte_limit_is_refused_before_it_is_read(
    scene: Scene, caplog: pytest.LogCaptureFixture, declared: bool
) -> None:
    """Refused at once when its length is declared, else once the bytes that arrived pass the
    limit; never parsed (its one envelope, well-formed, would otherwise be judged)."""
    body = _huge(scene.accept)

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(body), 64 * 1024):
            yield body[start : start + 64 * 1024]

    with scene.county.client(scene.w01) as client:
        answer = client.post(
            "/v1/ops",
            content=body if declared else chunks(),
            headers={"Content-Type": "application/json"},
        )
    assert refused(answer) == (413, "E413-BODY", "请求内容超过 4 MiB 的上限，县级系统拒收。")
    warned(caplog, W01, "E413-BODY")
    with scene.county.client() as client:  # nor with no credential: refused before that
        anonymous = client.post("/v1/ops", content=body)
    assert refused(anonymous)[:2] == (413, "E413-BODY")
    warned(caplog, "without a credential", "E413-BODY")


def test_a_full_batch_of_real_operations_is_well_under_the_byte_limit(scene: Scene) -> None:
    """500 cases received (each like the window's own first action): applied, in a body a
    fifth of the limit or less."""
    ops = []
    for n in range(MAX_BATCH):
        case = {**scene.receive["case"], "uid": str(uuid.uuid4()), "receipt_no": f"R{n:05d}"}
        ops.append(changed(scene.receive, op_id=new_op_id(), key=case["uid"], case=case))
    body = json.dumps({"ops": ops}, ensure_ascii=False).encode("utf-8")
    assert len(body) < MAX_BODY // 5
    with scene.county.client(scene.w01) as client:
        answer = client.post("/v1/ops", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    outcomes = {a.outcome for a in PushAnswer.model_validate(answer.json()).answers}
    assert outcomes == {"applied"}


# --- (c) unknown kinds and envelope versions ----------------------------------------------------


@pytest.mark.usefixtures("nothing_written")
def test_an_unknown_kind_or_envelope_version_is_rejected(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    envelope = {k: scene.accept[k] for k in ("occurred_at", "actor", "workstation", "centre")}
    delete = {**envelope, "op_id": new_op_id(), "kind": "case.delete", "key": "x", "payload": {}}
    later = changed(scene.accept, op_id=new_op_id(), envelope_version=2)
    no_kind = changed(delete, op_id=new_op_id(), kind="")
    answers = push(scene, scene.w01, [delete, later, no_kind])
    assert [(a.outcome, a.code) for a in answers] == [
        ("rejected", "E422-KIND"),
        ("rejected", "E422-VERSION"),
        ("rejected", "E422-FORMAT"),
    ]
    assert answers[0].message == "县级服务不接收“case.delete”类操作。"
    assert answers[1].message == "县级系统不认识第 2 版的操作格式，请联系县级管理员。"
    assert answers[2].message == "操作格式不正确：kind 不能为空"
    for op, answer in zip((delete, later, no_kind), answers, strict=True):
        assert answer.code is not None
        warned(caplog, W01, op["op_id"], answer.code)


# --- (d) a forged workstation or actor ----------------------------------------------------------


@pytest.mark.usefixtures("nothing_written")
def test_a_forged_workstation_or_actor_is_rejected(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    accept = scene.accept

    def acting(username: str, role: str) -> dict[str, Any]:
        return changed(accept, op_id=new_op_id(), actor={"username": username, "role": role})

    roles = {  # the admin's account operation, sent in a clerk's name
        **{k: accept[k] for k in ("occurred_at", "workstation", "centre")},
        "op_id": new_op_id(),
        "kind": "user.roles",
        "key": "user:clerk",
        "actor": {"username": "clerk", "role": "clerk"},
        "payload": {"username": "clerk", "roles": ["clerk", "admin"]},
    }
    not_here = "不是本中心的在岗账号。"
    not_theirs = "操作所用的角色不是该账号的角色。"
    cases = [
        (
            changed(accept, workstation="W02"),
            "E403-FORGED",
            "操作注明的工作站 W02 不是推送它的工作站 W01。",
        ),
        (acting("nobody", "clerk"), "E403-ACTOR", f"账号 nobody {not_here}"),
        (acting("liulin-clerk", "clerk"), "E403-ACTOR", f"账号 liulin-clerk {not_here}"),
        (acting("clerk2", "clerk"), "E403-ACTOR", f"账号 clerk2 {not_here}"),  # deactivated
        (acting("approver", "clerk"), "E403-ROLE", not_theirs),
        (acting("clerk", "clerk,admin"), "E403-ROLE", not_theirs),
        (roles, "E403-ACTOR", "账号 clerk 不是本中心在县级登记的系统管理员。"),
    ]
    answers = push(scene, scene.w01, [op for op, _, _ in cases])
    assert [(a.outcome, a.code, a.message) for a in answers] == [
        ("rejected", code, message) for _, code, message in cases
    ]
    for op, code, _ in cases:
        warned(caplog, W01, op["op_id"], code)


# --- (e) another centre -------------------------------------------------------------------------


@pytest.mark.usefixtures("nothing_written")
def test_an_envelope_naming_another_centre_is_rejected(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    (answer,) = push(scene, scene.w01, [changed(scene.accept, centre=ELSEWHERE)])
    assert (answer.outcome, answer.code) == ("rejected", "E403-FORGED")
    assert answer.message == f"操作注明的中心 {ELSEWHERE} 不是本工作站所属的中心 {TOWN}。"
    warned(caplog, W01, scene.accept["op_id"], "E403-FORGED")

    # The other centre's workstation, in its own name, on this centre's case; and sending this
    # centre's envelope as it is: refused, and never given the stored answer (its 办件编号).
    own_name = changed(
        scene.accept,
        op_id=new_op_id(),
        centre=ELSEWHERE,
        workstation="X01",
        actor={"username": "liulin-clerk", "role": "clerk"},
    )
    theirs, copied = push(scene, scene.x01, [own_name, scene.receive])
    assert (theirs.outcome, theirs.code, theirs.message) == (
        "rejected",
        "E403-FORGED",
        "该办件不属于本中心。",
    )
    assert (copied.outcome, copied.code, copied.official_no) == ("rejected", "E403-FORGED", None)
    warned(caplog, X01, own_name["op_id"], "E403-FORGED")
    warned(caplog, X01, scene.receive["op_id"], "E403-FORGED")


# --- (f) another workstation's op_id ------------------------------------------------------------


@pytest.mark.usefixtures("nothing_written")
def test_a_replay_of_another_workstations_op_id_is_rejected(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    """W01's receipt is applied; W02 sends its op_id: the same envelope, the same in W02's name,
    another payload. None is replayed to W02; W01 itself still gets its stored answer."""
    receive = scene.receive
    as_w02 = changed(receive, workstation="W02")
    other_payload = changed(receive, payload={**receive["payload"], "materials": []})
    answers = push(scene, scene.w02, [receive, as_w02, other_payload])
    assert [(a.outcome, a.code, a.county_seq, a.official_no) for a in answers] == [
        ("rejected", "E403-FORGED", None, None),
        ("rejected", "E422-OP-REUSED", None, None),
        ("rejected", "E403-FORGED", None, None),
    ]
    assert answers[0].message == "操作注明的工作站 W01 不是推送它的工作站 W02。"
    assert answers[1].message == "同一操作编号已用于内容不同的操作，拒绝执行。"
    for answer in answers:
        warned(caplog, W02, receive["op_id"], answer.code or "")
    (own,) = push(scene, scene.w01, [receive])
    assert (own.outcome, own.county_seq) == ("replayed", 1)
