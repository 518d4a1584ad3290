"""The rules on form fields: :func:`field_rules` (options, bounds, pattern, applicant kinds and
default of one field), and the checks of ``visible_if`` / ``required_if`` conditions against the
fields they name (:func:`condition_problems`, :func:`visibility_cycles`) that
:func:`~app.catalog.schema.templates.template_rules` runs."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from app.catalog.conditions import (
    VALUELESS_OPS,
    ConditionOp,
    ConditionT,
    FieldCondition,
    leaves,
    referenced_keys,
)
from app.catalog.schema.base import Problem
from app.catalog.schema.fields import FormField
from app.catalog.schema.vocabulary import FieldType

_TEXTUAL = frozenset(
    {
        FieldType.TEXT,
        FieldType.TEXTAREA,
        FieldType.ID_NUMBER,
        FieldType.USCC,
        FieldType.PHONE,
        FieldType.DATE,
    }
)
_NUMERIC = frozenset({FieldType.INTEGER, FieldType.DECIMAL})
_COMPOSITE = frozenset({FieldType.ADDRESS, FieldType.APPLICANT})

_ALLOWED_OPS: dict[FieldType, frozenset[ConditionOp]] = {
    **{
        t: frozenset(
            {ConditionOp.EQUALS, ConditionOp.NOT_EQUALS, ConditionOp.IN, ConditionOp.NOT_EMPTY}
        )
        for t in (*_TEXTUAL, *_NUMERIC, FieldType.SELECT)
    },
    FieldType.MULTI_SELECT: frozenset({ConditionOp.CONTAINS, ConditionOp.NOT_EMPTY}),
    FieldType.CHECKBOX: frozenset(
        {ConditionOp.IS_TRUE, ConditionOp.EQUALS, ConditionOp.NOT_EQUALS}
    ),
    FieldType.ADDRESS: frozenset({ConditionOp.NOT_EMPTY}),
    FieldType.APPLICANT: frozenset({ConditionOp.NOT_EMPTY}),
}


def _is_iso_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _scalar_problem(spec: FormField, value: object) -> str | None:
    """Why ``value`` cannot be a (single) value of ``spec``, or None when it can."""
    kind = spec.type
    if kind in _TEXTUAL:
        if not isinstance(value, str):
            return "应为字符串"
        if kind is FieldType.DATE and not _is_iso_date(value):
            return f"“{value}”不是 YYYY-MM-DD 格式的有效日期"
        return None
    if kind in _NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "应为数字"
        if kind is FieldType.INTEGER and not (isinstance(value, int) or float(value).is_integer()):
            return "应为整数"
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if spec.min is not None and number < spec.min:
            return f"{value} 小于字段下限 {spec.min}"
        if spec.max is not None and number > spec.max:
            return f"{value} 大于字段上限 {spec.max}"
        return None
    if kind is FieldType.CHECKBOX:
        return None if isinstance(value, bool) else "应为 true 或 false"
    if kind in (FieldType.SELECT, FieldType.MULTI_SELECT):
        if not isinstance(value, str):
            return "应为字符串（选项之一）"
        if spec.options and value not in spec.options:  # no options: reported on its own
            return f"“{value}”不在字段“{spec.label}”的选项中"
        return None
    return f"{spec.type.value} 类型字段不能设置取值"


def _default_problem(spec: FormField) -> str | None:
    value = spec.default
    if value is None:
        return None
    if spec.type in _COMPOSITE:
        return f"{spec.type.value} 类型字段不能设置默认值"
    if spec.type is FieldType.MULTI_SELECT:
        if not isinstance(value, list):
            return "多选字段的默认值应为选项数组"
        for element in value:
            problem = _scalar_problem(spec, element)
            if problem is not None:
                return problem
        if len(set(map(str, value))) != len(value):
            return "默认值中有重复选项"
        return None
    return _scalar_problem(spec, value)


def condition_problems(
    spec: FormField, attr: str, condition: ConditionT, by_key: Mapping[str, FormField]
) -> list[Problem]:
    problems: list[Problem] = []
    for sub_path, leaf in leaves(condition):
        path = f"{attr}{sub_path}"
        if leaf.field == spec.key:
            problems.append((f"{path}.field", f"条件不能引用字段自身（“{spec.key}”）"))
            continue
        target = by_key.get(leaf.field)
        if target is None:
            problems.append((f"{path}.field", f"条件引用的字段“{leaf.field}”在本模板中不存在"))
            continue
        problem = _leaf_problem(leaf, target)
        if problem is not None:
            problems.append((f"{path}.{problem[0]}", problem[1]))
    return problems


def _leaf_problem(leaf: FieldCondition, target: FormField) -> Problem | None:
    """Whether operator and operand fit the referenced field: (key within the leaf, message)."""
    op = leaf.op
    if op not in _ALLOWED_OPS[target.type]:
        allowed = "、".join(sorted(o.value for o in _ALLOWED_OPS[target.type]))
        return ("op", f"运算符 {op.value} 不适用于 {target.type.value} 类型字段（可用：{allowed}）")
    if op in VALUELESS_OPS:
        return None if leaf.value is None else ("value", f"运算符 {op.value} 不需要 value")
    if leaf.value is None:
        return ("value", f"运算符 {op.value} 需要 value")
    if op is ConditionOp.IN:
        if not isinstance(leaf.value, list) or not leaf.value:
            return ("value", "运算符 in 的 value 应为非空数组")
        for index, element in enumerate(leaf.value):
            problem = _scalar_problem(target, element)
            if problem is not None:
                return (f"value[{index}]", problem)
        if len({json.dumps(v, sort_keys=True) for v in leaf.value}) != len(leaf.value):
            return ("value", "运算符 in 的 value 中有重复取值")
        return None
    problem = _scalar_problem(target, leaf.value)
    return None if problem is None else ("value", problem)


def visibility_cycles(fields: Sequence[FormField]) -> list[list[str]]:
    graph = {
        f.key: sorted(referenced_keys(f.visible_if) - {f.key}) if f.visible_if else []
        for f in fields
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on stack, 2 = done
    stack: list[str] = []

    def visit(key: str) -> None:
        state[key] = 1
        stack.append(key)
        for dep in graph.get(key, []):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[key] = 2

    for key in graph:
        if key not in state:
            visit(key)
    return cycles


def field_rules(path: str, spec: FormField) -> list[Problem]:
    """Rules on one field on its own (options, bounds, pattern, applicant kinds, default)."""
    problems: list[Problem] = []
    kind = spec.type
    choice = kind in (FieldType.SELECT, FieldType.MULTI_SELECT)
    if choice:
        if not spec.options:
            problems.append((f"{path}.options", f"{kind.value} 字段必须提供非空的 options"))
        elif len(set(spec.options)) != len(spec.options):
            duplicates = sorted({o for o in spec.options if spec.options.count(o) > 1})
            problems.append((f"{path}.options", f"选项重复：{'、'.join(duplicates)}"))
    elif spec.options is not None:
        problems.append((f"{path}.options", "只有 select / multi_select 字段可以设置 options"))

    if kind in _NUMERIC:
        for bound in ("min", "max"):
            value = getattr(spec, bound)
            if kind is FieldType.INTEGER and value is not None and value != value.to_integral():
                problems.append((f"{path}.{bound}", "整数字段的上下限必须为整数"))
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            problems.append((f"{path}.min", f"下限 {spec.min} 大于上限 {spec.max}"))
    else:
        for bound in ("min", "max"):
            if getattr(spec, bound) is not None:
                problems.append((f"{path}.{bound}", f"只有 integer / decimal 字段可以设置 {bound}"))

    text_like = kind in (FieldType.TEXT, FieldType.TEXTAREA)
    if spec.max_length is not None and not text_like:
        problems.append((f"{path}.max_length", "只有 text / textarea 字段可以设置 max_length"))
    if spec.pattern is not None:
        if not text_like:
            problems.append((f"{path}.pattern", "只有 text / textarea 字段可以设置 pattern"))
        else:
            try:
                re.compile(spec.pattern)
            except re.error as exc:
                problems.append((f"{path}.pattern", f"正则表达式无法编译：{exc}"))

    if kind is FieldType.APPLICANT:
        if not spec.applicant_kinds:
            problems.append(
                (
                    f"{path}.applicant_kinds",
                    "申请人字段必须声明允许的申请人类型 applicant_kinds",
                )
            )
        elif len(set(spec.applicant_kinds)) != len(spec.applicant_kinds):
            problems.append((f"{path}.applicant_kinds", "申请人类型重复"))
    elif spec.applicant_kinds is not None:
        problems.append((f"{path}.applicant_kinds", "只有 applicant 字段可以设置 applicant_kinds"))

    default_problem = _default_problem(spec)
    if default_problem is not None:
        problems.append((f"{path}.default", default_problem))

    if spec.required and spec.required_if is not None:
        problems.append((f"{path}.required_if", "required 为 true 时不应再设置 required_if"))
    return problems
