"""kill -9 at each named point (``app/sync/failpoints.py``) — a workstation's sync in a child
process, or the county service mid-push — then go on: nothing lost, nothing twice."""

from __future__ import annotations

from sqlalchemy import func, select

from app import settings
from app.sync.push import PENDING
from app.sync.transport import CountyUnreachable
from benchmarks.soak.world import World
from db.models import Case, OutboxEntry
from tests.faults.conftest import county_ops, healed_and_checked, walk_in_and_accept


def pending(w: World, code: str) -> int:
    with w.stations[code].store.reader() as session:
        return (
            session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.status == PENDING)
            )
            or 0
        )


def cases_and_cursor(w: World, code: str) -> tuple[int, int]:
    with w.stations[code].store.reader() as session:
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
        return cases, settings.SYNC_CURSOR.get(session)


def test_killed_after_the_local_commit_before_any_send(soak: World) -> None:
    walk_in_and_accept(soak.stations["W01"].centre)
    assert soak.stations["W01"].sync_killed_at("push.before-send")
    assert (county_ops(soak), pending(soak, "W01")) == (0, 2)
    healed_and_checked(soak)
    assert (county_ops(soak), pending(soak, "W01")) == (2, 0)


def test_killed_after_the_county_answered_before_the_answer_is_written(soak: World) -> None:
    walk_in_and_accept(soak.stations["W01"].centre)
    assert soak.stations["W01"].sync_killed_at("push.answered")
    assert (county_ops(soak), pending(soak, "W01")) == (2, 2)  # applied there, not known here
    again = soak.stations["W01"].sync()
    assert again.summary is not None and again.summary.replayed == 2
    healed_and_checked(soak)
    assert county_ops(soak) == 2


def test_killed_in_the_middle_of_applying_a_pulled_page(soak: World) -> None:
    for _ in range(3):
        walk_in_and_accept(soak.stations["W01"].centre)
    assert soak.stations["W01"].sync().error is None
    assert soak.stations["W02"].sync_killed_at("pull.mid-page")
    assert cases_and_cursor(soak, "W02") == (0, 0)  # the half-written page is gone, and its cursor
    healed_and_checked(soak)
    assert cases_and_cursor(soak, "W02")[0] == 3


def test_killed_after_a_page_is_written(soak: World) -> None:
    walk_in_and_accept(soak.stations["W01"].centre)
    assert soak.stations["W01"].sync().error is None
    assert soak.stations["W02"].sync_killed_at("pull.page-written")
    assert cases_and_cursor(soak, "W02")[0] == 1
    healed_and_checked(soak)


def test_the_county_killed_after_judging_before_its_commit(soak: World) -> None:
    walk_in_and_accept(soak.stations["W01"].centre)
    soak.county.restart("county.judged")
    first = soak.stations["W01"].sync()
    assert isinstance(first.error, CountyUnreachable) and soak.county.exited()
    assert county_ops(soak) == 0  # its transaction died with it
    healed_and_checked(soak)
    assert (county_ops(soak), pending(soak, "W01")) == (2, 0)


def test_the_county_killed_after_its_commit_before_answering(soak: World) -> None:
    walk_in_and_accept(soak.stations["W01"].centre)
    soak.county.restart("county.committed")
    first = soak.stations["W01"].sync()
    assert isinstance(first.error, CountyUnreachable) and soak.county.exited()
    assert (county_ops(soak), pending(soak, "W01")) == (2, 2)
    soak.county.heal()
    again = soak.stations["W01"].sync()
    assert again.summary is not None and again.summary.replayed == 2
    healed_and_checked(soak)
