"""Alert notices told: which alert each person has already been shown (``app/alerts/notices``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class AlertNotice(Base):
    """``username`` was told that case ``case_id`` met alert ``kind`` (overdue, step 超时).

    ``mark`` names the occurrence: the promised date that passed (an extension that runs out
    again is news again), or the step's position. Local to this workstation, never synced."""

    __tablename__ = "alert_notices"
    __table_args__ = (UniqueConstraint("username", "kind", "case_id", "mark"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    mark: Mapped[str] = mapped_column(String(20))
    told_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
