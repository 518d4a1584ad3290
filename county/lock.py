"""The county-wide lock every write that orders the county's feeds or numbers takes first.

Kept apart from ``county/apply.py`` so that what the push applies and what the county's own pages
write (a phone rating, ``county/evaluations.py``) queue behind the same lock.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from county.store.models import Meta

__all__ = ["one_at_a_time"]


def one_at_a_time(session: Session) -> None:
    """Queue this operation behind any other being applied, county-wide, until the caller's
    transaction ends; then read the store afresh.

    SQLite queues them already: its transactions begin with ``BEGIN IMMEDIATE`` (one writer at a
    time). PostgreSQL's READ COMMITTED would let two run side by side: two pushes on one case
    could both pass the base-sequence check (the loser failing on the unique county_seq instead
    of getting its conflict), two cases of one item and day could count the same 办件编号 serial,
    one op_id sent twice at once could be judged twice, and a change-feed id taken before another
    transaction's could commit after it, so that a workstation already past it never pulls it. A
    ``SELECT … FOR UPDATE`` on the county's one meta row, held to commit, closes all four (a lock
    on the case row alone, the first only); every statement after it sees what the previous
    holder committed. The session keeps its objects across commits (``expire_on_commit=False``),
    so they are expired: a case read by an earlier operation of the same request may be stale.
    """
    held_for = session.get_transaction()
    if held_for is not None and session.info.get(_LOCK_HELD_FOR) is held_for:
        return  # taken by an earlier operation of this transaction, and held to its end
    session.scalars(select(Meta.id).with_for_update()).all()
    session.expire_all()
    session.info[_LOCK_HELD_FOR] = held_for


_LOCK_HELD_FOR = "county-lock-held-for"  # session.info: the transaction holding the lock
