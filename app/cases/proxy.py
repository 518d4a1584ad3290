"""Proxy authorizations (代办委托): checked at the delivery window, listed and used by the proxy
agent at the 代办台."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.identity import masked
from app.actor import Actor, Role
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.catalog.schema import FieldType, FormTemplate
from app.errors import PermissionDenied, ValidationError
from app.units.declare import reads
from app.workflow.states import CaseState
from db.models import Applicant, Case, Item, ProxyAuthorization


def _same_person(session: Session, a: int, b: int) -> bool:
    """The same resident: the same applicant row, or the same ID number (a resident who came
    in person and later signed an authorization has two applicant rows, one person)."""
    if a == b:
        return True
    first, second = session.get(Applicant, a), session.get(Applicant, b)
    return (
        first is not None
        and second is not None
        and first.id_number is not None
        and first.id_number == second.id_number
    )


def authorization_named(session: Session, number: object) -> ProxyAuthorization | None:
    """The 代办委托 with this number here, if any (``number`` as a payload carries it)."""
    if not isinstance(number, str) or not number:
        return None
    return session.scalar(
        select(ProxyAuthorization).where(ProxyAuthorization.authorization_no == number)
    )


def check_collection_authority(session: Session, case: Case, authorization_no: str) -> None:
    """The authorization must be this case's, and must allow collecting results (代领)."""
    auth = authorization_named(session, authorization_no)
    if auth is None or not _same_person(session, auth.applicant_id, case.applicant_id):
        raise ValidationError("代办委托书编号", "委托书与本办件的申请人不符，不能代领。")
    if not auth.may_collect:
        raise ValidationError("代办委托书编号", "该委托书未授权代领办理结果。")


# --- the proxy agent's own authorizations and filings (代办台) ---------------------------------


@dataclass(frozen=True)
class DelegatedItem:
    code: str
    name: str
    item_id: int | None  # None once the item has left the catalogue in force


@dataclass(frozen=True)
class AuthorizationRow:
    """One 代办委托书 as the proxy desk lists it: the resident's ID number masked only."""

    authorization_id: int
    authorization_no: str
    resident_name: str
    resident_id_masked: str
    items: list[DelegatedItem]
    may_collect: bool
    valid_from: dt.date
    valid_until: dt.date
    in_force: bool  # valid today

    @property
    def items_text(self) -> str:
        return "、".join(i.name for i in self.items)


def _require_proxy(actor: Actor) -> None:
    if Role.PROXY not in actor.roles:
        raise PermissionDenied("只有代办员可以查看和使用代办委托书。")


@reads
def list_authorizations(session: Session, actor: Actor, today: dt.date) -> list[AuthorizationRow]:
    """The proxy's own authorizations, newest first (never anyone else's)."""
    _require_proxy(actor)
    rows = session.execute(
        select(ProxyAuthorization, Applicant.name, Applicant.id_number)
        .join(Applicant, Applicant.id == ProxyAuthorization.applicant_id)
        .where(ProxyAuthorization.proxy_user_id == actor.user_id)
        .order_by(ProxyAuthorization.id.desc())
    ).all()
    codes = {code for auth, _, _ in rows for code in auth.matters}
    items = {
        code: (item_id, name)
        for code, item_id, name in session.execute(
            select(Item.code, Item.id, Item.name).where(Item.code.in_(codes), Item.active)
        )
    }
    result = []
    for auth, name, id_number in rows:
        delegated = [
            DelegatedItem(code, items[code][1], items[code][0])
            if code in items
            else DelegatedItem(code, f"{code}（已不在事项目录中）", None)
            for code in auth.matters
        ]
        result.append(
            AuthorizationRow(
                authorization_id=auth.id,
                authorization_no=auth.authorization_no,
                resident_name=name,
                resident_id_masked=masked(id_number) if id_number else "",
                items=delegated,
                may_collect=auth.may_collect,
                valid_from=auth.valid_from,
                valid_until=auth.valid_until,
                in_force=auth.valid_from <= today <= auth.valid_until,
            )
        )
    return result


def filing_template(template: FormTemplate) -> FormTemplate:
    """The form a proxy fills in: the applicant block left out (:func:`file_for_resident` takes
    it from the authorization), and any section left empty by that dropped."""
    sections = []
    for section in template.sections:
        fields = [f for f in section.fields if f.type is not FieldType.APPLICANT]
        if fields:
            sections.append(section.model_copy(update={"fields": fields}))
    return template.model_copy(update={"sections": sections})


def file_for_resident(
    ctx: CaseContext,
    actor: Actor,
    item_id: int,
    form_data: Mapping[str, Any],
    authorization_id: int,
    *,
    submit: bool = False,
) -> CaseChange:
    """A proxy's filing with the applicant block taken from the authorization's resident: a
    draft, or with ``submit`` filed and submitted as one unit of work.

    The proxy desk never holds the resident's full ID number: it sends the form without the
    applicant block, and ``intake.create_proxy_draft`` fills it from the signed 代办委托书 in
    the same transaction that checks the authorization and the item.
    """
    from app.cases import intake  # intake → decisions → this module: import when called

    _require_proxy(actor)
    return intake.create_proxy_draft(
        ctx, actor, item_id, form_data, authorization_id, submit=submit
    )


@dataclass(frozen=True)
class ReadyToCollect:
    """A filing whose result waits at the delivery window, and the authorization to bring."""

    case_id: int
    receipt_no: str
    item_name: str
    resident_name: str
    authorization_no: str
    may_collect: bool


@reads
def ready_to_collect(session: Session, actor: Actor) -> list[ReadyToCollect]:
    """The proxy's own filings in 待出件, oldest first."""
    _require_proxy(actor)
    rows = session.execute(
        select(Case, Item.name, Applicant.name, ProxyAuthorization)
        .join(Item, Item.id == Case.item_id)
        .join(Applicant, Applicant.id == Case.applicant_id)
        .join(ProxyAuthorization, ProxyAuthorization.id == Case.authorization_id)
        .where(
            Case.proxy_user_id == actor.user_id,
            Case.state == CaseState.AWAITING_DELIVERY.value,
        )
        .order_by(Case.id)
    ).all()
    return [
        ReadyToCollect(
            case.id,
            case.official_no or case.receipt_no,
            item_name,
            name,
            auth.authorization_no,
            auth.may_collect,
        )
        for case, item_name, name, auth in rows
    ]
