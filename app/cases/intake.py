"""收件: a walk-in received at the window, or a proxy's filing drafted, submitted and picked up.

The form data is checked against the item's template version (the version is kept with the
case); the materials against the item's list. Nothing is written unless everything passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.actor import Actor, Role
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.cases.decisions import act_in
from app.cases.engine import load_item, perform
from app.cases.numbers import next_receipt_no
from app.catalog.schema import ApplicantKind, FieldType, FormField, FormTemplate
from app.divisions.policy import centre_divisions
from app.errors import NotFound, PermissionDenied, ValidationError
from app.evaluations.query import new_query_password
from app.forms import FormInvalid, check_applicant_block, check_form
from app.outbox.enqueue import enqueue
from app.outbox.envelope import AUTHORIZATION
from app.outbox.ids import new_uid
from app.workflow.fold import local_date
from app.workflow.states import Action
from db.models import (
    Applicant,
    Case,
    FormTemplateVersion,
    Item,
    MaterialReceived,
    ProxyAuthorization,
)


@dataclass(frozen=True)
class MaterialIn:
    """A material handed over at the window: its key in the item's list and how many copies."""

    key: str
    copies: int = 1
    notes: str | None = None


def template_of(session: Session, item: Item) -> tuple[FormTemplateVersion, FormTemplate]:
    row = session.scalars(
        select(FormTemplateVersion).where(
            FormTemplateVersion.template_key == item.template_key,
            FormTemplateVersion.version == item.template_version,
        )
    ).one()
    return row, FormTemplate.model_validate(row.content)


