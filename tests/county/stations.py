"""A workstation of the test centre connected to the county on loopback, as the sync tests drive
it: its store, its people, its transport; and the ``w01`` / ``w02`` fixtures (``conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cases import queries
from app.sync.accounts import pull_accounts
from app.sync.authorizations import pull_authorizations
from app.sync.pull import pull_changes
from app.sync.push import push_pending
from app.sync.transport import HttpTransport
from db.models import Case
from tests.centre import Centre
from tests.county.server import County, connected


class Station:
    """A workstation: its store, its people, its transport to the county."""

    def __init__(self, centre: Centre, transport: HttpTransport) -> None:
        self.centre = centre
        self.transport = transport

    def sync(self) -> tuple[int, int, int]:
        pushed = push_pending(self.centre.store, self.transport)
        pull_accounts(self.centre.store, self.transport)  # in sync_now's order
        pull_authorizations(self.centre.store, self.transport)
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
def w01(county: County, centre: Centre) -> Iterator[Station]:
    """The ``centre`` fixture's store, activated as W01."""
    with connected(county, "W01", centre=centre) as (centre, transport):
        yield Station(centre, transport)


@pytest.fixture
def w02(county: County, tmp_path: Path) -> Iterator[Station]:
    """A new store of the test centre, activated as W02."""
    with connected(county, "W02", data_dir=tmp_path) as (centre, transport):
        yield Station(centre, transport)
