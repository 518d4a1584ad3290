"""出件 at the window: checking that the person collecting a result is the applicant.

The clerk types the collector's name and ID number from the card in front of them; the check
compares them with the applicant on record. Only the masked number is ever returned, stored in
the case's delivery record or put in a message: the full number stays in this function.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.accounts.identity import masked
from app.actor import Actor
from app.cases.access import check_visible
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.cases.decisions import act, get_case
from app.cases.proxy import check_collection_authority
from app.errors import NotFound, ValidationError
from app.permissions import Permission, require
from app.validators import check_id_number, normalize_text
from app.workflow.states import Action
from db.models import Applicant, Case

NAME_FIELD = "领取人姓名"
ID_FIELD = "领取人身份证号"


def check_collector(session: Session, actor: Actor, case_id: int, name: str, id_number: str) -> str:
    """The collector's masked ID number when they are the applicant (本人领取).

    A natural person collects with their own ID card; for a legal person the collector must be
    its registered legal representative (whose card number is checked for form only, since the
    register holds no number for them). Raises :class:`ValidationError` naming 领取人姓名 or
    领取人身份证号 otherwise.
    """
    case = get_case(session, case_id)
    check_visible(actor, case)
    require(actor, Permission.VIEW_FULL_ID)  # comparing with the full number on record
    collector = normalize_text(name)
    if not collector:
        raise ValidationError(NAME_FIELD, f"请填写{NAME_FIELD}。")
    typed = check_id_number(id_number, ID_FIELD).raise_for_error()
    applicant = session.get(Applicant, case.applicant_id)
    if applicant is None:
        raise NotFound("找不到该办件的申请人。")
    if applicant.id_number:
        if typed != normalize_text(applicant.id_number):
            raise ValidationError(
                ID_FIELD,
                f"{ID_FIELD}与申请人（{masked(applicant.id_number)}）不符，不能本人领取；"
                "他人代领请凭代办委托书选择“代办员代领”。",
            )
        if collector != normalize_text(applicant.name):
            raise ValidationError(NAME_FIELD, f"{NAME_FIELD}与申请人姓名不符，请核对身份证件。")
    else:
        representative = normalize_text(applicant.legal_representative or "")
        if not representative or collector != representative:
            raise ValidationError(
                NAME_FIELD, f"申请人为单位，{NAME_FIELD}须为登记的法定代表人，请核对。"
            )
    return masked(typed)


def deliver_to_applicant(
    ctx: CaseContext, actor: Actor, case_id: int, name: str, id_number: str
) -> CaseChange:
    """本人领取: check the collector against the applicant, then deliver, in one transaction
    (a refused check writes nothing). The delivery record keeps the masked number only."""

    def verify(session: Session, case: Case, now: datetime) -> None:
        check_collector(session, actor, case.id, name, id_number)

    return act(
        ctx,
        actor,
        case_id,
        Action.DELIVER,
        {"method": "window", "collector_name": name.strip(), "collector_id": masked(id_number)},
        before=verify,
    )


def deliver_to_proxy(
    ctx: CaseContext, actor: Actor, case_id: int, proxy_name: str, authorization_no: str
) -> CaseChange:
    """代领: the proxy collects under a 代办委托书 that allows collection."""

    def check_authority(session: Session, case: Case, now: datetime) -> None:
        check_collection_authority(session, case, authorization_no)

    return act(
        ctx,
        actor,
        case_id,
        Action.DELIVER,
        {"method": "proxy", "collector_name": proxy_name, "authorization_no": authorization_no},
        before=check_authority,
    )
