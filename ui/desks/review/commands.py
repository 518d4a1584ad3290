"""What the 审批台's buttons do, each run in a writer task: call the one use case, then say in a
sentence what happened, from what the use case returned (its new step, its promised date).

No Qt here: these take the desk's backend and plain values, so they are easy to read and test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.actor import Role
from app.cases import decisions
from app.cases.changes import CaseChange
from app.workflow.states import CaseState
from ui.backend import DeskBackend


@dataclass(frozen=True)
class Decision:
    """The decision page's input: 准予 / 不予, or the county sent the case back."""

    approved: bool
    result_no: str = ""
    reasons: tuple[str, ...] = ()
    returned: bool = False  # 县级退回 (only while the case is with the county)


def _step_text(change: CaseChange) -> str:
    step = change.step
    if step is None:
        return ""
    role = Role(step.role).label if step.role in set(Role) else ""
    return f"「{step.name}」" + (f"（{role}办理）" if role else "")


def _due_text(change: CaseChange) -> str:
    due = change.due_date
    return f"承诺办结日为 {due:%Y-%m-%d}" if due else "本办件无承诺办结日"


def start_review(b: DeskBackend, case_id: int, number: str) -> str:
    change = b.act(decisions.start_review, case_id)
    return f"{number} 已开始审查，当前环节：{_step_text(change)}。"


def record_opinion(
    b: DeskBackend, case_id: int, number: str, opinion: str, *, agree: bool, then_next: bool
) -> str:
    change = b.act(
        decisions.record_opinion, case_id, opinion.strip(), agree=agree, then_next=then_next
    )
    if not then_next:
        return f"{number} 已记录审查意见（{'同意' if agree else '不同意'}）。"
    return f"{number} 已记录意见并进入下一环节：{_step_text(change)}。"


def next_step(b: DeskBackend, case_id: int, number: str) -> str:
    change = b.act(decisions.next_step, case_id)
    return f"{number} 已进入下一环节：{_step_text(change)}。"


def report_to_county(b: DeskBackend, case_id: int, number: str) -> str:
    b.act(decisions.report_to_county, case_id)
    return (
        f"{number} 已上报县级：已排入上传队列，联网后自动送达县级系统（送达时间见办件详情）；"
        "县级结果由同步带回。"
    )


def decide(b: DeskBackend, case_id: int, number: str, state: CaseState, d: Decision) -> str:
    if d.returned:
        change = b.act(decisions.county_returned, case_id, "；".join(d.reasons))
        return f"{number} 已录入县级退回，回到{_step_text(change)}重新审查。"
    county = state is CaseState.WITH_COUNTY
    use_case = decisions.record_county_result if county else decisions.decide
    b.act(use_case, case_id, approved=d.approved, result_no=d.result_no, reasons=d.reasons)
    what = "已录入县级审批结果" if county else "已作出决定"
    if d.approved:
        number_text = f"（结果文号 {d.result_no}）" if d.result_no else ""
        return f"{number} {what}：准予{number_text}，已办结，转窗口出件。"
    return f"{number} {what}：不予，已办结，转窗口送达不予决定。"


def post_supplement(
    b: DeskBackend, case_id: int, number: str, missing: Sequence[str], days: int
) -> str:
    b.act(decisions.request_post_supplement, case_id, list(missing), days)
    return (
        f"{number} 已通知受理后补正（{'、'.join(missing)}），办件挂起，预计 {days} 个工作日；"
        "挂起期间不计办理时限。"
    )


def suspend(b: DeskBackend, case_id: int, number: str, reason: str, days: int) -> str:
    b.act(decisions.suspend, case_id, reason.strip(), days)
    return f"{number} 已挂起（{reason.strip()}），预计 {days} 个工作日；挂起期间不计办理时限。"


def resume(b: DeskBackend, case_id: int, number: str) -> str:
    change = b.act(decisions.resume, case_id)
    return f"{number} 已恢复办理（{change.state.label}），{_due_text(change)}。"


def extend(b: DeskBackend, case_id: int, number: str, days: int, reason: str) -> str:
    change = b.act(decisions.extend, case_id, days, reason.strip())
    return f"{number} 已批准延期 {days} 个工作日，{_due_text(change)}。"


def terminate(b: DeskBackend, case_id: int, number: str, reason: str) -> str:
    b.act(decisions.terminate, case_id, reason.strip())
    return f"{number} 已终止办理：{reason.strip()}。"


def reassign(b: DeskBackend, case_id: int, number: str, assignee_id: int, name: str) -> str:
    b.act(decisions.reassign, case_id, assignee_id)
    return f"{number} 已改派给 {name}。"
