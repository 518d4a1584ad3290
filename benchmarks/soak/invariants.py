"""What must hold after a soak run is healed and synced until quiet, checked against the county's
store and every workstation's.

- **lost**: an action committed at a workstation that is neither in the county's log nor parked
  (or withdrawn) at its workstation with a reason a person can read;
- **duplicated**: an action both applied and parked (a person would take it again); an op_id
  or a county sequence twice in a case's log (the county's constraints forbid both, and the
  check does not rely on them);
- **diverged**: a workstation's confirmed log of a case not the county's; a projection not the
  fold of its log; a workstation's order of its own actions not the county's; a case of the
  centre missing at a workstation; a cursor that went backwards; a 办件编号 that changed once a
  workstation had it, or differs from the county's; an audit chain that does not verify;
- **overwritten**: a county decision gone from the county's log or moved (unless a restore of an
  older backup took it), or a case's county log that is not one chain of legal steps.

``parked`` counts the actions waiting for a person (expected work, not a failure).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app import audit
from app.cases.engine import project, projection_matches
from app.cases.log import PARKED, WITHDRAWN, confirmed_now
from app.outbox.envelope import CASE_ACTION
from benchmarks.soak.world import Workstation, World
from county.store.models import AppliedOp, CaseActionRow, CountyCase
from db.models import ActionConfirmation, Case, CaseAction, OutboxEntry

SET_ASIDE = frozenset({PARKED, WITHDRAWN})


@dataclass
class History:
    """What the run saw along the way: each workstation's cursors and 办件编号 after each sync,
    and the county's own decisions (op_id → case uid, county sequence)."""

    cursors: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    numbers: dict[str, dict[str, str]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # by workstation and case: the number first seen
    decisions: dict[str, tuple[str, int]] = field(default_factory=dict)
    restored_after: set[str] = field(default_factory=set)  # decisions an older backup lacks
    problems: list[str] = field(default_factory=list)  # seen along the way
    restores: int = 0  # county restores so far
    # 办件编号 a workstation saw change (printed once, it must never change; a restore of the
    # county in between is no excuse: county/numbers.py)
    renumbered: list[str] = field(default_factory=list)

    def saw(self, station: Workstation) -> None:
        """After each of ``station``'s syncs (crashed or not)."""
        from app import settings

        with station.store.reader() as session:
            cursor = settings.SYNC_CURSOR.get(session)
            epoch = settings.COUNTY_EPOCH.get(session)
            numbered = session.execute(
                select(Case.uid, Case.official_no).where(Case.official_no.is_not(None))
            ).all()
        seen = self.cursors[station.code]
        if seen and seen[-1][0] == epoch and cursor < seen[-1][1]:
            self.problems.append(
                f"diverged: {station.code}'s cursor went back {seen[-1][1]} → {cursor}"
            )
        seen.append((epoch, cursor))
        had = self.numbers[station.code]
        for uid, number in numbered:
            if number is None:
                continue
            if uid not in had:
                had[uid] = number
            elif had[uid] != number:
                what = f"{station.code}'s 办件编号 of {uid} changed {had[uid]} → {number}"
                self.renumbered.append(f"{what} ({self.restores} restores so far)")
                had[uid] = number


@dataclass
class Verdict:
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)
    parked: int = 0
    errors: list[str] = field(default_factory=list)  # the run raised (a bug, not a verdict)
    renumbered: list[str] = field(default_factory=list)  # a printed 办件编号 changed

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.duplicated
            or self.diverged
            or self.overwritten
            or self.renumbered
            or self.errors
        )

    def problems(self) -> list[str]:
        return [
            *(f"lost: {p}" for p in self.lost),
            *(f"duplicated: {p}" for p in self.duplicated),
            *(f"diverged: {p}" for p in self.diverged),
            *(f"overwritten: {p}" for p in self.overwritten),
            *(f"renumbered: {p}" for p in self.renumbered),
            *(f"error: {p}" for p in self.errors),
        ]


