"""What this workstation knows of the county's log: which actions it confirmed, and where, in
which of the county's epochs.

A case's log here is its confirmed actions in county order, then this workstation's own pending
actions on top (``app/cases/log.py``). An action is confirmed when the county acknowledged it
(ours) or when it arrived from the county (another workstation's, or the county's own). Rows are
never changed or removed (triggers, as ``case_actions``): ``case_actions`` stays append-only.

A county restored from a backup has a new epoch and may lack what it had confirmed; this store
then begins a new row of ``county_epochs`` and only the confirmations of the newest count
(``app/sync/resnapshot.py``). The older ones stay, as history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, ScalarSelect, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class CountyEpoch(Base):
    """The county epochs this store has synced in, in order: the newest is the current one."""

    __tablename__ = "county_epochs"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[str] = mapped_column(String(36))  # "" before the first sync
    began_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def current_epoch_id() -> ScalarSelect[int]:
    """The current county epoch (this store's number for it), as a subquery."""
    return select(func.max(CountyEpoch.id)).scalar_subquery()


class ActionConfirmation(Base):
    __tablename__ = "action_confirmations"

    action_id: Mapped[int] = mapped_column(ForeignKey("case_actions.id"), primary_key=True)
    epoch_id: Mapped[int] = mapped_column(
        ForeignKey("county_epochs.id"), primary_key=True, default=current_epoch_id()
    )
    county_seq: Mapped[int]
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
