"""The front desk's background work: loading a pending case, and the sentence the desk says
after a decision. The decision itself is one use case and one transaction
(:mod:`app.cases.window`): nothing here composes writes. Runs in the runner's threads; no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.cases.case_view import CaseView, case_view
from app.intake.spec import IntakeSpec, intake_spec
from app.intake.window import Outcome
from app.workflow.states import CaseState
from ui.backend import DeskBackend


@dataclass(frozen=True)
class OpenCase:
    view: CaseView
    spec: IntakeSpec
    received: dict[str, int] = field(default_factory=dict)  # materials already on file


def load_case(backend: DeskBackend, case_id: int) -> OpenCase:
    view = backend.run(case_view, case_id, backend.calendar, backend.today())
    # The item version the case was filed under, even if a reload has retired it since.
    spec = backend.lookup(intake_spec, view.item_id, in_force=False)
    received = {m.key: m.copies for m in view.detail.materials if not m.pending}
    return OpenCase(view, spec, received)


def _day(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else "—"


def outcome_text(outcome: Outcome) -> str:
    """What the desk says once the task is back: the 收件号 and where the case now stands."""
    change = outcome.change
    number = f"收件号 {change.receipt_no}"
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
