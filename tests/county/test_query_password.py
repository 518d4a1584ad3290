"""The 查询密码 travels with the case: made at intake, carried by the opening action, kept by
every workstation that takes the case down, and at the county only as a hash of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.cases import decisions as d
from app.evaluations.query import matches
from app.sync.protocol import PushAnswer
from county.store.models import CountyCase
from db.models import OutboxEntry
from tests.centre import Centre
from tests.county.server import County
from tests.county.stations import Station

DIBAO = "最低生活保障"


def _queued(c: Centre) -> list[dict[str, Any]]:
    with c.store.reader() as session:
        return [r.payload for r in session.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def _county_case(county: County, uid: str) -> CountyCase:
    with county.store.sessions() as session:
        return session.scalars(select(CountyCase).where(CountyCase.uid == uid)).one()


def test_the_password_is_made_at_intake_hashed_at_the_county_and_taken_down_by_w02(
    county: County, w01: Station, w02: Station
) -> None:
    c = w01.centre
    received = c.walk_in(DIBAO)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    opening = _queued(c)[0]
    uid = opening["case"]["uid"]
    password = w01.case(uid).query_password
    assert password is not None and len(password) == 6 and password.isdigit()
    assert opening["payload"]["query_password"] == password
    w01.sync()
    assert matches(uid, password, _county_case(county, uid).query_hash)
    w02.sync()
    assert w02.case(uid).query_password == password  # the fold at W02 set it


def test_the_county_keeps_only_a_hash_and_an_older_payload_has_none(
    centre: Centre, county: County
) -> None:
    c = centre
    first = c.walk_in(DIBAO)
    c.walk_in(DIBAO)
    ops = _queued(c)
    password = ops[0]["payload"]["query_password"]
    del ops[1]["payload"]["query_password"]  # a workstation of before the 查询密码
    secret = county.activate("W01")
    with county.client(secret) as client:
        answer = PushAnswer.model_validate(client.post("/v1/ops", json={"ops": ops}).json())
    assert [a.outcome for a in answer.answers] == ["applied", "applied"]
    with_password = _county_case(county, ops[0]["case"]["uid"])
    assert with_password.query_hash is not None and password not in with_password.query_hash
    assert matches(with_password.uid, password, with_password.query_hash)
    assert not matches(with_password.uid, "000000" if password != "000000" else "1", None)
    older = _county_case(county, ops[1]["case"]["uid"])
    assert older.query_hash is None
    assert not matches(older.uid, password, older.query_hash)
    assert first.case_id
