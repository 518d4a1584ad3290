"""A proxy agent's unfinished filing (未完成的代办申请): the 代办台's 新建代办 form as typed,
kept when the sitting ends (sign-out, lock, 切换用户, the window closing) before it was 暂存ed
or 提交ed, and put back on that tab at the agent's next sign-in.

A 暂存 draft is a case (草稿, with a 收件号, listed in 我的代办件) and needs a form that passes
every check; a half-filled form cannot be one, so it is kept here instead, as typed. It lives in
the workstation's drafts table (``intake_drafts``, no schema change) under the token
``proxy-<authorization id>``: one per agent (keeping a new one replaces the last), owned by the
agent, labelled with the resident's name; the 受理台's own draft list leaves these rows out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.errors import NotFound, PermissionDenied
from app.intake.drafts import PROXY_TOKEN_PREFIX, as_stored
from app.units.declare import reads, writes
from db.base import utcnow
from db.models import Applicant, IntakeDraft, Item, ProxyAuthorization


@dataclass(frozen=True)
class UnfinishedFiling:
    authorization_id: int
    item_id: int
    item_name: str
    resident_name: str
    form_data: dict[str, Any]
    updated_at: dt.datetime


def kept_notice(item_name: str, resident_name: str) -> str:
    """What the agent is told when the sitting ends with a half-filled filing kept."""
    return (
        f"未完成的代办申请已保存为草稿：{item_name}（{resident_name}），"
        "下次登录可在代办台“新建代办”中继续填写。"
    )


def _require_proxy(actor: Actor) -> None:
    if Role.PROXY not in actor.roles:
        raise PermissionDenied("只有代办员可以保存代办申请草稿。")


def _own_rows(actor: Actor) -> Any:
    return select(IntakeDraft).where(
        IntakeDraft.user_id == actor.user_id, IntakeDraft.token.startswith(PROXY_TOKEN_PREFIX)
    )


@writes
def keep_filing(
    session: Session,
    actor: Actor,
    authorization_id: int,
    item_id: int,
    form_data: Mapping[str, Any],
) -> UnfinishedFiling:
    """Keep the agent's filing as typed (no check: it is unfinished), replacing any kept
    before; the authorization must be the agent's own."""
    _require_proxy(actor)
    form = as_stored(form_data)
    with session.begin():
        auth = session.get(ProxyAuthorization, authorization_id)
        if auth is None or auth.proxy_user_id != actor.user_id:
            raise PermissionDenied("找不到您名下的这份代办委托书。")
        item = session.get(Item, item_id)
        if item is None or not item.active:
            raise NotFound("该事项不在当前事项目录中，请重新选择事项。")
        resident = session.get(Applicant, auth.applicant_id)
        name = resident.name if resident is not None else ""
        token = f"{PROXY_TOKEN_PREFIX}{auth.id}"
        for row in session.scalars(_own_rows(actor)):
            if row.token != token:
                session.delete(row)
        row = session.scalars(select(IntakeDraft).where(IntakeDraft.token == token)).one_or_none()
        if row is None:
            row = IntakeDraft(token=token, user_id=actor.user_id)
            session.add(row)
        row.item_id, row.form_data, row.materials = item.id, form, {}
        row.label, row.updated_at = name[:200], utcnow()
        session.flush()
        return UnfinishedFiling(auth.id, item.id, item.name, name, form, row.updated_at)


@reads
def unfinished_filing(session: Session, actor: Actor) -> UnfinishedFiling | None:
    """The filing the agent left unfinished, if any (and its item still in the catalogue)."""
    if Role.PROXY not in actor.roles:
        return None
    row = session.scalars(_own_rows(actor).order_by(IntakeDraft.updated_at.desc())).first()
    if row is None:
        return None
    item = session.get(Item, row.item_id)
    if item is None or not item.active:
        return None
    authorization_id = int(row.token.removeprefix(PROXY_TOKEN_PREFIX))
    return UnfinishedFiling(
        authorization_id, item.id, item.name, row.label, dict(row.form_data), row.updated_at
    )


@writes
def drop_filings(session: Session, actor: Actor) -> int:
    """Forget the agent's unfinished filing (filed, or emptied); how many rows went."""
    with session.begin():
        result = session.execute(
            delete(IntakeDraft)
            .where(IntakeDraft.user_id == actor.user_id)
            .where(IntakeDraft.token.startswith(PROXY_TOKEN_PREFIX))
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)
