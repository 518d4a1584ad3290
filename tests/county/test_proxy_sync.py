"""A proxy agent's work on the village laptop (V01) reaches the centre's window (W01) through the
real county service on loopback: the signed 代办委托书 goes up and comes down, the filing lands
in W01's 待办件, and W01 hands the result to the proxy under that authorization (代领). And the
county's answers to authorizations and other non-case operations: registered once, a repeat
replayed, a reused op_id or an unknown authorization refused with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts import service as accounts
from app.actor import Role
from app.cases import decisions as d
from app.cases import delivery, intake
from app.catalog.loader import bundled_catalog
from app.demo.forms import sample_form_data
from app.sync.session import sync_now
from app.validators import id_check_digit
from app.workflow.states import CaseState
from county.accounts import account_snapshot
from county.backup import restore_backup, take_backup
from county.decisions import county_decision
from county.store.models import (
    Account,
    AppliedOp,
    CaseActionRow,
    CountyCase,
    ProxyAuthorizationRow,
    Workstation,
)
from db.models import Case, OutboxEntry, ProxyAuthorization
from tests.cases.helpers import applicant_of, assert_consistent
from tests.county.server import County, connected
from tests.county.stations import Station
from tests.county.test_sync_loop import NOON

GAOLING = "高龄津贴"
FIRST17 = "51189919440312002"
RESIDENT = {
    "name": "赵桂兰",
    "id_number": FIRST17 + id_check_digit(FIRST17),
    "phone": "13812345678",
}


@pytest.fixture
def v01(county: County, tmp_path: Path) -> Iterator[Station]:
    with connected(county, "V01", data_dir=tmp_path) as (centre, transport):
        yield Station(centre, transport)


def file_at_v01(v01: Station) -> tuple[str, str]:
    """The proxy registers a resident's authorization and files 高龄津贴 under it: (case uid,
    authorization number)."""
    c = v01.centre
    proxy = c.actor("proxy")
    item = next(i for i in bundled_catalog().items if i.name == GAOLING)
    registered = intake.register_authorization(
        c.ctx, proxy, RESIDENT, [item.code], dt.date(2026, 12, 31)
    )
    form = sample_form_data(c.template(GAOLING), c.rng)
    filed = intake.create_proxy_draft(
        c.ctx, proxy, c.item_id(GAOLING), form, registered.authorization_id, submit=True
    )
    with c.store.reader() as session:
        uid = session.get(Case, filed.case_id).uid  # type: ignore[union-attr]
    return uid, registered.authorization_no


def outbox_payload(station: Station, kind: str) -> dict[str, object]:
    with station.centre.store.reader() as session:
        payload = session.scalars(select(OutboxEntry.payload).where(OutboxEntry.kind == kind)).one()
    return dict(payload)


def test_a_filing_at_v01_reaches_w01_which_delivers_to_the_proxy(
    county: County, w01: Station, v01: Station
) -> None:
    uid, auth_no = file_at_v01(v01)
    assert v01.sync() == (3, 0, 0)  # the authorization, the draft, its submission
    with county.store.sessions() as session:
        registered = session.scalars(select(ProxyAuthorizationRow)).one()
        assert (registered.authorization_no, registered.proxy) == (auth_no, "proxy")
        assert registered.workstation == "V01"

    assert w01.sync() == (0, 2, 0)
    c1 = w01.centre
    at_w01 = w01.case(uid)
    assert at_w01.state == CaseState.SUBMITTED.value
    assert at_w01.receipt_no in w01.queue("clerk")  # 待办件 at the window
    assert applicant_of(c1.store, at_w01.id) == (RESIDENT["name"], RESIDENT["id_number"])
    with c1.store.reader() as session:
        auth = session.get(ProxyAuthorization, at_w01.authorization_id)
        assert auth is not None and auth.authorization_no == auth_no
        assert auth.may_collect and auth.valid_until == dt.date(2026, 12, 31)
    assert w01.sync() == (0, 0, 0)  # the authorization comes down once

    clerk, approver = c1.actor("clerk"), c1.actor("approver")
    intake.receive_submitted(
        c1.ctx, clerk, at_w01.id, [intake.MaterialIn(k) for k in c1.required_materials(GAOLING)]
    )
    d.accept(c1.ctx, clerk, at_w01.id)
    d.start_review(c1.ctx, approver, at_w01.id)
    d.record_opinion(c1.ctx, approver, at_w01.id, "符合高龄津贴条件")
    d.report_to_county(c1.ctx, approver, at_w01.id)
    assert w01.sync() == (5, 0, 0)
    official = w01.case(uid).official_no
    assert official is not None
    with county.store.sessions() as session, session.begin():
        decided = county_decision(
            session,
            official,
            by="county-staff",
            calendar=c1.ctx.calendar,
            now=NOON,
            approve=True,
            opinion="同意",
            result_no="示民高龄〔2026〕2号",
        )
    assert decided.outcome == "applied"
    assert w01.sync() == (0, 1, 0)
    d.mark_ready(c1.ctx, clerk, at_w01.id)
    done = delivery.deliver_to_proxy(c1.ctx, clerk, at_w01.id, "代办员张秀英", auth_no)
    assert done.state is CaseState.DELIVERED
    assert w01.sync() == (2, 0, 0)
    assert v01.sync() == (0, 8, 0)
    assert v01.case(uid).state == CaseState.DELIVERED.value
    assert_consistent(c1.store, c1.ctx.calendar)


def test_the_county_keeps_an_authorization_once_and_refuses_filings_without_one(
    county: County, w01: Station, v01: Station
) -> None:
    _, auth_no = file_at_v01(v01)
    register = outbox_payload(v01, "authorization.register")
    assert v01.sync() == (3, 0, 0)

    again = v01.transport.push([register]).answers[0]
    assert again.outcome == "replayed"
    reused = v01.transport.push(
        [{**register, "payload": {**register["payload"], "may_collect": False}}]  # type: ignore[dict-item]
    ).answers[0]
    assert (reused.outcome, reused.code) == ("rejected", "E422-OP-REUSED")
    renumbered = v01.transport.push([{**register, "op_id": str(uuid.uuid4())}]).answers[0]
    assert (renumbered.outcome, renumbered.code) == ("rejected", "E422-DUPLICATE")
    forged = v01.transport.push(
        [{**register, "op_id": str(uuid.uuid4()), "actor": {"username": "clerk", "role": "clerk"}}]
    ).answers[0]
    assert (forged.outcome, forged.code) == ("rejected", "E403-ACTOR")
    with county.store.sessions() as session:
        kept = session.scalars(select(ProxyAuthorizationRow)).one()
        assert kept.detail["may_collect"] is True and kept.authorization_no == auth_no

    with v01.centre.store.reader() as session:
        first = session.scalars(
            select(OutboxEntry.payload)
            .where(OutboxEntry.kind == "case.action")
            .order_by(OutboxEntry.id)
        ).first()
    assert first is not None
    stray = {
        **first,
        "op_id": str(uuid.uuid4()),
        "case": {**first["case"], "uid": str(uuid.uuid4()), "receipt_no": "X-1"},
        "payload": {**first["payload"], "authorization_no": "WT-V01-20260101-99999"},
    }
    with county.store.sessions() as session:
        cases_before = session.scalar(select(func.count()).select_from(CountyCase))
        actions_before = session.scalar(select(func.count()).select_from(CaseActionRow))
    refused = v01.transport.push([stray]).answers[0]
    assert (refused.outcome, refused.code) == ("rejected", "E422-AUTHORIZATION")
    assert refused.message is not None and "WT-V01-20260101-99999" in refused.message
    with county.store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CountyCase)) == cases_before
        assert session.scalar(select(func.count()).select_from(CaseActionRow)) == actions_before


def test_an_account_operation_is_applied_once_and_its_op_id_never_reused(
    county: County, w01: Station
) -> None:
    c1 = w01.centre
    with c1.store.session() as session:
        accounts.create_user(
            session, c1.actor("admin"), "wang", "王芳", "Chuangkou2026", [Role.CLERK]
        )
    create = outbox_payload(w01, "user.create")
    assert w01.sync() == (1, 0, 0)
    with county.store.sessions() as session:
        assert session.get(AppliedOp, create["op_id"]) is not None
    assert w01.transport.push([create]).answers[0].outcome == "replayed"
    other = {**create, "payload": {**create["payload"], "roles": ["approver"]}}  # type: ignore[dict-item]
    answer = w01.transport.push([other]).answers[0]
    assert (answer.outcome, answer.code) == ("rejected", "E422-OP-REUSED")


def test_the_proxy_laptop_holds_its_own_filings_and_its_proxies_accounts_only(
    county: County, w01: Station, v01: Station
) -> None:
    uid, _ = file_at_v01(v01)
    walk_in = w01.centre.walk_in(GAOLING)
    d.accept(w01.centre.ctx, w01.centre.actor("clerk"), walk_in.case_id)
    assert w01.sync() == (2, 0, 0)
    assert v01.sync() == (3, 0, 0)  # W01's walk-in does not come down to the village
    assert w01.sync() == (0, 2, 0)  # while V01's filing reaches the window
    with v01.centre.store.reader() as session:
        assert session.scalars(select(Case.uid)).all() == [uid]
    with county.store.sessions() as session:
        station = session.scalars(select(Workstation).where(Workstation.code == "V01")).one()
        cached = {a.username for a in account_snapshot(session, station)}
        everyone = {a.username for a in session.scalars(select(Account))}
    assert cached == {"proxy", "proxy2"} and cached < everyone


def test_an_authorization_lost_in_a_county_restore_goes_up_again(
    county: County, w01: Station, v01: Station, tmp_path: Path
) -> None:
    """The county restored from a backup taken before the proxy's work: V01 sends its
    authorization and filing again (same op_ids), and W01 still gets both."""
    backup = tmp_path / "county-backup.jsonl.gz"
    take_backup(county.store, backup)
    uid, auth_no = file_at_v01(v01)
    sync_now(v01.centre.store, v01.transport, v01.centre.ctx.calendar)
    restore_backup(county.store, backup)
    with county.store.sessions() as session:
        assert session.scalars(select(ProxyAuthorizationRow)).all() == []

    again = sync_now(v01.centre.store, v01.transport, v01.centre.ctx.calendar)
    assert (again.pushed, again.parked, again.queued) == (3, 0, 0)
    assert sync_now(w01.centre.store, w01.transport, w01.centre.ctx.calendar).parked == 0
    with county.store.sessions() as session:
        kept = session.scalars(select(ProxyAuthorizationRow.authorization_no)).all()
        applied = session.scalars(select(AppliedOp.op_id)).all()
    assert kept == [auth_no]
    assert applied == [outbox_payload(v01, "authorization.register")["op_id"]]
    at_w01 = w01.case(uid)
    assert at_w01.state == CaseState.SUBMITTED.value and at_w01.authorization_id is not None
