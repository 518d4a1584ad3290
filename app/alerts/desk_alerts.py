"""What a person is alerted about on their desk, counted in SQL.

An approver: the cases assigned to them whose promise clock runs and that are nearly due or
overdue. The supervisor (the centre): every such case, the 收件 watchdog (received more than 5
working days ago, not yet accepted, refused or told what to supplement) and the 差评整改 tasks
past their due day.

Thresholds: 「临近到期」 is due today or within ``settings.YELLOW_AT_WORKING_DAYS`` working days
(the same yellow as the lists' badge). The catalogue has no per-item or per-step warning
threshold (``Item`` has the promised limit, ``ItemStep`` a step's time limit, and a case does not
record when its current step began), so the setting is the one threshold.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.cases import queries
from app.cases.access import restrict
from app.cases.listing import Listing, badged
from app.evaluations.tasks import task_overdue
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from db.models import Case, Evaluation

LISTED = 200  # case ids and numbers carried per alert (the counts are whole)


class AlertKind(enum.Enum):
    NEARLY_DUE = "nearly_due"
    OVERDUE = "overdue"
    WATCHDOG = "watchdog"
    RECTIFICATION_OVERDUE = "rectification_overdue"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AlertKind.NEARLY_DUE: "临近到期",
    AlertKind.OVERDUE: "已超期",
    AlertKind.WATCHDOG: "收件超5个工作日未受理",
    AlertKind.RECTIFICATION_OVERDUE: "差评整改超期",
}


@dataclass(frozen=True)
class AlertCase:
    case_id: int
    receipt_no: str


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    count: int
    cases: tuple[AlertCase, ...]  # the first ``LISTED``, most urgent first

    @property
    def text(self) -> str:
        return f"{self.kind.label} {self.count} 件"


@dataclass(frozen=True)
class DeskAlerts:
    centre: bool  # the supervisor's: the whole centre; else the approver's own cases
    alerts: tuple[Alert, ...]

    def of(self, kind: AlertKind) -> Alert | None:
        return next((a for a in self.alerts if a.kind is kind), None)


def is_centre(actor: Actor) -> bool:
    return actor.has(Role.SUPERVISOR)


def _scope(actor: Actor, condition: Any) -> Select[Any]:
    """Case ids meeting ``condition`` that the alert's owner answers for."""
    query = restrict(select(Case.id).where(condition), actor)
    if not is_centre(actor):
        query = query.where(Case.assignee_id == actor.user_id)
    return query


def _conditions(
    session: Session, actor: Actor, calendar: WorkCalendar, today: dt.date
) -> dict[AlertKind, tuple[Any, tuple[Any, ...]]]:
    """Each alert's condition on ``cases`` and its order (most urgent first)."""
    horizon = queries.yellow_horizon(session, today, calendar)
    due_order = (Case.due_date, Case.id)
    found: dict[AlertKind, tuple[Any, tuple[Any, ...]]] = {
        AlertKind.NEARLY_DUE: (queries.is_nearly_due(today, horizon), due_order),
        AlertKind.OVERDUE: (queries.is_overdue(today), due_order),
    }
    if is_centre(actor):
        found[AlertKind.WATCHDOG] = (queries.past_watchdog(today), (Case.watchdog_due, Case.id))
        tasks = select(Evaluation.case_id).where(
            Evaluation.case_id.is_not(None), task_overdue(today)
        )
        found[AlertKind.RECTIFICATION_OVERDUE] = (Case.id.in_(tasks), (Case.id,))
    return found


@reads
def desk_alerts(
    session: Session, actor: Actor, calendar: WorkCalendar, today: dt.date
) -> DeskAlerts:
    """The counts and the first cases of each alert the actor's desk shows."""
    alerts = []
    for kind, (condition, order) in _conditions(session, actor, calendar, today).items():
        ids = _scope(actor, condition)
        count = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
        first = session.execute(
            select(Case.id, Case.receipt_no)
            .where(Case.id.in_(ids.order_by(*order).limit(LISTED)))
            .order_by(*order)
        )
        alerts.append(Alert(kind, count, tuple(AlertCase(i, n) for i, n in first)))
    return DeskAlerts(is_centre(actor), tuple(alerts))


@reads
def alert_listing(
    session: Session,
    actor: Actor,
    calendar: WorkCalendar,
    today: dt.date,
    kind: AlertKind,
    *,
    limit: int = 100,
    offset: int = 0,
) -> Listing:
    """The cases behind one alert, a page at a time, as the desks' lists show them."""
    conditions = _conditions(session, actor, calendar, today)
    if kind not in conditions:
        return Listing([], 0)
    condition, order = conditions[kind]
    ids = _scope(actor, condition)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    rows = queries.rows_of(session, ids.order_by(*order).limit(limit).offset(offset), order)
    return Listing(badged(session, calendar, today, rows), total)
