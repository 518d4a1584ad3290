"""The alert thresholds: when a case is 临近到期 (yellow) and when its current step is 环节超时.

* **Per item** — an item's ``warn_at_working_days`` (catalogue) replaces the workstation's
  ``yellow_at_working_days`` setting for its cases. The version of the item in force sets it
  for the cases of every version of that item (a threshold is the centre's warning, not one of
  the rules a case keeps from the version it was filed under); a retired item keeps its newest
  version's.
* **Per step** — a case in review whose current step (``ItemStep``) has run past the step's time
  limit is 环节超时; it is yellow within the step's own optional ``warn_at_working_days``. The
  step began with the latest action that entered it (开始审查, 转下一环节, 县级退回) or resumed
  it (恢复办理: a resumed step counts afresh), read from the case log — no column of its own.

Both are SQL conditions for counting over the whole store (a CASE over dates computed here,
once per call, for the few distinct thresholds), and per-row values for a page of a list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Date, and_, literal, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from app import settings
from app.workcalendar import WorkCalendar, deadline_status, remaining_working_days
from app.workflow.fold import CHINA_TZ, local_date
from app.workflow.states import Action, CaseState
from db.base import UTCDateTime
from db.models import Case, CaseAction, Item, ItemStep

# The actions after which the case is at the start of its current step.
ENTERS_STEP = (Action.START_REVIEW, Action.NEXT_STEP, Action.COUNTY_RETURNED, Action.RESUME)
_SEARCH_BACK_DAYS = 60  # a first guess at how far back a step's limit reaches (widened if not)


# --- per item: 临近到期 ----------------------------------------------------------------------


def item_warnings(session: Session) -> dict[int, int]:
    """Item version id -> its 临近到期 threshold, for the items that set one (every version of
    an item takes the version in force's; a retired item its newest version's)."""
    versions: dict[str, list[tuple[int, bool, int | None]]] = defaultdict(list)
    rows = session.execute(
        select(Item.id, Item.code, Item.active, Item.warn_at_working_days).order_by(
            Item.code, Item.version
        )
    )
    for item_id, code, active, warn in rows:
        versions[code].append((item_id, active, warn))
    found: dict[int, int] = {}
    for listed in versions.values():
        in_force = next((v for v in listed if v[1]), listed[-1])
        if in_force[2] is not None:
            found.update((item_id, in_force[2]) for item_id, _, _ in listed)
    return found


def horizon_day(calendar: WorkCalendar, today: dt.date, days: int) -> dt.date:
    """The last day a case due on it is nearly due, ``days`` working days ahead."""
    return calendar.add_working_days(today, days) if days > 0 else today


@dataclass(frozen=True)
class Horizon:
    """The last day a case due on it is nearly due: the setting's, and each item's own."""

    default: dt.date
    by_item: Mapping[int, dt.date]

    @property
    def latest(self) -> dt.date:
        return max([self.default, *self.by_item.values()])

    def of(self, item_id: int) -> dt.date:
        return self.by_item.get(item_id, self.default)

    def last_day(self) -> ColumnElement[dt.date]:
        """The case's own horizon in SQL: a CASE over its item id (none without item ones)."""
        grouped: dict[dt.date, list[int]] = defaultdict(list)
        for item_id, day in sorted(self.by_item.items()):
            if day != self.default:
                grouped[day].append(item_id)
        default = literal(self.default, Date)
        if not grouped:
            return default
        return sql_case(
            *[(Case.item_id.in_(ids), literal(day, Date)) for day, ids in sorted(grouped.items())],
            else_=default,
        )


def horizon(
    session: Session, today: dt.date, calendar: WorkCalendar, within_working_days: int | None
) -> Horizon:
    """Each case's nearly-due horizon; ``within_working_days`` overrides every threshold."""
    if within_working_days is not None:
        return Horizon(horizon_day(calendar, today, within_working_days), {})
    default = settings.YELLOW_AT_WORKING_DAYS.get(session)
    own = item_warnings(session)
    day_of = {d: horizon_day(calendar, today, d) for d in {default, *own.values()}}
    by_item = {i: day_of[d] for i, d in own.items()}
    return Horizon(day_of[default], by_item)


def yellow_at_of(session: Session, item_ids: Iterable[int]) -> dict[int, int]:
    """The 临近到期 threshold (working days) of each of ``item_ids``."""
    default = settings.YELLOW_AT_WORKING_DAYS.get(session)
    own = item_warnings(session)
    return {i: own.get(i, default) for i in set(item_ids)}


# --- per step: 环节超时 ----------------------------------------------------------------------


