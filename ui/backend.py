"""The desks' way to the use cases: one unit of work per user action.

Widgets never hold a Session: they hand a use-case function and its arguments to a backend
method, inside a :class:`ui.worker.Runner` task, and get plain data back. The use case declares
its unit (``app.units.declare``: read-only, guarded read, write); the backend opens that one::

    runner.read(lambda: backend.run(queries.my_queue, category="社会救助"), show_page)
    runner.write(lambda: backend.act(decisions.accept, case_id), accepted, show_error)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from app import settings
from app.accounts import service as accounts
from app.accounts.preferences import TextSize, text_size_of
from app.actor import Actor
from app.audit import authorize
from app.cases.context import CaseContext
from app.settings.calendar import work_calendar
from app.units.runner import Units
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from db.base import utcnow
from db.store import Store
from ui.station import Workstation as Workstation

P = ParamSpec("P")
T = TypeVar("T")


def workstation(store: Store) -> Workstation:
    with store.reader() as session:
        return Workstation(
            settings.CENTRE_NAME.get(session), settings.WORKSTATION_CODE.get(session)
        )


@dataclass(frozen=True)
class SignedIn:
    actor: Actor
    calendar: WorkCalendar
    idle_lock_minutes: int
    must_change_password: bool
    text_size: TextSize = TextSize.STANDARD  # the user's own 字号 on this workstation


def sign_in(store: Store, username: str, password: str, workstation_code: str) -> SignedIn:
    """Raises ``AuthenticationError`` (wrong password, locked, disabled) in plain Chinese."""
    with store.session() as session:
        actor = accounts.authenticate(session, username, password, workstation_code)
    with store.reader() as session:
        return SignedIn(
            actor,
            work_calendar(session),
            settings.IDLE_LOCK_MINUTES.get(session),
            accounts.password_change_required(session, actor),
            text_size_of(session, actor.username),
        )


def unlock(store: Store, actor: Actor, password: str) -> None:
    """The locked workstation's own user gives the password again: audited as an unlock, not a
    sign-in (failures count towards lockout)."""
    with store.session() as session:
        accounts.unlock_workstation(session, actor, password)


class DeskBackend:
    """The signed-in actor's handle on the store. Every method blocks: call it in a task."""

    def __init__(
        self,
        store: Store,
        calendar: WorkCalendar,
        actor: Actor,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.store = store
        self.actor = actor
        self.ctx = CaseContext(store.session, store.reader, calendar, clock)
        self.units = Units(store.session, store.reader, authorize)

    @property
    def calendar(self) -> WorkCalendar:
        return self.ctx.calendar

    def today(self) -> dt.date:
        """The centre's local date (China time) by the use cases' clock."""
        return local_date(self.ctx.clock())

    def run(
        self, fn: Callable[Concatenate[Session, Actor, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A use case ``fn(session, actor, ...)`` in the unit of work it declares
        (:mod:`app.units.declare`): read-only, guarded read, or write."""
        return self.units.run(self.actor, fn, *args, **kwargs)

    def lookup(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Reference data with no actor (the catalogue, an item's intake spec), read-only."""
        return self.units.lookup(fn, *args, **kwargs)

    def act(
        self, fn: Callable[Concatenate[CaseContext, Actor, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A case use case ``fn(ctx, actor, ...)``; it opens and commits its own units."""
        return fn(self.ctx, self.actor, *args, **kwargs)

    def change_password(self, old: str, new: str) -> None:
        with self.store.session() as session:
            accounts.change_password(session, self.actor, old, new)

    def sign_out(self) -> None:
        with self.store.session() as session:
            accounts.logout(session, self.actor)
