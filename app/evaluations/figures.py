"""The centre's 好差评 figures over a period: ratings per level and the 满意度 the centres judge
themselves by ((非常满意 + 满意) / all ratings), with the 差评 tasks' standing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.evaluations.levels import Level
from app.evaluations.rectification import TaskState
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workflow.fold import CHINA_TZ
from db.models import Evaluation

__all__ = ["Satisfaction", "satisfaction"]


@dataclass(frozen=True)
class Satisfaction:
    start: dt.date
    end: dt.date  # inclusive
    counts: Mapping[Level, int]  # every level, 0 when none
    tasks_closed: int  # of the period's 差评
    tasks_open: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def bad(self) -> int:
        return sum(n for level, n in self.counts.items() if level.is_bad)

    @property
    def share(self) -> float | None:
        """满意度: (非常满意 + 满意) / all; None when nothing was rated."""
        if not self.total:
            return None
        return sum(n for level, n in self.counts.items() if level.is_satisfied) / self.total

    def line(self) -> str:
        share = "无评价" if self.share is None else f"{self.share:.1%}"
        levels = "，".join(f"{level.label} {self.counts[level]}" for level in Level)
        return (
            f"{self.start}至{self.end}：共 {self.total} 条评价（{levels}），满意度 {share}；"
            f"差评 {self.bad} 条，整改已办结 {self.tasks_closed}，未办结 {self.tasks_open}"
        )


def _utc_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), CHINA_TZ).astimezone(dt.UTC)


@reads
def satisfaction(session: Session, start: dt.date, end: dt.date) -> Satisfaction:
    """The ratings given from ``start`` to ``end`` (local dates, both included)."""
    period = (
        Evaluation.assessed_at >= _utc_start(start),
        Evaluation.assessed_at < _utc_start(end + dt.timedelta(days=1)),
    )
    with in_transaction(session):
        found: dict[int, int] = {
            level: n
            for level, n in session.execute(
                select(Evaluation.level, func.count()).where(*period).group_by(Evaluation.level)
            )
        }
        closed = Evaluation.task_state == TaskState.CLOSED.value
        tasks: dict[bool, int] = {
            bool(is_closed): n
            for is_closed, n in session.execute(
                select(closed, func.count())
                .where(*period, Evaluation.task_state.is_not(None))
                .group_by(closed)
            )
        }
    counts = {level: found.get(level.value, 0) for level in Level}
    return Satisfaction(start, end, counts, tasks.get(True, 0), tasks.get(False, 0))
