"""A case's current state and deadlines as a fold over its actions.

``apply`` is the only function that moves a projection on; the engine uses it to write the
``cases`` row and the tests use it to rebuild every case from its actions and compare.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.workcalendar import Interval, WorkCalendar, natural_deadline, working_deadline
from app.workflow.rules import ItemRules
from app.workflow.states import CLOCK_STATES, Action, CaseState
from app.workflow.transitions import next_state

CHINA_TZ = dt.timezone(dt.timedelta(hours=8), "CST")  # no DST in China; no tz database needed
WATCHDOG_WORKING_DAYS = 5  # 行政许可法 §32: notice of supplement within 5 days of receipt


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CHINA_TZ).date()


@dataclass(frozen=True)
class ActionRecord:
    """One action as the fold sees it (a ``CaseAction`` row, or one about to be written)."""

    action: Action
    occurred_at: dt.datetime
    actor: str  # username: the log means the same on every machine
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class Projection:
    state: CaseState | None = None
    state_before_suspension: CaseState | None = None
    current_step: int | None = None
    opinions: frozenset[int] = frozenset()
    received_at: dt.datetime | None = None
    received_materials: frozenset[str] = frozenset()
    watchdog_due: dt.date | None = None
    accepted_on: dt.date | None = None
    deficiency: bool = False
    pending_materials: tuple[str, ...] = ()
    deficiency_due: dt.date | None = None
    suspensions: tuple[Interval, ...] = ()
    extension_days: int = 0
    due_date: dt.date | None = None
    due_provisional: bool = False
    result: str | None = None
    result_no: str | None = None
    assignee: str | None = None  # username
    proxy: str | None = None  # username of the proxy agent who filed it
    query_password: str | None = None  # 查询密码, from the opening action (app.evaluations.query)
    last_seq: int = 0
    extras: Mapping[str, Any] = field(default_factory=dict)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def apply(
    proj: Projection, record: ActionRecord, rules: ItemRules, calendar: WorkCalendar
) -> Projection:
    """The projection after one more action. Pure: same inputs, same output."""
    action, payload = record.action, record.payload
    today = local_date(record.occurred_at)
    new_state = next_state(action, proj.state, proj.state_before_suspension)
    p = replace(proj, state=new_state, last_seq=proj.last_seq + 1)

    if proj.state is None and isinstance(password := payload.get("query_password"), str):
        p = replace(p, query_password=password)  # the opening action's
    if action is Action.CREATE_DRAFT:
        p = replace(p, proxy=payload.get("proxy"))
    elif action is Action.RECEIVE or action is Action.SUPPLEMENT:
        p = replace(
            p,
            received_at=record.occurred_at if p.received_at is None else p.received_at,
            received_materials=p.received_materials | set(payload.get("materials", ())),
            watchdog_due=calendar.add_working_days(today, WATCHDOG_WORKING_DAYS),
        )
    elif action in (Action.ACCEPT, Action.ACCEPT_WITH_DEFICIENCY):
        p = replace(p, accepted_on=today, watchdog_due=None)
        if action is Action.ACCEPT_WITH_DEFICIENCY:
            p = replace(
                p,
                deficiency=True,
                pending_materials=tuple(payload["pending_materials"]),
                deficiency_due=_date(payload["deficiency_due"]),
            )
    elif action in (Action.REQUEST_SUPPLEMENT, Action.REFUSE):
        p = replace(p, watchdog_due=None)
    elif action is Action.SUPPLY_DEFICIENT:
        supplied = set(payload["materials"])
        pending = tuple(m for m in p.pending_materials if m not in supplied)
        p = replace(
            p,
            received_materials=p.received_materials | supplied,
            pending_materials=pending,
            deficiency=bool(pending),
            deficiency_due=p.deficiency_due if pending else None,
        )
    elif action is Action.START_REVIEW:
        first = rules.review_steps[0] if rules.review_steps else None
        p = replace(p, current_step=first, assignee=p.assignee or record.actor)
    elif action is Action.RECORD_OPINION:
        assert p.current_step is not None
        p = replace(p, opinions=p.opinions | {p.current_step})
    elif action is Action.NEXT_STEP:
        later = [i for i in rules.review_steps if p.current_step is None or i > p.current_step]
        p = replace(p, current_step=later[0])
    elif action is Action.REPORT_TO_COUNTY:
        county = rules.county_steps
        p = replace(p, current_step=county[0] if county else p.current_step)
    elif action is Action.COUNTY_RETURNED:
        last = rules.review_steps[-1] if rules.review_steps else None
        # The town must review again before re-reporting: its last opinion no longer stands.
        p = replace(
            p, current_step=last, opinions=p.opinions - {last} if last is not None else p.opinions
        )
    elif action is Action.DECIDE:
        p = replace(p, result=payload["result"], result_no=payload.get("result_no"))
    elif action is Action.SUSPEND:
        p = replace(
            p,
            state_before_suspension=proj.state,
            suspensions=(*p.suspensions, Interval(today, None)),
        )
    elif action is Action.RESUME:
        *closed, last_open = p.suspensions
        p = replace(
            p,
            state_before_suspension=None,
            suspensions=(*closed, Interval(last_open.start, today)),
        )
    elif action is Action.EXTEND:
        p = replace(p, extension_days=p.extension_days + int(payload["days"]))
    elif action is Action.REASSIGN:
        p = replace(p, assignee=payload["assignee"])

    return _with_deadline(p, rules, calendar, today)


def _with_deadline(
    p: Projection, rules: ItemRules, calendar: WorkCalendar, today: dt.date
) -> Projection:
    """Recompute the promised due date while the clock matters; freeze it once decided."""
    if p.accepted_on is None or p.state not in CLOCK_STATES | {CaseState.SUSPENDED}:
        return p
    if rules.promised_unit == "natural":
        deadline = natural_deadline(
            calendar,
            p.accepted_on,
            rules.promised_days,
            p.suspensions,
            p.extension_days,
            as_of=today,
        )
    else:
        deadline = working_deadline(
            calendar,
            p.accepted_on,
            rules.promised_days,
            p.suspensions,
            p.extension_days,
            as_of=today,
        )
    return replace(p, due_date=deadline.due, due_provisional=deadline.provisional)


def fold(records: Iterable[ActionRecord], rules: ItemRules, calendar: WorkCalendar) -> Projection:
    proj = Projection()
    for record in records:
        proj = apply(proj, record, rules, calendar)
    return proj
