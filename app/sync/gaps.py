"""After the county is restored from a backup, the actions of a case may reach it again out of
this workstation's order: each workstation re-sends its own, in whatever order they sync.

An action the county found ahead of its log (``E409-GAP``: its base counts actions the county
does not have) follows another workstation's lost one. It stays queued (not parked) while an
earlier action of its case here is still on its way to the county — confirmed in no current
epoch and not set aside — and is sent again at the next sync. When nothing earlier can come any
more (an earlier action of ours was parked or withdrawn, or another's was overtaken: the restored
county confirmed a different action at the sequence it once had), it is parked like any other
conflict.

An action the county applied while an earlier one of its case is not yet confirmed here is
acknowledged but not yet confirmed: the pull confirms both, in county order, so the confirmed
actions of a case always run 1, 2, 3… and the fold (``app/cases/log.py``) stays right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cases.log import SET_ASIDE, confirmed_now
from db.models import ActionConfirmation, CaseAction, OutboxEntry

GAP = "E409-GAP"


class Gaps:
    """Which actions of a push batch's cases are still unconfirmed here, read in one query and
    kept up to date as the batch's answers are recorded (``confirmed``, ``set_aside``) — rather
    than one flush and one query per answer."""

    def __init__(self, session: Session, case_ids: Iterable[int]) -> None:
        self._cases: dict[int, list[tuple[int, int]]] = defaultdict(list)  # case → (seq, id)
        self._where: dict[int, tuple[int, int]] = {}  # action → (case, seq)
        self._open: set[int] = set()  # unconfirmed in the current epoch and not set aside
        self._confirmed: set[int] = set()  # confirmed in the current epoch
        rows = session.execute(
            select(CaseAction.id, CaseAction.case_id, CaseAction.seq, ActionConfirmation.action_id)
            .add_columns(OutboxEntry.status)
            .select_from(CaseAction)
            .outerjoin(ActionConfirmation, confirmed_now())
            .outerjoin(OutboxEntry, OutboxEntry.action_id == CaseAction.id)
            .where(CaseAction.case_id.in_(set(case_ids)))
        )
        for action_id, case_id, seq, confirmation, status in rows:
            if action_id not in self._where:
                self._cases[case_id].append((seq, action_id))
                self._where[action_id] = (case_id, seq)
            if confirmation is not None:
                self._confirmed.add(action_id)
            elif status not in SET_ASIDE:
                self._open.add(action_id)
        self._open -= _overtaken(session, self._open, self._where)

    def earlier_unconfirmed(self, action_id: int) -> bool:
        """Whether an earlier action of the case is not yet confirmed in the current epoch here
        but may still be (not set aside)."""
        case_id, seq = self._where[action_id]
        return any(a in self._open for s, a in self._cases[case_id] if s < seq)

    def is_confirmed(self, action_id: int) -> bool:
        """Whether the action is confirmed in the current epoch here (so not again)."""
        return action_id in self._confirmed

    def confirmed(self, action_id: int) -> None:
        self._open.discard(action_id)
        self._confirmed.add(action_id)

    def set_aside(self, action_id: int) -> None:
        self._open.discard(action_id)


def _overtaken(
    session: Session, unconfirmed: set[int], where: dict[int, tuple[int, int]]
) -> set[int]:
    """Of actions unconfirmed in the current epoch, those that can no longer come: the county
    confirmed them in an earlier epoch at a sequence another action of the case now holds (the
    restored county moved on without them; their owner's re-send is refused as stale)."""
    if not unconfirmed:
        return set()
    earlier = dict(
        session.execute(
            select(ActionConfirmation.action_id, func.max(ActionConfirmation.county_seq))
            .where(ActionConfirmation.action_id.in_(unconfirmed))
            .group_by(ActionConfirmation.action_id)
        ).all()
    )
    if not earlier:
        return set()
    cases = {where[a][0] for a in earlier}
    taken = set(
        session.execute(
            select(CaseAction.case_id, ActionConfirmation.county_seq)
            .join(ActionConfirmation, confirmed_now())
            .where(CaseAction.case_id.in_(cases))
        ).all()
    )
    return {a for a, seq in earlier.items() if (where[a][0], seq) in taken}