def _active_item(session: Session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None or not item.active:
        raise NotFound("该事项不在当前事项目录中，请重新选择事项。")
    return load_item(session, item_id)


def _checked_form(
    session: Session, template: FormTemplate, form_data: Mapping[str, Any]
) -> dict[str, Any]:
    """The form checked as the window checks it: its 区划代码 against the centre's county."""
    check = check_form(template, form_data, centre_divisions(session).check)
    if not check.ok:
        raise FormInvalid(check.problems)
    return check.cleaned


def _checked_materials(item: Item, materials: Sequence[MaterialIn]) -> list[MaterialIn]:
    known = {m.material_key for m in item.materials}
    seen: set[str] = set()
    for m in materials:
        if m.key not in known:
            raise ValidationError("办理材料", f"“{m.key}”不在本事项的材料清单中。")
        if m.key in seen:
            raise ValidationError("办理材料", "同一材料登记了两次。")
        if m.copies <= 0:
            raise ValidationError("份数", "材料份数必须是正整数。")
        seen.add(m.key)
    return list(materials)


def applicant_from(template: FormTemplate, data: Mapping[str, Any]) -> Applicant:
    spec = template.applicant_field()
    assert spec is not None and spec.type is FieldType.APPLICANT  # the catalogue guarantees one
    block = data[spec.key]
    address = block.get("address") or {}
    return Applicant(
        kind="legal" if block["kind"] == "legal_person" else "natural",
        name=block["name"],
        id_number=block.get("id_number"),
        uscc=block.get("uscc"),
        legal_representative=block.get("legal_representative"),
        phone=block.get("phone"),
        address=address.get("detail"),
        division_code=address.get("division_code"),
    )


def _new_case(
    session: Session,
    actor: Actor,
    item: Item,
    tpl_row: FormTemplateVersion,
    form: dict[str, Any],
    applicant: Applicant,
    now: dt.datetime,
) -> Case:
    session.add(applicant)
    session.flush()
    return Case(
        uid=new_uid(),
        receipt_no=next_receipt_no(
            session,
            settings.TOWN_CODE.get(session),
            settings.WORKSTATION_CODE.get(session),
            local_date(now),
        ),
        item_id=item.id,
        category=item.category,
        template_id=tpl_row.id,
        applicant_id=applicant.id,
        workstation=actor.workstation,
        state="draft",
        form_data=form,
    )


def _record_materials(
    session: Session, case: Case, item: Item, materials: Sequence[MaterialIn], now: dt.datetime
) -> None:
    by_key = {m.material_key: m for m in item.materials}
    existing = {
        m.material_key: m
        for m in session.scalars(
            select(MaterialReceived).where(MaterialReceived.case_id == case.id)
        )
    }
    for m in materials:
        spec = by_key[m.key]
        row = existing.get(m.key) or MaterialReceived(case_id=case.id, material_key=m.key)
        row.name, row.form, row.copies = spec.name, spec.form, m.copies
        row.received_at, row.pending, row.notes = now, False, m.notes
        session.add(row)


def receive_walk_in(
    ctx: CaseContext,
    actor: Actor,
    item_id: int,
    form_data: Mapping[str, Any],
    materials: Sequence[MaterialIn],
) -> CaseChange:
    """A resident at the window: check the form and materials, open the case as 已收件."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        return receive_walk_in_in(session, ctx, actor, item_id, form_data, materials, now)


def receive_walk_in_in(
    session: Session,
    ctx: CaseContext,
    actor: Actor,
    item_id: int,
    form_data: Mapping[str, Any],
    materials: Sequence[MaterialIn],
    now: dt.datetime,
) -> CaseChange:
    """:func:`receive_walk_in` inside the caller's transaction."""
    item = _active_item(session, item_id)
    tpl_row, template = template_of(session, item)
    form = _checked_form(session, template, form_data)
    received = _checked_materials(item, materials)
    case = _new_case(session, actor, item, tpl_row, form, applicant_from(template, form), now)
    change = perform(
        session,
        actor=actor,
        case=case,
        action=Action.RECEIVE,
        payload=_materials_payload(received)
        | {"form_data": form, "query_password": new_query_password()},
        calendar=ctx.calendar,
        now=now,
    )
    _record_materials(session, case, item, received, now)
    return change


def _materials_payload(materials: Sequence[MaterialIn]) -> dict[str, Any]:
    """The materials handed over, as the action records them: keys (what the workflow checks)
    and copies (so the county's copy of the case needs no materials table of ours)."""
    return {
        "materials": [m.key for m in materials],
        "copies": {m.key: m.copies for m in materials},
    }


def create_proxy_draft(
    ctx: CaseContext,
    actor: Actor,
    item_id: int,
    form_data: Mapping[str, Any],
    authorization_id: int,
    *,
    submit: bool = False,
) -> CaseChange:
    """A proxy agent starts a filing on a resident's behalf, under a signed 代办委托书, and with
    ``submit`` sends it to the window in the same transaction (a failed submission leaves no
    draft behind, so a retry never files twice)."""
    if Role.PROXY not in actor.roles:
        raise PermissionDenied("只有代办员可以代为申请。")
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        item = _active_item(session, item_id)
        auth = session.get(ProxyAuthorization, authorization_id)
        _check_authorization(auth, actor, item, local_date(now))
        assert auth is not None
        tpl_row, template = template_of(session, item)
        applicant = session.get(Applicant, auth.applicant_id)
        assert applicant is not None
        form = _checked_form(session, template, _with_resident(template, form_data, applicant))
        case = _new_case(session, actor, item, tpl_row, form, applicant, now)
        case.authorization_id = auth.id
        change = perform(
            session,
            actor=actor,
            case=case,
            action=Action.CREATE_DRAFT,
            payload={
                "proxy": actor.username,
                "authorization_no": auth.authorization_no,
                "form_data": form,
                "query_password": new_query_password(),
            },
            calendar=ctx.calendar,
            now=now,
        )
        if submit:
            change = act_in(session, ctx, actor, change.case_id, Action.SUBMIT, {}, now)
        return change


def _with_resident(
    template: FormTemplate, form_data: Mapping[str, Any], resident: Applicant
) -> Mapping[str, Any]:
    """The form with its applicant block naming the authorization's resident: the applicant of
    a proxy's filing is always the resident who signed (the case's applicant row is theirs, and
    another workstation rebuilds the applicant from this block). The proxy desk never holds the
    resident's full ID number, so it leaves the block out; a block naming someone else is
    replaced; one naming the resident keeps what else it carries (an address)."""
    spec = template.applicant_field()
    if spec is None:
        return form_data
    given = form_data.get(spec.key)
    same = isinstance(given, Mapping) and given.get("id_number") == resident.id_number
    block = {
        **(given if same and isinstance(given, Mapping) else {}),
        "kind": "natural_person",
        "name": resident.name,
        "id_number": resident.id_number or "",
        "phone": resident.phone or "",
    }
    return {**form_data, spec.key: block}


def _check_authorization(
    auth: ProxyAuthorization | None, actor: Actor, item: Item, today: dt.date
) -> None:
    if auth is None or auth.proxy_user_id != actor.user_id:
        raise ValidationError("代办委托书", "找不到您名下的这份代办委托书。")
    if not auth.valid_from <= today <= auth.valid_until:
        raise ValidationError("代办委托书", "代办委托书不在有效期内，请重新签署。")
    if item.code not in auth.matters:
        raise ValidationError("代办委托书", f"代办委托书未委托办理“{item.name}”。")


@dataclass(frozen=True)
class Registered:
    """A 代办委托书 just on file: its id here and its number (what the resident brings)."""

    authorization_id: int
    authorization_no: str


def register_authorization(
    ctx: CaseContext,
    actor: Actor,
    resident: Mapping[str, Any],
    matters: Sequence[str],
    valid_until: dt.date,
    *,
    may_collect: bool = True,
) -> Registered:
    """Record a signed 代办委托书 (resident → this proxy): its id and the number to print."""
    if Role.PROXY not in actor.roles:
        raise PermissionDenied("只有代办员可以登记代办委托。")
    if not matters:
        raise ValidationError("委托事项", "请写明委托办理的事项（不得“全权委托”）。")
    now = ctx.clock()
    today = local_date(now)
    if valid_until < today:
        raise ValidationError("委托期限", "委托期限不能早于今天。")

    spec = FormField(
        key="resident",
        label="委托人",
        type=FieldType.APPLICANT,
        applicant_kinds=[ApplicantKind.NATURAL_PERSON],
    )
    error, _, block = check_applicant_block(spec, {**resident, "kind": "natural_person"})
    if error:
        raise ValidationError("委托人", error)
    with ctx.sessions() as session, session.begin():
        applicant = Applicant(
            kind="natural", name=block["name"], id_number=block["id_number"], phone=block["phone"]
        )
        session.add(applicant)
        session.flush()
        count = session.query(ProxyAuthorization).count()
        auth = ProxyAuthorization(
            authorization_no=f"WT-{actor.workstation}-{today:%Y%m%d}-{count + 1:05d}",
            proxy_user_id=actor.user_id,
            applicant_id=applicant.id,
            matters=list(matters),
            may_collect=may_collect,
            valid_from=today,
            valid_until=valid_until,
            signed_on=today,
        )
        session.add(auth)
        session.flush()
        enqueue(
            session,
            actor,
            AUTHORIZATION,
            auth.authorization_no,
            {
                "authorization_no": auth.authorization_no,
                "proxy": actor.username,
                "resident": block,
                "matters": auth.matters,
                "may_collect": may_collect,
                "valid_from": today.isoformat(),
                "valid_until": valid_until.isoformat(),
                "signed_on": today.isoformat(),
            },
            now=now,
        )
        return Registered(auth.id, auth.authorization_no)


def submit(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        return act_in(session, ctx, actor, case_id, Action.SUBMIT, {}, now)


def receive_submitted(
    ctx: CaseContext, actor: Actor, case_id: int, materials: Sequence[MaterialIn]
) -> CaseChange:
    """The proxy's filing reaches the window with its paper materials: 收件."""
    return _take_materials(ctx, actor, case_id, Action.RECEIVE, materials)


def supplement(
    ctx: CaseContext, actor: Actor, case_id: int, materials: Sequence[MaterialIn]
) -> CaseChange:
    """补正收件: the materials named in the one-time notice arrive; back to 已收件."""
    return _take_materials(ctx, actor, case_id, Action.SUPPLEMENT, materials)


def _take_materials(
    ctx: CaseContext, actor: Actor, case_id: int, action: Action, materials: Sequence[MaterialIn]
) -> CaseChange:
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        return take_materials_in(session, ctx, actor, case_id, action, materials, now)


def take_materials_in(
    session: Session,
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    action: Action,
    materials: Sequence[MaterialIn],
    now: dt.datetime,
) -> CaseChange:
    """An action that hands materials over at the window, in the caller's transaction: checked
    before, recorded after."""
    if action is Action.SUPPLEMENT and not materials:
        raise ValidationError("补正材料", "请登记收到的补正材料。")

    def check(session: Session, case: Case, now: dt.datetime) -> None:
        _checked_materials(load_item(session, case.item_id), materials)

    def record(session: Session, case: Case, now: dt.datetime) -> None:
        _record_materials(session, case, load_item(session, case.item_id), materials, now)

    return act_in(
        session,
        ctx,
        actor,
        case_id,
        action,
        _materials_payload(materials),
        now,
        before=check,
        after=record,
    )
