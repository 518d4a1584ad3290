"""Everything done to a case after 收件: accept, 容缺, supplement notices, refuse, review steps,
county reporting, decisions, delivery, suspension, extension, withdrawal, termination.

Each function is one unit of work that calls the engine; role, state and payload checks happen
there, so a refused action changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.cases.engine import load_item, perform
from app.errors import NotFound, ValidationError
from app.workflow.states import Action
from db.models import Case, MaterialReceived, User, UserRole


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("找不到该办件。")
    return case


CaseHook = Callable[[Session, Case, datetime], None]


def act(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    action: Action,
    payload: Mapping[str, Any],
    *,
    before: CaseHook | None = None,
    after: CaseHook | None = None,
) -> CaseChange:
    """Take one action in its own transaction; ``before``/``after`` run inside it too."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        return act_in(
            session, ctx, actor, case_id, action, payload, now, before=before, after=after
        )


def act_in(
    session: Session,
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    action: Action,
    payload: Mapping[str, Any],
    now: datetime,
    *,
    before: CaseHook | None = None,
    after: CaseHook | None = None,
) -> CaseChange:
    """:func:`act` inside the caller's transaction (a composite use case's steps)."""
    case = get_case(session, case_id)
    if before is not None:
        before(session, case, now)
    change = perform(
        session,
        actor=actor,
        case=case,
        action=action,
        payload=payload,
        calendar=ctx.calendar,
        now=now,
    )
    if after is not None:
        after(session, case, now)
    return change


@dataclass(frozen=True)
class Step:
    """One action with its payload and what it records beside the case, ready to take."""

    action: Action
    payload: Mapping[str, Any]
    after: CaseHook | None = None


def take(ctx: CaseContext, actor: Actor, case_id: int, step: Step) -> CaseChange:
    return act(ctx, actor, case_id, step.action, step.payload, after=step.after)


def take_in(
    session: Session, ctx: CaseContext, actor: Actor, case_id: int, step: Step, now: datetime
) -> CaseChange:
    """:func:`take` inside the caller's transaction."""
    return act_in(session, ctx, actor, case_id, step.action, step.payload, now, after=step.after)


def acceptance() -> Step:
    return Step(Action.ACCEPT, {})


def deficiency(pending_materials: Sequence[str], due: dt.date, *, commitment_signed: bool) -> Step:
    """容缺受理: only 容缺-able materials, the applicant's signed promise, a due date in time;
    the materials still to come are recorded as pending."""

    def record_pending(session: Session, case: Case, now: datetime) -> None:
        specs = {m.material_key: m for m in load_item(session, case.item_id).materials}
        for key in pending_materials:
            spec = specs[key]
            session.add(
                MaterialReceived(
                    case_id=case.id,
                    material_key=key,
                    name=spec.name,
                    form=spec.form,
                    copies=spec.copies,
                    pending=True,
                    due_on=due,
                )
            )

    payload = {
        "pending_materials": list(pending_materials),
        "deficiency_due": due.isoformat(),
        "commitment": commitment_signed,
    }
    return Step(Action.ACCEPT_WITH_DEFICIENCY, payload, record_pending)


def supplement_request(missing: Sequence[Mapping[str, str]]) -> Step:
    """一次性告知: every missing material at once, each with what is wrong or how to supply it."""
    return Step(Action.REQUEST_SUPPLEMENT, {"missing": [dict(m) for m in missing]})


def refusal(reasons: Sequence[str], competent_organ: str = "") -> Step:
    """不予受理, with reasons (and the competent organ when the item is not ours)."""
    return Step(Action.REFUSE, {"reasons": list(reasons), "competent_organ": competent_organ})


