"""The supervisor's figures for a period, for the centre or per window, person, item or category.

Each figure is defined once, in words, in ``docs/figures.md``; this module is that text in SQL.
Every count is an SQL aggregate (``count`` … ``group by``) over the case action log
(``case_actions``), the case projection (``cases``) and the evaluations: nothing loads the
cases themselves. The average working days are summed per distinct (受理日, 办结日) pair, which
the calendar turns into working days (a year has at most a few tens of thousands of pairs).

Two kinds of figure:

* **flows** — what happened in the period, counted from the log by the day the action was
  taken (China local date): 收件量, 受理量 (容缺受理 among them), 不予受理, 一次性告知, 办结量,
  按期办结, 办理用时; and the period's ratings (满意度, 差评 and their tasks);
* **standing** — how things stand on ``today``, whatever the period: overdue, nearly due, past
  the 5-working-day 收件 watchdog, 容缺 pending, 差评 tasks overdue.

Grouped, a flow belongs to the window (workstation) the action was taken at and the person who
took it; a standing figure to the case's window (where it was received) and its assignee; a
rating to the window it was given at and the person who served. Items and categories are the
case's. What belongs to no group (a case nobody is assigned, a rating of a case not on this
store) is counted under the key ``""``, so the rows always add up to the centre's total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from app.cases import queries
from app.divisions.model import DivisionList
from app.evaluations.levels import Level
from app.evaluations.rectification import TaskState
from app.evaluations.tasks import task_overdue
from app.reports.period import Period
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workcalendar import WorkCalendar
from app.workflow.states import Action, CaseState
from db.models import Applicant, Case, CaseAction, Evaluation, Item, User

Ts = TypeVarTuple("Ts")

__all__ = [
    "DECISION_FIGURES",
    "FLOW_FIGURES",
    "RATING_FIGURES",
    "STANDING",
    "FigureRow",
    "Figures",
    "Grouping",
    "Part",
    "Rates",
    "VillageRow",
    "action_key",
    "case_key",
    "decided_on_time",
    "evaluation_key",
    "evaluation_query",
    "figures",
    "in_period",
    "joined",
    "proxy_filings",
    "rating_conditions",
    "standing_conditions",
]


class Part(StrEnum):
    """The kinds of figure, each counted by its own queries."""

    FLOWS = "flows"  # 收件量, 受理量 (容缺受理), 不予受理, 一次性告知
    DECISIONS = "decisions"  # 办结量, 按期办结, 办理用时
    STANDING = "standing"  # 逾期, 临近到期, 收件超时, 容缺待补 / 逾期
    RATINGS = "ratings"  # 评价数, 满意, 差评 open / closed / overdue


class Grouping(StrEnum):
    CENTRE = "centre"
    WINDOW = "window"
    PERSON = "person"
    ITEM = "item"
    CATEGORY = "category"

    @property
    def label(self) -> str:
        return GROUPING_LABELS[self]


GROUPING_LABELS = {
    Grouping.CENTRE: "全中心",
    Grouping.WINDOW: "窗口",
    Grouping.PERSON: "人员",
    Grouping.ITEM: "事项",
    Grouping.CATEGORY: "类别",
}
NO_GROUP_LABELS = {
    Grouping.CENTRE: "全中心",
    Grouping.WINDOW: "未记录窗口",
    Grouping.PERSON: "未分派",
    Grouping.ITEM: "本机无此办件",
    Grouping.CATEGORY: "本机无此办件",
}

# The log's actions each flow counts.
RECEIVED = (Action.RECEIVE,)
ACCEPTED = (Action.ACCEPT, Action.ACCEPT_WITH_DEFICIENCY)
DECIDED = (Action.DECIDE,)
FLOW_ACTIONS = (
    Action.RECEIVE,
    Action.ACCEPT,
    Action.ACCEPT_WITH_DEFICIENCY,
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
)
# Each flow figure: the actions it counts (受理量 includes 容缺受理).
FLOW_FIGURES: Mapping[str, tuple[Action, ...]] = {
    "received": RECEIVED,
    "accepted": ACCEPTED,
    "accepted_with_deficiency": (Action.ACCEPT_WITH_DEFICIENCY,),
    "refused": (Action.REFUSE,),
    "supplement_requests": (Action.REQUEST_SUPPLEMENT,),
}
# The 办结 figures: ``decide`` actions (and of them, the ones by the due date).
DECISION_FIGURES = ("decided", "decided_on_time")
# 容缺 is pending while the case still lives; a withdrawn, terminated or archived case owes
# nothing more.
DEFICIENCY_OVER = (CaseState.WITHDRAWN, CaseState.TERMINATED, CaseState.ARCHIVED)


class Rates:
    """The rates of a row of counts (a group's figures, a trend bucket), defined once."""

    accepted: int
    decided: int
    decided_on_time: int
    rated: int
    satisfied: int

    @property
    def completion_rate(self) -> float | None:
        """办结率: 办结量 / 受理量; None when nothing was accepted."""
        return self.decided / self.accepted if self.accepted else None

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: decided by the due date / 办结量; None when nothing was decided."""
        return self.decided_on_time / self.decided if self.decided else None

    @property
    def satisfaction(self) -> float | None:
        """满意度: (非常满意 + 满意) / all ratings; None when nothing was rated."""
        return self.satisfied / self.rated if self.rated else None


@dataclass(frozen=True)
class FigureRow(Rates):
    """The figures of one group (or of the centre: ``key`` ``""``)."""

    key: str  # workstation, username, item code or category; "" for the centre or no group
    label: str
    # flows in the period
    received: int = 0  # 收件量
    accepted: int = 0  # 受理量, 容缺受理 included
    accepted_with_deficiency: int = 0  # of which 容缺受理
    refused: int = 0  # 不予受理
    supplement_requests: int = 0  # 一次性告知
    decided: int = 0  # 办结量
    decided_on_time: int = 0  # of which by the due date
    decision_working_days: int = 0  # summed over the decided cases, 受理 to 办结
    # standing on ``today``
    overdue: int = 0
    nearly_due: int = 0
    watchdog: int = 0  # 收件 past the 5-working-day watchdog
    deficiency_pending: int = 0  # 容缺 materials still owed
    deficiency_overdue: int = 0  # of which past their promised day
    # the period's ratings
    rated: int = 0
    satisfied: int = 0  # 非常满意 + 满意
    bad_open: int = 0  # the period's 差评 whose task is not closed
    bad_closed: int = 0
    bad_overdue: int = 0  # standing: every open 差评 task past its due day

    @property
    def average_working_days(self) -> float | None:
        """平均办理用时 in working days; None when nothing was decided."""
        return self.decision_working_days / self.decided if self.decided else None


COUNTS = tuple(f.name for f in fields(FigureRow) if f.name not in ("key", "label"))


@dataclass(frozen=True)
class Figures:
    period: Period
    grouping: Grouping
    today: dt.date
    rows: tuple[FigureRow, ...]  # one per group seen, by key
    total: FigureRow  # the centre's: the rows added up

    def row(self, key: str) -> FigureRow:
        """The group's row; an empty one when the group has nothing."""
        found = next((r for r in self.rows if r.key == key), None)
        return found if found is not None else FigureRow(key, key)


@dataclass(frozen=True)
class VillageRow:
    code: str  # the applicant's 12-digit 区划代码; "" when the applicant has none
    name: str
    filings: int


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))


