"""Pushing the outbox: the oldest pending operations, in one batch, and what the county said.

Sent in the order they were queued, so the actions of one case go up first in, first out; the
county answers each: applied or replayed → acknowledged (the action is confirmed at its county
sequence, and the case takes its 办件编号); conflict or rejected → parked, with the reason, for a
person to resolve. Nothing is ever dropped. When the county cannot be reached the rows stay
pending and the error says so (the caller retries later).

Case actions, the admin's account operations and proxy authorizations go up.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import settings
from app.cases.log import PARKED
from app.outbox.envelope import ACCOUNT_KINDS, AUTHORIZATION, CASE_ACTION
from app.sync.gaps import GAP, Gaps
from app.sync.protocol import OpAnswer
from app.sync.transport import Transport
from db.models import ActionConfirmation, Case, CaseAction, OutboxEntry
from db.models.sync import current_epoch_id
from db.store import Store

PENDING, ACKED = "pending", "acked"
# What goes up: everything the outbox holds (``enqueue`` callers: cases, accounts, authorizations).
SENT_KINDS = frozenset({CASE_ACTION, AUTHORIZATION} | ACCOUNT_KINDS)
BATCH = 200


@dataclass(frozen=True)
class Pushed:
    applied: int
    replayed: int
    parked: int
    cases: frozenset[int] = frozenset()  # this store's ids of the cases the answers touched
    waiting: int = 0  # E409-GAP: kept queued until the county has what comes before (gaps.py)

    @property
    def sent(self) -> int:
        return self.applied + self.replayed + self.parked


def push_pending(store: Store, transport: Transport, *, batch: int = BATCH) -> Pushed:
    """Push one batch of pending case actions and record the answers (one transaction)."""
    with store.reader() as session:
        rows = session.execute(
            select(OutboxEntry.id, OutboxEntry.payload)
            .where(OutboxEntry.status == PENDING, OutboxEntry.kind.in_(SENT_KINDS))
            .order_by(OutboxEntry.id)
            .limit(batch)
        ).all()
        epoch = settings.COUNTY_EPOCH.get(session) or None  # a restored county answers 410
    if not rows:
        return Pushed(0, 0, 0)
    answers = transport.push([payload for _, payload in rows], epoch).answers
    counts = {"applied": 0, "replayed": 0, "parked": 0, "waiting": 0}
    cases: set[int] = set()
    with store.session() as session, session.begin():
        ids = [row_id for row_id, _ in rows]
        sent = {
            r.id: r for r in session.scalars(select(OutboxEntry).where(OutboxEntry.id.in_(ids)))
        }
        gaps = Gaps(session, {r.case_id for r in sent.values() if r.case_id is not None})
        for (row_id, _), answer in zip(rows, answers, strict=True):
            row = sent[row_id]
            assert row.op_id == answer.op_id
            counts[_record(session, row, answer, gaps)] += 1
            if row.case_id is not None:
                cases.add(row.case_id)
    return Pushed(
        counts["applied"],
        counts["replayed"],
        counts["parked"],
        frozenset(cases),
        waiting=counts["waiting"],
    )


def _record(session: Session, row: OutboxEntry, answer: OpAnswer, gaps: Gaps) -> str:
    row.attempts += 1
    if answer.outcome in ("applied", "replayed"):
        row.status, row.last_error = ACKED, None
        if row.action_id is not None:  # a case action: confirmed at its county sequence
            assert answer.county_seq is not None
            if not gaps.earlier_unconfirmed(row.action_id):  # else the pull does (gaps.py)
                confirm(session, row.action_id, answer.county_seq)
                gaps.confirmed(row.action_id)
        if answer.official_no and row.case_id is not None:
            case = session.get(Case, row.case_id)
            assert case is not None
            case.official_no = answer.official_no
        return answer.outcome
    if answer.code == GAP and row.action_id is not None and gaps.earlier_unconfirmed(row.action_id):
        row.last_error = f"[{answer.code}] 等待其他工作站补传之前的办理记录：{answer.message}"
        return "waiting"  # still queued: sent again at the next sync
    row.status = PARKED
    if row.action_id is not None:
        gaps.set_aside(row.action_id)
    row.last_error = f"[{answer.code}] {answer.message}"
    return "parked"


def confirm(session: Session, action_id: int, county_seq: int) -> None:
    """Record the county's sequence for one of this store's actions (once)."""
    done = session.scalar(
        select(ActionConfirmation.action_id).where(
            ActionConfirmation.action_id == action_id,
            ActionConfirmation.epoch_id == current_epoch_id(),
        )
    )
    if done is None:  # its epoch: the current one (the column's default)
        session.add(ActionConfirmation(action_id=action_id, county_seq=county_seq))


def own_action(session: Session, op_id: str) -> CaseAction | None:
    return session.scalar(select(CaseAction).where(CaseAction.op_id == op_id))
