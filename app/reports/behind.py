"""The cases behind a figure: the list a dashboard tile or chart bar opens.

Each list is counted by the very condition its figure is (``app.reports.figures``: the flow
actions, the 办结 on-time rule, the standing conditions, the rating conditions) and the same
group key, so the list of a figure has exactly as many entries as the figure:

* a **flow** (收件, 受理, 办结 …) lists one entry per action of the period: a case told twice to
  supplement (一次性告知 counts each notice) is listed twice, at each notice, oldest first;
* a **standing** figure lists each case once, most urgent first;
* a **rating** figure lists one entry per rating (a case rated twice, twice); a rating of a case
  that is not on this store cannot be listed and is counted in ``Behind.unlisted``.

Who may ask: ``app.reports.scope`` (the supervisor any group; an approver their own row).
Rows are the desks' case rows (``app.cases.listing``) with the applicant's name masked
(张三 → 张*): a list of many cases on the supervisor's screen shows who only when opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases import queries
from app.cases.listing import ListedCase, Listing, badged
from app.errors import ValidationError
from app.evaluations.tasks import mask_name
from app.reports import figures as f
from app.reports.period import Period
from app.reports.scope import check_scope
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from db.models import Case, CaseAction, Evaluation

__all__ = ["BEHIND_FIGURES", "Behind", "cases_behind", "figure_kind"]

FLOW = "flow"
STANDING = "standing"
RATING = "rating"

# Every FigureRow count that has cases behind it (the summed working days has none).
BEHIND_FIGURES: dict[str, str] = {
    **dict.fromkeys(f.FLOW_FIGURES, FLOW),
    **dict.fromkeys(f.DECISION_FIGURES, FLOW),
    **dict.fromkeys(f.STANDING, STANDING),
    **dict.fromkeys(f.RATING_FIGURES, RATING),
}


@dataclass(frozen=True)
class Behind:
    listing: Listing  # a page of the entries; ``total`` those that can be listed
    unlisted: int = 0  # ratings of cases not on this store (counted, not listable)

    @property
    def figure(self) -> int:
        """The figure itself: every entry, listed or not."""
        return self.listing.total + self.unlisted


def figure_kind(name: str) -> str:
    kind = BEHIND_FIGURES.get(name)
    if kind is None:
        raise ValidationError("统计指标", f"没有“{name}”这一项可列出办件。")
    return kind


def _in_group(key_column: Any, grouping: f.Grouping, key: str) -> ColumnElement[bool] | None:
    """The group's rows (``""``: what has no group); None for the centre (everything)."""
    if grouping is f.Grouping.CENTRE:
        return None
    return func.coalesce(key_column, "") == key


def _flow_query(name: str, period: Period, grouping: f.Grouping, key: str) -> Select[Any]:
    if name in f.DECISION_FIGURES:
        condition = and_(
            CaseAction.action.in_([a.value for a in f.DECIDED]),
            f.in_period(CaseAction.occurred_at, period),
        )
        if name == "decided_on_time":
            condition = and_(condition, f.decided_on_time())
        needs_case = True
    else:
        actions = f.FLOW_FIGURES[name]
        condition = and_(
            CaseAction.action.in_([a.value for a in actions]),
            f.in_period(CaseAction.occurred_at, period),
        )
        needs_case = False
    query = f.joined(select(CaseAction.case_id), grouping, from_actions=True)
    if needs_case and grouping not in (f.Grouping.ITEM, f.Grouping.CATEGORY):
        query = query.join(Case, Case.id == CaseAction.case_id)
    in_group = _in_group(f.action_key(grouping), grouping, key)
    query = query.where(condition)
    if in_group is not None:
        query = query.where(in_group)
    return query.order_by(CaseAction.occurred_at, CaseAction.id)


def _rating_query(
    name: str, period: Period, grouping: f.Grouping, key: str, today: dt.date
) -> Select[Any]:
    condition = f.rating_conditions(period, today)[name]
    query = f.evaluation_query(select(Evaluation.case_id), grouping).where(condition)
    in_group = _in_group(f.evaluation_key(grouping), grouping, key)
    if in_group is not None:
        query = query.where(in_group)
    return query.order_by(Evaluation.assessed_at, Evaluation.id)


def _standing_ids(
    session: Session,
    name: str,
    grouping: f.Grouping,
    key: str,
    today: dt.date,
    calendar: WorkCalendar,
) -> Select[Any]:
    condition = f.standing_conditions(session, today, calendar)[name]
    query = f.joined(select(Case.id), grouping, from_actions=False).where(condition)
    in_group = _in_group(f.case_key(grouping), grouping, key)
    if in_group is not None:
        query = query.where(in_group)
    return query


STANDING_ORDER = {
    "watchdog": (Case.watchdog_due, Case.id),
    "deficiency_pending": (Case.deficiency_due, Case.id),
    "deficiency_overdue": (Case.deficiency_due, Case.id),
}


def _count(session: Session, query: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _in_sequence(session: Session, case_ids: Sequence[int]) -> list[queries.CaseRow]:
    """The rows of ``case_ids`` in that order, a case repeated as often as it comes."""
    wanted = sorted(set(case_ids))
    found = queries.rows_of(session, select(Case.id).where(Case.id.in_(wanted)), (Case.id,))
    by_id = {row.case_id: row for row in found}
    return [by_id[i] for i in case_ids if i in by_id]


def _masked(rows: list[ListedCase]) -> list[ListedCase]:
    return [
        replace(r, row=replace(r.row, applicant_name=mask_name(r.row.applicant_name))) for r in rows
    ]


@reads
def cases_behind(
    session: Session,
    actor: Actor,
    name: str,
    period: Period,
    grouping: f.Grouping,
    key: str,
    *,
    today: dt.date,
    calendar: WorkCalendar,
    limit: int = 100,
    offset: int = 0,
) -> Behind:
    """A page of the entries behind figure ``name`` (a :class:`FigureRow` count) of the group
    ``key`` of ``grouping`` (the centre: ``Grouping.CENTRE``, key ``""``) for ``period``,
    judged on ``today``; ``total`` counts them all."""
    check_scope(actor, grouping, key)
    kind = figure_kind(name)
    if kind == STANDING:
        ids = _standing_ids(session, name, grouping, key, today, calendar)
        order = STANDING_ORDER.get(name, queries.DUE_ORDER)
        total = _count(session, ids)
        page = queries.rows_of(session, ids.order_by(*order).limit(limit).offset(offset), order)
        return Behind(Listing(_masked(badged(session, calendar, today, page)), total))
    unlisted = 0
    if kind == FLOW:
        entries = _flow_query(name, period, grouping, key)
    else:
        ratings = _rating_query(name, period, grouping, key, today)
        unlisted = _count(session, ratings.where(Evaluation.case_id.is_(None)))
        entries = ratings.where(Evaluation.case_id.is_not(None))
    total = _count(session, entries)
    case_ids = list(session.scalars(entries.limit(limit).offset(offset)))
    rows = _in_sequence(session, case_ids)
    return Behind(Listing(_masked(badged(session, calendar, today, rows)), total), unlisted)
