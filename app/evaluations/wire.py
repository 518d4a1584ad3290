"""The operations that carry 好差评 to the county, and the copies the centre takes down.

- ``evaluation.record`` (key: the evaluation's uid): one rating, made at the window (评价器) or,
  by the county itself, from the resident's phone; the county numbers the case's evaluations
  (``assess_number``: 1, 2, … per case, as the national interface counts them).
- ``rectification.step`` (key: the evaluation's uid, so a task's steps go up in order): one step
  of a 差评's rectification task, judged at the county by :func:`app.evaluations.rectification.
  next_state` like at the workstation.

A workstation of the centre takes down every evaluation of the centre with its task's steps
(``EvaluationCopy``), so the supervisor's PC works on the 差评 a window PC took, or a phone gave.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.evaluations.levels import MAX_TEXT, Channel, Level, Reason, Service
from app.evaluations.rectification import CallBackOutcome, Step, TaskState

EVALUATION: Final = "evaluation.record"
RECTIFICATION: Final = "rectification.step"
EVALUATION_KINDS: Final = frozenset({EVALUATION, RECTIFICATION})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvaluationTerms(_Frozen):
    """One rating. ``level`` is the GB/T 39046 A.8 code (1 = 非常满意)."""

    uid: str = Field(min_length=36, max_length=36)
    case_uid: str = Field(min_length=36, max_length=36)
    service: Service
    # The case action the rating is of (a window rating); None for a rating of the whole case.
    service_op_id: str | None = Field(default=None, min_length=36, max_length=36)
    channel: Channel
    level: Level
    reasons: tuple[Reason, ...] = ()
    text: str = Field(default="", max_length=MAX_TEXT)
    anonymous: bool = False  # the resident asked not to be called back
    staff: str | None = None  # the username of the person who served
    window: str | None = None  # the workstation (window) it was given at
    assessed_at: dt.datetime

    @model_validator(mode="after")
    def _reasons_fit_the_level(self) -> Self:
        if self.level.is_bad and not self.reasons:
            raise ValueError("差评须至少选择一项原因")
        if not self.level.is_bad and self.reasons:
            raise ValueError("只有差评才选择原因")
        if self.channel is Channel.WINDOW and self.service_op_id is None:
            raise ValueError("窗口现场评价须注明所评价的服务")
        return self


class StepTerms(_Frozen):
    """One step of a 差评's rectification task."""

    evaluation_uid: str = Field(min_length=36, max_length=36)
    step: Step
    note: str = Field(min_length=1, max_length=MAX_TEXT)
    founded: bool | None = None  # verify: was the complaint founded?
    outcome: CallBackOutcome | None = None  # call_back: what the resident said
    taken_at: dt.datetime

    @model_validator(mode="after")
    def _fields_fit_the_step(self) -> Self:
        if (self.step is Step.VERIFY) != (self.founded is not None):
            raise ValueError("核实结论只在核实这一步填写，且必须填写")
        if (self.step is Step.CALL_BACK) != (self.outcome is not None):
            raise ValueError("回访结果只在回访这一步填写，且必须填写")
        return self


class TakenStep(StepTerms):
    """A step as the county applied it: who took it, and the op_id of the operation that carried
    it (the envelope's; a workstation knows a step it already holds by it)."""

    op_id: str = Field(min_length=36, max_length=36)
    actor: str = Field(min_length=1)


class EvaluationCopy(_Frozen):
    """One evaluation of the centre as the county holds it, for the workstations to take down."""

    cursor: int = Field(ge=1)  # the feed's order: changes when a step is added
    terms: EvaluationTerms
    assess_number: int = Field(ge=1)  # 评价次数: this case's evaluations, in the county's order
    receipt_no: str
    official_no: str | None
    task_state: TaskState | None  # None: not a 差评
    steps: tuple[TakenStep, ...] = ()


class Evaluations(_Frozen):
    """A page of the evaluation feed: ``more`` when the next one should be asked for."""

    evaluations: tuple[EvaluationCopy, ...]
    more: bool
