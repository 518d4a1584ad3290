"""What this workstation knows of the county's log: which actions it confirmed, and where.

A case's log here is its confirmed actions in county order, then this workstation's own pending
actions on top (``app/cases/log.py``). An action is confirmed when the county acknowledged it
(ours) or when it arrived from the county (another workstation's, or the county's own). Rows are
never changed or removed (triggers, as ``case_actions``): ``case_actions`` stays append-only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class ActionConfirmation(Base):
    __tablename__ = "action_confirmations"

    action_id: Mapped[int] = mapped_column(ForeignKey("case_actions.id"), primary_key=True)
    county_seq: Mapped[int]
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
