"""Half-filled intakes kept while the clerk is interrupted (收件草稿): saved as typed, listed,
resumed exactly, and deleted once the intake is decided or discarded.

Each function takes ``(session, actor, ...)``; a draft belongs to the user who started it and no
one else may read, overwrite or delete it. Writes commit their own transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases.intake import template_of
from app.catalog.schema import FormTemplate
from app.errors import NotFound, PermissionDenied, ValidationError
from app.units.declare import reads, writes
from db.base import utcnow
from db.models import IntakeDraft, Item

NO_NAME = "（未填申请人）"
MAX_TOKEN = 40
#: Tokens of a proxy agent's unfinished filing (app.intake.proxy_drafts): the 代办台's own,
#: kept in the same table and left out of the 受理台's list.
PROXY_TOKEN_PREFIX = "proxy-"


@dataclass(frozen=True)
class DraftSummary:
    """One line of the clerk's draft list."""

    token: str
    item_id: int
    item_name: str
    label: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class Draft:
    token: str
    item_id: int
    item_name: str
    form_data: dict[str, Any]
    materials: dict[str, int]
    updated_at: dt.datetime


def applicant_label(template: FormTemplate, form_data: Mapping[str, Any]) -> str:
    """The applicant's name as typed in ``form_data``, or NO_NAME: how a draft is listed."""
    spec = template.applicant_field()
    block = form_data.get(spec.key) if spec is not None else None
    name = block.get("name") if isinstance(block, Mapping) else None
    return name.strip()[:200] if isinstance(name, str) and name.strip() else NO_NAME


def kept_notice(item_name: str, label: str) -> str:
    """What the clerk is told when the sitting ends with a half-filled intake kept as a draft."""
    who = label if label == NO_NAME else f"（{label}）"
    return f"未完成的表单已保存为草稿：{item_name}{who}，下次登录可在“草稿”中继续办理。"


def _label(session: Session, item: Item, form_data: Mapping[str, Any]) -> str:
    _, template = template_of(session, item)
    return applicant_label(template, form_data)


def _checked(
    token: str, form_data: Mapping[str, Any], materials: Mapping[str, int]
) -> tuple[dict[str, Any], dict[str, int]]:
    if not token or len(token) > MAX_TOKEN:
        raise ValidationError("草稿", "草稿标识无效。")
    if any(
        not isinstance(k, str) or not isinstance(v, int) or isinstance(v, bool) or v <= 0
        for k, v in materials.items()
    ):
        raise ValidationError("份数", "材料份数必须是正整数。")
    return as_stored(form_data), dict(materials)


def as_stored(form_data: Mapping[str, Any]) -> dict[str, Any]:
    """The form as the store keeps it (JSON): a value that cannot round-trip is refused here,
    not half-saved."""
    try:
        return dict(json.loads(json.dumps(dict(form_data), ensure_ascii=False)))
    except (TypeError, ValueError) as error:
        raise ValidationError("草稿", "表单内容无法保存为草稿。") from error


def _own(session: Session, actor: Actor, token: str) -> IntakeDraft | None:
    row = session.scalars(select(IntakeDraft).where(IntakeDraft.token == token)).one_or_none()
    if row is not None and row.user_id != actor.user_id:
        raise PermissionDenied("这份草稿属于其他用户，不能查看或修改。")
    return row


@writes
def save_draft(
    session: Session,
    actor: Actor,
    token: str,
    item_id: int,
    form_data: Mapping[str, Any],
    materials: Mapping[str, int],
) -> DraftSummary:
    """Create or overwrite the actor's draft ``token`` with what is on the screen now."""
    form, ticked = _checked(token, form_data, materials)
    with session.begin():
        item = session.get(Item, item_id)
        if item is None or not item.active:
            raise NotFound("该事项不在当前事项目录中，请重新选择事项。")
        label = _label(session, item, form)
        row = _own(session, actor, token)
        if row is None:
            row = IntakeDraft(token=token, user_id=actor.user_id)
            session.add(row)
        row.item_id, row.form_data, row.materials = item.id, form, ticked
        row.label, row.updated_at = label, utcnow()
        session.flush()
        return DraftSummary(row.token, item.id, item.name, row.label, row.updated_at)


@reads
def list_drafts(session: Session, actor: Actor) -> list[DraftSummary]:
    """The actor's drafts, most recently saved first."""
    rows = session.execute(
        select(IntakeDraft, Item.name)
        .join(Item, Item.id == IntakeDraft.item_id)
        .where(IntakeDraft.user_id == actor.user_id)
        .where(IntakeDraft.token.not_like(f"{PROXY_TOKEN_PREFIX}%"))
        .order_by(IntakeDraft.updated_at.desc(), IntakeDraft.id.desc())
    )
    return [DraftSummary(d.token, d.item_id, name, d.label, d.updated_at) for d, name in rows]


@reads
def load_draft(session: Session, actor: Actor, token: str) -> Draft:
    row = _own(session, actor, token)
    if row is None:
        raise NotFound("找不到这份草稿，可能已办理或已放弃。")
    item = session.get(Item, row.item_id)
    if item is None or not item.active:
        raise NotFound("草稿中的事项已不在当前事项目录中，请放弃该草稿后重新收件。")
    return Draft(
        row.token, item.id, item.name, dict(row.form_data), dict(row.materials), row.updated_at
    )


@writes
def discard_draft(session: Session, actor: Actor, token: str) -> bool:
    """Delete the actor's draft; False if there was none (already decided or discarded)."""
    with session.begin():
        return drop_draft(session, actor, token)


def drop_draft(session: Session, actor: Actor, token: str) -> bool:
    """:func:`discard_draft` inside the caller's transaction (the window's decision)."""
    row = _own(session, actor, token)
    if row is None:
        return False
    session.delete(row)
    return True
