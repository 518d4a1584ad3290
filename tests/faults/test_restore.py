"""The county restored from an older backup (a new epoch) while the workstations hold work it
acknowledged after the backup, work it never saw, and a decision of its own made after the
backup: after healing, the invariants hold."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import select

from app.cases import decisions as d
from benchmarks.soak import workload
from benchmarks.soak.invariants import History
from benchmarks.soak.world import World
from db.models import Case, OutboxEntry
from tests.faults.conftest import (
    backup_of,
    county_ops,
    healed_and_checked,
    local_id,
    restore,
    walk_in_and_accept,
)


def uid_of(w: World, code: str, case_id: int) -> str:
    with w.stations[code].store.reader() as session:
        found = session.get(Case, case_id)
        assert found is not None
        return found.uid


def test_acked_and_unacked_work_survives_a_restore(soak: World, tmp_path: Path) -> None:
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    before = walk_in_and_accept(w01.centre)
    assert w01.sync().error is None
    backup = backup_of(soak, tmp_path)
    walk_in_and_accept(w01.centre)  # acknowledged after the backup
    assert w01.sync().error is None and w02.sync().error is None
    at_w02 = local_id(soak, "W02", uid_of(soak, "W01", before))
    d.start_review(w02.centre.ctx, w02.centre.actor("approver"), at_w02)
    assert w02.sync().error is None  # W02's review: acknowledged after the backup too
    walk_in_and_accept(w01.centre)  # never sent before the restore
    restore(soak, backup)
    assert county_ops(soak) == 2
    healed_and_checked(soak)
    assert county_ops(soak) == 7


def test_a_county_decision_the_restore_lost_is_given_back(soak: World, tmp_path: Path) -> None:
    """The county decided after the backup; the workstations pulled the decision. The restored
    county lost it; the workstations give it back, under the county's seal, and it is the
    county's again at the same sequence (``county/seals.py``)."""
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    case = walk_in_and_accept(w01.centre, "高龄津贴")  # one town step, then the county decides
    assert w01.sync().error is None and w02.sync().error is None
    at_w02 = local_id(soak, "W02", uid_of(soak, "W01", case))
    d.start_review(w02.centre.ctx, w02.centre.actor("approver"), at_w02)
    d.record_opinion(w02.centre.ctx, w02.centre.actor("approver"), at_w02, "符合条件，报县级审批")
    d.report_to_county(w02.centre.ctx, w02.centre.actor("approver"), at_w02)
    assert w02.sync().error is None
    backup = backup_of(soak, tmp_path)
    decided = workload.county_decides(soak, random.Random(1))
    assert decided is not None
    history = History()
    history.decisions[decided[0]] = (decided[1], decided[2])
    assert w01.sync().error is None and w02.sync().error is None  # both hold the decision
    restore(soak, backup)
    assert county_ops(soak) == 5  # 收件, 受理, 开始审查, 审查意见, 上报: the decision is gone
    healed_and_checked(soak, history)  # the decision back at its sequence (History.decisions)
    assert county_ops(soak) == 6
    for station in (w01, w02):
        with station.store.reader() as session:
            state = session.scalars(select(Case.state).where(Case.uid == decided[1])).one()
        assert state == "decided"


def test_a_forged_county_decision_is_refused(soak: World) -> None:
    """A workstation that makes up a county decision — sealed with anything but the county's
    key — is refused, and nothing is written."""
    from county.seals import seal

    w01 = soak.stations["W01"]
    case = walk_in_and_accept(w01.centre)
    assert w01.sync().error is None
    with w01.store.reader() as session:
        accepted = session.scalars(
            select(OutboxEntry.payload).where(OutboxEntry.case_id == case).order_by(OutboxEntry.id)
        ).all()[-1]
    forged = {
        "envelope_version": 1, "op_id": "01a23470-0000-7000-8000-00000000f00d",
        "kind": "case.action", "key": accepted["key"], "occurred_at": "2026-03-02T02:00:00Z",
        "actor": {"username": "county-staff", "role": "county"}, "workstation": "COUNTY",
        "centre": "511899101000", "payload": {"result": "approved", "result_no": "伪造",
        "reasons": [], "decided_by": "county", "opinion": "伪造"},
        "case": accepted["case"],
        "base_seq": 2, "seq": 3, "action": "decide", "from_state": "accepted",
        "to_state": "decided",
    }  # fmt: skip
    from county.apply import payload_hash

    forged["seal"] = seal("not-the-county-key", payload_hash(forged))
    secret = w01.store  # the workstation's own credential, through the proxy
    from app.sync.session import transport_for

    transport = transport_for(secret)
    try:
        (answer,) = transport.push([forged]).answers
    finally:
        transport.close()
    assert (answer.outcome, answer.code) == ("rejected", "E403-SEAL"), answer.message
    assert county_ops(soak) == 2