# --- the group a row belongs to ------------------------------------------------------------------


def action_key(grouping: Grouping) -> Any:
    """A flow's group: where and by whom the action was taken; the case's item or category."""
    if grouping is Grouping.WINDOW:
        return CaseAction.workstation
    if grouping is Grouping.PERSON:
        return CaseAction.actor
    return case_key(grouping)


def case_key(grouping: Grouping) -> Any:
    """A standing figure's group: the case's window, assignee, item or category."""
    if grouping is Grouping.WINDOW:
        return Case.workstation
    if grouping is Grouping.PERSON:
        return func.coalesce(User.username, "")
    if grouping is Grouping.ITEM:
        return Item.code
    if grouping is Grouping.CATEGORY:
        return Case.category
    return literal("")


def evaluation_key(grouping: Grouping) -> Any:
    if grouping is Grouping.WINDOW:
        return func.coalesce(Evaluation.window, "")
    if grouping is Grouping.PERSON:
        return func.coalesce(Evaluation.staff, "")
    if grouping is Grouping.ITEM:
        return func.coalesce(Item.code, "")
    if grouping is Grouping.CATEGORY:
        return func.coalesce(Case.category, "")
    return literal("")


def joined(query: Select[*Ts], grouping: Grouping, *, from_actions: bool) -> Select[*Ts]:
    """``query`` from the log (``from_actions``) or from the cases, with what its key needs."""
    if from_actions:
        query = query.select_from(CaseAction)
        if grouping in (Grouping.ITEM, Grouping.CATEGORY):
            query = query.join(Case, Case.id == CaseAction.case_id)
    else:
        query = query.select_from(Case)
        if grouping is Grouping.PERSON:
            query = query.outerjoin(User, User.id == Case.assignee_id)
    if grouping is Grouping.ITEM:
        query = query.join(Item, Item.id == Case.item_id)
    return query


