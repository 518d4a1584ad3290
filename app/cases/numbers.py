"""Provisional 收件号: town code + workstation + date + serial, made offline, never colliding.

Two workstations never share a prefix (the workstation code is part of it), and within one
workstation the serial is taken inside the writing transaction, which SQLite serialises.
The county's 办件编号 replaces it on sync (DESIGN §7).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Case


def receipt_prefix(town_code: str, workstation: str, day: dt.date) -> str:
    return f"{town_code}-{workstation}-{day:%Y%m%d}-"


def next_receipt_no(session: Session, town_code: str, workstation: str, day: dt.date) -> str:
    prefix = receipt_prefix(town_code, workstation, day)
    last = session.scalar(
        select(func.max(Case.receipt_no)).where(
            Case.receipt_no >= prefix, Case.receipt_no < prefix + "\uffff"
        )
    )
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:04d}"
