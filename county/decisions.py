"""The county's own work on a case the town reported: its decision (准予 / 不予, with the result
number and its opinion) or returning the case to the town. Recorded as the county's action in the
case's log — judged by the same transition table and guards, by the county role — so every
workstation of the centre pulls it like any other."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.outbox.envelope import ActorRef, CaseActionEnvelope, CaseRef
from app.outbox.ids import new_uid
from app.sync.protocol import OpAnswer
from app.workcalendar import WorkCalendar
from app.workflow.states import Action
from county.apply import judge, payload_hash
from county.lock import one_at_a_time
from county.seals import COUNTY_STATION
from county.store.models import CaseActionRow, CountyCase, ItemVersion


class UnknownCase(LookupError):
    pass


def county_decision(
    session: Session,
    number: str,
    *,
    approve: bool | None,
    opinion: str,
    result_no: str = "",
    by: str,
    calendar: WorkCalendar,
    now: dt.datetime,
) -> OpAnswer:
    """Decide (``approve`` True / False) or, with ``approve`` None, return the case to the town.
    ``number`` is its 办件编号 or its 收件号. Inside the caller's transaction."""
    one_at_a_time(session)
    case = session.scalar(
        select(CountyCase).where(
            or_(CountyCase.official_no == number, CountyCase.receipt_no == number)
        )
    )
    if case is None:
        raise UnknownCase(f"县级系统中没有编号为 {number} 的办件。")
    version = session.get(ItemVersion, case.item_version_id)
    assert version is not None
    payload: dict[str, Any]
    if approve is None:
        action, payload = Action.COUNTY_RETURNED, {"reason": opinion}
    else:
        action = Action.DECIDE
        payload = {
            "result": "approved" if approve else "denied",
            "result_no": result_no or None,
            "reasons": [] if approve else [opinion],
            "decided_by": "county",
            "opinion": opinion,
        }
    envelope = CaseActionEnvelope(
        op_id=new_uid(),
        key=case.uid,
        occurred_at=now,
        actor=ActorRef(username=by, role=Role.COUNTY.value),
        workstation=COUNTY_STATION,
        centre=case.centre_code,
        payload=payload,
        case=CaseRef(
            uid=case.uid,
            receipt_no=case.receipt_no,
            item_code=version.code,
            item_version=version.content_hash,
            template_key=case.template_key,
            template_version=case.template_version,
        ),
        base_seq=case.seq,
        seq=case.seq + 1,
        after=session.scalar(
            select(CaseActionRow.op_id).where(
                CaseActionRow.case_id == case.id, CaseActionRow.county_seq == case.seq
            )
        ),
        action=action.value,
        from_state=case.state,
        to_state="in_review" if approve is None else "decided",
    )
    staff = Actor(0, by, by, frozenset({Role.COUNTY}), COUNTY_STATION)
    raw = envelope.model_dump(mode="json")
    return judge(
        session, case.centre_code, staff, envelope, raw, calendar, digest=payload_hash(raw)
    )
