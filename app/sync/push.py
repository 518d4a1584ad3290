"""Pushing the outbox: the oldest pending operations, in one batch, and what the county said.

Sent in the order they were queued, so the actions of one case go up first in, first out; the
county answers each: applied or replayed → acknowledged (the action is confirmed at its county
sequence, and the case takes its 办件编号); conflict or rejected → parked, with the reason, for a
person to resolve. Nothing is ever dropped. When the county cannot be reached the rows stay
pending and the error says so (the caller retries later).

Case actions, the admin's account operations, proxy authorizations and 好差评 (evaluations and
the steps of their rectification tasks) go up; an answer to any but a case action only acks or
parks its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Text, bindparam, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from app import settings
from app.cases.log import PARKED
from app.evaluations.wire import EVALUATION_KINDS
from app.outbox.envelope import ACCOUNT_KINDS, AUTHORIZATION, CASE_ACTION, REFEED
from app.sync.failpoints import reached
from app.sync.gaps import GAP, Gaps
from app.sync.protocol import OpAnswer
from app.sync.transport import Transport
from db.models import ActionConfirmation, Case, OutboxEntry
from db.store import Store

PENDING, ACKED = "pending", "acked"
# What goes up: everything the outbox holds (``enqueue`` callers: cases, accounts, authorizations,
# evaluations). The county's own actions kept here (REFEED) go up only after a restore queued them
# again.
SENT_KINDS = frozenset({CASE_ACTION, AUTHORIZATION, REFEED} | ACCOUNT_KINDS | EVALUATION_KINDS)
BATCH = 500  # the most the county takes in one request (protocol.MAX_BATCH)
Sent = Row[int, str, int | None, int | None]  # an outbox row sent: id, op_id, case, action


@dataclass(frozen=True)
class Pushed:
    applied: int
    replayed: int
    parked: int
    cases: frozenset[int] = frozenset()  # this store's ids of the cases the answers touched
    waiting: int = 0  # E409-GAP: kept queued until the county has what comes before (gaps.py)
    parked_cases: frozenset[int] = frozenset()  # cases with an action parked: fold them again

    @property
    def sent(self) -> int:
        return self.applied + self.replayed + self.parked

    def plus(self, other: Pushed) -> Pushed:
        return Pushed(
            self.applied + other.applied,
            self.replayed + other.replayed,
            self.parked + other.parked,
            self.cases | other.cases,
            self.waiting + other.waiting,
            self.parked_cases | other.parked_cases,
        )


def push_pending(store: Store, transport: Transport, *, batch: int = BATCH) -> Pushed:
    """Push one batch of pending case actions and record the answers (one transaction)."""
    epoch = _epoch(store)
    rows = _pending(store, after=0, batch=batch)
    if not rows:
        return Pushed(0, 0, 0)
    return _record(store, rows, transport.push_json(_payloads(rows), epoch).answers)


def push_all(store: Store, transport: Transport, *, batch: int = BATCH) -> Pushed:
    """Push everything pending, in queue order, until a pass over the outbox sends nothing more
    (what is left then waits for the county: ``gaps.py``).

    A pass sends batch after batch and keeps one in flight: while the county judges a batch,
    this workstation reads the next and records the answers to the one before, each in its own
    transaction, in queue order. Nothing is recorded for a batch the county did not answer; if
    the answers to one in flight are never recorded (an error, the PC switched off), it is
    still pending here and sent again, and the county answers ``replayed``."""
    total = Pushed(0, 0, 0)
    while True:
        pushed = _push_pass(store, transport, batch)
        total = total.plus(pushed)
        if pushed.sent == 0:
            return total


def _push_pass(store: Store, transport: Transport, batch: int) -> Pushed:
    epoch = _epoch(store)
    rows = _pending(store, after=0, batch=batch)
    total = Pushed(0, 0, 0)
    if not rows:
        return total
    reached("push.before-send")
    with ThreadPoolExecutor(1, thread_name_prefix="onewindow-push") as sender:
        in_flight = sender.submit(transport.push_json, _payloads(rows), epoch)
        while rows:
            following = _pending(store, after=rows[-1].id, batch=batch)
            answers = in_flight.result().answers  # the county's error: raised, nothing recorded
            reached("push.answered")
            if following:
                in_flight = sender.submit(transport.push_json, _payloads(following), epoch)
            total = total.plus(_record(store, rows, answers))
            rows = following
    return total


def _epoch(store: Store) -> str | None:
    with store.reader() as session:
        return settings.COUNTY_EPOCH.get(session) or None  # a restored county answers 410


def _pending(store: Store, *, after: int, batch: int) -> list[Row[int, str]]:
    """The oldest pending rows queued after ``after``: id, payload (as the JSON stored: it is
    sent as it is, not decoded and encoded again)."""
    with store.reader() as session:
        return list(
            session.execute(
                select(OutboxEntry.id, type_coerce(OutboxEntry.payload, Text))
                .where(
                    OutboxEntry.status == PENDING,
                    OutboxEntry.kind.in_(SENT_KINDS),
                    OutboxEntry.id > after,
                )
                .order_by(OutboxEntry.id)
                .limit(batch)
            )
        )


def _payloads(rows: Sequence[Row[int, str]]) -> list[str]:
    return [payload for _, payload in rows]


def _record(store: Store, rows: Sequence[Row[int, str]], answers: Sequence[OpAnswer]) -> Pushed:
    """Record the county's answers to a batch (one transaction)."""
    with store.session() as session, session.begin():
        ids = [row_id for row_id, _ in rows]
        sent = {
            r.id: r
            for r in session.execute(
                select(
                    OutboxEntry.id, OutboxEntry.op_id, OutboxEntry.case_id, OutboxEntry.action_id
                ).where(OutboxEntry.id.in_(ids))
            )
        }
        gaps = Gaps(session, {r.case_id for r in sent.values() if r.case_id is not None})
        recorded = _Recorded()
        for row_id, answer in zip(ids, answers, strict=True):
            row = sent[row_id]
            assert row.op_id == answer.op_id
            recorded.add(row, answer, gaps)
        recorded.write(session)
    counts = recorded.counts
    return Pushed(
        counts["applied"],
        counts["replayed"],
        counts["parked"],
        frozenset(recorded.cases),
        waiting=counts["waiting"],
        parked_cases=frozenset(recorded.parked_cases),
    )


