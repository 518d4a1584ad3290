"""Proxy authorizations (代办委托) at the county: registered from the workstation where the resident
signed, and taken down by every workstation of the centre, so the window that takes in the proxy's
filing or hands its result to the proxy (代领) can check it.

The county registers one when the actor is an active proxy agent of the workstation's centre,
registering under their own name, and its number is new. A case a proxy files must name an
authorization the county holds, of that proxy, covering the item (``check_filing``).
"""

from __future__ import annotations

from pydantic import ValidationError as WireError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Role
from app.outbox.envelope import AUTHORIZATION, CaseActionEnvelope, Envelope
from app.sync.protocol import (
    AuthorizationCopy,
    Authorizations,
    AuthorizationTerms,
    OpAnswer,
    rejected,
)
from app.workflow.fold import local_date
from county.store.models import CENTRE_SCOPE, Account, ProxyAuthorizationRow, Workstation
from county.wording import complaint

REGISTER = AUTHORIZATION


def register_authorization(
    session: Session, workstation: Workstation, envelope: Envelope
) -> OpAnswer:
    """Register the authorization ``envelope`` carries, in the caller's transaction."""
    op_id = envelope.op_id
    try:
        terms = AuthorizationTerms.model_validate(envelope.payload)
    except WireError as error:
        return rejected(op_id, "E422-FORMAT", f"代办委托格式不正确：{complaint(error.errors()[0])}")
    proxy = session.get(Account, envelope.actor.username)
    if (
        proxy is None
        or proxy.centre_code != workstation.centre_code
        or not proxy.active
        or Role.PROXY.value not in proxy.roles
        or terms.proxy != proxy.username
    ):
        return rejected(
            op_id, "E403-ACTOR", f"账号 {envelope.actor.username} 不是本中心在岗的代办员。"
        )
    if terms.valid_until < terms.valid_from:
        return rejected(op_id, "E422-TERMS", "委托期限的截止日期早于起始日期。")
    taken = session.scalar(
        select(ProxyAuthorizationRow.id).where(
            ProxyAuthorizationRow.authorization_no == terms.authorization_no
        )
    )
    if taken is not None:
        return rejected(
            op_id, "E422-DUPLICATE", f"委托书编号 {terms.authorization_no} 已登记过另一份委托。"
        )
    session.add(
        ProxyAuthorizationRow(
            authorization_no=terms.authorization_no,
            centre_code=workstation.centre_code,
            workstation=workstation.code,
            proxy=terms.proxy,
            detail=terms.model_dump(mode="json"),
        )
    )
    session.flush()
    return OpAnswer(op_id=op_id, outcome="applied")


def check_filing(session: Session, envelope: CaseActionEnvelope) -> str | None:
    """Why a proxy's filing (its opening action) may not be applied, or None. A filing names
    the authorization it is made under; the county must hold it, of this proxy, for this item."""
    number = envelope.payload.get("authorization_no")
    if not number:
        return None
    row = session.scalar(
        select(ProxyAuthorizationRow).where(ProxyAuthorizationRow.authorization_no == number)
    )
    if row is None:
        return f"县级系统中没有委托书 {number}，请先同步该代办委托。"
    terms = AuthorizationTerms.model_validate(row.detail)
    if terms.proxy != envelope.actor.username:
        return f"委托书 {number} 不是代办员 {envelope.actor.username} 的。"
    if envelope.case.item_code not in terms.matters:
        return f"委托书 {number} 未委托办理该事项。"
    day = local_date(envelope.occurred_at)
    if not terms.valid_from <= day <= terms.valid_until:
        return f"委托书 {number} 不在有效期内。"
    return None


def authorizations_after(
    session: Session, station: Workstation, after: int, limit: int
) -> Authorizations:
    """The authorizations ``station`` may hold after ``after``: its centre's, or on a proxy's
    laptop those registered on it."""
    mine = (
        ()
        if station.scope == CENTRE_SCOPE
        else (ProxyAuthorizationRow.workstation == station.code,)
    )
    rows = session.scalars(
        select(ProxyAuthorizationRow)
        .where(
            ProxyAuthorizationRow.centre_code == station.centre_code,
            ProxyAuthorizationRow.id > after,
            *mine,
        )
        .order_by(ProxyAuthorizationRow.id)
        .limit(limit + 1)
    ).all()
    page = [
        AuthorizationCopy(
            cursor=row.id,
            workstation=row.workstation,
            terms=AuthorizationTerms.model_validate(row.detail),
        )
        for row in rows[:limit]
    ]
    return Authorizations(
        cursor=page[-1].cursor if page else after, more=len(rows) > limit, authorizations=page
    )
