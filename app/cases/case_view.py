"""A case as the desks display it: the detail (masked) plus the form data as labelled lines
in the template's order, and the actions the viewer's roles may take from its state; where it
stands in the town review, and who it may be reassigned to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor, Role
from app.cases.access import check_visible, require_case_role
from app.cases.decisions import get_case
from app.cases.engine import item_rules, load_item, project
from app.cases.log import PARKED, confirmed_now
from app.cases.queries import CaseDetail, case_detail
from app.catalog.schema import FieldType, FormField, FormTemplate
from app.units.declare import reads
from app.workcalendar import WorkCalendar
from app.workflow.fold import CHINA_TZ
from app.workflow.states import Action, CaseState
from app.workflow.transitions import available
from db.models import (
    ActionConfirmation,
    Case,
    CaseAction,
    FormTemplateVersion,
    OutboxEntry,
    User,
    UserRole,
)

_APPLICANT_LABELS = {
    "name": "姓名（名称）",
    "id_number": "身份证号",
    "uscc": "统一社会信用代码",
    "legal_representative": "法定代表人",
    "phone": "联系电话",
}


@dataclass(frozen=True)
class CaseView:
    detail: CaseDetail
    form_lines: list[tuple[str, str]]
    actions: frozenset[Action]
    item_id: int
    county_note: str | None = None  # where the report to the county stands (上报县级)


def _text(spec: FormField, value: Any) -> list[tuple[str, str]]:
    if value is None or value == "" or value == []:
        return []
    if spec.type is FieldType.CHECKBOX:
        return [(spec.label, "是" if value is True else "否")]
    if spec.type is FieldType.MULTI_SELECT and isinstance(value, list):
        return [(spec.label, "、".join(str(v) for v in value))]
    if spec.type is FieldType.ADDRESS and isinstance(value, dict):
        code = value.get("division_code", "")
        return [(spec.label, f"{value.get('detail', '')}（区划 {code}）")]
    if spec.type is FieldType.APPLICANT and isinstance(value, dict):
        lines = []
        for key, label in _APPLICANT_LABELS.items():
            if value.get(key):
                lines.append((f"{spec.label}{label}", str(value[key])))
        address = value.get("address")
        if isinstance(address, dict) and address.get("detail"):
            lines.append((f"{spec.label}住址", str(address["detail"])))
        return lines
    return [(spec.label, str(value))]


def form_lines(template: FormTemplate, data: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for spec in template.all_fields():
        lines += _text(spec, data.get(spec.key))
    return lines


@reads
def case_view(
    session: Session, actor: Actor, case_id: int, calendar: WorkCalendar, today: dt.date
) -> CaseView:
    detail = case_detail(session, actor, case_id, calendar, today)
    case = session.get(Case, case_id)
    assert case is not None  # case_detail checked it exists and is visible
    template_row = session.get(FormTemplateVersion, case.template_id)
    assert template_row is not None
    template = FormTemplate.model_validate(template_row.content)
    return CaseView(
        detail=detail,
        form_lines=form_lines(template, detail.form_data),
        actions=available(detail.row.state, actor),
        item_id=case.item_id,
        county_note=county_note(session, case_id),
    )


def county_note(session: Session, case_id: int) -> str | None:
    """Whether the case's latest report to the county has reached it, and when (None: never
    reported). The county's decision then comes back by sync."""
    found = session.execute(
        select(OutboxEntry.status, ActionConfirmation.confirmed_at)
        .select_from(CaseAction)
        .outerjoin(OutboxEntry, OutboxEntry.action_id == CaseAction.id)
        .outerjoin(ActionConfirmation, confirmed_now())
        .where(
            CaseAction.case_id == case_id,
            CaseAction.action == Action.REPORT_TO_COUNTY.value,
        )
        .order_by(CaseAction.seq.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    status, confirmed = found
    confirmed_at: dt.datetime | None = confirmed  # an outer join: none until the county confirms
    if confirmed_at is not None:
        return f"已于 {confirmed_at.astimezone(CHINA_TZ):%m-%d %H:%M} 送达县级系统"
    if status == PARKED:
        return "上报被县级系统暂挂，请在“同步”中处理"
    return "上报已排入上传队列，尚未送达县级系统（联网后自动发送）"


@dataclass(frozen=True)
class ReviewProgress:
    """Where a case stands in the town review, for the 审批台's step line and buttons."""

    steps: tuple[str, ...]  # the town review steps' names, in order
    step_roles: tuple[str, ...]  # who handles each (后台审批人员 / 中心负责人)
    current: int | None  # index into ``steps`` while in town review, else None
    opinion_recorded: bool  # the current step already has its opinion
    county: bool  # the county decides (the item has county steps)
    yours: bool = False  # the current step is the viewer's to handle (its role, or supervisor)

    @property
    def current_name(self) -> str:
        return self.steps[self.current] if self.current is not None else ""

    @property
    def has_next(self) -> bool:
        return self.current is not None and self.current + 1 < len(self.steps)


@reads
def review_progress(
    session: Session, actor: Actor, case_id: int, calendar: WorkCalendar
) -> ReviewProgress:
    case = get_case(session, case_id)
    check_visible(actor, case)
    rules = item_rules(load_item(session, case.item_id))
    projection = project(session, case, calendar)
    positions = rules.review_steps
    current = None
    if projection.state is CaseState.IN_REVIEW and projection.current_step in positions:
        current = positions.index(projection.current_step)
    roles = tuple(role.label if (role := rules.step_role(i)) else "" for i in positions)
    role = rules.step_role(positions[current]) if current is not None else None
    return ReviewProgress(
        steps=tuple(rules.steps[i].name for i in positions),
        step_roles=roles,
        current=current,
        opinion_recorded=current is not None and projection.current_step in projection.opinions,
        county=bool(rules.county_steps),
        yours=current is not None and (role is None or actor.has(Role.SUPERVISOR, role)),
    )


@reads
def approver_choices(session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active back-office approvers a case may be reassigned to (改派), by name."""
    require_case_role(actor)
    rows = session.execute(
        select(User.id, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role_code == Role.APPROVER.value, User.active)
        .order_by(User.display_name, User.id)
    )
    return [(user_id, name) for user_id, name in rows]