# --- flows -------------------------------------------------------------------------------------


def in_period(column: Any, period: Period) -> ColumnElement[bool]:
    start, until = period.utc_bounds()
    return and_(column >= start, column < until)


def _flows(session: Session, period: Period, grouping: Grouping, tally: dict[str, _Tally]) -> None:
    key = action_key(grouping)
    query = select(key, CaseAction.action, func.count()).where(
        CaseAction.action.in_([a.value for a in FLOW_ACTIONS]),
        in_period(CaseAction.occurred_at, period),
    )
    query = joined(query, grouping, from_actions=True)
    for group, action, n in session.execute(query.group_by(key, CaseAction.action)):
        counts = tally[group or ""].counts
        for name, actions in FLOW_FIGURES.items():
            if Action(action) in actions:
                counts[name] += n


def _decided_on() -> ColumnElement[str]:
    """The China local date of a logged action (``YYYY-MM-DD``)."""
    return func.date(CaseAction.occurred_at, "+8 hours")


def decided_on_time() -> ColumnElement[bool]:
    """A ``decide`` action (``case_actions`` joined to its ``cases``) on or before the case's due
    date; a case with no due date is on time."""
    return or_(Case.due_date.is_(None), _decided_on() <= Case.due_date)


def _decisions(
    session: Session,
    period: Period,
    grouping: Grouping,
    calendar: WorkCalendar,
    tally: dict[str, _Tally],
) -> None:
    """办结: the period's 办结 actions, each with its case's 受理日 and due date."""
    key = action_key(grouping)
    decided_on = _decided_on()
    on_time = sql_case((decided_on_time(), 1), else_=0)
    query = (
        select(key, Case.accepted_on, decided_on, on_time, func.count())
        .select_from(CaseAction)
        .join(Case, Case.id == CaseAction.case_id)
        .where(
            CaseAction.action.in_([a.value for a in DECIDED]),
            in_period(CaseAction.occurred_at, period),
        )
    )
    if grouping is Grouping.ITEM:
        query = query.join(Item, Item.id == Case.item_id)
    rows = session.execute(query.group_by(key, Case.accepted_on, decided_on, on_time))
    spans: dict[tuple[dt.date, dt.date], int] = {}  # working days per (受理日, 办结日)
    for group, accepted_on, decided_day, in_time, n in rows:
        counts = tally[group or ""].counts
        counts["decided"] += n
        counts["decided_on_time"] += n * in_time
        if accepted_on is not None:
            decided = dt.date.fromisoformat(decided_day)
            pair = (accepted_on, decided)
            if pair not in spans:
                spans[pair] = calendar.working_days_between(*pair)
            counts["decision_working_days"] += n * spans[pair]