@dataclass(frozen=True)
class _Applied:
    uid: str
    seq: int
    workstation: str
    envelope: dict[str, Any]


def check(world: World, history: History) -> Verdict:
    verdict = Verdict()
    for problem in history.problems:
        kind, _, text = problem.partition(": ")
        getattr(verdict, kind).append(text)
    verdict.renumbered = list(history.renumbered)
    applied, numbers, states, opened = _county(world, verdict)
    others = _others(world)
    _county_chains(applied, states, history, verdict)
    for station in world.stations.values():
        scope = {u for u, at in opened.items() if station.whole_centre or at == station.code}
        _station(station, applied, others, numbers, scope, verdict)
    return verdict


def _county(
    world: World, verdict: Verdict
) -> tuple[dict[str, _Applied], dict[str, str | None], dict[str, str], dict[str, str | None]]:
    store = world.county_store()
    try:
        with store.sessions() as session:
            rows = session.execute(
                select(CaseActionRow.op_id, CountyCase.uid, CaseActionRow.county_seq,
                       CaseActionRow.envelope)
                .join(CountyCase, CountyCase.id == CaseActionRow.case_id)
            ).all()  # fmt: skip
            cases = session.execute(
                select(
                    CountyCase.uid, CountyCase.official_no, CountyCase.state, CountyCase.opened_at
                )
            ).all()
    finally:
        store.close()
    applied = {
        op_id: _Applied(uid, seq, str(envelope.get("workstation")), envelope)
        for op_id, uid, seq, envelope in rows
    }
    numbers = [n for _, n, _, _ in cases if n is not None]
    if len(set(numbers)) != len(numbers):
        verdict.duplicated.append(
            f"a 办件编号 issued twice: {sorted(numbers)}"
        )  # (a constraint too)
    opened = {u: o for u, _, _, o in cases}
    return applied, {u: n for u, n, _, _ in cases}, {u: s for u, _, s, _ in cases}, opened


def _others(world: World) -> set[str]:
    store = world.county_store()
    try:
        with store.sessions() as session:
            return set(session.scalars(select(AppliedOp.op_id)))
    finally:
        store.close()


