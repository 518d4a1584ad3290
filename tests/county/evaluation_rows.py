"""County rows written directly, for the 好差评 export and default tests: a centre, two item
versions (one with a 实施编码), cases with fixed numbers and states, their window actions with
fixed times — so what the export writes can be pinned by a hand-written fixture."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.evaluations.levels import Channel, Level, Reason, Service
from app.evaluations.wire import EvaluationTerms
from county.evaluations import add_evaluation
from county.store.models import CaseActionRow, Centre, CountyCase, CountyEvaluation, ItemVersion

TOWN = "511899101000"
IMPLEMENTATION = "11511899MB1234567X4511899003000"  # 31: 信用代码 + 层级 + 基本编码


def uid(n: int) -> str:
    """A fixed uid, readable in the fixture: 00000000-0000-4000-8000-0000000000nn."""
    return str(uuid.UUID(f"00000000-0000-4000-8000-{n:012d}"))


def seed(session: Session) -> tuple[ItemVersion, ItemVersion]:
    session.add(Centre(code=TOWN, name="清河镇便民服务中心"))
    with_code = ItemVersion(
        code="511899-XK-0003", content_hash="a" * 64, implementation_code=IMPLEMENTATION, detail={}
    )
    bare = ItemVersion(code="511899-GG-0007", content_hash="b" * 64, detail={})
    session.add_all([with_code, bare])
    session.flush()
    return with_code, bare


def case(
    session: Session,
    n: int,
    version: ItemVersion,
    *,
    state: str,
    receipt_no: str,
    official_no: str | None,
) -> CountyCase:
    row = CountyCase(
        uid=uid(n),
        centre_code=TOWN,
        receipt_no=receipt_no,
        official_no=official_no,
        item_version_id=version.id,
        template_key="t",
        template_version=1,
        state=state,
        opened_at="W01",
    )
    session.add(row)
    session.flush()
    return row


def action(
    session: Session,
    of: CountyCase,
    seq: int,
    name: str,
    at: dt.datetime,
    *,
    n: int,
    actor: str = "clerk",
    workstation: str = "W01",
) -> str:
    """A window action of ``of`` at county sequence ``seq``; its op_id (``uid(n)``)."""
    op_id = uid(n)
    envelope: dict[str, Any] = {
        "op_id": op_id,
        "kind": "case.action",
        "action": name,
        "occurred_at": at.isoformat(),
        "actor": {"username": actor, "role": "clerk"},
        "workstation": workstation,
        "centre": TOWN,
        "case": {"uid": of.uid},
    }
    session.add(
        CaseActionRow(
            op_id=op_id,
            payload_hash="0" * 64,
            case_id=of.id,
            centre_code=TOWN,
            county_seq=seq,
            envelope=envelope,
        )
    )
    of.seq = max(of.seq, seq)
    session.flush()
    return op_id


def rate(
    session: Session,
    of: CountyCase,
    n: int,
    level: Level,
    at: dt.datetime,
    *,
    service: Service = Service.INTAKE,
    service_op_id: str | None = None,
    channel: Channel = Channel.WINDOW,
    reasons: tuple[Reason, ...] = (),
    text: str = "",
) -> CountyEvaluation:
    return add_evaluation(
        session,
        of,
        EvaluationTerms(
            uid=uid(n),
            case_uid=of.uid,
            service=service,
            service_op_id=service_op_id,
            channel=channel,
            level=level,
            reasons=reasons,
            text=text,
            staff="clerk",
            window="W01",
            assessed_at=at,
        ),
    )
