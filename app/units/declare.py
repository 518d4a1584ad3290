"""Units of work, declared by the use cases themselves.

A use case called with a Session says what kind of unit it needs, and the caller (the desks'
backend) opens exactly that:

- :func:`reads` — a read-only unit: a snapshot that never waits for a writer and never takes
  the write lock; the connection is ``query_only``, so a stray write fails loudly.
- :func:`reads_guarded` — a read that only some roles may make, and whose refusal must be on
  record (等保: a refused look at the audit log is itself audited). The refusal is checked
  and recorded in a write unit of its own first; the read then runs read-only. The use case
  checks the permission again, without recording (``permissions.require``).
- :func:`writes` — a write unit: the write lock is taken at its start (``BEGIN IMMEDIATE``),
  and the use case commits (``with session.begin():``) or leaves nothing.

Case use cases (``fn(ctx, actor, …)``) open their own units through the
:class:`~app.cases.context.CaseContext`; they need no declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from app.permissions import Permission

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__onewindow_unit__"


class Kind(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True)
class Unit:
    kind: Kind
    guarded_by: Permission | None = None  # a refused read is recorded first, in a write unit


def _declare(fn: F, unit: Unit) -> F:
    setattr(fn, _ATTRIBUTE, unit)
    return fn


def reads(fn: F) -> F:
    return _declare(fn, Unit(Kind.READ))


def writes(fn: F) -> F:
    return _declare(fn, Unit(Kind.WRITE))


def reads_guarded(permission: Permission) -> Callable[[F], F]:
    def declare(fn: F) -> F:
        return _declare(fn, Unit(Kind.READ, permission))

    return declare


def unit_of(fn: Callable[..., Any]) -> Unit:
    """The unit ``fn`` declared; a use case that declared none is a programming error."""
    unit = getattr(fn, _ATTRIBUTE, None)
    if not isinstance(unit, Unit):
        name = getattr(fn, "__qualname__", repr(fn))
        raise TypeError(f"{name} does not declare its unit of work (@reads or @writes)")
    return unit
