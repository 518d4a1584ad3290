"""Checks that depend on the item's steps, the case's projection or the action's payload.

Role and state are checked by ``transitions.find``; these run after it, before anything is
written. Each failure names the field (``ValidationError``) or explains the state
(``IllegalTransition``) in Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.actor import Actor, Role
from app.errors import IllegalTransition, PermissionDenied, ValidationError
from app.workcalendar import WorkCalendar, natural_deadline, working_deadline
from app.workflow.fold import Projection
from app.workflow.rules import ItemRules
from app.workflow.states import Action, CaseState

DELIVERY_METHODS = {"window": "窗口领取", "mail": "邮寄送达", "proxy": "代办员代领"}
RESULTS = {"approved": "准予", "denied": "不予"}


class GuardContext:
    def __init__(
        self,
        proj: Projection,
        rules: ItemRules,
        payload: Mapping[str, Any],
        actor: Actor,
        calendar: WorkCalendar,
        today: dt.date,
    ) -> None:
        self.proj = proj
        self.rules = rules
        self.payload = payload
        self.actor = actor
        self.calendar = calendar
        self.today = today

    def text(self, key: str, label: str) -> str:
        value = self.payload.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(label, f"请填写{label}。")
        return value.strip()

    def texts(self, key: str, label: str) -> list[str]:
        value = self.payload.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise ValidationError(label, f"请至少填写一条{label}。")
        return value

    def positive_int(self, key: str, label: str) -> int:
        value = self.payload.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValidationError(label, f"{label}必须是正整数。")
        return value

    def promised_due(self, accepted_on: dt.date) -> dt.date:
        compute = natural_deadline if self.rules.promised_unit == "natural" else working_deadline
        return compute(self.calendar, accepted_on, self.rules.promised_days).due


def _missing_required(g: GuardContext) -> set[str]:
    return set(g.rules.required_materials) - set(g.proj.received_materials)


MATERIALS_FIELD = "必交材料"


def _accept(g: GuardContext) -> None:
    missing = _missing_required(g)
    if missing:
        raise ValidationError(
            MATERIALS_FIELD,
            f"以下必交材料未收齐，不能直接受理：{g.rules.named(missing)}。"
            "可出具一次性告知，或对允许容缺的材料办理容缺受理。",
        )


def not_deferrable(rules: ItemRules, pending: Iterable[str]) -> str | None:
    """Why these materials may not be left for later under 容缺, or None (the desk asks before
    it offers the 容缺 panel; the guard asks again before anything is written)."""
    refused = [m for m in pending if m not in rules.deficiency_allowed]
    if not refused:
        return None
    return f"以下材料不允许容缺：{rules.named(refused)}；主要材料必须齐全，可出具一次性告知。"


def _accept_with_deficiency(g: GuardContext) -> None:
    pending = g.texts("pending_materials", "容缺材料")
    refused = not_deferrable(g.rules, pending)
    if refused is not None:
        raise ValidationError("容缺材料", refused)
    still_missing = _missing_required(g) - set(pending)
    if still_missing:
        raise ValidationError(
            MATERIALS_FIELD,
            f"除容缺材料外，以下必交材料仍未收齐：{g.rules.named(still_missing)}。",
        )
    if g.payload.get("commitment") is not True:
        raise ValidationError("容缺受理承诺书", "容缺受理须由申请人签署《容缺受理承诺书》。")
    raw_due = g.payload.get("deficiency_due")
    try:
        due = dt.date.fromisoformat(raw_due) if isinstance(raw_due, str) else None
    except ValueError:
        due = None
    if due is None:
        raise ValidationError("补交期限", "请填写容缺材料的补交期限（日期）。")
    limit = g.promised_due(g.today)
    if not g.today < due <= limit:
        raise ValidationError(
            "补交期限",
            f"容缺材料补交期限须在今天之后、不晚于承诺办结日 {limit.isoformat()}。",
        )


def _request_supplement(g: GuardContext) -> None:
    missing = g.payload.get("missing")
    if not isinstance(missing, list) or not missing:
        raise ValidationError("补正材料清单", "一次性告知书须列明全部需补正的材料。")
    for entry in missing:
        if not isinstance(entry, Mapping) or not str(entry.get("name", "")).strip():
            raise ValidationError("补正材料清单", "每一项补正材料都要写明材料名称。")


def _refuse(g: GuardContext) -> None:
    g.texts("reasons", "不予受理理由")


def _supply_deficient(g: GuardContext) -> None:
    if not g.proj.deficiency:
        raise IllegalTransition("本办件没有待补交的容缺材料。")
    supplied = g.texts("materials", "补交材料")
    unknown = [m for m in supplied if m not in g.proj.pending_materials]
    if unknown:
        raise ValidationError("补交材料", f"以下材料不在容缺清单中：{'、'.join(unknown)}。")


def _start_review(g: GuardContext) -> None:
    if not g.rules.review_steps:
        raise IllegalTransition("本事项没有乡镇审查环节，受理后应直接上报县级或当场办结。")


def _current_step_role_ok(g: GuardContext) -> None:
    step = g.proj.current_step
    assert step is not None
    role = g.rules.step_role(step)
    if role is not None and role not in g.actor.roles and Role.SUPERVISOR not in g.actor.roles:
        name = g.rules.steps[step].name
        raise PermissionDenied(f"「{name}」环节由{role.label}办理。")


def _record_opinion(g: GuardContext) -> None:
    if g.proj.current_step is None:
        raise IllegalTransition("办件当前不在乡镇审查环节，不能填写审查意见。")
    _current_step_role_ok(g)
    g.text("opinion", "审查意见")


def _require_opinion_on_current(g: GuardContext) -> None:
    step = g.proj.current_step
    if step is None or step not in g.proj.opinions:
        raise IllegalTransition("请先填写当前环节的审查意见。")


def _next_step(g: GuardContext) -> None:
    _require_opinion_on_current(g)
    current = g.proj.current_step
    assert current is not None
    if not any(i > current for i in g.rules.review_steps):
        raise IllegalTransition("已是最后一个乡镇审查环节，请上报县级或办结。")


def _town_review_done(g: GuardContext) -> None:
    _require_opinion_on_current(g)
    if g.proj.current_step != g.rules.review_steps[-1]:
        raise IllegalTransition("乡镇审查环节尚未全部完成。")


def _report_to_county(g: GuardContext) -> None:
    if not g.rules.county_steps:
        raise IllegalTransition("本事项由乡镇办结，无需上报县级。")
    if g.proj.state is CaseState.ACCEPTED:
        if g.rules.review_steps:
            raise IllegalTransition("请先完成乡镇审查环节再上报县级。")
        return
    _town_review_done(g)


def _county_returned(g: GuardContext) -> None:
    g.text("reason", "退回原因")


def _decide(g: GuardContext) -> None:
    result = g.payload.get("result")
    if result not in RESULTS:
        raise ValidationError("办理结果", "办理结果须为“准予”或“不予”。")
    if result == "denied":
        g.texts("reasons", "不予理由")
    if g.proj.deficiency:
        raise IllegalTransition("容缺材料尚未补齐，不能办结；逾期未补齐的应终止办理。")
    state = g.proj.state
    if state is CaseState.ACCEPTED:
        if g.rules.review_steps or g.rules.county_steps:
            raise IllegalTransition("本事项不是即办件，须经审查环节后办结。")
    elif state is CaseState.IN_REVIEW:
        if g.rules.county_steps:
            raise IllegalTransition("本事项须由县级决定，请上报县级。")
        _town_review_done(g)
        _current_step_role_ok(g)


def _deliver(g: GuardContext) -> None:
    method = g.payload.get("method")
    if method not in DELIVERY_METHODS:
        raise ValidationError("出件方式", "出件方式须为窗口领取、邮寄送达或代办员代领。")
    if method == "mail":
        g.text("tracking_no", "邮件单号")
        g.text("address", "邮寄地址")
    else:
        g.text("collector_name", "领取人姓名")
    if method == "proxy":
        g.text("authorization_no", "代办委托书编号")


def _suspend(g: GuardContext) -> None:
    g.text("reason", "挂起原因")
    g.positive_int("expected_days", "预计时长（工作日）")


def _extend(g: GuardContext) -> None:
    g.positive_int("days", "延长天数")
    g.text("reason", "延期理由")


def _reason(label: str) -> Callable[[GuardContext], None]:
    def check(g: GuardContext) -> None:
        g.text("reason", label)

    return check


def _reassign(g: GuardContext) -> None:
    value = g.payload.get("assignee")
    if not isinstance(value, str) or not value:
        raise ValidationError("承办人", "请选择新的承办人。")


GUARDS: dict[Action, Callable[[GuardContext], None]] = {
    Action.ACCEPT: _accept,
    Action.ACCEPT_WITH_DEFICIENCY: _accept_with_deficiency,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.REFUSE: _refuse,
    Action.SUPPLY_DEFICIENT: _supply_deficient,
    Action.START_REVIEW: _start_review,
    Action.RECORD_OPINION: _record_opinion,
    Action.NEXT_STEP: _next_step,
    Action.REPORT_TO_COUNTY: _report_to_county,
    Action.COUNTY_RETURNED: _county_returned,
    Action.DECIDE: _decide,
    Action.DELIVER: _deliver,
    Action.SUSPEND: _suspend,
    Action.EXTEND: _extend,
    Action.WITHDRAW: _reason("撤回原因"),
    Action.TERMINATE: _reason("终止原因"),
    Action.REASSIGN: _reassign,
}


def check(g: GuardContext, action: Action) -> None:
    guard = GUARDS.get(action)
    if guard is not None:
        guard(g)
