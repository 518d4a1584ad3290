"""Case lists as the desks show them: rows with the deadline badge (remaining working days and
green / yellow / red) computed where the calendar and the settings are, not in the view.

The promise's badge turns yellow at the item's own threshold, else the setting's; a case in
review also carries its current step's clock (``app.cases.thresholds``): 环节超时 shows red
unless the case itself is overdue, which says more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.cases import queries, thresholds
from app.cases.queries import CaseRow, deadline_badge
from app.cases.thresholds import StepClock
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from app.workflow.states import CaseState

_RANK = {None: 0, "green": 1, "yellow": 2, "red": 3}


@dataclass(frozen=True)
class ListedCase:
    row: CaseRow
    remaining: int | None  # working days left; negative once overdue; None when no clock runs
    status: str | None  # the promise's: green | yellow | red
    step: StepClock | None = None  # in review: the current step's clock

    @property
    def step_status(self) -> str | None:
        return self.step.status if self.step is not None else None

    @property
    def badge(self) -> str | None:
        """The colour the list shows: the worse of the promise's and the step's."""
        return max(self.status, self.step_status, key=lambda s: _RANK[s])

    @property
    def step_shown(self) -> bool:
        """The step's clock is the one shown: the step is late or nearly so, and the case is
        not overdue."""
        return self.step_status is not None and _RANK[self.step_status] > _RANK[self.status]

    @property
    def deadline_text(self) -> str:
        if self.step is not None and self.step_shown:
            left = self.step.remaining
            if left < 0:
                return f"环节超时 {-left} 个工作日"
            return "环节今日到期" if left == 0 else f"环节剩余 {left} 个工作日"
        if self.remaining is None:
            return "—"
        if self.remaining < 0:
            return f"已超期 {-self.remaining} 个工作日"
        if self.remaining == 0:
            return "今日到期"
        return f"剩余 {self.remaining} 个工作日"

    @property
    def deadline_tip(self) -> str | None:
        """The 时限 cell's tooltip: what its colour means, and the step's clock."""
        says = {"green": "正常", "yellow": "即将到期", "red": "已超期"}
        parts = [says[self.status]] if self.status is not None else []
        if self.step is not None and self.step.status is not None:
            late = "已超时" if self.step.status == "red" else "即将超时"
            parts.append(
                f"当前环节「{self.step.name}」{late}（环节时限至 {self.step.due:%Y-%m-%d}）"
            )
        return "；".join(parts) or None


@dataclass(frozen=True)
class Listing:
    rows: list[ListedCase]
    total: int


def badged(
    session: Session, calendar: WorkCalendar, today: dt.date, rows: list[CaseRow]
) -> list[ListedCase]:
    default = settings.YELLOW_AT_WORKING_DAYS.get(session)
    yellow_at = thresholds.yellow_at_of(session, (r.item_id for r in rows if r.item_id))
    in_review = (r.case_id for r in rows if r.state is CaseState.IN_REVIEW)
    steps = thresholds.step_clocks(session, calendar, today, in_review)
    return [
        ListedCase(
            row,
            *deadline_badge(
                calendar,
                today,
                row.state,
                row.due_date,
                yellow_at.get(row.item_id, default) if row.item_id else default,
            ),
            steps.get(row.case_id),
        )
        for row in rows
    ]


@reads
def queue_listing(
    session: Session,
    actor: Actor,
    calendar: WorkCalendar,
    today: dt.date,
    *,
    category: str | None = None,
    limit: int = 100,
    offset: int = 0,
    states: Sequence[CaseState] | None = None,
) -> Listing:
    page = queries.my_queue(
        session, actor, category=category, limit=limit, offset=offset, states=states
    )
    return Listing(badged(session, calendar, today, page.rows), page.total)


@reads
def search_listing(
    session: Session,
    actor: Actor,
    calendar: WorkCalendar,
    today: dt.date,
    text: str,
    *,
    limit: int = 200,
) -> Listing:
    rows = queries.search(session, actor, text, limit=limit)
    return Listing(badged(session, calendar, today, rows), len(rows))
