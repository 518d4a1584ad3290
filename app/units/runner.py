"""Opening the unit of work a use case declared (:mod:`app.units.declare`) and running it.

The desks' backend and the tests go through :class:`Units`, so a read always runs read-only,
a guarded read's refusal is always on record, and a write always holds the write lock from its
start. The guard that checks and records a refusal is handed in (the audit log's
``authorize``): the audit log's own use cases declare their units, so this module may not
import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from app.actor import Actor
from app.permissions import Permission
from app.units.declare import Kind, unit_of

P = ParamSpec("P")
T = TypeVar("T")


Guard = Callable[[Session, Actor, Permission], None]


@dataclass(frozen=True)
class Units:
    writer: Callable[[], Session]  # write units: BEGIN IMMEDIATE
    reader: Callable[[], Session]  # read units: a snapshot, query_only
    guard: Guard  # raises PermissionDenied, having recorded the refusal (audit.authorize)

    def run(
        self,
        actor: Actor,
        fn: Callable[Concatenate[Session, Actor, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``fn(session, actor, ...)`` in the unit it declares."""
        unit = unit_of(fn)
        if unit.guarded_by is not None:  # a refusal is recorded, so in a write unit of its own
            with self.writer() as session:
                self.guard(session, actor, unit.guarded_by)
        opened = self.reader if unit.kind is Kind.READ else self.writer
        with opened() as session:
            return fn(session, actor, *args, **kwargs)

    def lookup(
        self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Reference data with no actor (the catalogue, an item's intake spec), read-only."""
        if unit_of(fn).kind is not Kind.READ:
            raise TypeError(f"{fn.__qualname__} writes: run it as the actor")
        with self.reader() as session:
            return fn(session, *args, **kwargs)
