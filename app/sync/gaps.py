"""After the county is restored from a backup, the actions of a case may reach it again out of
this workstation's order: each workstation re-sends its own, in whatever order they sync.

An action the county found ahead of its log (``E409-GAP``: its base counts actions the county
does not have) follows another workstation's lost one. It stays queued (not parked) while an
earlier action of its case here is still on its way to the county — confirmed in no current
epoch and not set aside — and is sent again at the next sync. When nothing earlier can come any
more (an earlier action of ours was parked or withdrawn), it is parked like any other conflict.

An action the county applied while an earlier one of its case is not yet confirmed here is
acknowledged but not yet confirmed: the pull confirms both, in county order, so the confirmed
actions of a case always run 1, 2, 3… and the fold (``app/cases/log.py``) stays right.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.log import SET_ASIDE, confirmed_now
from db.models import ActionConfirmation, CaseAction, OutboxEntry

GAP = "E409-GAP"


def earlier_unconfirmed(session: Session, action_id: int) -> bool:
    """Whether an earlier action of the case is not yet confirmed in the current epoch here but
    may still be (not set aside)."""
    action = session.get(CaseAction, action_id)
    assert action is not None
    session.flush()  # the answers recorded so far in this batch count
    earlier = session.execute(
        select(CaseAction.id, OutboxEntry.status)
        .select_from(CaseAction)
        .outerjoin(ActionConfirmation, confirmed_now())
        .outerjoin(OutboxEntry, OutboxEntry.action_id == CaseAction.id)
        .where(
            CaseAction.case_id == action.case_id,
            CaseAction.seq < action.seq,
            ActionConfirmation.action_id.is_(None),
        )
    ).all()
    return any(status not in SET_ASIDE for _, status in earlier)
