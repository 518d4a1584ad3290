"""The centre's accounts at the county: the town admin's account operations applied, and the
snapshot every workstation of the centre takes down (with the Argon2 hashes, so a clerk signs in
at any window, offline too, once it has synced).

An account operation is an upsert: applying one twice leaves the same account, so a repeat needs
no stored answer. Only a centre's administrator may send them; an account the town made from the
command line, which the county does not know, is refused (the county issues the first accounts).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import TOWN_ROLES, Role
from app.outbox.envelope import ACCOUNT_KINDS, Envelope
from app.sync.protocol import AccountCopy, OpAnswer, rejected
from county.store.models import CENTRE_SCOPE, Account, Workstation

_TOWN = {r.value for r in TOWN_ROLES}
__all__ = ["ACCOUNT_KINDS", "account_snapshot", "apply_account_op"]


def apply_account_op(session: Session, workstation: Workstation, envelope: Envelope) -> OpAnswer:
    op_id = envelope.op_id
    admin = session.get(Account, envelope.actor.username)
    if (
        admin is None
        or admin.centre_code != workstation.centre_code
        or not admin.active
        or Role.ADMIN.value not in admin.roles
    ):
        return rejected(
            op_id,
            "E403-ACTOR",
            f"账号 {envelope.actor.username} 不是本中心在县级登记的系统管理员。",
        )
    payload: dict[str, Any] = envelope.payload
    username = str(payload.get("username", ""))
    account = session.get(Account, username)
    if account is not None and account.centre_code != workstation.centre_code:
        return rejected(op_id, "E403-FORGED", "该账号属于其他中心。")
    roles = payload.get("roles")
    if roles is not None and not set(roles) <= _TOWN:
        return rejected(op_id, "E422-ROLE", "乡镇账号只能有乡镇角色。")
    if account is None:
        if envelope.kind != "user.create":
            return rejected(op_id, "E422-UNKNOWN-ACCOUNT", f"县级系统中没有账号 {username}。")
        account = Account(username=username, centre_code=workstation.centre_code)
        session.add(account)
    for field in ("display_name", "roles", "password_hash", "active", "must_change_password"):
        if field in payload:
            setattr(account, field, payload[field])
    session.flush()
    return OpAnswer(op_id=op_id, outcome="applied")


def account_snapshot(session: Session, station: Workstation) -> list[AccountCopy]:
    """The accounts ``station`` caches: its centre's, or on a proxy's laptop the proxies' only
    (no staff password hash travels to a village 代办点)."""
    rows = [
        account
        for account in session.scalars(
            select(Account)
            .where(Account.centre_code == station.centre_code)
            .order_by(Account.username)
        )
        if station.scope == CENTRE_SCOPE or Role.PROXY.value in account.roles
    ]
    return [
        AccountCopy(
            username=a.username,
            display_name=a.display_name,
            roles=list(a.roles),
            password_hash=a.password_hash,
            active=a.active,
            must_change_password=a.must_change_password,
        )
        for a in rows
    ]
