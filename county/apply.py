"""Judging pushed operations and, when they pass, adding them to the cases' confirmed logs.

The county applies a case action when its op_id is new, its base sequence is the case's current
one, and the same transition table and guards as at the window allow it (``app.workflow``). It
then gives the action the next county sequence and, once the case is received, its 办件编号. An
operation naming another centre or workstation than the credential's is rejected first, so that
no workstation gets another's stored answer; a repeated op_id then gets the stored answer; the
same op_id with another payload, an unknown envelope version, kind, item version or actor, or a
refused transition is rejected, with nothing written.

A request's operations are judged together (:class:`Judging`): under the county-wide lock, the
op_ids, cases, item versions, accounts and 办件编号 serials they name read in a few queries, each
case folded once (or found as an earlier request left it, ``county/folds.py``), and what they
applied written in a few statements — not a handful of queries and an ORM flush per operation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from typing import Any, cast

from pydantic import ValidationError as WireError
from sqlalchemy import Table, insert, select, tuple_
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.errors import AppError
from app.evaluations.query import query_hash
from app.evaluations.wire import EVALUATION_KINDS
from app.outbox.envelope import (
    ENVELOPE_VERSION,
    SEAL,
    CaseActionEnvelope,
    Envelope,
    parse_envelope,
)
from app.sync.protocol import CaseCopy, ConfirmedAction, OpAnswer, rejected
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import ActionRecord, Projection, apply, fold, local_date
from app.workflow.rules import ItemRules
from app.workflow.states import Action, CaseState
from county.accounts import ACCOUNT_KINDS, apply_account_op
from county.authorizations import REGISTER, check_filing, register_authorization
from county.case_rows import CaseRow, read_cases, write_cases
from county.evaluation_ops import apply_evaluation_op
from county.folds import Folds, logs_of, rules_of
from county.lock import one_at_a_time
from county.numbers import Serials, given_for, held, prefix_of
from county.seals import COUNTY_STATION, genuine, number_seal, unsealed
from county.store.models import (
    Account,
    AppliedOp,
    CaseActionRow,
    CountyCase,
    ItemVersion,
    Meta,
    Workstation,
)
from county.wording import complaint

OPENING = frozenset({Action.RECEIVE, Action.CREATE_DRAFT})  # what may open a case at the county
NUMBERED = frozenset(CaseState) - {CaseState.DRAFT, CaseState.SUBMITTED}
GAP = "E409-GAP"  # a base sequence ahead of the county's (e.g. after a restore from backup)
HELD = "E503-NUMBERING"  # it would number its case while numbering is held (county/numbers.py)
HELD_MESSAGE = (
    "县级系统已从备份恢复，本中心各工作站交回已有的办件编号之前暂不赋新号；"
    "本操作留在本机，下次同步时再送。"
)
#: Operations other than case actions, kept in ``applied_ops`` (``Judging._apply_other``).
OTHER_KINDS = ACCOUNT_KINDS | EVALUATION_KINDS | {REGISTER}
REUSED = "同一操作编号已用于内容不同的操作，拒绝执行。"
LOG = cast(Table, CaseActionRow.__table__)


def payload_hash(raw: dict[str, Any]) -> str:
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Judging:
    """One transaction's judging of case actions (and the other operations a push carries), under
    the county-wide lock taken when it starts.

    What the operations name is read once: :meth:`read_ahead` takes a request's op_ids, cases,
    their logs, item versions, accounts and 办件编号 serials in a few queries; whatever it did not
    read is read when first needed. What is applied is kept in memory (``CaseRow``, log rows) and
    written by :meth:`write`; a conflict's copy of the log writes it first."""

    def __init__(
        self, session: Session, calendar: WorkCalendar, folds: Folds | None = None
    ) -> None:
        one_at_a_time(session)
        self.session, self.calendar = session, calendar
        self.epoch, self._seal_key = session.execute(select(Meta.epoch, Meta.seal_key)).one()
        self._folds = folds
        if folds is not None:
            folds.under(self.epoch, calendar)
        self._cases: dict[str, CaseRow | None] = {}  # by uid; None: not at the county
        self._done: dict[str, tuple[str, int, str]] = {}  # case actions: op_id → hash, seq, uid
        self._other: dict[str, str | None] = {}  # other operations: op_id → hash; None: new
        # Item versions, held here (the session holds them weakly); by id, by code and hash
        self._versions: dict[int, ItemVersion] = folds.versions if folds is not None else {}
        self._named: dict[tuple[str, str], ItemVersion | None] = (
            dict(folds.named) if folds is not None else {}  # here, None: not at the county
        )
        self._accounts: dict[str, Account | None] = {}
        self._actors: dict[tuple[str, str, str], Actor] = {}  # username, roles claimed, station
        self._folded: dict[str, Projection] = {}  # by uid: after the last action judged here
        self._serials = Serials(session)
        self._given: dict[str, str | None] = {}  # 办件编号 given back after a restore, by uid
        self._held: dict[str, bool] = {}  # by centre: no new number until its PCs give back
        self._rows: list[tuple[CaseRow, dict[str, Any]]] = []  # applied, not yet written
        self.committed: dict[int, Projection] = {}  # by case id: what ``keep`` gives ``folds``

    # --- a push request ---------------------------------------------------------------------

    def answer_all(self, workstation: Workstation, ops: Sequence[dict[str, Any]]) -> list[OpAnswer]:
        """The answers to a push request's operations, in order; everything applied written."""
        parsed = [self._parse(raw) for raw in ops]
        self.read_ahead([e for e in parsed if isinstance(e, Envelope)])
        answers = [
            e if isinstance(e, OpAnswer) else self.answer(workstation, e, raw)
            for e, raw in zip(parsed, ops, strict=True)
        ]
        self.write()
        return answers

    def keep(self) -> None:
        """After the transaction committed: keep the projections it left for later requests."""
        if self._folds is not None:
            self._folds.keep(self.epoch, self.calendar, self.committed)

    @staticmethod
    def _parse(raw: dict[str, Any]) -> Envelope | OpAnswer:
        try:
            envelope = parse_envelope(unsealed(raw)[0])  # (a re-fed action: checked in answer)
        except WireError as error:
            op_id = str(raw.get("op_id", ""))
            return rejected(op_id, "E422-FORMAT", f"操作格式不正确：{complaint(error.errors()[0])}")
        if envelope.envelope_version != ENVELOPE_VERSION:  # a later one could mean other things
            return rejected(
                envelope.op_id,
                "E422-VERSION",
                f"县级系统不认识第 {envelope.envelope_version} 版的操作格式，请联系县级管理员。",
            )
        return envelope

    def read_ahead(self, envelopes: Sequence[Envelope]) -> None:
        """Read what these operations name, in a few queries."""
        session = self.session
        op_ids = [e.op_id for e in envelopes]
        for op_id, digest, seq, uid in session.execute(
            select(
                CaseActionRow.op_id, CaseActionRow.payload_hash, CaseActionRow.county_seq,
                CountyCase.uid,
            )
            .join(CountyCase, CountyCase.id == CaseActionRow.case_id)
            .where(CaseActionRow.op_id.in_(op_ids))
        ):  # fmt: skip
            self._done[op_id] = (digest, seq, uid)
        self._other.update(dict.fromkeys(op_ids))
        for op_id, digest in session.execute(
            select(AppliedOp.op_id, AppliedOp.payload_hash).where(AppliedOp.op_id.in_(op_ids))
        ):
            self._other[op_id] = digest
        actions = [e for e in envelopes if isinstance(e, CaseActionEnvelope)]
        uids = {e.case.uid for e in actions} | {uid for _, _, uid in self._done.values()}
        wanted = uids - self._cases.keys()
        self._cases.update(dict.fromkeys(wanted))
        cases = read_cases(session, wanted)
        for case in cases:
            self._cases[case.uid] = case
        self._read_versions(cases, actions)
        names = {e.actor.username for e in actions} - self._accounts.keys()
        self._accounts.update(dict.fromkeys(names))
        for account in session.scalars(select(Account).where(Account.username.in_(names))):
            self._accounts[account.username] = account
        unfolded = [c for c in cases if self._kept(c) is None]
        logs = logs_of(session, (c.id for c in unfolded if c.id is not None))
        for case in unfolded:
            rules = rules_of(self._version_of(case))
            self._folded[case.uid] = fold(logs.get(case.id or 0, []), rules, self.calendar)
        self._serials.count(self._prefixes(actions))
        unknown = {e.case.uid for e in actions} - self._given.keys()
        self._given.update(dict.fromkeys(unknown))
        self._given.update(given_for(session, unknown))

    def _read_versions(self, cases: list[CaseRow], actions: list[CaseActionEnvelope]) -> None:
        """The item versions of the cases, and those new cases are filed under, in two queries."""
        ids = {c.item_version_id for c in cases} - self._versions.keys()
        for version in self.session.scalars(select(ItemVersion).where(ItemVersion.id.in_(ids))):
            self._versions[version.id] = version
        named = {
            (e.case.item_code, e.case.item_version)
            for e in actions
            if self._cases.get(e.case.uid) is None
        } - self._named.keys()
        self._named.update(dict.fromkeys(named))
        if named:
            for version in self.session.scalars(
                select(ItemVersion).where(
                    tuple_(ItemVersion.code, ItemVersion.content_hash).in_(named)
                )
            ):
                self._named[(version.code, version.content_hash)] = version
                self._versions[version.id] = version
                if self._folds is not None:
                    self._folds.named[(version.code, version.content_hash)] = version

    def _prefixes(self, actions: list[CaseActionEnvelope]) -> set[str]:
        """The 办件编号 prefixes these actions could number their cases under: each unnumbered
        case's item and the day of each of its actions here."""
        prefixes = set()
        for envelope in actions:
            case = self._cases.get(envelope.case.uid)
            if case is not None and case.official_no is not None:
                continue
            version = self._version_named(envelope) if case is None else self._version_of(case)
            if version is not None:
                prefixes.add(prefix_of(version, local_date(envelope.occurred_at)))
        return prefixes

    def answer(self, workstation: Workstation, envelope: Envelope, raw: dict[str, Any]) -> OpAnswer:
        """The answer to one operation of ``workstation``."""
        op_id = envelope.op_id
        centre, code = workstation.centre_code, workstation.code
        if envelope.centre != centre:  # before the op_id: never another's stored answer
            message = f"操作注明的中心 {envelope.centre} 不是本工作站所属的中心 {centre}。"
            return rejected(op_id, "E403-FORGED", message)
        if envelope.workstation == COUNTY_STATION and SEAL in raw:
            return self._refed(workstation, envelope, raw)
        if envelope.workstation != code:
            message = f"操作注明的工作站 {envelope.workstation} 不是推送它的工作站 {code}。"
            return rejected(op_id, "E403-FORGED", message)
        digest = payload_hash(raw)
        if op_id in self._done:
            return self._replayed(op_id, digest)
        if op_id not in self._other:
            self._other[op_id] = self.session.scalar(
                select(AppliedOp.payload_hash).where(AppliedOp.op_id == op_id)
            )
        other = self._other[op_id]
        if other is not None:  # an account operation or an authorization applied before
            if other != digest:
                return rejected(op_id, "E422-OP-REUSED", REUSED)
            return OpAnswer(op_id=op_id, outcome="replayed")
        if envelope.kind in OTHER_KINDS:
            return self._apply_other(workstation, envelope, digest)
        if not isinstance(envelope, CaseActionEnvelope):
            return rejected(op_id, "E422-KIND", f"县级服务不接收“{envelope.kind}”类操作。")
        actor = self._actor(workstation, envelope)
        if isinstance(actor, OpAnswer):
            return actor
        return self.judge(workstation.centre_code, actor, envelope, raw, digest=digest)

    def _replayed(self, op_id: str, digest: str) -> OpAnswer:
        """A case action the county applied before: its stored answer, if it is the same."""
        stored, seq, uid = self._done[op_id]
        if stored != digest:
            return rejected(op_id, "E422-OP-REUSED", REUSED)
        case = self._case(uid)
        assert case is not None
        return OpAnswer(
            op_id=op_id,
            outcome="replayed",
            county_seq=seq,
            official_no=case.official_no,
            number_seal=self._number_seal(case),
        )

    def _refed(self, workstation: Workstation, envelope: Envelope, raw: dict[str, Any]) -> OpAnswer:
        """The county's own action given back by a workstation after a restore from an older
        backup (``county/seals.py``): taken only with the county's genuine seal, then answered
        like any action — replayed if the county still has it, else judged on the case's log as
        it is now (``E409-GAP`` while the town's actions before it are still to come back)."""
        action, claimed = unsealed(raw)
        digest = payload_hash(action)
        if not genuine(self._seal_key, digest, claimed) or not isinstance(
            envelope, CaseActionEnvelope
        ):
            return rejected(
                envelope.op_id,
                "E403-SEAL",
                "县级办理记录的校验码不符：不是县级系统作出的，不予接收。",
            )
        if envelope.op_id in self._done:
            return self._replayed(envelope.op_id, digest)
        name = envelope.actor.username
        staff = Actor(0, name, name, frozenset({Role.COUNTY}), COUNTY_STATION)
        return self.judge(workstation.centre_code, staff, envelope, action, digest=digest)

    def _apply_other(self, workstation: Workstation, envelope: Envelope, digest: str) -> OpAnswer:
        """An account operation, a proxy authorization or a 好差评 operation, applied through
        the ORM. Each kind checks everything before it writes, so a refused one wrote nothing (no
        savepoint needed). The first two read no case or log, so the case actions judged before
        them may still wait to be written; an evaluation reads its case and the action it rates,
        so those are written first (a case opened earlier in the same push is rated in it)."""
        is_account = envelope.kind in ACCOUNT_KINDS
        if envelope.kind in EVALUATION_KINDS:
            self.write()
            apply_other = apply_evaluation_op
        else:
            apply_other = apply_account_op if is_account else register_authorization
        answer = apply_other(self.session, workstation, envelope)
        if answer.outcome == "applied":
            self.session.add(
                AppliedOp(
                    op_id=envelope.op_id,
                    kind=envelope.kind,
                    payload_hash=digest,
                    centre_code=workstation.centre_code,
                )
            )
            self._other[envelope.op_id] = digest
        if is_account:  # it may have changed an account: read them afresh
            self._accounts.clear()
            self._actors.clear()
        return answer

    def _actor(self, workstation: Workstation, envelope: CaseActionEnvelope) -> Actor | OpAnswer:
        name, claim = envelope.actor.username, envelope.actor.role
        known = self._actors.get((name, claim, workstation.code))
        if known is not None:
            return known
        if name not in self._accounts:
            self._accounts[name] = self.session.get(Account, name)
        account = self._accounts[name]
        if account is None or account.centre_code != workstation.centre_code or not account.active:
            return rejected(envelope.op_id, "E403-ACTOR", f"账号 {name} 不是本中心的在岗账号。")
        held = {Role(r) for r in account.roles}
        claimed = {r for r in claim.split(",") if r}
        if not claimed <= {r.value for r in held}:
            return rejected(envelope.op_id, "E403-ROLE", "操作所用的角色不是该账号的角色。")
        actor = Actor(0, account.username, account.display_name, frozenset(held), workstation.code)
        self._actors[(name, claim, workstation.code)] = actor
        return actor

    # --- one case action --------------------------------------------------------------------

    def judge(
        self,
        centre_code: str,
        actor: Actor,
        envelope: CaseActionEnvelope,
        raw: dict[str, Any],
        *,
        digest: str,
    ) -> OpAnswer:
        """Apply one case action of ``actor`` (a centre's account, or the county's own staff)
        if the case's log and the workflow allow it. ``digest``: ``payload_hash(raw)``, kept to
        tell a repeat from a reused op_id."""
        op_id = envelope.op_id
        case = self._case(envelope.case.uid)
        version = self._version_named(envelope) if case is None else self._version_of(case)
        if version is None:
            return rejected(
                op_id,
                "E422-ITEM",
                f"县级目录中没有事项 {envelope.case.item_code} 的这一版本，请先同步事项目录。",
            )
        if case is not None and case.centre_code != centre_code:
            return rejected(op_id, "E403-FORGED", "该办件不属于本中心。")
        seq = case.seq if case is not None else 0
        if envelope.base_seq > seq:  # the county lacks what the workstation counted before it
            return OpAnswer(
                op_id=op_id,
                outcome="conflict",
                code=GAP,
                message=(
                    f"县级系统尚无本操作之前的办理记录（县级第 {seq} 步，本操作基于第 "
                    f"{envelope.base_seq} 步）。"
                ),
                county_copy=self._copy(case) if case is not None else None,
            )
        if envelope.base_seq != seq:
            assert case is not None  # a new case is at 0, and base_seq ≥ 0
            return OpAnswer(
                op_id=op_id,
                outcome="conflict",
                code="E409-STALE",
                message=(
                    f"办件已有新的办理记录（县级第 {seq} 步），"
                    f"本操作基于第 {envelope.base_seq} 步。"
                ),
                county_copy=self._copy(case),
            )
        if envelope.after is not None and (case is None or envelope.after != case.last_op):
            return self._not_after(op_id, envelope.after, case)
        try:
            action = Action(envelope.action)
        except ValueError:
            return rejected(op_id, "E422-ACTION", f"未知的办件操作：{envelope.action}")
        if case is None and action not in OPENING:
            return rejected(op_id, "E422-UNKNOWN-CASE", "县级系统中没有该办件。")
        if case is None and (unauthorized := check_filing(self.session, envelope)) is not None:
            return rejected(op_id, "E422-AUTHORIZATION", unauthorized)
        rules = rules_of(version)
        before = self._before(case, rules) if case is not None else Projection()
        record = ActionRecord(action, envelope.occurred_at, actor.username, envelope.payload)
        today = local_date(envelope.occurred_at)
        try:
            transitions.find(action, before.state, actor)
            guards.check(
                guards.GuardContext(before, rules, envelope.payload, actor, self.calendar, today),
                action,
            )
        except AppError as error:
            return rejected(op_id, f"E422-{error.code}", error.message)
        after = apply(before, record, rules, self.calendar)
        assert after.state is not None
        number = None
        if (case is None or case.official_no is None) and after.state in NUMBERED:
            number = self._number(centre_code, envelope.case.uid, version, today)
            if number is None:
                return OpAnswer(op_id=op_id, outcome="held", code=HELD, message=HELD_MESSAGE)
        if case is None:
            case = self._cases[envelope.case.uid] = CaseRow(
                uid=envelope.case.uid,
                centre_code=centre_code,
                receipt_no=envelope.case.receipt_no,
                item_version_id=version.id,
                template_key=envelope.case.template_key,
                template_version=envelope.case.template_version,
                state=after.state.value,
                opened_at=envelope.workstation,
                query_hash=_query_hash(envelope),
            )
        case.seq, case.state, case.changed = after.last_seq, after.state.value, True
        case.last_op = op_id
        if number is not None:
            case.official_no = number
        row = {
            "op_id": op_id,
            "payload_hash": digest,
            "centre_code": case.centre_code,
            "county_seq": after.last_seq,
            "envelope": raw,
        }
        self._rows.append((case, row))
        self._done[op_id] = (digest, after.last_seq, case.uid)
        self._folded[case.uid] = after
        return OpAnswer(
            op_id=op_id,
            outcome="applied",
            county_seq=after.last_seq,
            official_no=case.official_no,
            number_seal=self._number_seal(case),
        )

    def _number(self, centre_code: str, uid: str, version: ItemVersion, day: dt.date) -> str | None:
        """The 办件编号 a case takes now: the one given back for it after a restore, else a new
        one — none while the centre's numbering is held (``county/numbers.py``)."""
        if uid not in self._given:
            self._given.update({uid: None, **given_for(self.session, [uid])})
        if (given := self._given[uid]) is not None:
            return given
        if centre_code not in self._held:
            self._held[centre_code] = held(self.session, centre_code)
        if self._held[centre_code]:
            return None
        return self._serials.next(version, day)

    def _number_seal(self, case: CaseRow) -> str | None:
        if case.official_no is None:
            return None
        return number_seal(self._seal_key, case.uid, case.official_no)

    def _not_after(self, op_id: str, follows: str, case: CaseRow | None) -> OpAnswer:
        """An action whose base counts right but which follows another action than the case's
        last here: one the county has (another came in between: stale), or one it does not
        have (refused, or still to come back after a restore: a gap)."""
        known = follows in self._done or self.session.scalar(
            select(CaseActionRow.op_id).where(CaseActionRow.op_id == follows)
        )
        copy = self._copy(case) if case is not None else None
        if known:
            message = "办件已有新的办理记录，本操作所接续的记录已不是最新一步。"
            return OpAnswer(
                op_id=op_id, outcome="conflict", code="E409-STALE", message=message,
                county_copy=copy,
            )  # fmt: skip
        message = "县级系统尚无本操作所接续的办理记录（它可能被退回，或尚待补传）。"
        return OpAnswer(
            op_id=op_id, outcome="conflict", code=GAP, message=message, county_copy=copy
        )

    def write(self) -> None:
        """Write the cases and the log rows of the actions applied so far."""
        if not self._rows:
            return
        write_cases(self.session, {id(case): case for case, _ in self._rows}.values())
        rows = [{**row, "case_id": case.id} for case, row in self._rows]
        self.session.connection().execute(insert(LOG), rows)  # Core: one executemany
        for case, _ in self._rows:
            assert case.id is not None
            self.committed[case.id] = self._folded[case.uid]
        self._rows = []

    def _version_of(self, case: CaseRow) -> ItemVersion:
        version = self._versions.get(case.item_version_id)
        if version is None:
            version = self.session.get(ItemVersion, case.item_version_id)
            assert version is not None  # a foreign key
            self._versions[version.id] = version
        return version

    def _version_named(self, envelope: CaseActionEnvelope) -> ItemVersion | None:
        key = (envelope.case.item_code, envelope.case.item_version)
        if key not in self._named:
            found = self._named[key] = self.session.scalar(
                select(ItemVersion).where(
                    ItemVersion.code == key[0], ItemVersion.content_hash == key[1]
                )
            )
            if found is not None and self._folds is not None:
                self._folds.named[key] = found
        return self._named[key]

    def _case(self, uid: str) -> CaseRow | None:
        if uid not in self._cases:
            found = read_cases(self.session, [uid])
            self._cases[uid] = found[0] if found else None
        return self._cases[uid]

    def _kept(self, case: CaseRow) -> Projection | None:
        if self._folds is None or case.id is None:
            return None
        return self._folds.get(case.id, case.seq)

    def _before(self, case: CaseRow, rules: ItemRules) -> Projection:
        """The case's projection now: as judged in this transaction, as an earlier request left
        it, or folded from its log."""
        known = self._folded.get(case.uid)
        if known is None or known.last_seq != case.seq:
            known = self._kept(case)
        if known is None:
            assert case.id is not None  # a case opened here is in _folded
            known = fold(logs_of(self.session, [case.id]).get(case.id, []), rules, self.calendar)
            self._folded[case.uid] = known
        return known

    def _copy(self, case: CaseRow) -> CaseCopy:
        self.write()  # the log as it stands, with what this transaction applied
        assert case.id is not None
        rows = self.session.scalars(
            select(CaseActionRow)
            .where(CaseActionRow.case_id == case.id)
            .order_by(CaseActionRow.county_seq)
        )
        return CaseCopy(
            uid=case.uid,
            receipt_no=case.receipt_no,
            official_no=case.official_no,
            state=case.state,
            seq=case.seq,
            actions=[ConfirmedAction(county_seq=r.county_seq, envelope=r.envelope) for r in rows],
        )


def _query_hash(envelope: CaseActionEnvelope) -> str | None:
    """What the county keeps of the 查询密码 the opening action carries (None: none, or not a
    string of digits — an older workstation's case, which the progress page never finds)."""
    password = envelope.payload.get("query_password")
    if not isinstance(password, str) or not password.isdigit():
        return None
    return query_hash(envelope.case.uid, password)


def judge(
    session: Session,
    centre_code: str,
    actor: Actor,
    envelope: CaseActionEnvelope,
    raw: dict[str, Any],
    calendar: WorkCalendar,
    *,
    digest: str,
) -> OpAnswer:
    """Apply one case action (the county's own, see ``decisions.py``), written at once, inside the
    caller's transaction."""
    judging = Judging(session, calendar)
    answer = judging.judge(centre_code, actor, envelope, raw, digest=digest)
    judging.write()
    return answer
