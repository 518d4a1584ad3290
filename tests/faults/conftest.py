"""Sync under faults (issue 11): the county as a process of its own, the fault proxy before it,
W01 and W02 activated through it (``benchmarks/soak/world.py``), and the invariants checked the
way the randomized runs check them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmarks.soak.invariants import History, check
from benchmarks.soak.run import heal
from benchmarks.soak.world import World, world
from county.backup import restore_backup, take_backup
from county.store.models import CaseActionRow
from db.models import Case
from tests.centre import Centre


@pytest.fixture
def soak(tmp_path: Path) -> Iterator[World]:
    with world(tmp_path / "world") as made:
        yield made


def county_ops(w: World) -> int:
    store = w.county_store()
    try:
        with store.sessions() as session:
            return session.scalar(select(func.count()).select_from(CaseActionRow)) or 0
    finally:
        store.close()


def backup_of(w: World, directory: Path) -> Path:
    """``onewindow-county backup`` of the county as it is now."""
    path = directory / "county.jsonl.gz"
    store = w.county_store()
    try:
        take_backup(store, path)
    finally:
        store.close()
    return path


def restore(w: World, backup: Path) -> None:
    """The county stopped, restored from ``backup`` (a new epoch) and started again."""
    w.county.kill()
    store = w.county_store()
    try:
        restore_backup(store, backup)
    finally:
        store.close()
    w.county.start()


def local_id(w: World, code: str, uid: str) -> int:
    """The case's id in ``code``'s store."""
    with w.stations[code].store.reader() as session:
        return session.scalars(select(Case.id).where(Case.uid == uid)).one()


def walk_in_and_accept(centre: Centre, item: str = "最低生活保障") -> int:
    """Two actions queued at the window (收件, 受理); the case id."""
    from app.cases import decisions

    received = centre.walk_in(item)
    decisions.accept(centre.ctx, centre.actor("clerk"), received.case_id)
    return received.case_id


def healed_and_checked(w: World, history: History | None = None) -> History:
    """Heal, sync every workstation until quiet, and every invariant holds."""
    history = history or History()
    heal(w, history)
    verdict = check(w, history)
    assert verdict.ok, verdict.problems()
    return history
