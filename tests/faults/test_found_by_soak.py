"""The schedules the randomized runs found bugs with, written out as scenarios (a seed's
schedule changes whenever the workload does; these do not)."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import func, select

from app.cases import decisions as d
from app.sync.push import PENDING
from benchmarks.soak import workload
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


def parked(w: World, code: str) -> int:
    with w.stations[code].store.reader() as session:
        return (
            session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == "parked")
            )
            or 0
        )


def test_an_action_built_on_a_refused_one_is_not_applied_where_its_count_fits(
    soak: World,
) -> None:
    """Seed 20017. W01's supervisor works offline on an accepted case: 开始审查, 审查意见, 改派
    (bases 2, 3, 4). Meanwhile W02 suspends and resumes it (county 3, 4). W01's review is stale,
    and so is its opinion; the reassignment's base, 4, counts W01's own two — and matched the
    county's 4, made of W02's two: it was applied on a log it was never taken on. It follows
    the opinion, which the county does not have: now it is parked too."""
    w01, w02 = soak.stations["W01"], soak.stations["W02"]
    case = walk_in_and_accept(w01.centre)
    assert w01.sync().error is None and w02.sync().error is None
    with w01.store.reader() as session:
        uid = session.scalars(select(Case.uid).where(Case.id == case)).one()
    sup, approver = w01.centre.actor("supervisor"), w02.centre.actor("approver")
    d.start_review(w01.centre.ctx, sup, case)
    d.record_opinion(w01.centre.ctx, sup, case, "同意")
    d.reassign(w01.centre.ctx, sup, case, w01.centre.actor("approver2").user_id)
    at_w02 = local_id(soak, "W02", uid)
    d.suspend(w02.centre.ctx, approver, at_w02, "现场核查", 3)
    d.resume(w02.centre.ctx, approver, at_w02)
    assert w02.sync().error is None
    outcome = w01.sync()
    assert outcome.summary is not None and outcome.summary.pushed == 0
    assert (county_ops(soak), parked(soak, "W01")) == (4, 3)
    healed_and_checked(soak)


def test_another_workstations_action_a_restore_lost_and_its_owner_could_not_resend(
    soak: World, tmp_path: Path
) -> None:
    """Seed 10001. V01's withdrawal of its filing is acknowledged after the backup and pulled by
    W01; the county is restored without it; W02 terminates the filing, which the county
    applies; V01's re-sent withdrawal is stale and parked at V01. W01 folded the lost withdrawal
    on top of the termination ("withdraw is not legal from terminated"): a workstation now folds
    only what the county confirmed and its own."""
    v01, w01, w02 = soak.stations["V01"], soak.stations["W01"], soak.stations["W02"]
    filed = workload.proxy_files(v01, random.Random(3))
    assert filed is not None and "files" in filed
    assert v01.sync().error is None and w01.sync().error is None
    backup = backup_of(soak, tmp_path)
    with v01.store.reader() as session:
        case, uid = session.execute(select(Case.id, Case.uid)).one()
    d.withdraw(v01.centre.ctx, v01.centre.actor("proxy"), case, "申请人撤回")
    assert v01.sync().error is None and w01.sync().error is None
    restore(soak, backup)
    assert w02.sync().error is None
    d.terminate(w02.centre.ctx, w02.centre.actor("approver"), local_id(soak, "W02", uid), "终止")
    assert w02.sync().error is None
    healed_and_checked(soak)
    assert parked(soak, "V01") == 1
    with w01.store.reader() as session:
        state = session.scalars(select(Case.state).where(Case.uid == uid)).one()
        pending = session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == PENDING)
        )
    assert (state, pending) == ("terminated", 0)


def test_a_number_issued_before_a_restore_survives_it(soak: World, tmp_path: Path) -> None:
    """Seed 40220. V01's withdrawal numbers its filing (day 1) after the backup; W01, not having
    heard, withdraws the same filing on day 4. The restored county used to apply W01's first and
    number the case on day 4: V01's printed number changed. Now the restore holds numbering
    until V01 has given its number back (``county/numbers.py``)."""
    v01, w01 = soak.stations["V01"], soak.stations["W01"]
    assert workload.proxy_files(v01, random.Random(3)) is not None
    assert v01.sync().error is None and w01.sync().error is None
    backup = backup_of(soak, tmp_path)
    with v01.store.reader() as session:
        case, uid = session.execute(select(Case.id, Case.uid)).one()
    d.withdraw(v01.centre.ctx, v01.centre.actor("proxy"), case, "申请人撤回")
    assert v01.sync().error is None
    with v01.store.reader() as session:
        printed = session.scalars(select(Case.official_no).where(Case.id == case)).one()
    assert printed is not None
    w01.centre.clock.advance(days=3)
    d.withdraw(w01.centre.ctx, w01.centre.actor("clerk"), local_id(soak, "W01", uid), "撤回")
    restore(soak, backup)
    healed_and_checked(soak)
    with v01.store.reader() as session:
        assert session.scalars(select(Case.official_no).where(Case.id == case)).one() == printed
