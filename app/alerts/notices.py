"""A case turning red (overdue) or its step turning 超时 is announced to each person once.

What each person was told is kept in the store (``alert_notices``, one row per person, alert and
case): a refresh, sync's changes, the desk's timer, a new sign-in or a restart of the program
tell nobody again. The desk reads its counts (``desk_alerts``, which says how many are untold)
and, when some are, takes them here: one write that finds the untold cases, counts them, names
the first few and records them all as told.

A row's ``mark`` is the occurrence: the promised date that passed, or the step's position. An
extension whose new date passes again, or the next step running out, is news again. Rows are
local to the workstation (not synced): a person working at two windows is told at each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.alerts.desk_alerts import NOTICED, AlertKind, conditions, untold_ids
from app.units.declare import writes
from app.workcalendar import WorkCalendar
from db.base import UTCDateTime, utcnow
from db.models import AlertNotice, Case

SHOWN = 3  # receipt numbers named in a notice; the count says the rest

_SAYS = {AlertKind.OVERDUE: "已超期", AlertKind.STEP_OVERDUE: "环节超时"}


@dataclass(frozen=True)
class Notice:
    kind: AlertKind
    count: int
    receipts: tuple[str, ...]  # the first ``SHOWN``, most urgent first

    @property
    def text(self) -> str:
        """「办件 〈收件号〉 已超期」, a few numbers and the count when there are more."""
        numbers = "、".join(self.receipts)
        if self.count > len(self.receipts):
            return f"办件 {numbers} 等 {self.count} 件{_SAYS[self.kind]}"
        return f"办件 {numbers} {_SAYS[self.kind]}"


def notice_text(notices: list[Notice]) -> str:
    """One line for the banner: each alert's notice, overdue first."""
    return "；".join(n.text for n in notices)


@writes
def take_notices(
    session: Session,
    actor: Actor,
    calendar: WorkCalendar,
    today: dt.date,
    *,
    now: dt.datetime | None = None,
) -> list[Notice]:
    """The alerts ``actor`` has not been told about yet, now recorded as told (all of them, in
    one statement per alert: a backlog of thousands is told once, as a count)."""
    told_at = now or utcnow()
    notices = []
    with session.begin():
        found = conditions(session, actor, calendar, today)
        for kind, ids in untold_ids(actor, found).items():
            count = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
            if not count:
                continue
            _, order = found[kind]
            first = session.scalars(
                select(Case.receipt_no)
                .where(Case.id.in_(ids.order_by(*order).limit(SHOWN)))
                .order_by(*order)
            )
            notices.append(Notice(kind, count, tuple(first)))
            rows = select(
                literal(actor.username),
                literal(kind.value),
                Case.id,
                NOTICED[kind],
                literal(told_at, UTCDateTime()),
            ).where(Case.id.in_(ids))
            columns = ["username", "kind", "case_id", "mark", "told_at"]
            session.execute(insert(AlertNotice).from_select(columns, rows))
    return notices
