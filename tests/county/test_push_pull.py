"""The county service on loopback judges what a workstation pushes, exactly as the window's own
rules would, and feeds every workstation of the centre what was applied."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

import county.apply as apply_module
from app.cases import decisions as d
from app.sync.protocol import EPOCH_HEADER, ChangesPage, PushAnswer
from app.workflow.fold import apply
from county.store.models import CaseActionRow, CountyCase
from db.models import OutboxEntry
from tests.centre import Centre
from tests.county.server import County

DIBAO = "最低生活保障"


def queued(c: Centre) -> list[dict[str, Any]]:
    """The workstation's outbox envelopes, oldest first (what its sync would push)."""
    with c.store.reader() as session:
        return [r.payload for r in session.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def push(county: County, secret: str, ops: list[dict[str, Any]]) -> PushAnswer:
    with county.client(secret) as client:
        answer = client.post("/v1/ops", json={"ops": ops})
    assert answer.status_code == 200, answer.text
    return PushAnswer.model_validate(answer.json())


def confirmed(county: County) -> int:
    with county.store.sessions() as session:
        return session.scalar(select(func.count()).select_from(CaseActionRow)) or 0


def test_activation_is_one_time_and_the_secret_is_required(county: County) -> None:
    with county.client() as client:
        wrong = client.post(
            "/v1/activate", json={"centre": "511899101000", "workstation": "W01", "code": "nope"}
        )
        assert wrong.status_code == 403 and "激活码无效" in wrong.json()["detail"]
        secret = county.activate("W01")
        again = client.post(
            "/v1/activate",
            json={"centre": "511899101000", "workstation": "W01", "code": "ACT-W01-0001"},
        )
        assert again.status_code == 403  # the code was used up
        assert client.post("/v1/ops", json={"ops": []}).status_code == 401
    with county.client("not-a-secret") as client:
        assert client.get("/v1/changes").status_code == 401
    assert push(county, secret, []).answers == []


def test_a_case_accepted_at_w01_is_applied_numbered_and_fed_to_w02(
    centre: Centre, county: County
) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    w01, w02 = county.activate("W01"), county.activate("W02")
    answers = push(county, w01, queued(c)).answers
    assert [(a.outcome, a.county_seq) for a in answers] == [("applied", 1), ("applied", 2)]
    official = answers[0].official_no
    assert official is not None and official.startswith("DEMO-511899101000-MZ00120260302")
    assert official.endswith("0001") and answers[1].official_no == official

    with county.client(w02) as client:
        first = ChangesPage.model_validate(client.get("/v1/changes", params={"limit": 1}).json())
        assert first.more and [ch.county_seq for ch in first.changes] == [1]
        rest = ChangesPage.model_validate(
            client.get(
                "/v1/changes",
                params={"cursor": first.cursor},
                headers={EPOCH_HEADER: first.epoch},
            ).json()
        )
        assert not rest.more and [ch.county_seq for ch in rest.changes] == [2]
        assert rest.changes[0].envelope == queued(c)[1] and rest.changes[0].official_no == official
        stale = client.get("/v1/changes", headers={EPOCH_HEADER: "an-older-epoch"})
        assert stale.status_code == 410 and "从备份恢复" in stale.json()["detail"]


def test_a_repeat_is_replayed_and_a_reused_op_id_rejected(centre: Centre, county: County) -> None:
    c = centre
    c.walk_in(DIBAO)
    w01 = county.activate("W01")
    ops = queued(c)
    push(county, w01, ops)
    again = push(county, w01, ops).answers  # the answer was lost: the workstation sends again
    assert [(a.outcome, a.county_seq) for a in again] == [("replayed", 1)]
    forged = {**ops[0], "payload": {**ops[0]["payload"], "materials": []}}
    (answer,) = push(county, w01, [forged]).answers
    assert (answer.outcome, answer.code) == ("rejected", "E422-OP-REUSED")
    assert confirmed(county) == 1


def test_a_stale_base_gets_the_countys_copy(centre: Centre, county: County) -> None:
    """Two people acted on the same case from the same base: the second learns what happened."""
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    d.start_review(c.ctx, c.actor("approver"), received.case_id)
    w01 = county.activate("W01")
    ops = queued(c)
    assert [a.outcome for a in push(county, w01, ops).answers] == ["applied"] * 3
    rival = {**ops[2], "op_id": "01a23290-0000-7000-8000-000000000001"}  # also on base 2
    (answer,) = push(county, w01, [rival]).answers
    assert (answer.outcome, answer.code) == ("conflict", "E409-STALE")
    assert answer.county_copy is not None and answer.county_copy.seq == 3
    assert [a.county_seq for a in answer.county_copy.actions] == [1, 2, 3]
    assert confirmed(county) == 3


def test_forged_and_forbidden_operations_are_refused_and_nothing_is_written(
    centre: Centre, county: County
) -> None:
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    w01 = county.activate("W01")
    receive, accept = queued(c)
    push(county, w01, [receive])
    as_w02 = {**accept, "workstation": "W02"}
    as_approver = {**accept, "actor": {"username": "approver", "role": "approver"}}
    as_stranger = {**accept, "actor": {"username": "nobody", "role": "clerk"}}
    broken = {**accept, "base_seq": "one"}
    answers = push(county, w01, [as_w02, as_approver, as_stranger, broken]).answers
    assert [(a.outcome, a.code) for a in answers] == [
        ("rejected", "E403-FORGED"),
        ("rejected", "E422-E400"),  # an approver may not accept at the window
        ("rejected", "E403-ACTOR"),
        ("rejected", "E422-FORMAT"),
    ]
    assert answers[1].message and "窗口受理员" in answers[1].message
    assert confirmed(county) == 1
    with county.store.sessions() as session:
        (case,) = session.scalars(select(CountyCase)).all()
        assert (case.seq, case.state) == (1, "received")


@pytest.mark.parametrize("same_op", [True, False], ids=["repeat", "rival"])
def test_two_pushes_at_once_on_one_case_apply_once(
    centre: Centre, county: County, monkeypatch: pytest.MonkeyPatch, same_op: bool
) -> None:
    """Two requests judge the same case at the same moment (a slow projection step widens the
    window):
    one is applied; the other is replayed (the same op_id) or gets the county's copy (a rival on
    the same base) — never both applied, never a server error."""
    c = centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    w01 = county.activate("W01")
    receive, accept = queued(c)
    push(county, w01, [receive])

    def slow_apply(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.2)
        return apply(*args, **kwargs)

    monkeypatch.setattr(apply_module, "apply", slow_apply)
    rival = accept if same_op else {**accept, "op_id": "01a23290-0000-7000-8000-000000000002"}
    outcomes: list[str] = []

    def send(op: dict[str, Any]) -> None:
        outcomes.append(push(county, w01, [op]).answers[0].outcome)

    threads = [threading.Thread(target=send, args=(op,)) for op in (accept, rival)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == (["applied", "replayed"] if same_op else ["applied", "conflict"])
    assert confirmed(county) == 2
