"""A use case's transaction that joins the caller's: inside an open one (the desks' units, the
demo's savepoints) it writes or reads there and the caller commits; alone, it opens its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def in_transaction(session: Session) -> Iterator[None]:
    """The caller's transaction if one is open (the caller commits), else one of our own: one
    unit, one read snapshot."""
    if session.in_transaction():
        yield
        return
    with session.begin():
        yield
