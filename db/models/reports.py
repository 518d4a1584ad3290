"""报表存档: the exact bytes of every report made (the monthly workbook and PDF), with their
SHA-256, inside the encrypted store like the printed documents (``printed_documents`` holds a
case's documents; a report belongs to no case)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class ArchivedReport(Base):
    __tablename__ = "archived_reports"
    __table_args__ = (Index("ix_archived_reports_kind_period", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "monthly_report"
    period: Mapped[str] = mapped_column(String(40))  # "2026-11"
    file_name: Mapped[str] = mapped_column(String(200))  # as handed out, e.g. 月度报表-2026-11.xlsx
    full_ids: Mapped[bool] = mapped_column(default=False)  # carries whole ID numbers
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    made_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    workstation: Mapped[str] = mapped_column(String(40))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