def accept(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return take(ctx, actor, case_id, acceptance())


def accept_with_deficiency(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    pending_materials: Sequence[str],
    due: dt.date,
    *,
    commitment_signed: bool,
) -> CaseChange:
    step = deficiency(pending_materials, due, commitment_signed=commitment_signed)
    return take(ctx, actor, case_id, step)


def request_supplement(
    ctx: CaseContext, actor: Actor, case_id: int, missing: Sequence[Mapping[str, str]]
) -> CaseChange:
    return take(ctx, actor, case_id, supplement_request(missing))


def refuse(
    ctx: CaseContext, actor: Actor, case_id: int, reasons: Sequence[str], competent_organ: str = ""
) -> CaseChange:
    return take(ctx, actor, case_id, refusal(reasons, competent_organ))


def supply_deficient(
    ctx: CaseContext, actor: Actor, case_id: int, materials: Sequence[str]
) -> CaseChange:
    def mark_supplied(session: Session, case: Case, now: datetime) -> None:
        rows = session.scalars(
            select(MaterialReceived).where(
                MaterialReceived.case_id == case.id,
                MaterialReceived.material_key.in_(materials),
            )
        )
        for row in rows:
            row.pending, row.received_at = False, now

    return act(
        ctx,
        actor,
        case_id,
        Action.SUPPLY_DEFICIENT,
        {"materials": list(materials)},
        after=mark_supplied,
    )


def start_review(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return act(ctx, actor, case_id, Action.START_REVIEW, {})


def record_opinion(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    opinion: str,
    *,
    agree: bool = True,
    then_next: bool = False,
) -> CaseChange:
    """The current step's opinion; with ``then_next`` the case moves on to the next step in the
    same transaction (记录意见并进入下一环节: one action, so both or neither)."""
    now = ctx.clock()
    payload = {"opinion": opinion, "agree": agree}
    with ctx.sessions() as session, session.begin():
        change = act_in(session, ctx, actor, case_id, Action.RECORD_OPINION, payload, now)
        if then_next:
            change = act_in(session, ctx, actor, case_id, Action.NEXT_STEP, {}, now)
        return change


def next_step(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return act(ctx, actor, case_id, Action.NEXT_STEP, {})


def report_to_county(ctx: CaseContext, actor: Actor, case_id: int, note: str = "") -> CaseChange:
    return act(ctx, actor, case_id, Action.REPORT_TO_COUNTY, {"note": note})


def county_returned(ctx: CaseContext, actor: Actor, case_id: int, reason: str) -> CaseChange:
    return act(ctx, actor, case_id, Action.COUNTY_RETURNED, {"reason": reason})


def decide(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    *,
    approved: bool,
    result_no: str = "",
    reasons: Sequence[str] = (),
) -> CaseChange:
    """办结 in the town (after review, or 即办 at the window)."""
    return act(ctx, actor, case_id, Action.DECIDE, _decision(approved, result_no, reasons, "town"))


def record_county_result(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    *,
    approved: bool,
    result_no: str = "",
    reasons: Sequence[str] = (),
) -> CaseChange:
    """The county's decision on a reported case, recorded in the town (or arriving by sync)."""
    return act(
        ctx, actor, case_id, Action.DECIDE, _decision(approved, result_no, reasons, "county")
    )


def _decision(approved: bool, result_no: str, reasons: Sequence[str], by: str) -> dict[str, Any]:
    return {
        "result": "approved" if approved else "denied",
        "result_no": result_no or None,
        "reasons": list(reasons),
        "decided_by": by,
    }


def mark_ready(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return act(ctx, actor, case_id, Action.MARK_READY, {})


def deliver_by_mail(
    ctx: CaseContext, actor: Actor, case_id: int, tracking_no: str, address: str
) -> CaseChange:
    return act(
        ctx,
        actor,
        case_id,
        Action.DELIVER,
        {"method": "mail", "tracking_no": tracking_no, "address": address},
    )


def archive(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return act(ctx, actor, case_id, Action.ARCHIVE, {})


def suspend(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    reason: str,
    expected_days: int,
    *,
    kind: str = "special_procedure",
) -> CaseChange:
    """挂起: 特别程序 (听证、检验、鉴定…) or a post-acceptance 补正 (kind="supplement")."""
    return act(
        ctx,
        actor,
        case_id,
        Action.SUSPEND,
        {"reason": reason, "expected_days": expected_days, "kind": kind},
    )


def request_post_supplement(
    ctx: CaseContext, actor: Actor, case_id: int, missing: Sequence[str], expected_days: int
) -> CaseChange:
    """受理后补正: the clock stops until the applicant supplies what is missing."""
    if not missing:
        raise ValidationError("补正材料清单", "请列明需补正的材料。")
    return suspend(
        ctx, actor, case_id, "受理后补正：" + "、".join(missing), expected_days, kind="supplement"
    )


def resume(ctx: CaseContext, actor: Actor, case_id: int) -> CaseChange:
    return act(ctx, actor, case_id, Action.RESUME, {})


def extend(ctx: CaseContext, actor: Actor, case_id: int, days: int, reason: str) -> CaseChange:
    """延期, approved by the centre's supervisor (a notice is printed)."""
    return act(ctx, actor, case_id, Action.EXTEND, {"days": days, "reason": reason})


def withdraw(ctx: CaseContext, actor: Actor, case_id: int, reason: str) -> CaseChange:
    return act(ctx, actor, case_id, Action.WITHDRAW, {"reason": reason})


def terminate(ctx: CaseContext, actor: Actor, case_id: int, reason: str) -> CaseChange:
    return act(ctx, actor, case_id, Action.TERMINATE, {"reason": reason})


def reassign(ctx: CaseContext, actor: Actor, case_id: int, assignee_id: int) -> CaseChange:
    """改派 to another approver on duty, checked in the transaction that records it; the action
    names the new assignee by username."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        user = session.get(User, assignee_id)
        is_approver = session.get(UserRole, (assignee_id, Role.APPROVER.value)) is not None
        if user is None or not user.active or not is_approver:
            raise ValidationError("承办人", "只能改派给在岗的后台审批人员。")
        return act_in(
            session, ctx, actor, case_id, Action.REASSIGN, {"assignee": user.username}, now
        )
