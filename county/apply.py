"""Judging one pushed operation and, when it passes, adding it to the case's confirmed log.

The county applies a case action when its op_id is new, its base sequence is the case's current
one, and the same transition table and guards as at the window allow it (``app.workflow``). It
then gives the action the next county sequence and, once the case is received, its 办件编号. A
repeated op_id gets the stored answer; the same op_id with another payload, a forged workstation
or centre, an unknown item version or actor, or a refused transition is rejected, with nothing
written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from pydantic import ValidationError as WireError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.catalog.schema import DEFER_RULES
from app.catalog.schema import Item as CatalogItem
from app.errors import AppError
from app.outbox.envelope import CaseActionEnvelope, parse_envelope
from app.sync.protocol import CaseCopy, ConfirmedAction, OpAnswer, rejected
from app.workcalendar import WorkCalendar
from app.workflow import guards, transitions
from app.workflow.fold import ActionRecord, Projection, apply, fold, local_date
from app.workflow.rules import ItemRules, MaterialRule, StepInfo
from app.workflow.states import Action, CaseState
from county.accounts import ACCOUNT_KINDS, apply_account_op
from county.authorizations import REGISTER, check_filing, register_authorization
from county.store.models import (
    Account,
    AppliedOp,
    CaseActionRow,
    CountyCase,
    ItemVersion,
    Meta,
    Workstation,
)

Folded = dict[int, Projection]  # a request's case projections after what it applied, by case id
OPENING = frozenset({Action.RECEIVE, Action.CREATE_DRAFT})  # what may open a case at the county
NUMBERED = frozenset(CaseState) - {CaseState.DRAFT, CaseState.SUBMITTED}
GAP = "E409-GAP"  # a base sequence ahead of the county's (e.g. after a restore from backup)


def payload_hash(raw: dict[str, Any]) -> str:
    canonical = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def apply_op(
    session: Session,
    workstation: Workstation,
    raw: dict[str, Any],
    calendar: WorkCalendar,
    folded: Folded | None = None,
) -> OpAnswer:
    """The answer to one operation, inside the caller's transaction (which commits it).
    ``folded``: the cases this request has folded so far (see ``judge``)."""
    op_id = str(raw.get("op_id", ""))
    try:
        envelope = parse_envelope(raw)
    except WireError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return rejected(op_id, "E422-FORMAT", f"操作格式不正确：{where} {first['msg']}")
    digest = payload_hash(raw)
    one_at_a_time(session)
    done = session.scalar(select(CaseActionRow).where(CaseActionRow.op_id == envelope.op_id))
    if done is not None:
        if done.payload_hash != digest:
            return rejected(op_id, "E422-OP-REUSED", "同一操作编号已用于内容不同的操作，拒绝执行。")
        case = session.get(CountyCase, done.case_id)
        assert case is not None
        return OpAnswer(
            op_id=op_id,
            outcome="replayed",
            county_seq=done.county_seq,
            official_no=case.official_no,
        )
    other = session.get(AppliedOp, envelope.op_id)
    if other is not None:  # an account operation or an authorization applied before
        if other.payload_hash != digest:
            return rejected(op_id, "E422-OP-REUSED", "同一操作编号已用于内容不同的操作，拒绝执行。")
        return OpAnswer(op_id=op_id, outcome="replayed")
    if envelope.centre != workstation.centre_code or envelope.workstation != workstation.code:
        return rejected(op_id, "E403-FORGED", "操作所属的中心或工作站与本工作站的凭证不符。")
    if envelope.kind in ACCOUNT_KINDS or envelope.kind == REGISTER:
        apply_other = apply_account_op if envelope.kind in ACCOUNT_KINDS else register_authorization
        answer = apply_other(session, workstation, envelope)
        if answer.outcome == "applied":
            session.add(
                AppliedOp(
                    op_id=envelope.op_id,
                    kind=envelope.kind,
                    payload_hash=digest,
                    centre_code=workstation.centre_code,
                )
            )
            session.flush()
        return answer
    if not isinstance(envelope, CaseActionEnvelope):
        return rejected(op_id, "E422-KIND", f"县级服务不接收“{envelope.kind}”类操作。")
    actor = _actor(session, workstation, envelope)
    if isinstance(actor, OpAnswer):
        return actor
    return judge(
        session,
        workstation.centre_code,
        actor,
        envelope,
        raw,
        calendar,
        digest=digest,
        folded=folded,
    )


def one_at_a_time(session: Session) -> None:
    """Queue this operation behind any other being applied, county-wide, until the caller's
    transaction ends; then read the store afresh.

    SQLite queues them already: its transactions begin with ``BEGIN IMMEDIATE`` (one writer at a
    time). PostgreSQL's READ COMMITTED would let two run side by side: two pushes on one case
    could both pass the base-sequence check (the loser failing on the unique county_seq instead
    of getting its conflict), two cases of one item and day could count the same 办件编号 serial,
    one op_id sent twice at once could be judged twice, and a change-feed id taken before another
    transaction's could commit after it, so that a workstation already past it never pulls it. A
    ``SELECT … FOR UPDATE`` on the county's one meta row, held to commit, closes all four (a lock
    on the case row alone, the first only); every statement after it sees what the previous
    holder committed. The session keeps its objects across commits (``expire_on_commit=False``),
    so they are expired: a case read by an earlier operation of the same request may be stale.
    """
    held_for = session.get_transaction()
    if held_for is not None and session.info.get(_LOCK_HELD_FOR) is held_for:
        return  # taken by an earlier operation of this transaction, and held to its end
    session.scalars(select(Meta.id).with_for_update()).all()
    session.expire_all()
    session.info[_LOCK_HELD_FOR] = held_for


_LOCK_HELD_FOR = "county-lock-held-for"  # session.info: the transaction holding the lock


def judge(
    session: Session,
    centre_code: str,
    actor: Actor,
    envelope: CaseActionEnvelope,
    raw: dict[str, Any],
    calendar: WorkCalendar,
    *,
    digest: str,
    folded: Folded | None = None,
) -> OpAnswer:
    """Apply one case action of ``actor`` (a centre's account, or the county's own staff) if the
    case's log and the workflow allow it; the caller holds the one-at-a-time lock. ``digest``:
    ``payload_hash(raw)``, kept to tell a repeat from a reused op_id. ``folded``: the case
    projections this request left after the actions it applied, by case id — used when the case's
    sequence is still the one it left (nothing was applied to it since, by anyone), instead of
    folding the whole log again for every action of a batch."""
    op_id = envelope.op_id
    case = session.scalar(select(CountyCase).where(CountyCase.uid == envelope.case.uid))
    version = (
        _version(session, envelope)
        if case is None
        else session.get(ItemVersion, case.item_version_id)
    )
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
            county_copy=case_copy(session, case) if case is not None else None,
        )
    if envelope.base_seq != seq:
        assert case is not None  # a new case is at 0, and base_seq ≥ 0
        return OpAnswer(
            op_id=op_id,
            outcome="conflict",
            code="E409-STALE",
            message=(
                f"办件已有新的办理记录（县级第 {seq} 步），本操作基于第 {envelope.base_seq} 步。"
            ),
            county_copy=case_copy(session, case),
        )
    try:
        action = Action(envelope.action)
    except ValueError:
        return rejected(op_id, "E422-ACTION", f"未知的办件操作：{envelope.action}")
    if case is None and action not in OPENING:
        return rejected(op_id, "E422-UNKNOWN-CASE", "县级系统中没有该办件。")
    if case is None and (unauthorized := check_filing(session, envelope)) is not None:
        return rejected(op_id, "E422-AUTHORIZATION", unauthorized)
    rules = rules_of(version)
    cached = folded.get(case.id) if folded is not None and case is not None else None
    if cached is not None and cached.last_seq == seq:
        before = cached
    else:
        before = fold(_records(session, case) if case is not None else [], rules, calendar)
    record = ActionRecord(action, envelope.occurred_at, actor.username, envelope.payload)
    try:
        transitions.find(action, before.state, actor)
        today = local_date(envelope.occurred_at)
        guards.check(
            guards.GuardContext(before, rules, envelope.payload, actor, calendar, today), action
        )
    except AppError as error:
        return rejected(op_id, f"E422-{error.code}", error.message)
    after = apply(before, record, rules, calendar)
    assert after.state is not None
    if case is None:
        case = CountyCase(
            uid=envelope.case.uid,
            centre_code=centre_code,
            receipt_no=envelope.case.receipt_no,
            item_version_id=version.id,
            template_key=envelope.case.template_key,
            template_version=envelope.case.template_version,
            state=after.state.value,
            opened_at=envelope.workstation,
        )
        session.add(case)
    case.seq, case.state = after.last_seq, after.state.value
    if case.official_no is None and after.state in NUMBERED:
        case.official_no = _official_no(session, version, local_date(envelope.occurred_at))
    session.flush()
    session.add(
        CaseActionRow(
            op_id=op_id,
            payload_hash=digest,
            case_id=case.id,
            centre_code=case.centre_code,
            county_seq=after.last_seq,
            envelope=raw,
        )
    )
    session.flush()
    if folded is not None:
        folded[case.id] = after
    return OpAnswer(
        op_id=op_id, outcome="applied", county_seq=after.last_seq, official_no=case.official_no
    )


def _actor(
    session: Session, workstation: Workstation, envelope: CaseActionEnvelope
) -> Actor | OpAnswer:
    account = session.get(Account, envelope.actor.username)
    if account is None or account.centre_code != workstation.centre_code or not account.active:
        return rejected(
            envelope.op_id, "E403-ACTOR", f"账号 {envelope.actor.username} 不是本中心的在岗账号。"
        )
    held = {Role(r) for r in account.roles}
    claimed = {r for r in envelope.actor.role.split(",") if r}
    if not claimed <= {r.value for r in held}:
        return rejected(envelope.op_id, "E403-ROLE", "操作所用的角色不是该账号的角色。")
    return Actor(0, account.username, account.display_name, frozenset(held), workstation.code)


def _version(session: Session, envelope: CaseActionEnvelope) -> ItemVersion | None:
    return session.scalar(
        select(ItemVersion).where(
            ItemVersion.code == envelope.case.item_code,
            ItemVersion.content_hash == envelope.case.item_version,
        )
    )


def rules_of(version: ItemVersion) -> ItemRules:
    """What the workflow needs of an item version, read from the item as published (once per
    version and process: an item version never changes)."""
    key = (version.code, version.content_hash)
    known = _RULES.get(key)
    if known is None:
        known = _RULES[key] = _read_rules(version)
    return known


_RULES: dict[tuple[str, str], ItemRules] = {}


def _read_rules(version: ItemVersion) -> ItemRules:
    item = CatalogItem.model_validate(version.detail, context={DEFER_RULES: True})
    return ItemRules.of(
        item.promised_limit.days,
        str(item.promised_limit.unit.value),
        (StepInfo(s.id, s.name, str(s.role.value), str(s.level.value)) for s in item.steps),
        (MaterialRule(m.id, m.name, m.required, m.deficiency_allowed) for m in item.materials),
    )


def _records(session: Session, case: CountyCase) -> list[ActionRecord]:
    rows = session.scalars(
        select(CaseActionRow)
        .where(CaseActionRow.case_id == case.id)
        .order_by(CaseActionRow.county_seq)
    )
    return [
        ActionRecord(
            Action(row.envelope["action"]),
            dt.datetime.fromisoformat(row.envelope["occurred_at"].replace("Z", "+00:00")),
            row.envelope["actor"]["username"],
            row.envelope["payload"],
        )
        for row in rows
    ]


def _log(case: CountyCase) -> Select[CaseActionRow]:
    return (
        select(CaseActionRow)
        .where(CaseActionRow.case_id == case.id)
        .order_by(CaseActionRow.county_seq)
    )


def case_copy(session: Session, case: CountyCase) -> CaseCopy:
    rows = session.scalars(
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


def _official_no(session: Session, version: ItemVersion, day: dt.date) -> str:
    """办件编号: the item's 实施编码, the day, and a 4-digit serial of that item and day."""
    prefix = f"{version.implementation_code or version.code}{day:%Y%m%d}"
    issued = session.scalar(  # the same on both backends: no LIKE (case, wildcards) involved
        select(func.count())
        .select_from(CountyCase)
        .where(
            # the range lets the unique index find the day's numbers (not a scan of every case);
            # the prefix test keeps the count exact whatever the collation does with dashes
            CountyCase.official_no.between(f"{prefix}0000", f"{prefix}9999"),
            func.substr(CountyCase.official_no, 1, len(prefix)) == prefix,
        )
    )
    return f"{prefix}{(issued or 0) + 1:04d}"