def step_due(calendar: WorkCalendar, started_on: dt.date, days: int, unit: str) -> dt.date:
    """The last day of a step begun on ``started_on`` with a limit of ``days`` ``unit``."""
    if unit == "natural":
        return started_on + dt.timedelta(days=days)
    return calendar.add_working_days(started_on, days)


def _first_start_in_time(calendar: WorkCalendar, today: dt.date, days: int, unit: str) -> dt.date:
    """The earliest day a step may have begun and still not be past its limit on ``today``
    (``step_due`` grows with the start day: a binary search)."""

    def compute() -> dt.date:
        late = today - dt.timedelta(days=_SEARCH_BACK_DAYS + 2 * days)
        while step_due(calendar, late, days, unit) >= today:
            late -= dt.timedelta(days=_SEARCH_BACK_DAYS + 2 * days)
        ok = today  # step_due(today) >= today
        while (ok - late).days > 1:
            middle = late + dt.timedelta(days=(ok - late).days // 2)
            if step_due(calendar, middle, days, unit) >= today:
                ok = middle
            else:
                late = middle
        return ok

    return calendar.remembered(("step_in_time", today, days, unit), compute)


def step_started_at() -> ColumnElement[dt.datetime]:
    """When the case's current step began (its latest entering action), per case row.

    The case's own actions newest first (the ``(case_id, seq)`` index), stopping at the first
    entering one: a case's last action is most often that one or an opinion just after it. The
    ``action || ''`` keeps SQLite off ``ix_case_actions_action_at``, which it otherwise picked
    for the IN list and then walked every entering action in the store for each case."""
    entering = CaseAction.action.concat("").in_([a.value for a in ENTERS_STEP])
    return (
        select(CaseAction.occurred_at)
        .where(CaseAction.case_id == Case.id, entering)
        .order_by(CaseAction.seq.desc())
        .limit(1)
        .scalar_subquery()
    )


def is_step_overdue(
    session: Session, today: dt.date, calendar: WorkCalendar
) -> ColumnElement[bool]:
    """In review, and the current step began before the last start still in time for its
    limit (a CASE over the few distinct step limits, looked up in ``item_steps``)."""
    limits = session.execute(
        select(ItemStep.time_limit_days, ItemStep.time_limit_unit).distinct()
    ).all()
    if not limits:
        return and_(literal(False))
    cutoffs = []
    for days, unit in sorted(limits):
        first = _first_start_in_time(calendar, today, days, unit)
        midnight = dt.datetime.combine(first, dt.time(0), CHINA_TZ)
        matches = and_(ItemStep.time_limit_days == days, ItemStep.time_limit_unit == unit)
        cutoffs.append((matches, literal(midnight, UTCDateTime())))
    cutoff = (
        select(sql_case(*cutoffs, else_=None))
        .where(ItemStep.item_id == Case.item_id, ItemStep.position == Case.current_step)
        .scalar_subquery()
    )
    return and_(Case.state == CaseState.IN_REVIEW.value, step_started_at() < cutoff)


@dataclass(frozen=True)
class StepClock:
    """A case's current step as a list shows it."""

    name: str
    started_on: dt.date
    due: dt.date
    remaining: int  # working days left; negative once past the limit
    status: str | None  # yellow | red; None: in time (or no warning threshold)


def step_clocks(
    session: Session, calendar: WorkCalendar, today: dt.date, case_ids: Iterable[int]
) -> dict[int, StepClock]:
    """The current step's clock of those of ``case_ids`` in review (one read for a page)."""
    ids = list(case_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            Case.id,
            ItemStep.name,
            ItemStep.time_limit_days,
            ItemStep.time_limit_unit,
            ItemStep.warn_at_working_days,
            step_started_at(),
        )
        .join(
            ItemStep, and_(ItemStep.item_id == Case.item_id, ItemStep.position == Case.current_step)
        )
        .where(Case.id.in_(ids), Case.state == CaseState.IN_REVIEW.value)
    )
    clocks = {}
    for case_id, name, days, unit, warn, started in rows:
        begun: dt.datetime | None = started  # None: no entering action in the log
        if begun is None:
            continue
        started_on = local_date(begun)
        due = step_due(calendar, started_on, days, unit)
        status: str | None
        if today > due:
            status = "red"
        elif warn is not None:
            status = deadline_status(calendar, today, due, warn)
            status = None if status == "green" else status
        else:
            status = None
        clocks[case_id] = StepClock(
            name, started_on, due, remaining_working_days(calendar, today, due), status
        )
    return clocks
