"""Form data checked against its template version: every problem, each naming its field.

The template decides which fields are visible and required for the data at hand (conditions);
hidden fields are dropped from the saved data so nothing the clerk could not see is stored.
Values are checked by type, with the ID, credit-code and phone validators; a credit code whose
check character fails is a warning only (some real early codes fail it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from app.catalog.conditions import is_empty
from app.catalog.schema import ApplicantKind, FieldType, FormField, FormTemplate
from app.errors import AppError
from app.validators import Check, check_division_code, check_id_number, check_phone, check_uscc

#: Checks a 区划代码 (text, label): ``check_division_code`` (form only) by default, or a centre's
#: ``app.divisions.policy.CentreDivisions.check`` (its county and village list too).
CodeCheck = Callable[[str, str], Check]


@dataclass(frozen=True)
class FieldProblem:
    key: str
    label: str
    message: str


@dataclass
class FormCheck:
    problems: list[FieldProblem] = field(default_factory=list)
    warnings: list[FieldProblem] = field(default_factory=list)
    cleaned: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class FormInvalid(AppError):
    """The form has problems; ``problems`` names every one."""

    code = "E101"

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("表单填写有误：\n" + "\n".join(p.message for p in problems))
        self.problems = problems


def _apply_check(check: Check) -> tuple[str | None, str | None, str]:
    return check.error, check.warning, check.value


def _number(value: Any, integer: bool) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if integer:
        return Decimal(value) if isinstance(value, int) else None
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _check_scalar(
    spec: FormField, value: Any, check_code: CodeCheck = check_division_code
) -> tuple[str | None, str | None, Any]:
    """(error, warning, cleaned value) for one non-empty value."""
    label = spec.label
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            return f"{label}应为文字", None, value
        text = value.strip()
        if spec.max_length is not None and len(text) > spec.max_length:
            return f"{label}不能超过{spec.max_length}个字", None, text
        if spec.pattern is not None and not re.fullmatch(spec.pattern, text):
            return f"{label}格式不正确", None, text
        return None, None, text
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        number = _number(value, kind is FieldType.INTEGER)
        if number is None:
            return f"{label}应为{'整数' if kind is FieldType.INTEGER else '数字'}", None, value
        if spec.min is not None and number < Decimal(str(spec.min)):
            return f"{label}不能小于{spec.min}", None, value
        if spec.max is not None and number > Decimal(str(spec.max)):
            return f"{label}不能大于{spec.max}", None, value
        return None, None, int(number) if kind is FieldType.INTEGER else str(number)
    if kind is FieldType.DATE:
        try:
            return None, None, dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            return f"{label}应为日期（年-月-日）", None, value
    if kind is FieldType.SELECT:
        if value not in (spec.options or []):
            return f"{label}请从选项中选择", None, value
        return None, None, value
    if kind is FieldType.MULTI_SELECT:
        if not isinstance(value, list) or any(v not in (spec.options or []) for v in value):
            return f"{label}请从选项中选择", None, value
        return None, None, value
    if kind is FieldType.CHECKBOX:
        if not isinstance(value, bool):
            return f"{label}应为勾选项", None, value
        return None, None, value
    if kind is FieldType.ID_NUMBER:
        return _apply_check(check_id_number(str(value), label))
    if kind is FieldType.USCC:
        return _apply_check(check_uscc(str(value), label))
    if kind is FieldType.PHONE:
        return _apply_check(check_phone(str(value), label))
    if kind is FieldType.ADDRESS:
        return _check_address(value, label, check_code)
    if kind is FieldType.APPLICANT:
        return check_applicant_block(spec, value, check_code)
    raise AssertionError(kind)


def _check_address(
    value: Any, label: str, check_code: CodeCheck = check_division_code
) -> tuple[str | None, str | None, Any]:
    if not isinstance(value, Mapping):
        return f"{label}应包含区划代码和详细地址", None, value
    code = check_code(str(value.get("division_code", "")), f"{label}的区划代码")
    detail = str(value.get("detail", "")).strip()
    if code.error:
        return code.error, None, value
    if not detail:
        return f"请填写{label}的详细地址", None, value
    return None, code.warning, {"division_code": code.value, "detail": detail}


# The parts of an applicant block and the labels their messages use (the inline checks too).
APPLICANT_PARTS: dict[
    ApplicantKind, tuple[tuple[str, str, Callable[[str, str], Check] | None], ...]
] = {
    ApplicantKind.NATURAL_PERSON: (
        ("name", "申请人姓名", None),
        ("id_number", "申请人居民身份证号", check_id_number),
        ("phone", "申请人联系电话", check_phone),
    ),
    ApplicantKind.LEGAL_PERSON: (
        ("name", "申请单位名称", None),
        ("uscc", "统一社会信用代码", check_uscc),
        ("legal_representative", "法定代表人", None),
        ("phone", "联系电话", check_phone),
    ),
}


def check_applicant_block(
    spec: FormField, value: Any, check_code: CodeCheck = check_division_code
) -> tuple[str | None, str | None, Any]:
    if not isinstance(value, Mapping):
        return f"请填写{spec.label}", None, value
    try:
        kind = ApplicantKind(str(value.get("kind")))
    except ValueError:
        return f"{spec.label}须选择自然人或法人", None, value
    if kind not in (spec.applicant_kinds or []):
        return (
            f"本事项不受理{'法人' if kind is ApplicantKind.LEGAL_PERSON else '自然人'}申请",
            None,
            value,
        )
    cleaned: dict[str, Any] = {"kind": kind.value}
    warning = None
    for key, label, checker in APPLICANT_PARTS[kind]:
        raw = str(value.get(key, "") or "").strip()
        if not raw:
            return f"请填写{label}", None, value
        if checker is not None:
            result = checker(raw, label)
            if result.error:
                return result.error, None, value
            warning = warning or result.warning
            raw = result.value
        cleaned[key] = raw
    address = value.get("address")
    if address:
        error, address_warning, clean_address = _check_address(address, "申请人住址", check_code)
        if error:
            return error, None, value
        warning = warning or address_warning
        cleaned["address"] = clean_address
    return None, warning, cleaned


def missing_text(spec: FormField) -> str:
    """What a required field left empty says: a check box is ticked (勾选), the rest filled in."""
    return f"请勾选{spec.label}" if spec.type is FieldType.CHECKBOX else f"请填写{spec.label}"


def check_form(
    template: FormTemplate, data: Mapping[str, Any], check_code: CodeCheck = check_division_code
) -> FormCheck:
    """Every problem in ``data`` for ``template``; ``cleaned`` holds the visible, tidied values.
    ``check_code`` checks the 区划代码 of every address (the centre's county and villages)."""
    result = FormCheck()
    states = template.field_states(data)
    known = {f.key for f in template.all_fields()}
    for key in data:
        if key not in known:
            result.problems.append(FieldProblem(key, key, f"表单中没有“{key}”这一项"))
    for spec in template.all_fields():
        state = states[spec.key]
        if not state.visible:
            continue
        value = data.get(spec.key)
        missing = (
            value is not True
            if spec.type is FieldType.CHECKBOX and state.required
            else is_empty(value)
        )
        if missing:
            if state.required:
                result.problems.append(FieldProblem(spec.key, spec.label, missing_text(spec)))
            continue
        error, warning, cleaned = _check_scalar(spec, value, check_code)
        if error:
            result.problems.append(FieldProblem(spec.key, spec.label, error))
            continue
        if warning:
            result.warnings.append(FieldProblem(spec.key, spec.label, warning))
        result.cleaned[spec.key] = cleaned
    return result