# --- standing ----------------------------------------------------------------------------------


STANDING = ("overdue", "nearly_due", "watchdog", "deficiency_pending", "deficiency_overdue")


def standing_conditions(
    session: Session, today: dt.date, calendar: WorkCalendar
) -> dict[str, ColumnElement[bool]]:
    """Each standing figure's condition on ``cases`` (judged on ``today``)."""
    horizon = queries.yellow_horizon(session, today, calendar)
    pending = and_(Case.deficiency.is_(True), Case.state.not_in([s.value for s in DEFICIENCY_OVER]))
    return {
        "overdue": queries.is_overdue(today),
        "nearly_due": queries.is_nearly_due(today, horizon),
        "watchdog": queries.past_watchdog(today),
        "deficiency_pending": pending,
        "deficiency_overdue": and_(pending, Case.deficiency_due < today),
    }


def _standing(
    session: Session,
    grouping: Grouping,
    today: dt.date,
    calendar: WorkCalendar,
    tally: dict[str, _Tally],
    names: Iterable[str] = STANDING,
) -> None:
    """As ``app.cases.queries`` lists them: ``overdue``, ``nearly_due``, ``watchdog``; and 容缺
    pending. ``names``: only these (the benchmark times each)."""
    conditions = standing_conditions(session, today, calendar)
    key = case_key(grouping)
    for name in names:
        query = joined(select(key, func.count()), grouping, from_actions=False)
        for group, n in session.execute(query.where(conditions[name]).group_by(key)):
            tally[group or ""].counts[name] += n


# --- ratings -----------------------------------------------------------------------------------


def evaluation_query(query: Select[*Ts], grouping: Grouping) -> Select[*Ts]:
    query = query.select_from(Evaluation)
    if grouping in (Grouping.ITEM, Grouping.CATEGORY):
        query = query.outerjoin(Case, Case.id == Evaluation.case_id)
    if grouping is Grouping.ITEM:
        query = query.outerjoin(Item, Item.id == Case.item_id)
    return query


RATING_FIGURES = ("rated", "satisfied", "bad_open", "bad_closed", "bad_overdue")


def rating_conditions(period: Period, today: dt.date) -> dict[str, ColumnElement[bool]]:
    """Each rating figure's condition on ``evaluations``: the period's ratings (满意 or better:
    ``app.evaluations.figures.satisfaction``'s definition), their 差评 tasks by whether closed
    now; the tasks overdue on ``today`` whenever rated."""
    rated = in_period(Evaluation.assessed_at, period)
    satisfied = Evaluation.level.in_([level.value for level in Level if level.is_satisfied])
    has_task = Evaluation.task_state.is_not(None)
    closed = Evaluation.task_state == TaskState.CLOSED.value
    return {
        "rated": rated,
        "satisfied": and_(rated, satisfied),
        "bad_open": and_(rated, has_task, ~closed),
        "bad_closed": and_(rated, has_task, closed),
        "bad_overdue": task_overdue(today),
    }


def _ratings(
    session: Session, period: Period, grouping: Grouping, today: dt.date, tally: dict[str, _Tally]
) -> None:
    """Each rating figure (:func:`rating_conditions`) counted per group: the period's in one
    pass (by ``assessed_at``), the overdue tasks in another (by the task's state and due day)."""
    key = evaluation_key(grouping)
    conditions = rating_conditions(period, today)
    in_the_period = RATING_FIGURES[:-1]
    sums = [func.sum(sql_case((conditions[name], 1), else_=0)) for name in in_the_period]
    query = evaluation_query(select(key, *sums), grouping).where(conditions["rated"])
    for group, *ns in session.execute(query.group_by(key)):
        counts = tally[group or ""].counts
        for name, n in zip(in_the_period, ns, strict=True):
            counts[name] += n or 0
    late = evaluation_query(select(key, func.count()), grouping).where(conditions["bad_overdue"])
    for group, n in session.execute(late.group_by(key)):
        tally[group or ""].counts["bad_overdue"] += n


