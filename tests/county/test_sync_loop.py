"""Two workstations of one centre work as one through the real county service on loopback: the
window's accepted case reaches the back office's queue, the review comes back to the window with
the county's 办件编号, and two people acting on the same case from the same base lose nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.actor import Role
from app.cases import decisions as d
from app.cases import delivery
from app.cases.case_view import case_view
from app.cases.log import PARKED
from app.errors import AuthenticationError
from app.sync.protocol import OpAnswer
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.workflow.states import CaseState
from county.cli import main as county_main
from county.decisions import county_decision
from county.store.models import Account
from db.models import Case, CaseAction, OutboxEntry
from tests.cases.helpers import applicant_of, assert_consistent
from tests.county.server import County
from tests.county.stations import Station

DIBAO = "最低生活保障"
GAOLING = "高龄津贴"  # one town review step, then the county decides
NOON = dt.datetime(2026, 3, 3, 4, 0, tzinfo=dt.UTC)  # Tue 3 March, 12:00 in China


def test_accepted_at_w01_reviewed_at_w02_and_back_with_the_official_number(
    w01: Station, w02: Station
) -> None:
    c1, c2 = w01.centre, w02.centre
    received = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    with c1.store.reader() as session:
        uid = session.get(Case, received.case_id).uid  # type: ignore[union-attr]
    assert w01.sync() == (2, 0, 0)
    official = w01.case(uid).official_no
    assert official is not None and official.startswith("DEMO-511899101000-MZ001")

    assert w02.queue("approver") == []
    assert w02.sync() == (0, 2, 0)
    at_w02 = w02.case(uid)
    assert (at_w02.state, at_w02.official_no) == (CaseState.ACCEPTED.value, official)
    assert w02.queue("approver") == [received.receipt_no]  # the back office sees it
    assert at_w02.due_date == w01.case(uid).due_date  # the same rules, the same promise

    d.start_review(c2.ctx, c2.actor("approver"), at_w02.id)
    d.record_opinion(c2.ctx, c2.actor("approver"), at_w02.id, "材料齐全", then_next=True)
    assert w02.sync() == (3, 0, 0)
    assert w01.sync() == (0, 3, 0)
    back = w01.case(uid)
    assert back.state == CaseState.IN_REVIEW.value and back.last_action_seq == 5
    assert back.current_step == w02.case(uid).current_step
    assert_consistent(c1.store, c1.ctx.calendar)
    with c1.store.reader() as session:  # what came from W02 wrote no outbox row here
        assert session.scalars(select(OutboxEntry).where(OutboxEntry.status != "acked")).all() == []
        workstations = {a.workstation for a in session.scalars(select(CaseAction))}
    assert workstations == {"W01", "W02"}
    assert w01.sync() == (0, 0, 0) and w02.sync() == (0, 0, 0)  # quiet: nothing twice


def test_two_people_on_the_same_case_offline_one_applied_one_parked_nothing_lost(
    w01: Station, w02: Station
) -> None:
    c1 = w01.centre
    uid = both_review_offline(w01, w02)
    assert w02.sync() == (1, 0, 0)  # W02 reached the county first
    applied, added, parked = w01.sync()
    assert (applied, added, parked) == (0, 1, 1)  # W01's is parked; W02's came down
    with c1.store.reader() as session:
        (entry,) = session.scalars(select(OutboxEntry).where(OutboxEntry.status == PARKED))
        assert entry.last_error is not None and "E409-STALE" in entry.last_error
        kept = session.get(CaseAction, entry.action_id)
        assert kept is not None and kept.actor == "approver"  # kept for a person, not dropped
    case = w01.case(uid)
    assert case.state == CaseState.IN_REVIEW.value
    assert case.assignee_id == c1.actor("approver2").user_id  # the county's version stands
    assert_consistent_folds(w01, w02, uid)


def both_review_offline(w01: Station, w02: Station) -> str:
    """A case accepted at W01 and synced to both; then each back office starts its review while
    the link is down. Returns the case's uid."""
    c1, c2 = w01.centre, w02.centre
    received = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    w01.sync()
    w02.sync()
    with c1.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None
        uid = case.uid
    d.start_review(c1.ctx, c1.actor("approver"), received.case_id)
    d.start_review(c2.ctx, c2.actor("approver2"), w02.case(uid).id)
    return uid


def note(station: Station, case_id: int) -> str | None:
    """What the case's detail says of its report to the county."""
    c = station.centre
    with c.store.reader() as session:
        return case_view(
            session, c.actor("approver"), case_id, c.ctx.calendar, dt.date(2026, 3, 2)
        ).county_note


def assert_consistent_folds(w01: Station, w02: Station, uid: str) -> None:
    one, two = w01.case(uid), w02.case(uid)
    assert (one.state, one.last_action_seq, one.current_step, one.due_date) == (
        two.state,
        two.last_action_seq,
        two.current_step,
        two.due_date,
    )


def test_a_pending_action_that_no_longer_fits_after_a_pull_is_parked_not_sent(
    w01: Station, w02: Station
) -> None:
    """W01 could not push (say the batch was full) but pulls: W02's review came first, so W01's
    own pending review is parked by the rebase — kept, shown, and never sent as it was."""
    c1 = w01.centre
    uid = both_review_offline(w01, w02)
    w02.sync()
    pulled = pull_changes(c1.store, w01.transport, c1.ctx.calendar)
    assert (pulled.added, pulled.parked) == (1, 1)
    with c1.store.reader() as session:
        (entry,) = session.scalars(select(OutboxEntry).where(OutboxEntry.status == PARKED))
        assert entry.last_error is not None and "其他工作站已先办理了该件" in entry.last_error
    assert push_pending(c1.store, w01.transport).sent == 0  # a parked action is not pushed
    assert_consistent_folds(w01, w02, uid)


