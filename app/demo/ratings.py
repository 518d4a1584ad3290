"""The demo centre's 好差评: residents rate the window services of the replayed history, and the
supervisor has worked the older 差评 through their rectification, so the 差评整改 desk opens on
a few tasks at different steps (one of them overdue) and the figures read like a real centre's.

Ratings go through the real use cases (:func:`~app.evaluations.service.record_window_rating`,
:func:`~app.evaluations.service.take_step`) with the clock at the moment each was given.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.evaluations.levels import Level, Reason, Service
from app.evaluations.rating import (
    SERVICE_ACTIONS,
    Invitation,
    record_window_rating,
    service_of,
)
from app.evaluations.rectification import CallBackOutcome, Step
from app.evaluations.tasks import take_step
from app.workcalendar import WorkCalendar
from app.workflow.fold import CHINA_TZ, local_date
from db.models import Case, CaseAction, Evaluation, Item, User

RATED_SHARE = 0.8  # residents who rate at the window; the others walk away
#: The levels residents give, with their weights (a centre reports 满意度 around 99 %).
LEVEL_WEIGHTS: Sequence[tuple[Level, int]] = (
    (Level.VERY_SATISFIED, 880),
    (Level.SATISFIED, 85),
    (Level.BASICALLY_SATISFIED, 15),
    (Level.DISSATISFIED, 14),
    (Level.VERY_DISSATISFIED, 6),
)
_BAD_WORDS = {
    Reason.WAITING: "上午排了一个多小时的队。",
    Reason.NOT_TOLD_ONCE: "第一次来没说清楚要带户口本，又跑了一趟。",
    Reason.MANY_TRIPS: "前后跑了三趟才办好。",
    Reason.ATTITUDE: "窗口人员不耐烦。",
    Reason.SLOW: "说好五天，等了两周。",
}
_RATED_ACTIONS = [action.value for actions in SERVICE_ACTIONS.values() for action in actions]


def _service(action: str) -> Service:
    found = service_of(action)
    assert found is not None  # _served reads only the rated actions
    return found


@dataclass(frozen=True)
class _Served:
    case_id: int
    case_uid: str
    receipt_no: str
    item_name: str
    op_id: str
    action: str
    staff: str
    staff_name: str
    window: str
    at: dt.datetime


def _served(session: Session) -> list[_Served]:
    """The window services of the history, in time order: the actions a clerk took."""
    rows = session.execute(
        select(CaseAction, Case.uid, Case.receipt_no, Item.name, User.display_name)
        .join(Case, Case.id == CaseAction.case_id)
        .join(Item, Item.id == Case.item_id)
        .join(User, User.username == CaseAction.actor)
        .where(
            CaseAction.action.in_(_RATED_ACTIONS),
            CaseAction.actor_role == "clerk",
        )
        .order_by(CaseAction.occurred_at, CaseAction.id)
    ).all()
    return [
        _Served(
            action.case_id,
            uid,
            receipt_no,
            item_name,
            action.op_id,
            action.action,
            action.actor,
            display_name,
            action.workstation,
            action.occurred_at,
        )
        for action, uid, receipt_no, item_name, display_name in rows
    ]


def _bad_terms(rng: random.Random) -> tuple[list[Reason], str]:
    reason = rng.choice(list(_BAD_WORDS))
    return [reason], _BAD_WORDS[reason]


def rate_history(
    sessions: Callable[[], Session],
    supervisor: Actor,
    calendar: WorkCalendar,
    rng: random.Random,
    now: dt.datetime,
) -> int:
    """Rate the history's window services and work the older 差评; returns the ratings made.
    One rating per visit: of a 收件 and a 受理 the same day, the later."""
    with sessions() as session:
        served = _served(session)
    last_of_visit: dict[tuple[int, dt.date, str], _Served] = {}
    for service in served:
        kind = _service(service.action)
        last_of_visit[(service.case_id, local_date(service.at), kind.value)] = service
    levels = [level for level, _ in LEVEL_WEIGHTS]
    weights = [weight for _, weight in LEVEL_WEIGHTS]
    made = 0
    bad: list[tuple[int, dt.datetime]] = []
    for service in sorted(last_of_visit.values(), key=lambda s: s.at):
        if rng.random() > RATED_SHARE:
            continue
        level = rng.choices(levels, weights)[0]
        reasons, text = _bad_terms(rng) if level.is_bad else ([], "")
        invitation = Invitation(
            case_id=service.case_id,
            case_uid=service.case_uid,
            receipt_no=service.receipt_no,
            item_name=service.item_name,
            service=_service(service.action),
            service_op_id=service.op_id,
            staff=service.staff,
            staff_name=service.staff_name,
            window=service.window,
        )
        at = service.at + dt.timedelta(minutes=1)
        with sessions() as session:
            evaluation = record_window_rating(
                session,
                invitation,
                level,
                reasons,
                text,
                anonymous=level.is_bad and rng.random() < 0.2,
                now=at,
                calendar=calendar,
            )
            if level.is_bad:
                bad.append((evaluation.id, at))
        made += 1
    _work_tasks(sessions, supervisor, calendar, bad, now)
    return made


def _work_tasks(
    sessions: Callable[[], Session],
    supervisor: Actor,
    calendar: WorkCalendar,
    bad: list[tuple[int, dt.datetime]],
    now: dt.datetime,
) -> None:
    """The supervisor's work on the 差评, by age: the older ones closed; of the last few, one
    left untouched past its deadline, one verified, the newest waiting to be verified."""
    newest_first = sorted(bad, key=lambda b: b[1], reverse=True)
    for n, (evaluation_id, at) in enumerate(newest_first):
        if n == 0:
            continue  # 待核实: just in
        if n == 1:
            steps = 1  # verified, to be rectified
        elif n == 2:
            continue  # left alone: overdue by now if the rating is old enough
        else:
            steps = 4
        _take(sessions, supervisor, calendar, evaluation_id, at, steps, now)


def _take(
    sessions: Callable[[], Session],
    supervisor: Actor,
    calendar: WorkCalendar,
    evaluation_id: int,
    at: dt.datetime,
    steps: int,
    now: dt.datetime,
) -> None:
    """The first ``steps`` steps, a working day apart from the day after the rating, none of
    them later than ``now``."""
    with sessions() as session:
        evaluation = session.get(Evaluation, evaluation_id)
        assert evaluation is not None
        anonymous = evaluation.anonymous
    plan = [step for step in _STEPS if not (anonymous and step[0] is Step.CALL_BACK)]
    day = local_date(at)
    for step, note, founded, outcome in plan[:steps]:
        day = calendar.add_working_days(day, 1)
        moment = dt.datetime.combine(day, dt.time(16, 30), CHINA_TZ).astimezone(dt.UTC)
        if moment > now:
            return
        with sessions() as session:
            take_step(
                session,
                supervisor,
                evaluation_id,
                step,
                note,
                founded=founded,
                outcome=outcome,
                now=moment,
            )


_STEPS: Sequence[tuple[Step, str, bool | None, CallBackOutcome | None]] = (
    (Step.VERIFY, "调取窗口录像并与当班人员核实，情况属实。", True, None),
    (Step.RECTIFY, "已在窗口晨会通报，补充了一次性告知单的材料说明。", None, None),
    (
        Step.CALL_BACK,
        "电话回访，说明了整改情况，群众表示理解。",
        None,
        CallBackOutcome.SATISFIED,
    ),
    (Step.CLOSE, "整改到位，办结。", None, None),
)
