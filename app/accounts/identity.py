"""Full ID numbers: masked everywhere, shown in full only to roles that need them, and every full
view logged (DESIGN §4, §8).

Screens and documents use :func:`masked` (first 6 + last 4). A full number is fetched only through
:func:`reveal_id_number`, which checks :attr:`Permission.VIEW_FULL_ID` (clerk, approver,
supervisor — never a proxy agent) and writes a ``full_id_view`` audit entry naming the applicant
and the purpose, never the number. Which cases a proxy may see at all is the workflow's rule.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.actor import Actor
from app.audit import AuditEvent, authorize, find_personal_data, record_for
from app.errors import NotFound, ValidationError
from app.permissions import Permission
from app.units.declare import writes
from app.validators import mask_id_number
from db.models import Applicant

__all__ = ["MAX_PURPOSE_LENGTH", "masked", "reveal_id_number"]

MAX_PURPOSE_LENGTH = 100


def masked(id_number: str) -> str:
    """``110105********1234``: the only form an ID number takes on screens and paper."""
    return mask_id_number(id_number)


@writes
def reveal_id_number(session: Session, actor: Actor, applicant_id: int, *, purpose: str) -> str:
    """The applicant's full ID number, for a stated purpose (e.g. 核验身份, 录入县级系统).

    One unit of work: the view is committed to the audit log before the number is returned. A
    refused attempt is audited too.
    """
    reason = purpose.strip()
    if not reason:
        raise ValidationError("查看原因", "请填写查看完整身份证号的原因")
    if len(reason) > MAX_PURPOSE_LENGTH:
        raise ValidationError("查看原因", f"查看原因不能超过{MAX_PURPOSE_LENGTH}个字符")
    if find_personal_data(reason) is not None:
        raise ValidationError("查看原因", "查看原因中请勿填写身份证号、电话号码等个人信息")
    subject = f"applicant:{applicant_id}"
    authorize(session, actor, Permission.VIEW_FULL_ID, subject=subject)
    with session.begin():
        applicant = session.get(Applicant, applicant_id)
        if applicant is None:
            raise NotFound(f"申请人不存在（编号 {applicant_id}）")
        if not applicant.id_number:
            raise NotFound("该申请人没有登记居民身份证号")
        record_for(session, actor, AuditEvent.FULL_ID_VIEW, subject, {"purpose": reason})
        return applicant.id_number
