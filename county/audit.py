"""The county's record of county-level work: who did what to which subject, and when. Written in
the transaction of the write it records; never changed afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from county.store.models import CountyAuditRow


def record(
    session: Session,
    actor: str,
    action: str,
    subject: str,
    detail: dict[str, Any],
    now: dt.datetime,
) -> None:
    session.add(CountyAuditRow(at=now, actor=actor, action=action, subject=subject, detail=detail))
