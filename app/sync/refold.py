"""Folding cases again after a pull added to their logs: confirmed actions in county order, our
pending ones on top; a pending action that no longer fits (another window moved the case on) is
parked, never dropped and never applied silently.

A pulled page folds every case it touched once (``Refolds``): on its whole log so far, read for
all of them in one query (``app.cases.log.fold_logs``), or — when nothing but other
workstations' actions was appended since the pull last folded it — on where that fold left it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.cases.engine import OPENING, item_rules, load_item, projection_values
from app.cases.log import PARKED, fold_logs
from app.errors import AppError
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import ActionRecord, Projection, apply, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import Action
from db.models import Case, OutboxEntry, User
from db.store import Store


def fold_again(store: Store, case_ids: Collection[int], calendar: WorkCalendar) -> int:
    """The cases a push answer parked an action of, folded again without it (one transaction),
    parking any pending action of ours that no longer fits then: a parked action is no longer
    folded (``app/cases/log.py``), and no pull may come to touch the case (a refusal, unlike a
    conflict, brings nothing new down). Returns how many more were parked."""
    with store.session() as session, session.begin():
        cases = session.scalars(select(Case).where(Case.id.in_(case_ids))).all()
        return Refolds(calendar).refold(session, cases, {})


@dataclass
class PageOfCase:
    """What a pulled page did to one case: the other workstations' actions it appended, in
    county order; whether it confirmed an action of ours; the case's next local sequence when
    the page began and when it ended."""

    appended: list[ActionRecord] = field(default_factory=list)
    confirmed_own: bool = False
    next_seq_before: int = 1
    next_seq_after: int = 1


@dataclass(frozen=True)
class _Folded:
    projection: Projection
    next_seq: int  # the case's next local sequence then: an action taken here since changes it


class Refolds:
    """Folding a pull's cases again, page after page, each case on its whole log.

    A case whose log, when last folded, held only confirmed actions (nothing of ours pending) is
    kept as that fold left it. If the next page only appends other workstations' actions to it
    — none of ours confirmed, none taken here meanwhile (its next local sequence unchanged) —
    its fold is that one with the new actions applied: the same as folding the whole log again,
    since they come after every confirmed action in county order. Any other case is folded from
    its log in the store."""

    def __init__(self, calendar: WorkCalendar, items: Items | None = None) -> None:
        self._calendar = calendar
        self._items = items or Items()
        self._known: dict[int, _Folded] = {}

    def opened(self, case_id: int) -> None:
        """A case the pull made here: its log is empty."""
        self._known[case_id] = _Folded(Projection(), 1)

    def refold(
        self, session: Session, cases: Sequence[Case], pages: Mapping[int, PageOfCase]
    ) -> int:
        """Fold the cases again and write their rows; park our pending actions that no longer
        fit. ``pages``: what this page did to each case. Returns how many were parked."""
        users: dict[str, int] = {
            name: id_ for name, id_ in session.execute(select(User.username, User.id))
        }
        whole, written = [], _Written(session, users)
        for case in cases:
            page = pages.get(case.id, PageOfCase())
            known = self._known.pop(case.id, None)
            if known is None or page.confirmed_own or known.next_seq != page.next_seq_before:
                whole.append(case)
                continue
            rules = self._items(session, case.item_id).rules
            projection = known.projection
            for record in page.appended:
                projection = apply(projection, record, rules, self._calendar)
            written.add(case, projection)
            self._known[case.id] = _Folded(projection, page.next_seq_after)
        parked = self._from_logs(session, whole, pages, written)
        written.write()
        return parked

    def _from_logs(
        self,
        session: Session,
        cases: Sequence[Case],
        pages: Mapping[int, PageOfCase],
        written: _Written,
    ) -> int:
        if not cases:
            return 0
        logs: dict[int, list[Row[Any]]] = {}
        for row in session.execute(fold_logs([c.id for c in cases])):
            logs.setdefault(row.case_id, []).append(row)
        parked = 0
        for case in cases:
            log = logs.get(case.id, [])
            if log and Action(log[0].action) not in OPENING:  # nothing to fold yet (opens)
                continue
            rules = self._items(session, case.item_id).rules
            projection, pending = Projection(), False
            for row in log:
                if row.county_seq is None:  # our own, pending: does it still fit?
                    pending = True
                    reason = _unfit(written.users, projection, rules, row, self._calendar)
                    if reason is not None:
                        _park(session, row.id, reason)
                        parked += 1
                        continue
                record = ActionRecord(Action(row.action), row.occurred_at, row.actor, row.payload)
                projection = apply(projection, record, rules, self._calendar)
            written.add(case, projection)
            if not pending:
                after = pages.get(case.id, PageOfCase()).next_seq_after
                self._known[case.id] = _Folded(projection, after)
        return parked


CASES = cast(Table, Case.__table__)


class _Written:
    """The cases' rows as their folds say, written in one statement per set of columns (not an
    ORM flush of each row). A case with nothing to fold — another workstation's, every action of
    which a county restore lost, still to come back from its owner — keeps its row as it was."""

    def __init__(self, session: Session, users: Mapping[str, int]) -> None:
        self._session, self.users = session, users
        self._rows: list[dict[str, Any]] = []

    def add(self, case: Case, projection: Projection) -> None:
        if projection.state is None:  # nothing here to fold (below): the row stays as it was
            return
        self._rows.append(
            {"id": case.id, **projection_values(self._session, projection, self.users)}
        )

    def write(self) -> None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}  # by the columns set
        for row in self._rows:
            groups.setdefault(tuple(row), []).append(row)
        cases = CASES.c
        connection = self._session.connection()  # Core: one statement, run once per row
        for columns, rows in groups.items():
            statement = (
                update(CASES)
                .where(cases.id == bindparam("p_id", type_=cases.id.type))
                .values({c: bindparam(f"p_{c}", type_=cases[c].type) for c in columns if c != "id"})
            )
            connection.execute(statement, [{f"p_{k}": v for k, v in row.items()} for row in rows])


@dataclass(frozen=True)
class ItemFacts:
    """What a pull needs of an item version: its rules, and its materials by key (name, form,
    copies)."""

    rules: ItemRules
    materials: Mapping[str, tuple[str, str, int]]


class Items:
    """Item versions' facts by this store's item id, each read once per pull: a pull touches a
    few items thousands of times, and an item version never changes."""

    def __init__(self) -> None:
        self._known: dict[int, ItemFacts] = {}

    def __call__(self, session: Session, item_id: int) -> ItemFacts:
        known = self._known.get(item_id)
        if known is None:
            item = load_item(session, item_id)
            materials = {m.material_key: (m.name, m.form, m.copies) for m in item.materials}
            known = self._known[item_id] = ItemFacts(item_rules(item), materials)
        return known


def _unfit(
    users: Mapping[str, int],
    before: Projection,
    rules: ItemRules,
    row: Row[Any],
    calendar: WorkCalendar,
) -> str | None:
    """Why our pending action ``row`` no longer fits on ``before``, or None."""
    roles = frozenset(Role(r) for r in row.actor_role.split(",") if r in set(Role))
    actor = Actor(users.get(row.actor, 0), row.actor, row.actor, roles, row.workstation)
    action = Action(row.action)
    try:
        transitions.find(action, before.state, actor)
        guards.check(
            guards.GuardContext(
                before, rules, row.payload, actor, calendar, local_date(row.occurred_at)
            ),
            action,
        )
    except AppError as error:
        return f"[{error.code}] 其他工作站已先办理了该件，本操作不再适用：{error.message}"
    return None


def _park(session: Session, action_id: int, reason: str) -> None:
    session.execute(
        update(OutboxEntry)
        .where(OutboxEntry.action_id == action_id)
        .values(status=PARKED, last_error=reason)
    )
