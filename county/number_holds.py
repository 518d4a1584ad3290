"""The county administrator's view of numbering held after a restore (``county/numbers.py``):
which workstations have yet to give back their 办件编号, and letting one go (a PC that was lost
or broken will never give back; its numbers, if any were printed, are then the centre's to sort
out by hand)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from county.audit import record
from county.store.models import NumberHold
from db.base import utcnow


def holds(session: Session) -> dict[str, list[str]]:
    """The workstations yet to give back, by centre."""
    waiting: dict[str, list[str]] = {}
    for centre, code in session.execute(
        select(NumberHold.centre_code, NumberHold.workstation_code).order_by(
            NumberHold.centre_code, NumberHold.workstation_code
        )
    ):
        waiting.setdefault(centre, []).append(code)
    return waiting


def let_go(session: Session, centre: str, code: str) -> bool:
    """Stop waiting for one workstation (it gave its numbers back, or it is let go); False if
    it was not waited for."""
    held = NumberHold.centre_code == centre, NumberHold.workstation_code == code
    if session.scalar(select(NumberHold.since).where(*held)) is None:
        return False
    session.execute(delete(NumberHold).where(*held))
    return True


def release(session: Session, centre: str, code: str) -> bool:
    """The administrator lets one workstation go (audited); False if it was not waited for."""
    if not let_go(session, centre, code):
        return False
    record(session, "administrator", "numbers.release", f"{centre}/{code}", {}, utcnow())
    return True
