"""The trend behind the dashboard's charts: a period cut into days or months, and in each bucket
收件量, 受理量, 办结量 (with 办结率 and 按期办结率) and the ratings (满意度).

Each count is the figure of ``app.reports.figures`` (the same actions, the same period bounds in
China local dates, the same group key), grouped by the bucket the action or rating fell in: the
buckets of a period add up to its figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from app.reports import figures as f
from app.reports.period import Period
from app.units.joined import in_transaction
from db.models import Case, CaseAction, Evaluation

__all__ = ["Bucketing", "Trend", "TrendPoint", "trend"]

# Up to this many days a period is drawn day by day; longer, month by month.
DAYS_AT_MOST = 62
TREND_FIGURES = ("received", "accepted", "decided", "decided_on_time", "rated", "satisfied")


class Bucketing(StrEnum):
    DAY = "day"
    MONTH = "month"


@dataclass(frozen=True)
class TrendPoint(f.Rates):
    """A bucket's counts; its 办结率, 按期办结率 and 满意度 as a group's (``figures.Rates``)."""

    period: Period  # the bucket: one day, or the part of a month inside the period
    label: str  # 3月2日 / 2026年3月
    received: int = 0
    accepted: int = 0
    decided: int = 0
    decided_on_time: int = 0
    rated: int = 0
    satisfied: int = 0


@dataclass(frozen=True)
class Trend:
    bucketing: Bucketing
    points: tuple[TrendPoint, ...]


def bucketing_of(period: Period) -> Bucketing:
    days = (period.end - period.start).days + 1
    return Bucketing.DAY if days <= DAYS_AT_MOST else Bucketing.MONTH


def _buckets(period: Period, bucketing: Bucketing) -> list[tuple[str, Period, str]]:
    """(SQL bucket key, the bucket's dates, its label) for each bucket of ``period``."""
    found: list[tuple[str, Period, str]] = []
    day = period.start
    while day <= period.end:
        if bucketing is Bucketing.DAY:
            found.append((day.isoformat(), Period.day(day), f"{day.month}月{day.day}日"))
            day += dt.timedelta(days=1)
        else:
            month = Period.month(day.year, day.month)
            part = Period(max(month.start, period.start), min(month.end, period.end))
            found.append((f"{day:%Y-%m}", part, f"{day.year}年{day.month}月"))
            day = month.end + dt.timedelta(days=1)
    return found


def _bucket(column: Any, bucketing: Bucketing) -> ColumnElement[str]:
    """The China local day (``YYYY-MM-DD``) or month (``YYYY-MM``) of a UTC timestamp."""
    local_day = func.date(column, "+8 hours")
    return local_day if bucketing is Bucketing.DAY else func.substr(local_day, 1, 7)


def trend(
    session: Session,
    period: Period,
    *,
    grouping: f.Grouping = f.Grouping.CENTRE,
    key: str = "",
    bucketing: Bucketing | None = None,
) -> Trend:
    """The period's buckets for the centre, or for one group (an approver: ``PERSON``, their
    username). ``bucketing``: by default days up to two months, else months."""
    chosen = bucketing or bucketing_of(period)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(TREND_FIGURES, 0))
    bucket = _bucket(CaseAction.occurred_at, chosen)
    in_group = func.coalesce(f.action_key(grouping), "") == key
    flows = f.joined(select(bucket, CaseAction.action, func.count()), grouping, from_actions=True)
    counted = [a.value for name in ("received", "accepted") for a in f.FLOW_FIGURES[name]]
    flows = flows.where(
        CaseAction.action.in_(counted),
        f.in_period(CaseAction.occurred_at, period),
    )
    # 办结 with its on-time share (``decided_on_time`` reads the case's due date).
    on_time = func.sum(sql_case((f.decided_on_time(), 1), else_=0))
    decisions = f.joined(select(bucket, func.count(), on_time), grouping, from_actions=True)
    if grouping not in (f.Grouping.ITEM, f.Grouping.CATEGORY):  # joined() has not joined it
        decisions = decisions.join(Case, Case.id == CaseAction.case_id)
    decisions = decisions.where(
        CaseAction.action.in_([a.value for a in f.DECIDED]),
        f.in_period(CaseAction.occurred_at, period),
    )
    if grouping is not f.Grouping.CENTRE:
        flows = flows.where(in_group)
        decisions = decisions.where(in_group)
    conditions = f.rating_conditions(period, period.end)
    when = _bucket(Evaluation.assessed_at, chosen)
    satisfied = func.sum(sql_case((conditions["satisfied"], 1), else_=0))
    ratings = f.evaluation_query(select(when, func.count(), satisfied), grouping)
    ratings = ratings.where(conditions["rated"])
    if grouping is not f.Grouping.CENTRE:
        ratings = ratings.where(func.coalesce(f.evaluation_key(grouping), "") == key)
    with in_transaction(session):
        for day, action, n in session.execute(flows.group_by(bucket, CaseAction.action)):
            for name in ("received", "accepted"):
                if action in {a.value for a in f.FLOW_FIGURES[name]}:
                    counts[day][name] += n
        for day, n, in_time in session.execute(decisions.group_by(bucket)):
            counts[day]["decided"] += n
            counts[day]["decided_on_time"] += in_time or 0
        for day, n, good in session.execute(ratings.group_by(when)):
            counts[day]["rated"] += n
            counts[day]["satisfied"] += good or 0
    points = tuple(
        TrendPoint(part, label, **counts.get(k, {})) for k, part, label in _buckets(period, chosen)
    )
    return Trend(chosen, points)
