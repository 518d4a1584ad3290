"""Two workstations of one centre work as one through the real county service on loopback: the
window's accepted case reaches the back office's queue, the review comes back to the window with
the county's 办件编号, and two people acting on the same case from the same base lose nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import decisions as d
from app.cases import queries
from app.cases.log import PARKED
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.sync.transport import HttpTransport
from app.workflow.states import CaseState
from db.models import Case, CaseAction, OutboxEntry
from db.store import open_store
from tests.cases.helpers import assert_consistent
from tests.centre import Centre, make_centre
from tests.county.server import County, running_county

DIBAO = "最低生活保障"


class Station:
    """A workstation: its store, its people, its transport to the county."""

    def __init__(self, centre: Centre, transport: HttpTransport) -> None:
        self.centre = centre
        self.transport = transport

    def sync(self) -> tuple[int, int, int]:
        pushed = push_pending(self.centre.store, self.transport)
        pulled = pull_changes(self.centre.store, self.transport, self.centre.ctx.calendar)
        return pushed.applied, pulled.added, pushed.parked + pulled.parked

    def case(self, uid: str) -> Case:
        with self.centre.store.reader() as session:
            found = session.scalars(select(Case).where(Case.uid == uid)).one()
            return found

    def queue(self, who: str) -> list[str]:
        with self.centre.store.reader() as session:
            page = queries.my_queue(session, self.centre.actor(who))
            return [row.receipt_no for row in page.rows]


@pytest.fixture
def county(tmp_path: Path, county_url: str) -> Iterator[County]:
    """The service on each backend in turn (``county_url``: SQLite, then PostgreSQL)."""
    with running_county(tmp_path / "county", county_url) as running:
        yield running


@pytest.fixture
def w01(county: County, centre: Centre) -> Iterator[Station]:
    transport = HttpTransport(county.url, county.activate("W01"))
    yield Station(centre, transport)
    transport.close()


@pytest.fixture
def w02(county: County, tmp_path: Path) -> Iterator[Station]:
    store = open_store(tmp_path / "w02")
    transport = HttpTransport(county.url, county.activate("W02"))
    yield Station(make_centre(store, "W02"), transport)
    transport.close()
    store.close()


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
