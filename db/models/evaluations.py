"""好差评 on the workstation: the centre's evaluations (taken at this window, or taken down from the
county: other windows', phone ratings) and the steps of each 差评's rectification task (差评整改).

An evaluation is known by its ``uid`` everywhere. A window rating names the case action it rates
(``service_op_id``) and at most one window rating exists per action (一次一评). ``assess_number``
is the county's count of the case's evaluations (评价次数), known once the county has it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class Evaluation(Base):
    __tablename__ = "evaluations"
    __table_args__ = (
        UniqueConstraint("service_op_id", "channel"),  # one window rating per service
        Index("ix_evaluations_task_state_due", "task_state", "task_due"),
        Index("ix_evaluations_assessed_at", "assessed_at"),  # a period's ratings (figures)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    case_uid: Mapped[str] = mapped_column(String(36), index=True)
    # The case on this store (None: a case this workstation has not taken down).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    service: Mapped[str] = mapped_column(String(20))  # app.evaluations.levels.Service
    service_op_id: Mapped[str | None] = mapped_column(String(36))
    channel: Mapped[str] = mapped_column(String(10))  # app.evaluations.levels.Channel
    level: Mapped[int]  # GB/T 39046 A.8: 1 = 非常满意 … 5 = 非常不满意
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    staff: Mapped[str | None] = mapped_column(String(64))  # who served
    window: Mapped[str | None] = mapped_column(String(40))  # the workstation it was given at
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    assess_number: Mapped[int | None]  # 评价次数, the county's
    # 差评整改: app.evaluations.rectification.TaskState, and the day it is due (None: no task).
    task_state: Mapped[str | None] = mapped_column(String(20))
    task_due: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RectificationStep(Base):
    """One step of a 差评's rectification task, in the order taken."""

    __tablename__ = "rectification_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))  # app.evaluations.rectification.Step
    note: Mapped[str] = mapped_column(Text)
    founded: Mapped[bool | None]
    outcome: Mapped[str | None] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
