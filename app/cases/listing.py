"""Case lists as the desks show them: rows with the deadline badge (remaining working days and
green / yellow / red) computed where the calendar and the settings are, not in the view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor
from app.cases import queries
from app.cases.queries import CaseRow, deadline_badge
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from app.workflow.states import CaseState


@dataclass(frozen=True)
class ListedCase:
    row: CaseRow
    remaining: int | None  # working days left; negative once overdue; None when no clock runs
    status: str | None  # green | yellow | red

    @property
    def deadline_text(self) -> str:
        if self.remaining is None:
            return "—"
        if self.remaining < 0:
            return f"已超期 {-self.remaining} 个工作日"
        if self.remaining == 0:
            return "今日到期"
        return f"剩余 {self.remaining} 个工作日"


@dataclass(frozen=True)
class Listing:
    rows: list[ListedCase]
    total: int


def badged(
    session: Session, calendar: WorkCalendar, today: dt.date, rows: list[CaseRow]
) -> list[ListedCase]:
    yellow_at = settings.YELLOW_AT_WORKING_DAYS.get(session)
    return [
        ListedCase(row, *deadline_badge(calendar, today, row.state, row.due_date, yellow_at))
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