def test_the_county_decides_what_the_town_reported_and_the_window_delivers(
    county: County, w01: Station, w02: Station
) -> None:
    """The whole loop: W01 受理 → W02 审批 and 上报县级 → the county 准予 → W01 出件."""
    c1, c2 = w01.centre, w02.centre
    received = c1.walk_in(GAOLING)  # one town review step, then the county decides
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    w01.sync()
    w02.sync()
    with c1.store.reader() as session:
        uid = session.get(Case, received.case_id).uid  # type: ignore[union-attr]
    at_w02 = w02.case(uid).id
    d.start_review(c2.ctx, c2.actor("approver"), at_w02)
    d.record_opinion(c2.ctx, c2.actor("approver"), at_w02, "符合高龄津贴条件")
    d.report_to_county(c2.ctx, c2.actor("approver"), at_w02)
    assert note(w02, at_w02) == "上报已排入上传队列，尚未送达县级系统（联网后自动发送）"
    assert w02.sync() == (3, 0, 0)
    reached = note(w02, at_w02)
    assert reached is not None and reached.startswith("已于 ") and reached.endswith("送达县级系统")
    official = w02.case(uid).official_no
    assert official is not None

    def county_decides(**how: Any) -> OpAnswer:
        with county.store.sessions() as session, session.begin():
            return county_decision(
                session, official, by="county-staff", calendar=c1.ctx.calendar, now=NOON, **how
            )

    refused = county_decides(approve=False, opinion="")  # a denial needs its reasons
    assert refused.outcome == "rejected" and refused.code == "E422-E100"
    applied = county_decides(approve=True, opinion="同意发放", result_no="示民高龄〔2026〕1号")
    assert (applied.outcome, applied.county_seq) == ("applied", 6)

    assert w01.sync() == (0, 4, 0)  # W02's three town actions and the county's decision
    decided = w01.case(uid)
    assert (decided.state, decided.result, decided.result_no) == (
        CaseState.DECIDED.value,
        "approved",
        "示民高龄〔2026〕1号",
    )
    d.mark_ready(c1.ctx, c1.actor("clerk"), received.case_id)
    name, card = applicant_of(c1.store, received.case_id)
    delivery.deliver_to_applicant(c1.ctx, c1.actor("clerk"), received.case_id, name, card)
    assert w01.sync() == (2, 0, 0)  # the county accepts the hand-over too
    assert w02.sync() == (0, 3, 0)
    assert w02.case(uid).state == CaseState.DELIVERED.value
    assert_consistent_folds(w01, w02, uid)
    with c1.store.reader() as session:
        actors = {
            (a.actor, a.actor_role, a.workstation) for a in session.scalars(select(CaseAction))
        }
    assert ("county-staff", "county", "COUNTY") in actors


def test_the_county_returns_a_case_to_the_town(
    county: County, w01: Station, capsys: pytest.CaptureFixture[str]
) -> None:
    """onewindow-county decide NUMBER --return: the case is back in the town's review."""
    c = w01.centre
    received = c.walk_in(GAOLING)
    d.accept(c.ctx, c.actor("clerk"), received.case_id)
    d.start_review(c.ctx, c.actor("approver"), received.case_id)
    d.record_opinion(c.ctx, c.actor("approver"), received.case_id, "同意上报")
    d.report_to_county(c.ctx, c.actor("approver"), received.case_id)
    w01.sync()
    with c.store.reader() as session:
        number = session.get(Case, received.case_id).receipt_no  # type: ignore[union-attr]
    url = county.store.engine.url.render_as_string(hide_password=False)
    decide = ["decide", "--database", url, "--opinion", "缺少户籍证明，请补充后重新上报"]
    assert county_main([*decide, "NO-SUCH-CASE", "--return"]) == 1
    assert "没有编号为 NO-SUCH-CASE 的办件" in capsys.readouterr().err
    assert county_main([*decide, number, "--return"]) == 0  # the 收件号 finds it too
    assert "已退回乡镇" in capsys.readouterr().out
    w01.sync()
    with c.store.reader() as session:
        case = session.get(Case, received.case_id)
        assert case is not None and case.state == CaseState.IN_REVIEW.value
    # Back in the town's hands: the approver reviews again and may report again.
    d.record_opinion(c.ctx, c.actor("approver"), received.case_id, "已补充户籍证明")
    d.report_to_county(c.ctx, c.actor("approver"), received.case_id)
    assert w01.sync() == (2, 0, 0)


def test_an_account_made_at_w01_signs_in_at_w02_and_once_disabled_is_refused_there(
    county: County, w01: Station, w02: Station
) -> None:
    """The admin's account changes go up to the county and come down to every window."""
    c1 = w01.centre
    with c1.store.session() as session:
        made = accounts.create_user(
            session, c1.actor("admin"), "clerk3", "新来的", "Initial12345", [Role.CLERK]
        )
    w01.sync()
    with county.store.sessions() as session:
        held = session.get(Account, "clerk3")
        assert held is not None and held.roles == ["clerk"] and held.must_change_password
    w02.sync()
    with w02.centre.store.session() as session:
        there = accounts.authenticate(session, "clerk3", "Initial12345", "W02")
    assert there.roles == {Role.CLERK} and there.workstation == "W02"

    with c1.store.session() as session:
        accounts.set_active(session, c1.actor("admin"), made.user_id, False)
    w01.sync()
    w02.sync()
    with w02.centre.store.session() as session, pytest.raises(AuthenticationError):
        accounts.authenticate(session, "clerk3", "Initial12345", "W02")
