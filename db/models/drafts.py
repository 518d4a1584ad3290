"""Half-filled intakes (收件草稿) kept per user while the clerk is interrupted at the window.

A draft is the clerk's scratch copy, not a case: it holds the item, the form as typed and the
materials ticked. It is deleted once the intake is decided or the clerk discards it. The store is
encrypted at rest, so personal data in a draft is as safe as in a case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class IntakeDraft(Base):
    __tablename__ = "intake_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Chosen by the desk when the intake starts, so saves and the final delete never race.
    token: Mapped[str] = mapped_column(String(40), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    label: Mapped[str] = mapped_column(String(200))  # the applicant's name as typed so far
    form_data: Mapped[dict[str, Any]] = mapped_column(JSON)
    materials: Mapped[dict[str, int]] = mapped_column(JSON)  # material key -> copies
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
