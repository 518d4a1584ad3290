"""差评整改: the steps every 差评's rectification task goes through, as a pure state machine that
the workstation and the county judge steps by alike.

核实 (verify: is the complaint founded?) → 整改 (rectify: what was changed; skipped when the
complaint was found unfounded) → 回访 (call the resident back, record the outcome) → 办结 (close).
A real-name 差评 may not be closed without a 回访 (实名差评回访率 100 %); an anonymous one may.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class TaskState(StrEnum):
    TO_VERIFY = "to_verify"  # 待核实
    TO_RECTIFY = "to_rectify"  # 待整改
    TO_CALL_BACK = "to_call_back"  # 待回访
    TO_CLOSE = "to_close"  # 待办结
    CLOSED = "closed"  # 已办结

    @property
    def label(self) -> str:
        return TASK_STATE_LABELS[self]


TASK_STATE_LABELS: Mapping[TaskState, str] = MappingProxyType(
    {
        TaskState.TO_VERIFY: "待核实",
        TaskState.TO_RECTIFY: "待整改",
        TaskState.TO_CALL_BACK: "待回访",
        TaskState.TO_CLOSE: "待办结",
        TaskState.CLOSED: "已办结",
    }
)


class Step(StrEnum):
    VERIFY = "verify"
    RECTIFY = "rectify"
    CALL_BACK = "call_back"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS: Mapping[Step, str] = MappingProxyType(
    {Step.VERIFY: "核实", Step.RECTIFY: "整改", Step.CALL_BACK: "回访", Step.CLOSE: "办结"}
)


class CallBackOutcome(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return CALL_BACK_LABELS[self]


CALL_BACK_LABELS: Mapping[CallBackOutcome, str] = MappingProxyType(
    {
        CallBackOutcome.SATISFIED: "群众表示满意",
        CallBackOutcome.BASICALLY_SATISFIED: "群众表示基本满意",
        CallBackOutcome.DISSATISFIED: "群众仍不满意",
        CallBackOutcome.UNREACHABLE: "多次联系未接通",
    }
)


class StepRefused(ValueError):
    """A step the task's state does not allow; its message is Chinese, for the person."""


def next_state(
    state: TaskState, step: Step, *, founded: bool | None = None, anonymous: bool = False
) -> TaskState:
    """The state after ``step`` is taken in ``state``; :class:`StepRefused` when it may not be.
    ``founded`` is the verify step's finding (required there)."""
    if state is TaskState.CLOSED:
        raise StepRefused("该差评整改已办结，不能再办理。")
    if step is Step.VERIFY:
        if state is not TaskState.TO_VERIFY:
            raise StepRefused("该差评已核实过。")
        if founded is None:
            raise StepRefused("请选择核实结论（属实或不属实）。")
        return TaskState.TO_RECTIFY if founded else TaskState.TO_CALL_BACK
    if step is Step.RECTIFY:
        if state is not TaskState.TO_RECTIFY:
            raise StepRefused("请先核实；核实为不属实的差评无需整改。")
        return TaskState.TO_CALL_BACK
    if step is Step.CALL_BACK:
        if state is not TaskState.TO_CALL_BACK:
            raise StepRefused("请先完成核实和整改，再回访群众。")
        return TaskState.TO_CLOSE
    # Step.CLOSE
    if state is TaskState.TO_CLOSE:
        return TaskState.CLOSED
    if state is TaskState.TO_CALL_BACK and anonymous:
        return TaskState.CLOSED  # an anonymous 差评 leaves no one to call back
    if state is TaskState.TO_CALL_BACK:
        raise StepRefused("实名差评必须回访群众并记录回访结果后才能办结。")
    raise StepRefused("请先完成核实和整改。")
