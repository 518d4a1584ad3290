"""办件台账: one row per case active in the month, with the national exchange fields where the
workstation has them.

A case is in the month's ledger when it was received before the month ended and either is still
under way now (not 办结, 不予受理, 撤回, 终止, 出件 or 归档) or has an action in the log on or after
the month's first day: so every case received, accepted, decided or otherwise acted on in the
month, and every case pending through it (a case suspended all month), is listed once.

ID numbers are masked (first 6 + last 4) unless ``full_ids``; the caller checks who may ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session, aliased

from app.accounts.identity import masked
from app.reports.period import Period
from app.units.declare import reads
from app.units.joined import in_transaction
from app.workflow.fold import CHINA_TZ
from app.workflow.states import CLOCK_STATES, Action, CaseState
from db.models import Applicant, Case, CaseAction, Item, User

__all__ = ["ENDED", "RESULT_LABELS", "LedgerRow", "ledger"]

#: States in which a case no longer waits on the centre (it is listed in a month only when it
#: was acted on since the month began).
ENDED = frozenset(
    {
        CaseState.DECIDED,
        CaseState.AWAITING_DELIVERY,
        CaseState.DELIVERED,
        CaseState.ARCHIVED,
        CaseState.REFUSED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
    }
)

#: 办理结果 (national ``result_type`` in words).
RESULT_LABELS = {"approved": "准予", "denied": "不予批准"}
_ENDING_RESULTS = {
    CaseState.REFUSED: "不予受理",
    CaseState.WITHDRAWN: "撤回",
    CaseState.TERMINATED: "终止",
}


@dataclass(frozen=True)
class LedgerRow:
    case_id: int
    official_no: str  # 办件编号 (project_no); "" until the county numbers the case
    receipt_no: str  # 收件号
    item_code: str  # 事项编码 (task_code): the 实施编码, else the catalogue code
    item_name: str
    category: str
    promised_days: int  # 0: 即办件
    applicant: str
    id_number: str  # masked unless asked for in full; a legal person's 统一社会信用代码
    proxy: bool  # 代办
    received_at: dt.datetime | None  # China local time, naive (a spreadsheet has no zones)
    accepted_on: dt.date | None
    due_date: dt.date | None
    decided_at: dt.datetime | None  # China local time, naive
    result: str
    state: CaseState
    workstation: str
    assignee: str
    deficiency: bool  # 容缺受理
    overdue: bool  # decided after its due date, or past it now while the clock runs

    @property
    def project_type(self) -> str:
        """办件类型 (national ``project_type``): 即办件 or 承诺件."""
        return "即办件" if self.promised_days == 0 else "承诺件"


def _local(at: dt.datetime | None) -> dt.datetime | None:
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(CHINA_TZ).replace(tzinfo=None)


@reads
def ledger(
    session: Session, period: Period, *, today: dt.date, full_ids: bool = False
) -> tuple[LedgerRow, ...]:
    """The month's 办件台账, by 收件时间; ``today`` judges 是否逾期 for cases still under way."""
    start, until = period.utc_bounds()
    # The month's cases, found by id from two indexes: those acted on since the month began
    # (the log's (action, occurred_at) index: a case received before the month's end and acted
    # on since its start was under way in it) and those still under way (``cases.state``); each
    # case row is then read by its id. A scan of the cases with the same condition took minutes on a
    # store of a million (benchmarks/README.md).
    acted_on = select(CaseAction.case_id).where(
        CaseAction.action.in_([a.value for a in Action]), CaseAction.occurred_at >= start
    )
    under_way = select(Case.id).where(
        Case.state.in_([s.value for s in CaseState if s not in ENDED])
    )
    # The case's last 办结, by the case's own actions: ``action || ''`` keeps SQLite off the
    # (action, occurred_at) index, which it would walk through every 办结 in the store per case.
    decided = (
        select(func.max(CaseAction.occurred_at))
        .where(
            CaseAction.case_id == Case.id,
            CaseAction.action.concat("") == Action.DECIDE.value,
        )
        .scalar_subquery()
    )
    assignee = aliased(User)
    query = (
        select(
            Case,
            Item.code,
            Item.implementation_code,
            Item.name,
            Item.promised_limit_days,
            Applicant.name,
            Applicant.id_number,
            Applicant.uscc,
            assignee.display_name,
            decided,
        )
        .join(Item, Item.id == Case.item_id)
        .join(Applicant, Applicant.id == Case.applicant_id)
        .outerjoin(assignee, assignee.id == Case.assignee_id)
        .where(Case.received_at < until, Case.id.in_(union(acted_on, under_way)))
        .order_by(Case.received_at, Case.id)
    )
    with in_transaction(session):
        found = session.execute(query).all()
    rows = []
    for case, code, implementation, name, days, who, id_number, uscc, handler, decided_at in found:
        state = CaseState(case.state)
        decided_local = _local(decided_at)
        if decided_local is not None and case.due_date is not None:
            late = decided_local.date() > case.due_date
        else:
            late = state in CLOCK_STATES and case.due_date is not None and case.due_date < today
        shown = (id_number if full_ids else masked(id_number)) if id_number else uscc or ""
        rows.append(
            LedgerRow(
                case_id=case.id,
                official_no=case.official_no or "",
                receipt_no=case.receipt_no,
                item_code=implementation or code,
                item_name=name,
                category=case.category,
                promised_days=days,
                applicant=who,
                id_number=shown,
                proxy=case.proxy_user_id is not None,
                received_at=_local(case.received_at),
                accepted_on=case.accepted_on,
                due_date=case.due_date,
                decided_at=decided_local,
                result=RESULT_LABELS.get(case.result or "", _ENDING_RESULTS.get(state, "")),
                state=state,
                workstation=case.workstation,
                assignee=handler or "",
                deficiency=case.deficiency,
                overdue=late,
            )
        )
    return tuple(rows)
