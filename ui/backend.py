"""The desks' way to the use cases: one Session (or one use-case call) per user action.

Widgets never hold a Session: they hand a use-case function and its arguments to a backend
method, inside a :class:`ui.worker.Runner` task, and get plain data back::

    runner.read(lambda: backend.query(queries.my_queue, category="社会救助"), show_page)
    runner.write(lambda: backend.act(decisions.accept, case_id), accepted, show_error)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from app import accounts
from app.actor import Actor
from app.cases.context import CaseContext
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from db.base import utcnow
from db.store import Store

P = ParamSpec("P")
T = TypeVar("T")


def sign_in(store: Store, username: str, password: str, workstation: str) -> Actor:
    """Raises ``AuthenticationError`` (wrong password, locked, disabled) in plain Chinese."""
    with store.session() as session:
        return accounts.authenticate(session, username, password, workstation)


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
        self.ctx = CaseContext(store.session, calendar, clock)

    @property
    def calendar(self) -> WorkCalendar:
        return self.ctx.calendar

    def today(self) -> dt.date:
        """The centre's local date (China time) by the use cases' clock."""
        return local_date(self.ctx.clock())

    def query(
        self, fn: Callable[Concatenate[Session, Actor, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A read use case ``fn(session, actor, ...)`` in a read-only session."""
        with self.store.reader() as session:
            return fn(session, self.actor, *args, **kwargs)

    def read(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A read with no actor (the catalogue, an item's intake spec)."""
        with self.store.reader() as session:
            return fn(session, *args, **kwargs)

    def act(
        self, fn: Callable[Concatenate[CaseContext, Actor, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A case use case ``fn(ctx, actor, ...)``; it opens and commits its own transaction."""
        return fn(self.ctx, self.actor, *args, **kwargs)

    def admin(
        self, fn: Callable[Concatenate[Session, Actor, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """An account or settings use case ``fn(session, actor, ...)`` in a write session."""
        with self.store.session() as session:
            return fn(session, self.actor, *args, **kwargs)

    def sign_out(self) -> None:
        with self.store.session() as session:
            accounts.logout(session, self.actor)