def _county_chains(
    applied: dict[str, _Applied], states: dict[str, str], history: History, verdict: Verdict
) -> None:
    by_case: dict[str, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for op_id, row in applied.items():
        by_case[row.uid].append((row.seq, op_id, row.envelope))
    for uid, log in by_case.items():
        log.sort(key=lambda entry: entry[0])
        seqs = [seq for seq, _, _ in log]
        if len(set(seqs)) != len(seqs):
            verdict.duplicated.append(f"the county's log of {uid} repeats a sequence: {seqs}")
        elif seqs != list(range(1, len(log) + 1)):
            verdict.diverged.append(f"the county's log of {uid} is not 1..n: {seqs}")
        state = None
        for seq, _op_id, envelope in log:
            if envelope.get("from_state") != state:
                verdict.overwritten.append(
                    f"{uid} #{seq} ({envelope.get('action')}) from {envelope.get('from_state')}, "
                    f"but the case was {state}"
                )
            state = envelope.get("to_state")
        if state != states.get(uid):
            verdict.diverged.append(
                f"the county's {uid} is {states.get(uid)}, its log says {state}"
            )
    for op_id, (uid, seq) in history.decisions.items():
        if op_id in history.restored_after:
            continue
        decided = applied.get(op_id)
        if decided is None or decided.seq != seq:
            verdict.overwritten.append(f"the county's decision {op_id} on {uid} (#{seq}) is gone")


def _station(
    station: Workstation,
    applied: dict[str, _Applied],
    others: set[str],
    numbers: dict[str, str | None],
    scope: set[str],
    verdict: Verdict,
) -> None:
    """``others``: the op_ids of the other operations the county applied (authorizations,
    account operations); ``scope``: the uids of the cases the workstation pulls."""
    code = station.code
    with station.store.session() as session:
        outbox = session.execute(
            select(OutboxEntry.op_id, OutboxEntry.status, OutboxEntry.last_error, OutboxEntry.kind)
        ).all()  # case actions, authorizations, account operations, the county's kept actions
        ours = set()
        for op_id, status, reason, kind in outbox:
            if kind == CASE_ACTION:
                ours.add(op_id)
            set_aside = status in SET_ASIDE
            at_county = op_id in applied or op_id in others
            if set_aside:
                verdict.parked += status == PARKED
                if not (reason or "").strip():
                    verdict.lost.append(f"{code} parked {op_id} with no reason")
            if at_county and set_aside:
                verdict.duplicated.append(f"{code}'s {op_id} is applied and {status} too")
            elif not at_county and not set_aside:
                verdict.lost.append(f"{code}'s {op_id} ({status}: {reason}) is not at the county")
        for op_id, row in applied.items():
            if row.workstation == code and op_id not in ours:
                verdict.diverged.append(f"the county holds {op_id} as {code}'s; {code} does not")
        confirmed: dict[str, list[tuple[int, str]]] = defaultdict(list)
        own_order: dict[str, list[tuple[int, int]]] = defaultdict(list)  # uid → (local, county)
        for uid, op_id, seq, county_seq, workstation in session.execute(
            select(Case.uid, CaseAction.op_id, CaseAction.seq, ActionConfirmation.county_seq,
                   CaseAction.workstation)
            .join(Case, Case.id == CaseAction.case_id)
            .join(ActionConfirmation, confirmed_now())
        ):  # fmt: skip
            confirmed[uid].append((county_seq, op_id))
            if workstation == code:
                own_order[uid].append((seq, county_seq))
        county_logs: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for op_id, row in applied.items():
            if row.uid in scope:
                county_logs[row.uid].append((row.seq, op_id))
        for uid, log in county_logs.items():
            here = sorted(confirmed.get(uid, []))
            if here != sorted(log):
                verdict.diverged.append(
                    f"{code}'s confirmed log of {uid} has {len(here)} actions, the county's "
                    f"{len(log)}"
                )
        unconfirmed = session.execute(
            select(Case.uid, CaseAction.op_id, CaseAction.workstation, CaseAction.action)
            .join(Case, Case.id == CaseAction.case_id)
            .outerjoin(ActionConfirmation, confirmed_now())
            .outerjoin(OutboxEntry, OutboxEntry.action_id == CaseAction.id)
            .where(  # what the fold takes (app/cases/log.py) though the county lacks it
                ActionConfirmation.action_id.is_(None),
                OutboxEntry.status.not_in(SET_ASIDE),
            )
        ).all()
        for uid, op_id, workstation, action in unconfirmed:
            if op_id not in ours:  # (our own still pending: counted as lost above)
                verdict.diverged.append(
                    f"{code} folds {workstation}'s {action} {op_id} on {uid}, which the county "
                    "does not have"
                )
        for uid, pairs in own_order.items():
            by_local = [county for _, county in sorted(pairs)]
            if by_local != sorted(by_local):
                verdict.diverged.append(f"{code}'s own actions on {uid} went up out of order")
        for case in session.scalars(select(Case)):
            mismatched = projection_matches(
                session, case, project(session, case, station.centre.ctx.calendar)
            )
            if mismatched:
                verdict.diverged.append(f"{code}'s {case.uid} is not its fold: {mismatched}")
            if case.uid in numbers and case.official_no != numbers[case.uid]:
                verdict.diverged.append(
                    f"{code}'s 办件编号 of {case.uid} is {case.official_no}, the county's "
                    f"{numbers[case.uid]}"
                )
        result = audit.verify(session)
        if not result.ok:
            verdict.diverged.append(f"{code}'s audit chain: {result.message}")
