"""收件 and the decision at the window as one unit of work: all of it is on file, or none of it.

The clerk's 受理 (Ctrl+Enter) on a resident at the window is one user action, so it is one
transaction: the case opened and received, the decision taken, the autosaved draft dropped. A
pending case (a proxy's filing, a case waiting for its 补正 materials) takes the materials handed
over and the decision in one transaction too. A refused decision leaves nothing behind: the clerk
corrects it and tries again, and the resident is never taken in twice.

What comes back is everything the desk shows afterwards — state, 收件号, due dates, the documents
to offer — so the desk reads nothing again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases import decisions, intake
from app.cases.changes import CaseChange
from app.cases.context import CaseContext
from app.cases.decisions import get_case
from app.cases.intake import MaterialIn
from app.errors import IllegalTransition
from app.intake import drafts as intake_drafts
from app.printing.kinds import DocKind, documents_for
from app.workflow.states import Action, CaseState


class Kind(StrEnum):
    RECEIVE = "receive"  # 收件 / 补正收件 only, decide later
    ACCEPT = "accept"
    DEFICIENCY = "deficiency"
    SUPPLEMENT = "supplement"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Decision:
    kind: Kind
    pending: tuple[str, ...] = ()  # 容缺: material keys still to come
    due: dt.date | None = None  # 容缺: when they are due
    commitment: bool = False  # 容缺: the applicant signed the promise
    missing: tuple[Mapping[str, str], ...] = ()  # 一次性告知: {key, name, how}
    reasons: tuple[str, ...] = ()  # 不予受理
    competent_organ: str = ""


@dataclass(frozen=True)
class Outcome:
    """Where the case stands after the window's action."""

    change: CaseChange  # the last action taken
    decided: bool  # a decision was taken (not only 收件)
    due_date: dt.date | None
    deficiency_due: dt.date | None
    missing_count: int
    documents: tuple[DocKind, ...]  # what to offer to print at once


def receive_and_decide(
    ctx: CaseContext,
    actor: Actor,
    item_id: int,
    form_data: Mapping[str, Any],
    materials: Sequence[MaterialIn],
    decision: Decision,
    draft_token: str | None = None,
) -> Outcome:
    """A resident at the window: 收件, the decision and the draft's removal, in one transaction."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        received = intake.receive_walk_in_in(
            session, ctx, actor, item_id, form_data, materials, now
        )
        if draft_token is not None:
            intake_drafts.drop_draft(session, actor, draft_token)
        return _decide(session, ctx, actor, received, decision, now)


def take_in_and_decide(
    ctx: CaseContext,
    actor: Actor,
    case_id: int,
    materials: Sequence[MaterialIn],
    decision: Decision,
) -> Outcome:
    """A pending case: the materials handed over (收件 / 补正收件) and the decision, in one
    transaction; a case already received gets the decision alone."""
    now = ctx.clock()
    with ctx.sessions() as session, session.begin():
        taking = _TAKING_IN.get(CaseState(get_case(session, case_id).state))
        if taking is not None:
            taken = intake.take_materials_in(session, ctx, actor, case_id, taking, materials, now)
            return _decide(session, ctx, actor, taken, decision, now)
        if decision.kind is Kind.RECEIVE:
            raise IllegalTransition("只有代办员提交的申请和待补正的办件需要收件。")
        change = decisions.take_in(session, ctx, actor, case_id, _step(decision), now)
        return _outcome(session, change, decision, decided=True)


# The action that takes materials in, by the state of a pending case.
_TAKING_IN = {CaseState.SUBMITTED: Action.RECEIVE, CaseState.AWAITING_SUPPLEMENT: Action.SUPPLEMENT}


def _decide(
    session: Session,
    ctx: CaseContext,
    actor: Actor,
    received: CaseChange,
    decision: Decision,
    now: dt.datetime,
) -> Outcome:
    """After 收件: the decision (none when the clerk only took the materials in)."""
    if decision.kind is Kind.RECEIVE:
        return _outcome(session, received, decision, decided=False)
    change = decisions.take_in(session, ctx, actor, received.case_id, _step(decision), now)
    return _outcome(session, change, decision, decided=True)


def _step(decision: Decision) -> decisions.Step:
    if decision.kind is Kind.ACCEPT:
        return decisions.acceptance()
    if decision.kind is Kind.DEFICIENCY:
        assert decision.due is not None
        return decisions.deficiency(
            decision.pending, decision.due, commitment_signed=decision.commitment
        )
    if decision.kind is Kind.SUPPLEMENT:
        return decisions.supplement_request(decision.missing)
    assert decision.kind is Kind.REFUSE
    return decisions.refusal(decision.reasons, decision.competent_organ)


def _outcome(session: Session, change: CaseChange, decision: Decision, *, decided: bool) -> Outcome:
    case = get_case(session, change.case_id)
    return Outcome(
        change,
        decided=decided,
        due_date=case.due_date,
        deficiency_due=case.deficiency_due,
        missing_count=len(decision.missing),
        documents=tuple(documents_for(change.action)),
    )
