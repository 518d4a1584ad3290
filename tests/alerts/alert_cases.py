"""A centre with cases in every alert and out of them, and the day on which they are so."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.cases import decisions as d
from app.evaluations.levels import Channel, Service
from app.evaluations.rectification import TaskState
from db.models import Case, Evaluation
from tests.centre import Centre

PROMISED = "最低生活保障"  # 承诺件, 25 working days


@dataclass(frozen=True)
class AlertCases:
    today: dt.date
    ids: dict[str, int]
    receipts: dict[str, str]


def _accepted(c: Centre, day: dt.date, approver: str | None) -> int:
    c.clock.set_local(day)
    case_id = c.walk_in(PROMISED).case_id
    d.accept(c.ctx, c.actor("clerk"), case_id)
    if approver is not None:
        d.start_review(c.ctx, c.actor(approver), case_id)
    return case_id


def _task(c: Centre, case_id: int, due: dt.date, state: TaskState) -> None:
    with c.store.session() as session, session.begin():
        uid = session.scalars(select(Case.uid).where(Case.id == case_id)).one()
        session.add(
            Evaluation(
                uid=str(uuid.uuid4()),
                case_uid=uid,
                case_id=case_id,
                service=Service.INTAKE.value,
                channel=Channel.WINDOW.value,
                level=5,
                assessed_at=c.clock(),
                task_state=state.value,
                task_due=due,
            )
        )


def alert_cases(c: Centre) -> AlertCases:
    """``own_*``: the approver's; ``other_over``: approver2's; ``unassigned_over``: accepted,
    no review started; ``green``: far from due; ``waiting``: received, never accepted;
    ``fresh``: received on the day; ``bad_over``/``bad_later``/``bad_closed``: cases with a
    差评整改 task overdue / not yet due / closed. The clock is left on ``today``."""
    ids = {
        "own_over": _accepted(c, dt.date(2026, 3, 2), "approver"),
        "other_over": _accepted(c, dt.date(2026, 3, 2), "approver2"),
        "unassigned_over": _accepted(c, dt.date(2026, 3, 2), None),
        "own_soon": _accepted(c, dt.date(2026, 3, 4), "approver"),
        "green": _accepted(c, dt.date(2026, 3, 20), "approver"),
        "bad_over": _accepted(c, dt.date(2026, 3, 20), "approver2"),
        "bad_later": _accepted(c, dt.date(2026, 3, 20), None),
        "bad_closed": _accepted(c, dt.date(2026, 3, 20), None),
    }
    c.clock.set_local(dt.date(2026, 3, 3))
    ids["waiting"] = c.walk_in(PROMISED).case_id
    with c.store.reader() as session:
        due = session.scalars(select(Case.due_date).where(Case.id == ids["own_over"])).one()
    assert due is not None
    today = c.ctx.calendar.add_working_days(due, 1)
    c.clock.set_local(today)
    ids["fresh"] = c.walk_in(PROMISED).case_id
    _task(c, ids["bad_over"], today - dt.timedelta(days=1), TaskState.TO_RECTIFY)
    _task(c, ids["bad_later"], today + dt.timedelta(days=3), TaskState.TO_VERIFY)
    _task(c, ids["bad_closed"], today - dt.timedelta(days=5), TaskState.CLOSED)
    with c.store.reader() as session:
        rows = session.execute(select(Case.id, Case.receipt_no).where(Case.id.in_(ids.values())))
        receipts = {case_id: number for case_id, number in rows}
    return AlertCases(today, ids, {key: receipts[i] for key, i in ids.items()})
