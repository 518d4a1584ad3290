"""默认好评: where a county's rules say so (Xinjiang's, for one), a service nobody rated within N
working days counts as 满意. Off unless the county runs ``onewindow-county evaluations
fill-defaults --after-days N`` (daily, say): nothing here runs by itself.

A service is what the window completed for the resident on one visit: the window actions of one
:data:`app.evaluations.rating.SERVICE_ACTIONS` kind on one case on one (Beijing) day — a 收件 and
its 受理 at the same sitting are one 收件受理. It counts as rated when any of its actions has an
evaluation (at the window, or a default given before), or the resident rated the case as a whole
by phone after it. An unrated one whose N-th working day after it has ended gets an evaluation of
channel ``default``, level 满意, of its last action, naming the person who served (the action's
actor) and the window, through :func:`county.evaluations.add_evaluation` (so numbered and fed to
the centre like any other). The county's own actions (its decisions) are no window service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level, Service
from app.evaluations.rating import service_of
from app.evaluations.wire import EvaluationTerms
from app.workcalendar import WorkCalendar
from app.workflow.fold import local_date
from county.evaluations import add_evaluation
from county.lock import one_at_a_time
from county.seals import COUNTY_STATION
from county.store.models import CaseActionRow, CountyCase, CountyEvaluation

__all__ = ["Filled", "fill_defaults"]


@dataclass(frozen=True)
class Filled:
    """What a run did: the default evaluations added, and the services found rated already."""

    added: int
    rated: int

    def line(self) -> str:
        return (
            f"已为 {self.added} 次超期未评价的服务记默认“满意”评价；{self.rated} 次服务已有评价。"
        )


@dataclass
class _Service:
    case_id: int
    service: Service
    day: dt.date
    actions: list[tuple[dt.datetime, str, dict[str, Any]]]  # occurred_at, op_id, envelope


def fill_defaults(
    session: Session, calendar: WorkCalendar, after_days: int, now: dt.datetime
) -> Filled:
    """Give every service unrated for ``after_days`` full working days by ``now`` its default
    满意, in the caller's transaction (under the county-wide lock)."""
    if after_days < 1:
        raise ValueError("after_days must be >= 1")
    one_at_a_time(session)
    today = local_date(now)
    rated_ops = set(
        session.scalars(
            select(CountyEvaluation.service_op_id).where(
                CountyEvaluation.service_op_id.is_not(None)
            )
        )
    )
    by_phone: dict[int, list[dt.datetime]] = defaultdict(list)
    for case_id, terms in session.execute(
        select(CountyEvaluation.case_id, CountyEvaluation.terms).where(
            CountyEvaluation.service_op_id.is_(None)
        )
    ):
        by_phone[case_id].append(EvaluationTerms.model_validate(terms).assessed_at)
    services: dict[tuple[int, Service, dt.date], _Service] = {}
    for case_id, op_id, envelope in session.execute(
        select(CaseActionRow.case_id, CaseActionRow.op_id, CaseActionRow.envelope).order_by(
            CaseActionRow.id
        )
    ):
        service = service_of(str(envelope.get("action")))
        if service is None or envelope.get("workstation") == COUNTY_STATION:
            continue
        at = dt.datetime.fromisoformat(envelope["occurred_at"])
        key = (case_id, service, local_date(at))
        found = services.setdefault(key, _Service(case_id, service, key[2], []))
        found.actions.append((at, op_id, envelope))
    added = rated = 0
    cases: dict[int, CountyCase] = {}
    for found in services.values():
        if calendar.add_working_days(found.day, after_days) >= today:
            continue  # the resident may still rate it
        _, last_op, envelope = max(found.actions, key=lambda action: action[0])
        first_at = min(at for at, _, _ in found.actions)
        if any(op in rated_ops for _, op, _ in found.actions) or any(
            phoned >= first_at for phoned in by_phone.get(found.case_id, ())
        ):
            rated += 1
            continue
        case = cases.get(found.case_id) or session.get_one(CountyCase, found.case_id)
        cases[found.case_id] = case
        add_evaluation(
            session,
            case,
            EvaluationTerms(
                uid=str(uuid.uuid4()),
                case_uid=case.uid,
                service=found.service,
                service_op_id=last_op,
                channel=Channel.DEFAULT,
                level=Level.SATISFIED,
                staff=envelope["actor"]["username"],
                window=envelope.get("workstation"),
                assessed_at=now,
            ),
        )
        rated_ops.add(last_op)
        added += 1
    return Filled(added=added, rated=rated)
