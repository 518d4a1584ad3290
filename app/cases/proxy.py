"""Proxy authorizations (代办委托) at the delivery window."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from db.models import Case, ProxyAuthorization


def check_collection_authority(session: Session, case: Case, authorization_no: str) -> None:
    """The authorization must be this case's, and must allow collecting results (代领)."""
    auth = session.scalars(
        select(ProxyAuthorization).where(ProxyAuthorization.authorization_no == authorization_no)
    ).first()
    if auth is None or auth.applicant_id != case.applicant_id:
        raise ValidationError("代办委托书编号", "委托书与本办件的申请人不符，不能代领。")
    if not auth.may_collect:
        raise ValidationError("代办委托书编号", "该委托书未授权代领办理结果。")