# --- the whole -----------------------------------------------------------------------------------


def _labels(session: Session, grouping: Grouping, keys: Iterable[str]) -> dict[str, str]:
    wanted = [k for k in keys if k]
    labels = {"": NO_GROUP_LABELS[grouping]}
    if grouping is Grouping.PERSON and wanted:
        people = session.execute(
            select(User.username, User.display_name).where(User.username.in_(wanted))
        )
        labels.update({username: name for username, name in people})
    elif grouping is Grouping.ITEM and wanted:
        items = session.execute(
            select(Item.code, Item.name, Item.active)
            .where(Item.code.in_(wanted))
            .order_by(Item.code, Item.active, Item.version)
        )
        labels.update({code: name for code, name, _ in items})  # the active (else latest) name
    return {k: labels.get(k, k) for k in ("", *wanted)}


@reads
def figures(
    session: Session,
    period: Period,
    grouping: Grouping,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    parts: Collection[Part] = tuple(Part),
) -> Figures:
    """Every figure of ``docs/figures.md`` for ``period``, per group; ``today`` for the
    standing ones. One read snapshot: the figures agree with each other. ``parts``: only these
    kinds of figure are counted, the others left 0 (a dashboard needing only the standing
    figures per person need not count a year's flows again)."""
    tally: dict[str, _Tally] = defaultdict(_Tally)
    with in_transaction(session):
        if Part.FLOWS in parts:
            _flows(session, period, grouping, tally)
        if Part.DECISIONS in parts:
            _decisions(session, period, grouping, calendar, tally)
        if Part.STANDING in parts:
            _standing(session, grouping, today, calendar, tally)
        if Part.RATINGS in parts:
            _ratings(session, period, grouping, today, tally)
        labels = _labels(session, grouping, tally)
    rows = tuple(
        FigureRow(key, labels.get(key, key), **tally[key].counts)
        for key in sorted(tally)
        if grouping is not Grouping.CENTRE
    )
    total = FigureRow(
        "", NO_GROUP_LABELS[Grouping.CENTRE], **_added(t.counts for t in tally.values())
    )
    if grouping is Grouping.CENTRE:
        rows = (total,)
    return Figures(period, grouping, today, rows, total)


def _added(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    total = dict.fromkeys(COUNTS, 0)
    for one in counts:
        for name, n in one.items():
            total[name] += n
    return total


@reads
def proxy_filings(
    session: Session, period: Period, divisions: DivisionList | None = None
) -> tuple[VillageRow, ...]:
    """代办 filings by village: cases a proxy agent submitted (提交申请) in the period, by the
    applicant's 区划代码; most first. Names from ``divisions`` where it knows the code."""
    village = func.coalesce(Applicant.division_code, "")
    query = (
        select(village, func.count())
        .select_from(CaseAction)
        .join(Case, Case.id == CaseAction.case_id)
        .join(Applicant, Applicant.id == Case.applicant_id)
        .where(
            CaseAction.action == Action.SUBMIT.value,
            Case.proxy_user_id.is_not(None),
            in_period(CaseAction.occurred_at, period),
        )
        .group_by(village)
    )
    with in_transaction(session):
        found = list(session.execute(query))
    rows = [VillageRow(code, _village_name(code, divisions), n) for code, n in found]
    return tuple(sorted(rows, key=lambda r: (-r.filings, r.code)))


def _village_name(code: str, divisions: DivisionList | None) -> str:
    if not code:
        return "未登记村（社区）"
    known = divisions.by_code(code) if divisions is not None else None
    return known.name if known is not None else code
