"""The workstations' 好差评 operations at the county: ``evaluation.record`` (a window rating) and
``rectification.step`` (a step of a 差评's task), judged and applied through
``county/evaluations.py`` in the push's transaction (``county/apply.py`` keeps their op_ids in
``applied_ops``, so a repeat is ``replayed`` and a reused op_id refused).

A window rating is taken when its terms parse, its actor is an active account of the centre, its
case is the centre's and the rated service is an action of that case, and the service was not
rated at the window before. A step is taken when its actor is an active 中心负责人 (supervisor)
of the centre, the evaluation is the centre's, and its task's state allows the step.

An evaluation pushed before the county has its case, or the action it rates (another
workstation's, not yet pushed), is answered ``held`` (``E409-NOT-YET``): the workstation keeps it
queued and sends it again at the next sync, rather than parking it; so is a step of an evaluation
the county does not have yet. Every other refusal is ``rejected`` with its code, nothing written.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import ValidationError as WireError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Role
from app.evaluations.levels import Channel
from app.evaluations.wire import EVALUATION, EvaluationTerms, StepTerms
from app.outbox.envelope import Envelope
from app.sync.protocol import OpAnswer, rejected
from county.evaluations import EvaluationRefused, add_evaluation, add_step
from county.store.models import Account, CaseActionRow, CountyCase, CountyEvaluation, Workstation
from county.wording import complaint

NOT_YET: Final = "E409-NOT-YET"  # answered ``held``: what it names is still to come to the county


def apply_evaluation_op(session: Session, workstation: Workstation, envelope: Envelope) -> OpAnswer:
    """Apply an ``evaluation.record`` or a ``rectification.step`` in the caller's transaction:
    ``applied``, ``held`` (sent again later) or ``rejected`` with nothing written."""
    if envelope.kind == EVALUATION:
        return _record(session, workstation, envelope)
    return _step(session, workstation, envelope)


def _record(session: Session, workstation: Workstation, envelope: Envelope) -> OpAnswer:
    op_id = envelope.op_id
    try:
        terms = EvaluationTerms.model_validate(envelope.payload)
    except WireError as error:
        return rejected(op_id, "E422-FORMAT", f"评价格式不正确：{_complaint(error)}")
    if terms.channel is not Channel.WINDOW:
        return rejected(
            op_id, "E422-CHANNEL", "工作站只能登记窗口现场评价；扫码评价由群众在手机上提交。"
        )
    if (stranger := _not_of_centre(session, workstation, envelope)) is not None:
        return stranger
    case = session.scalar(select(CountyCase).where(CountyCase.uid == terms.case_uid))
    if case is None:
        return _held(op_id, "县级系统尚无所评价的办件；本评价留在本机，待办件上报后再送。")
    if case.centre_code != workstation.centre_code:
        return rejected(op_id, "E403-FORGED", "所评价的办件不属于本中心。")
    assert terms.service_op_id is not None  # a window rating names its service (EvaluationTerms)
    if (
        session.scalar(select(CaseActionRow.id).where(CaseActionRow.op_id == terms.service_op_id))
        is None
    ):
        return _held(op_id, "县级系统尚无所评价的这次服务的办理记录；本评价留在本机，稍后再送。")
    try:
        add_evaluation(session, case, terms)
    except EvaluationRefused as refused:
        return rejected(op_id, refused.code, refused.message)
    return OpAnswer(op_id=op_id, outcome="applied")


def _step(session: Session, workstation: Workstation, envelope: Envelope) -> OpAnswer:
    op_id = envelope.op_id
    try:
        terms = StepTerms.model_validate(envelope.payload)
    except WireError as error:
        return rejected(op_id, "E422-FORMAT", f"差评整改步骤格式不正确：{_complaint(error)}")
    if (stranger := _not_of_centre(session, workstation, envelope)) is not None:
        return stranger
    account = session.get(Account, envelope.actor.username)
    assert account is not None  # _not_of_centre found it
    if Role.SUPERVISOR.value not in account.roles:
        return rejected(
            op_id, "E403-ROLE", f"账号 {account.username} 不是中心负责人，不能办理差评整改。"
        )
    evaluation = session.scalar(
        select(CountyEvaluation).where(CountyEvaluation.uid == terms.evaluation_uid)
    )
    if evaluation is None:
        return _held(op_id, "县级系统尚无该差评；本整改步骤留在本机，待差评上报后再送。")
    if evaluation.centre_code != workstation.centre_code:
        return rejected(op_id, "E403-FORGED", "该差评不属于本中心。")
    try:
        add_step(session, evaluation, terms, actor=account.username, op_id=op_id)
    except EvaluationRefused as refused:
        return rejected(op_id, refused.code, refused.message)
    return OpAnswer(op_id=op_id, outcome="applied")


def _not_of_centre(
    session: Session, workstation: Workstation, envelope: Envelope
) -> OpAnswer | None:
    """The refusal of an actor who is not an active account of the workstation's centre."""
    name = envelope.actor.username
    account = session.get(Account, name)
    if account is None or account.centre_code != workstation.centre_code or not account.active:
        return rejected(envelope.op_id, "E403-ACTOR", f"账号 {name} 不是本中心的在岗账号。")
    return None


def _held(op_id: str, message: str) -> OpAnswer:
    return OpAnswer(op_id=op_id, outcome="held", code=NOT_YET, message=message)


def _complaint(error: WireError) -> str:
    """The first problem, in Chinese: a field's (``level 取值不在允许的范围内``) or the terms'
    own rule (``差评须至少选择一项原因``)."""
    first: dict[str, Any] = dict(error.errors()[0])
    if first.get("type") == "value_error":
        return str(first.get("ctx", {}).get("error", first.get("msg", "")))
    return complaint(first)
