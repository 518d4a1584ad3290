"""A pull that brings a case's actions over several pages folds the case once per page, and on a
later page starts from where the previous fold left it (``app/sync/refold.py``). The row must
still be the fold of the whole log; an action taken here between two pages must be folded on
top or parked — never buried under the other workstations' actions."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from app import settings
from app.cases import decisions as d
from app.cases.log import PARKED
from app.sync.protocol import ChangesPage
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.workflow.states import CaseState
from db.models import ActionConfirmation, Case, CaseAction, OutboxEntry
from tests.cases.helpers import assert_consistent
from tests.centre import Centre
from tests.county.stations import Station
from tests.county.test_sync_loop import DIBAO


def cursor_now(centre: Centre) -> int:
    with centre.store.reader() as session:
        return settings.SYNC_CURSOR.get(session)


def count(station: Station, what: Any) -> int:
    with station.centre.store.reader() as session:
        return session.scalar(select(func.count()).select_from(what)) or 0


def test_cases_spread_over_many_pages_fold_as_their_whole_logs(w01: Station, w02: Station) -> None:
    c1 = w01.centre
    for _ in range(3):  # interleaved, as a day at the window is
        received = c1.walk_in(DIBAO)
        d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
        d.start_review(c1.ctx, c1.actor("approver"), received.case_id)
    assert push_pending(c1.store, w01.transport).applied == 9

    pulled = pull_changes(w02.centre.store, w02.transport, w02.centre.ctx.calendar, page=2)

    assert (pulled.added, pulled.parked) == (9, 0)
    assert count(w02, CaseAction) == count(w02, ActionConfirmation) == 9
    assert_consistent(w02.centre.store, w02.centre.ctx.calendar)
    with w02.centre.store.reader() as session:
        states = set(session.scalars(select(Case.state)))
    assert states == {CaseState.IN_REVIEW.value}


def test_an_action_taken_here_between_two_pages_is_folded_on_top_not_buried(
    w01: Station, w02: Station, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page 1 brings the case received; before page 2 (W01's acceptance) the clerk here
    accepts it too. Page 2 must fold the whole log: W01's acceptance stands, this one no longer
    fits and is parked for a person — not left pending under a fold that never saw it."""
    c1, c2 = w01.centre, w02.centre
    received = c1.walk_in(DIBAO)
    d.accept(c1.ctx, c1.actor("clerk"), received.case_id)
    assert push_pending(c1.store, w01.transport).applied == 2
    pages = 0
    fetch = w02.transport.changes

    def changes(cursor: int, epoch: str | None, limit: int) -> ChangesPage:
        nonlocal pages
        pages += 1
        if pages == 2:  # fetched ahead while page 1 is written: once it is in, act here
            deadline = time.monotonic() + 30
            while cursor_now(c2) == 0 and time.monotonic() < deadline:
                time.sleep(0.01)
            with c2.store.reader() as session:
                here = session.scalars(select(Case.id)).one()  # received
            d.accept(c2.ctx, c2.actor("clerk"), here)
        return fetch(cursor, epoch, limit)

    monkeypatch.setattr(w02.transport, "changes", changes)
    pulled = pull_changes(c2.store, w02.transport, c2.ctx.calendar, page=1)

    assert (pulled.added, pulled.parked) == (2, 1)
    with c2.store.reader() as session:
        (entry,) = session.scalars(select(OutboxEntry))
        assert entry.status == PARKED and entry.last_error
        case = session.scalars(select(Case)).one()
        assert (case.state, case.last_action_seq) == (CaseState.ACCEPTED.value, 2)
    assert_consistent(c2.store, c2.ctx.calendar)
