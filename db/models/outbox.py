"""Outbox: one row per operation to push to the county, written in the transaction that made it.

``payload`` is a self-contained, versioned envelope (``app.outbox.envelope``) that the county can
apply without this workstation's database. ``key`` orders operations: those with the same key
(a case's uid, a username) go up first in, first out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_case", "status", "case_id", "id"),
        Index("ix_outbox_status_key", "status", "key", "id"),
        Index("ix_outbox_action_id", "action_id"),  # sync finds an action's row by it
        Index("ix_outbox_status_id", "status", "id"),  # the push: the oldest pending, in order
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)  # sent as Idempotency-Key
    key: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("case_actions.id"))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|acked|parked
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
