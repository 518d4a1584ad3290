"""Checking one field as the clerk types (no Qt here).

The authority is ``app.forms.check_form``; this module decides what of it to show while the
form is still being filled in. Until the clerk asks for a full check, an empty field is not
nagged about, and of a composite field (address, applicant) only the parts already typed are
checked, so leaving the ID number for the phone does not complain that the phone is empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.catalog.conditions import is_empty
from app.catalog.schema import ApplicantKind, FieldType, FormField, FormTemplate
from app.forms import APPLICANT_PARTS, CodeCheck, FormCheck, check_form
from app.validators import check_division_code
from ui.form.style import ERROR, WARNING


@dataclass(frozen=True)
class Message:
    """What to show under a field: severity "error" or "warning", the text, and which part of a
    composite field it is about (None: the field as a whole)."""

    severity: str
    text: str
    part: str | None = None


def address_message(
    value: Mapping[str, Any],
    label: str,
    *,
    insist: bool,
    prefix: str = "",
    check_code: CodeCheck = check_division_code,
) -> Message | None:
    code = str(value.get("division_code") or "").strip()
    warning: Message | None = None
    if code or insist:
        result = check_code(code, f"{label}的区划代码")
        if result.error:
            return Message(ERROR, result.error, f"{prefix}division_code")
        if result.warning:  # a code of another county, by the centre's setting
            warning = Message(WARNING, result.warning, f"{prefix}division_code")
    if insist and not str(value.get("detail") or "").strip():
        return Message(ERROR, f"请填写{label}的详细地址", f"{prefix}detail")
    return warning


def applicant_message(
    value: Mapping[str, Any], *, insist: bool, check_code: CodeCheck = check_division_code
) -> Message | None:
    """The first problem of an applicant block; with ``insist``, empty parts count too."""
    try:
        kind = ApplicantKind(str(value.get("kind")))
    except ValueError:
        kind = ApplicantKind.NATURAL_PERSON
    warning: Message | None = None
    for part, label, checker in APPLICANT_PARTS[kind]:
        raw = str(value.get(part) or "").strip()
        if not raw:
            if insist:
                return Message(ERROR, f"请填写{label}", part)
            continue
        if checker is not None:
            result = checker(raw, label)
            if result.error:
                return Message(ERROR, result.error, part)
            if result.warning and warning is None:
                warning = Message(WARNING, result.warning, part)
    address = value.get("address")
    if isinstance(address, Mapping) and address:
        problem = address_message(
            address, "申请人住址", insist=insist, prefix="address_", check_code=check_code
        )
        if problem is not None and (problem.severity == ERROR or warning is None):
            return problem
    return warning


def _missing(spec: FormField, value: Any) -> bool:
    return value is not True if spec.type is FieldType.CHECKBOX else is_empty(value)


def _partial(
    spec: FormField, value: Any, *, insist: bool, check_code: CodeCheck = check_division_code
) -> Message | None:
    if not isinstance(value, Mapping):
        return None
    if spec.type is FieldType.APPLICANT:
        return applicant_message(value, insist=insist, check_code=check_code)
    if spec.type is FieldType.ADDRESS:
        return address_message(value, spec.label, insist=insist, check_code=check_code)
    return None


def from_check(
    spec: FormField, value: Any, check: FormCheck, check_code: CodeCheck = check_division_code
) -> Message | None:
    """The message ``check`` holds for ``spec``, with the composite part it concerns."""
    for severity, found in ((ERROR, check.problems), (WARNING, check.warnings)):
        for problem in found:
            if problem.key == spec.key:
                partial = _partial(spec, value, insist=True, check_code=check_code)
                return Message(severity, problem.message, partial.part if partial else None)
    return None


def field_message(
    template: FormTemplate,
    spec: FormField,
    data: Mapping[str, Any],
    *,
    insist: bool,
    check_code: CodeCheck = check_division_code,
) -> Message | None:
    """What to show under ``spec`` for the current ``data`` (None: nothing).

    ``insist`` is set once the clerk has asked for a full check: then missing values are named.
    ``check_code`` checks 区划代码 as the form's centre does (``app.divisions``).
    """
    value = data.get(spec.key)
    composite = spec.type in (FieldType.APPLICANT, FieldType.ADDRESS)
    if composite and not insist:
        return _partial(spec, value, insist=False, check_code=check_code)
    if not composite and not insist and _missing(spec, value):
        return None
    return from_check(spec, value, check_form(template, data, check_code), check_code)
