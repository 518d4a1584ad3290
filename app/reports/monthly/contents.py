"""Everything the month's workbook and PDF show, read in one snapshot.

The figures are :func:`app.reports.figures.figures` itself (the dashboard's numbers): for the
centre and per item, window and person; the daily series is the same flows (``receive`` and
``decide`` actions) by China local day, so its sums are the month's 收件量 and 办结量.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import settings
from app.divisions.policy import centre_divisions
from app.reports.figures import Figures, Grouping, VillageRow, figures, proxy_filings
from app.reports.monthly.ledger import LedgerRow, ledger
from app.reports.monthly.ratings import RatingRow, month_ratings
from app.reports.period import Period
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workcalendar import WorkCalendar
from app.workflow.states import Action
from db.models import CaseAction, User

__all__ = ["DayCount", "MonthlyContents", "gather"]

GROUPINGS = (Grouping.CENTRE, Grouping.ITEM, Grouping.WINDOW, Grouping.PERSON)


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    received: int
    decided: int


@dataclass(frozen=True)
class MonthlyContents:
    centre_name: str
    period: Period
    today: dt.date  # the standing figures' day
    made_at: dt.datetime  # China local time, naive
    made_by: str  # display name
    full_ids: bool
    figures: dict[Grouping, Figures]
    days: tuple[DayCount, ...]  # every day of the month, in order
    ledger: tuple[LedgerRow, ...]
    ratings: tuple[RatingRow, ...]
    villages: tuple[VillageRow, ...]
    staff_names: dict[str, str]  # username → display name (the ratings' 经办人)

    @property
    def total(self) -> Figures:
        return self.figures[Grouping.CENTRE]


def _days(session: Session, period: Period) -> tuple[DayCount, ...]:
    start, until = period.utc_bounds()
    local_day = func.date(CaseAction.occurred_at, "+8 hours")
    query = (
        select(local_day, CaseAction.action, func.count())
        .where(
            CaseAction.action.in_([Action.RECEIVE.value, Action.DECIDE.value]),
            CaseAction.occurred_at >= start,
            CaseAction.occurred_at < until,
        )
        .group_by(local_day, CaseAction.action)
    )
    counts: dict[tuple[str, str], int] = {
        (day, action): n for day, action, n in session.execute(query)
    }
    out = []
    day = period.start
    while day <= period.end:
        key = day.isoformat()
        out.append(
            DayCount(
                day,
                counts.get((key, Action.RECEIVE.value), 0),
                counts.get((key, Action.DECIDE.value), 0),
            )
        )
        day += dt.timedelta(days=1)
    return tuple(out)


@reads
def gather(
    session: Session,
    period: Period,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    made_at: dt.datetime,
    made_by: str,
    full_ids: bool,
) -> MonthlyContents:
    """The month's contents; ``full_ids``: the ledger's ID numbers unmasked (checked by the
    caller)."""
    with in_transaction(session):
        centre_name = settings.CENTRE_NAME.get(session)
        divisions = centre_divisions(session).villages
        by = {g: figures(session, period, g, today=today, calendar=calendar) for g in GROUPINGS}
        days = _days(session, period)
        rows = ledger(session, period, today=today, full_ids=full_ids)
        ratings = month_ratings(session, period)
        villages = proxy_filings(session, period, divisions)
        wanted = sorted({r.staff for r in ratings if r.staff})
        names = dict(
            session.execute(
                select(User.username, User.display_name).where(User.username.in_(wanted))
            ).all()
        )
    return MonthlyContents(
        centre_name=centre_name,
        period=period,
        today=today,
        made_at=made_at,
        made_by=made_by,
        full_ids=full_ids,
        figures=by,
        days=days,
        ledger=rows,
        ratings=ratings,
        villages=villages,
        staff_names={str(k): str(v) for k, v in names.items()},
    )
