"""The front desk's background work: 收件 and the decision as one task, loading a pending case,
and the sentence the desk says afterwards. Runs in the runner's threads; no Qt here.

A decision is two use cases, each its own transaction: 收件 (``intake.receive_walk_in`` for a
resident at the window, ``receive_submitted`` / ``supplement`` for a pending case) and then the
decision. If the decision is refused after the 收件 went through, the task does not raise: it
returns the received case with the error, so the desk carries on with that case instead of
taking the resident in twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app import intake_drafts
from app.cases import decisions, intake, queries
from app.cases.case_view import CaseView, case_view
from app.cases.engine import CaseChange
from app.cases.intake import MaterialIn
from app.errors import AppError
from app.intake_spec import IntakeSpec, intake_spec
from app.workflow.states import CaseState
from ui.backend import DeskBackend


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
    change: CaseChange  # the last change that went through
    decided: bool  # the decision went through (not only the 收件)
    error: AppError | None = None  # why the decision was refused after the 收件
    due_date: dt.date | None = None
    deficiency_due: dt.date | None = None
    missing_count: int = 0


@dataclass(frozen=True)
class OpenCase:
    view: CaseView
    spec: IntakeSpec
    received: dict[str, int] = field(default_factory=dict)  # materials already on file


def _decide(backend: DeskBackend, case_id: int, decision: Decision) -> CaseChange:
    if decision.kind is Kind.ACCEPT:
        return backend.act(decisions.accept, case_id)
    if decision.kind is Kind.DEFICIENCY:
        assert decision.due is not None
        return backend.act(
            decisions.accept_with_deficiency,
            case_id,
            list(decision.pending),
            decision.due,
            commitment_signed=decision.commitment,
        )
    if decision.kind is Kind.SUPPLEMENT:
        return backend.act(decisions.request_supplement, case_id, list(decision.missing))
    assert decision.kind is Kind.REFUSE
    return backend.act(decisions.refuse, case_id, list(decision.reasons), decision.competent_organ)


def _decided(backend: DeskBackend, change: CaseChange, decision: Decision) -> Outcome:
    detail = backend.query(queries.case_detail, change.case_id, backend.calendar, backend.today())
    return Outcome(
        change,
        decided=True,
        due_date=detail.deadlines.due_date,
        deficiency_due=detail.deadlines.deficiency_due,
        missing_count=len(decision.missing),
    )


def _finish(backend: DeskBackend, received: CaseChange, decision: Decision) -> Outcome:
    if decision.kind is Kind.RECEIVE:
        return Outcome(received, decided=False)
    try:
        change = _decide(backend, received.case_id, decision)
    except AppError as error:
        return Outcome(received, decided=False, error=error)
    return _decided(backend, change, decision)


def run_walk_in(
    backend: DeskBackend,
    item_id: int,
    form_data: Mapping[str, Any],
    materials: Sequence[MaterialIn],
    decision: Decision,
    draft_token: str | None,
) -> Outcome:
    """收件 of a resident at the window, then the decision; the draft goes once it is on file."""
    received = backend.act(intake.receive_walk_in, item_id, form_data, materials)
    if draft_token is not None:
        backend.admin(intake_drafts.discard_draft, draft_token)
    return _finish(backend, received, decision)


def run_existing(
    backend: DeskBackend,
    case_id: int,
    state: CaseState,
    materials: Sequence[MaterialIn],
    decision: Decision,
) -> Outcome:
    """A pending case: take the materials handed over (收件 / 补正收件), then decide."""
    if state is CaseState.SUBMITTED:
        received = backend.act(intake.receive_submitted, case_id, materials)
    elif state is CaseState.AWAITING_SUPPLEMENT:
        received = backend.act(intake.supplement, case_id, materials)
    else:  # already received: the decision alone (an error here changed nothing)
        return _decided(backend, _decide(backend, case_id, decision), decision)
    return _finish(backend, received, decision)


def load_case(backend: DeskBackend, case_id: int) -> OpenCase:
    view = backend.query(case_view, case_id, backend.calendar, backend.today())
    spec = backend.read(intake_spec, view.item_id)
    received = {m.key: m.copies for m in view.detail.materials if not m.pending}
    return OpenCase(view, spec, received)


def _day(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def outcome_text(outcome: Outcome) -> str:
    """What the desk says once the task is back: the 收件号 and where the case now stands."""
    change = outcome.change
    number = f"收件号 {change.receipt_no}"
    if outcome.error is not None:
        return (
            f"已收件（{number}），但办理未成功：{outcome.error.message.rstrip('。')}。"
            "该件已在右侧打开，可更正后继续办理。"
        )
    state = change.state
    if state is CaseState.ACCEPTED and outcome.deficiency_due is not None:
        return (
            f"已容缺受理，{number}，容缺材料补交期限 {_day(outcome.deficiency_due)}，"
            f"承诺办结日 {_day(outcome.due_date)}。"
        )
    if state is CaseState.ACCEPTED:
        return f"已受理，{number}，承诺办结日 {_day(outcome.due_date)}。"
    if state is CaseState.AWAITING_SUPPLEMENT:
        return f"已出具一次性告知，{number}，待补正材料 {outcome.missing_count} 项。"
    if state is CaseState.REFUSED:
        return f"已不予受理，{number}。"
    return f"已{change.action.label}，{number}，状态：{state.label}。"
