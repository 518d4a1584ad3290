"""What the 统计看板 shows, read in one go off the UI thread: the figures of the scope (the
centre, or an approver's own person row), the trend, and for the supervisor the breakdowns —
overdue by window and by person, the items by volume.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.actor import Actor
from app.reports.figures import FigureRow, Grouping, Part, figures
from app.reports.period import Period
from app.reports.scope import Scope, scope_of
from app.reports.trend import Trend, trend
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workcalendar import WorkCalendar

__all__ = ["TOP_ITEMS", "Dashboard", "dashboard"]

TOP_ITEMS = 10  # the items-by-volume chart's bars


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: Period
    today: dt.date
    figures: FigureRow  # the tiles: the centre's, or the approver's own row
    trend: Trend  # the period's buckets up to today
    # the supervisor's breakdowns (empty for an approver): group rows with a count > 0
    overdue_by_window: tuple[FigureRow, ...] = ()
    overdue_by_person: tuple[FigureRow, ...] = ()
    items_by_volume: tuple[FigureRow, ...] = ()  # by 收件量, most first, at most TOP_ITEMS
    seconds: float = 0.0  # how long the read took


def _until_today(period: Period, today: dt.date) -> Period:
    """The trend's days: the period up to today (本月's days to come are drawn as nothing)."""
    if period.start <= today < period.end:
        return Period(period.start, today)
    return period


@reads
def dashboard(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    today: dt.date,
    calendar: WorkCalendar,
) -> Dashboard:
    """Everything the desk draws, from one read snapshot."""
    started = time.perf_counter()
    scope = scope_of(actor)
    drawn = _until_today(period, today)
    with in_transaction(session):
        if not scope.centre:
            own = figures(session, period, scope.grouping, today=today, calendar=calendar)
            row = own.row(scope.key)
            shown = FigureRow(**{**vars(row), "key": scope.key, "label": scope.label})
            series = trend(session, drawn, grouping=scope.grouping, key=scope.key)
            return Dashboard(
                scope, period, today, shown, series, seconds=time.perf_counter() - started
            )
        # Every figure once (per window: the tiles are its total); per person only the standing
        # ones (overdue by person), per item only the flows (收件量 by item).
        windows = figures(session, period, Grouping.WINDOW, today=today, calendar=calendar)
        people = figures(
            session, period, Grouping.PERSON, today=today, calendar=calendar, parts=[Part.STANDING]
        )
        items = figures(
            session, period, Grouping.ITEM, today=today, calendar=calendar, parts=[Part.FLOWS]
        )
        series = trend(session, drawn)
    by_volume = sorted((r for r in items.rows if r.received), key=lambda r: (-r.received, r.key))
    return Dashboard(
        scope,
        period,
        today,
        windows.total,
        series,
        overdue_by_window=tuple(r for r in windows.rows if r.overdue),
        overdue_by_person=tuple(r for r in people.rows if r.overdue),
        items_by_volume=tuple(by_volume[:TOP_ITEMS]),
        seconds=time.perf_counter() - started,
    )
