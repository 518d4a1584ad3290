"""The 同步 panel's use cases: what waits to go up and what was parked, and a person's way out
of a parked action — withdrawing it (audited; it stays on file, never folded, never sent). The
other way out is a new action on the case, taken at a desk as usual (a compensating action).

The supervisor sees the whole centre's; everyone else their own actions only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.audit import AuditEvent, record_for
from app.cases.access import require_case_role
from app.cases.log import PARKED, WITHDRAWN
from app.errors import NotFound, PermissionDenied, ValidationError
from app.sync.push import PENDING
from app.units.declare import reads, writes
from app.workflow.states import Action, CaseState
from db.base import utcnow
from db.models import Case, CaseAction, OutboxEntry


@dataclass(frozen=True)
class SyncItem:
    op_id: str
    status: str  # pending | parked | withdrawn
    case_id: int
    number: str  # 办件编号, else 收件号
    action: Action
    actor: str
    occurred_at: dt.datetime
    reason: str  # why it was parked (empty while pending)
    case_state: CaseState  # the case as it stands here: the county's copy plus what is pending

    @property
    def status_text(self) -> str:
        return {PENDING: "待上传", PARKED: "暂挂待处理", WITHDRAWN: "已撤回"}[self.status]


def _sees_all(actor: Actor) -> bool:
    return Role.SUPERVISOR in actor.roles


@reads
def sync_items(session: Session, actor: Actor) -> list[SyncItem]:
    """Pending and parked case actions, parked first, oldest first."""
    require_case_role(actor)
    query = (
        select(OutboxEntry, CaseAction, Case)
        .join(CaseAction, CaseAction.id == OutboxEntry.action_id)
        .join(Case, Case.id == CaseAction.case_id)
        .where(OutboxEntry.status.in_((PENDING, PARKED)))
        .order_by(OutboxEntry.status != PARKED, OutboxEntry.id)
    )
    if not _sees_all(actor):
        query = query.where(CaseAction.actor == actor.username)
    return [
        SyncItem(
            op_id=entry.op_id,
            status=entry.status,
            case_id=case.id,
            number=case.official_no or case.receipt_no,
            action=Action(action.action),
            actor=action.actor,
            occurred_at=action.occurred_at,
            reason=entry.last_error or "",
            case_state=CaseState(case.state),
        )
        for entry, action, case in session.execute(query)
    ]


@writes
def withdraw_parked(session: Session, actor: Actor, op_id: str, reason: str) -> None:
    """Withdraw a parked action for good, saying why (audited)."""
    require_case_role(actor)
    why = reason.strip()
    if not why:
        raise ValidationError("撤回原因", "请填写撤回原因。")
    with session.begin():
        found = session.execute(
            select(OutboxEntry, CaseAction)
            .join(CaseAction, CaseAction.id == OutboxEntry.action_id)
            .where(OutboxEntry.op_id == op_id)
        ).first()
        if found is None:
            raise NotFound("找不到这条同步操作。")
        entry, action = found
        if not _sees_all(actor) and action.actor != actor.username:
            raise PermissionDenied("只能撤回本人的暂挂操作（中心负责人可撤回全部）。")
        if entry.status != PARKED:
            raise ValidationError("同步操作", "只有暂挂的操作可以撤回。")
        entry.status = WITHDRAWN
        entry.last_error = f"{entry.last_error or ''}；已撤回：{why}"
        case = session.get(Case, action.case_id)
        assert case is not None
        record_for(
            session,
            actor,
            AuditEvent.SYNC_WITHDRAWN,
            case.receipt_no,
            {"action": action.action, "reason": why},
            at=utcnow(),
        )