class _Recorded:
    """What a batch's answers change here, gathered answer by answer and written in a handful of
    statements (not an ORM flush and a query per answer)."""

    def __init__(self) -> None:
        self.counts = {"applied": 0, "replayed": 0, "parked": 0, "waiting": 0}
        self.cases: set[int] = set()
        self.parked_cases: set[int] = set()
        self._acked: list[int] = []
        self._kept: list[dict[str, Any]] = []  # parked or waiting: row_id, row_status, row_error
        self._confirmations: list[dict[str, int]] = []
        self._numbers: dict[int, tuple[str, str | None]] = {}  # case id → 办件编号, its seal

    def add(self, row: Sent, answer: OpAnswer, gaps: Gaps) -> None:
        if row.case_id is not None:
            self.cases.add(row.case_id)
        self.counts[self._outcome(row, answer, gaps)] += 1

    def _outcome(self, row: Sent, answer: OpAnswer, gaps: Gaps) -> str:
        if answer.outcome in ("applied", "replayed"):
            self._acked.append(row.id)
            if row.action_id is not None:  # a case action: confirmed at its county sequence
                assert answer.county_seq is not None
                if not gaps.earlier_unconfirmed(row.action_id):  # else the pull does (gaps.py)
                    if not gaps.is_confirmed(row.action_id):
                        self._confirmations.append(
                            {"action_id": row.action_id, "county_seq": answer.county_seq}
                        )
                    gaps.confirmed(row.action_id)
            if answer.official_no and row.case_id is not None:
                self._numbers[row.case_id] = (answer.official_no, answer.number_seal)
            return answer.outcome
        if answer.outcome == "held":  # numbering held at a restored county: sent again later
            error = f"[{answer.code}] {answer.message}"
            self._kept.append({"row_id": row.id, "row_status": PENDING, "row_error": error})
            return "waiting"
        if (
            answer.code == GAP
            and row.action_id is not None
            and gaps.earlier_unconfirmed(row.action_id)
        ):
            error = f"[{answer.code}] 等待其他工作站补传之前的办理记录：{answer.message}"
            self._kept.append({"row_id": row.id, "row_status": PENDING, "row_error": error})
            return "waiting"  # still queued: sent again at the next sync
        if row.action_id is not None:
            gaps.set_aside(row.action_id)
            if row.case_id is not None:
                self.parked_cases.add(row.case_id)
        error = f"[{answer.code}] {answer.message}"
        self._kept.append({"row_id": row.id, "row_status": PARKED, "row_error": error})
        return "parked"

    def write(self, session: Session) -> None:
        """Each sent row updated once (status, error, attempts); the confirmations inserted; the
        cases that had no 办件编号 yet given theirs."""
        if self._acked:
            session.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id.in_(self._acked))
                .values(status=ACKED, last_error=None, attempts=OutboxEntry.attempts + 1)
            )
        if self._kept:
            session.connection().execute(  # Core: one statement, run once per row
                update(OutboxEntry)
                .where(OutboxEntry.id == bindparam("row_id"))
                .values(
                    status=bindparam("row_status"),
                    last_error=bindparam("row_error"),
                    attempts=OutboxEntry.attempts + 1,
                ),
                self._kept,
            )
        if self._confirmations:  # their epoch: the current one (the column's default)
            session.execute(insert(ActionConfirmation), self._confirmations)
        numbered = {
            case_id: (number, seal)
            for case_id, number, seal in session.execute(
                select(Case.id, Case.official_no, Case.official_no_seal).where(
                    Case.id.in_(self._numbers)
                )
            )
        }
        new = [
            {"id": k, "official_no": number, "official_no_seal": seal or numbered[k][1]}
            for k, (number, seal) in self._numbers.items()
            if numbered[k][0] != number or (seal and numbered[k][1] != seal)
        ]
        if new:
            session.execute(update(Case), new)
