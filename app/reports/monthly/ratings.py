"""好差评 of the month: every rating given in it (by its assessed time, China local date), with
the case it rates where this store has the case, and its 差评整改 task's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level, Reason
from app.evaluations.rectification import TaskState
from app.reports.period import Period
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workflow.fold import CHINA_TZ
from db.models import Case, Evaluation, Item

__all__ = ["RatingRow", "month_ratings"]


@dataclass(frozen=True)
class RatingRow:
    assessed_at: dt.datetime  # China local time, naive
    case_no: str  # 办件编号, else 收件号; "" for a case not on this store
    item_name: str
    level: Level
    channel: Channel
    window: str
    staff: str
    reasons: tuple[str, ...]  # the 差评's reasons, in words
    task_state: TaskState | None  # None: no rectification task (not a 差评)
    task_due: dt.date | None

    @property
    def satisfied(self) -> bool:
        return self.level.is_satisfied


@reads
def month_ratings(session: Session, period: Period) -> tuple[RatingRow, ...]:
    """The period's ratings, oldest first."""
    start, until = period.utc_bounds()
    query = (
        select(Evaluation, Case.official_no, Case.receipt_no, Item.name)
        .outerjoin(Case, Case.id == Evaluation.case_id)
        .outerjoin(Item, Item.id == Case.item_id)
        .where(Evaluation.assessed_at >= start, Evaluation.assessed_at < until)
        .order_by(Evaluation.assessed_at, Evaluation.id)
    )
    with in_transaction(session):
        found = session.execute(query).all()
    rows = []
    for evaluation, official_no, receipt_no, item_name in found:
        at = evaluation.assessed_at
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        reasons = []
        for code in evaluation.reasons or ():
            try:
                reasons.append(Reason(code).label)
            except ValueError:
                reasons.append(str(code))
        rows.append(
            RatingRow(
                assessed_at=at.astimezone(CHINA_TZ).replace(tzinfo=None),
                case_no=official_no or receipt_no or "",
                item_name=item_name or "",
                level=Level(evaluation.level),
                channel=Channel(evaluation.channel),
                window=evaluation.window or "",
                staff=evaluation.staff or "",
                reasons=tuple(reasons),
                task_state=TaskState(evaluation.task_state) if evaluation.task_state else None,
                task_due=evaluation.task_due,
            )
        )
    return tuple(rows)
