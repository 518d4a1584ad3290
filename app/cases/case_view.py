"""A case as the desks display it: the detail (masked) plus the form data as labelled lines
in the template's order, and the actions the viewer's roles may take from its state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases.queries import CaseDetail, case_detail
from app.catalog.schema import FieldType, FormField, FormTemplate
from app.workcalendar import WorkCalendar
from app.workflow.states import Action
from app.workflow.transitions import available
from db.models import Case, FormTemplateVersion

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
    )
