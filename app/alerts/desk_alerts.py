"""What a person is alerted about on their desk, counted in SQL.

An approver: the cases assigned to them whose promise clock runs and that are nearly due or
overdue, and those in review whose current step has run past its time limit (环节超时). The
supervisor (the centre): every such case, the 收件 watchdog (received more than 5 working days
ago, not yet accepted, refused or told what to supplement) and the 差评整改 tasks past their due
day.

Thresholds (``app.cases.thresholds``, the same as the lists' badge and the supervisor's figures):
「临近到期」 is due today or within the item's ``warn_at_working_days`` (catalogue), else the
``yellow_at_working_days`` setting; 「环节超时」 is past the current step's own time limit.
Which of these a person has been told about once is ``app.alerts.notices``.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, literal, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.cases import queries
from app.cases.access import restrict
from app.cases.listing import Listing, badged
from app.evaluations.tasks import task_overdue
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from db.models import AlertNotice, Case, Evaluation

LISTED = 200  # case ids and numbers carried per alert (the counts are whole)


class AlertKind(enum.Enum):
    NEARLY_DUE = "nearly_due"
    OVERDUE = "overdue"
    STEP_OVERDUE = "step_overdue"
    WATCHDOG = "watchdog"
    RECTIFICATION_OVERDUE = "rectification_overdue"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AlertKind.NEARLY_DUE: "临近到期",
    AlertKind.OVERDUE: "已超期",
    AlertKind.STEP_OVERDUE: "环节超时",
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
    untold: int = 0  # overdue and 环节超时 cases not yet announced to the person (``notices``)

    def of(self, kind: AlertKind) -> Alert | None:
        return next((a for a in self.alerts if a.kind is kind), None)


def is_centre(actor: Actor) -> bool:
    return actor.has(Role.SUPERVISOR)


def scope(actor: Actor, condition: Any) -> Select[Any]:
    """Case ids meeting ``condition`` that the alert's owner answers for."""
    query = restrict(select(Case.id).where(condition), actor)
    if not is_centre(actor):
        query = query.where(Case.assignee_id == actor.user_id)
    return query


def conditions(
    session: Session, actor: Actor, calendar: WorkCalendar, today: dt.date
) -> dict[AlertKind, tuple[Any, tuple[Any, ...]]]:
    """Each alert's condition on ``cases`` and its order (most urgent first)."""
    horizon = queries.yellow_horizon(session, today, calendar)
    due_order = (Case.due_date, Case.id)
    found: dict[AlertKind, tuple[Any, tuple[Any, ...]]] = {
        AlertKind.NEARLY_DUE: (queries.is_nearly_due(today, horizon), due_order),
        AlertKind.OVERDUE: (queries.is_overdue(today), due_order),
        AlertKind.STEP_OVERDUE: (queries.is_step_overdue(session, today, calendar), due_order),
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
    """The counts and the first cases of each alert the actor's desk shows.

    One pass per alert: the first cases in order, with the whole count and (for the alerts
    that raise a notice) the untold count as window sums over the same rows — each condition
    is evaluated once (环节超时's reads the case log: counting it three times tripled the
    supervisor's read on the 1,000,000-case store)."""
    alerts = []
    untold = 0
    for kind, (condition, order) in conditions(session, actor, calendar, today).items():
        fresh = ~told(actor, kind) if kind in NOTICED else literal(False)
        rows = session.execute(
            scope(actor, condition)
            .add_columns(
                Case.receipt_no,
                func.count().over(),
                func.sum(sql_case((fresh, 1), else_=0)).over(),
            )
            .order_by(*order)
            .limit(LISTED)
        ).all()
        count = rows[0][2] if rows else 0
        untold += rows[0][3] if rows else 0
        alerts.append(Alert(kind, count, tuple(AlertCase(r[0], r[1]) for r in rows)))
    return DeskAlerts(is_centre(actor), tuple(alerts), untold)


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
    found = conditions(session, actor, calendar, today)
    if kind not in found:
        return Listing([], 0)
    condition, order = found[kind]
    ids = scope(actor, condition)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    rows = queries.rows_of(session, ids.order_by(*order).limit(limit).offset(offset), order)
    return Listing(badged(session, calendar, today, rows), total)


# --- told once -----------------------------------------------------------------------------

# The alerts that raise a notice, and what marks one occurrence of each: the promised date that
# passed (an extension that runs out again is news again), or the step that ran out.
NOTICED: dict[AlertKind, Any] = {
    AlertKind.OVERDUE: cast(Case.due_date, String),
    AlertKind.STEP_OVERDUE: cast(Case.current_step, String),
}


def told(actor: Actor, kind: AlertKind) -> ColumnElement[bool]:
    """``actor`` has been told about this occurrence of ``kind`` on the case (per case row)."""
    return (
        select(AlertNotice.id)
        .where(
            AlertNotice.username == actor.username,
            AlertNotice.kind == kind.value,
            AlertNotice.case_id == Case.id,
            AlertNotice.mark == NOTICED[kind],
        )
        .exists()
    )


def untold_ids(
    actor: Actor, found: dict[AlertKind, tuple[Any, tuple[Any, ...]]]
) -> dict[AlertKind, Select[Any]]:
    """Per noticed alert, the ids of its cases ``actor`` has not been told about."""
    return {kind: scope(actor, and_(found[kind][0], ~told(actor, kind))) for kind in NOTICED}
