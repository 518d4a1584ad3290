"""The checks :func:`~app.catalog.schema.items.item_rules` is made of, one per part of an item:
pinyin initials, time limits, fee, materials (容缺 only for secondary materials), steps, sources.

Each takes the part (or ``(index, part)`` pairs) rather than the whole item, so that
:func:`~app.catalog.schema.items.partial_item_rules` can run them on the parts of an item that
failed validation as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.catalog.pinyin import initials_match, pinyin_initials
from app.catalog.schema.base import Problem
from app.catalog.schema.item_parts import Fee, Material, Step, TimeLimit
from app.catalog.schema.vocabulary import (
    DayUnit,
    HandlingKind,
    MaterialKind,
    StepLevel,
    StepRole,
)


def _same_unit_exceeds(inner: TimeLimit, outer: TimeLimit) -> bool:
    return inner.unit is outer.unit and inner.days > outer.days


def pinyin_problems(name: str, initials: str) -> list[Problem]:
    if initials_match(name, initials):
        return []
    return [
        (
            "pinyin_initials",
            f"拼音首字母“{initials}”与事项名称“{name}”不符"
            f"（按常用读音应为“{pinyin_initials(name)}”，多音字可取其他读音）",
        )
    ]


def limit_problems(kind: HandlingKind, legal: TimeLimit, promised: TimeLimit) -> list[Problem]:
    problems: list[Problem] = []
    if kind is HandlingKind.IMMEDIATE:
        if promised.days != 0:
            problems.append(("promised_limit.days", "即办件的承诺时限应为 0（当场办结）"))
    else:
        if promised.days == 0:
            problems.append(("promised_limit.days", "承诺件的承诺时限至少为 1 天"))
        if legal.days == 0:
            problems.append(("legal_limit.days", "承诺件必须有法定办结时限（至少 1 天）"))
    if _same_unit_exceeds(promised, legal):
        problems.append(
            (
                "promised_limit.days",
                f"承诺时限（{promised.describe()}）不能超过法定时限（{legal.describe()}）",
            )
        )
    return problems


def _warn_problem(path: str, warn: int, limit: TimeLimit, what: str) -> Problem | None:
    if limit.days == 0:
        return (path, f"{what}为当场办结，不应设置预警天数")
    if limit.unit is DayUnit.WORKING and warn >= limit.days:
        return (
            path,
            f"预警天数（{warn} 个工作日）应小于{what}（{limit.describe()}），否则一开始就是黄色",
        )
    return None


def warn_problems(
    warn: int | None, promised: TimeLimit, steps: Sequence[tuple[int, Step]]
) -> list[Problem]:
    """The item's and each step's warning threshold lies within its time limit."""
    found = []
    if warn is not None:
        found.append(_warn_problem("warn_at_working_days", warn, promised, "承诺时限"))
    for index, step in steps:
        if step.warn_at_working_days is not None:
            path = f"steps[{index}].warn_at_working_days"
            found.append(
                _warn_problem(path, step.warn_at_working_days, step.time_limit, "环节时限")
            )
    return [problem for problem in found if problem is not None]


def fee_problems(fee: Fee) -> list[Problem]:
    problems: list[Problem] = []
    if fee.free and fee.amount is not None:
        problems.append(("fee.amount", "不收费的事项不应填写收费金额"))
    if not fee.free:
        if fee.amount is None:
            problems.append(("fee.amount", "收费事项必须填写收费金额（元）"))
        if fee.basis is None:
            problems.append(("fee.basis", "收费事项必须填写收费依据"))
    return problems


def material_problems(
    materials: Sequence[tuple[int, Material]], kind: HandlingKind | None
) -> list[Problem]:
    """Rules on (index, material) pairs; ``kind`` is None when the item's 办件类型 is unknown."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, material in materials:
        path = f"materials[{index}]"
        if material.id in seen:
            problems.append(
                (
                    f"{path}.id",
                    f"材料标识“{material.id}”重复（materials[{seen[material.id]}] 已使用）",
                )
            )
        else:
            seen[material.id] = index
        if material.required_when is not None and material.required:
            problems.append((f"{path}.required_when", "required_when 只用于视情形提交的非必要材料"))
        if not material.deficiency_allowed:
            continue
        if material.kind is not MaterialKind.SUPPORTING:
            problems.append(
                (
                    f"{path}.deficiency_allowed",
                    f"{material.kind.label}属于主要材料，不得容缺（只有次要材料可以容缺后补）",
                )
            )
        if not material.required:
            problems.append((f"{path}.deficiency_allowed", "非必要材料无需设置容缺"))
        if kind is HandlingKind.IMMEDIATE:
            problems.append(
                (
                    f"{path}.deficiency_allowed",
                    "即办件不能容缺受理（容缺材料的补交期限不能超过承诺时限）",
                )
            )
    return problems


def step_problems(
    steps: Sequence[tuple[int, Step]], legal: TimeLimit | None, kind: HandlingKind | None
) -> list[Problem]:
    """Rules on (index, step) pairs; ``legal`` / ``kind`` are None when unknown."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, step in steps:
        path = f"steps[{index}]"
        if step.id in seen:
            problems.append(
                (f"{path}.id", f"环节标识“{step.id}”重复（steps[{seen[step.id]}] 已使用）")
            )
        else:
            seen[step.id] = index
        if step.level is StepLevel.COUNTY and step.role is not StepRole.COUNTY:
            problems.append((f"{path}.role", "县级环节的 role 必须为 county"))
        if step.role is StepRole.COUNTY and step.level is not StepLevel.COUNTY:
            problems.append((f"{path}.level", "role 为 county 的环节 level 必须为 county"))
        if kind is HandlingKind.IMMEDIATE and step.time_limit.days != 0:
            problems.append((f"{path}.time_limit.days", "即办件的各环节时限应为 0（当场办结）"))
        if legal is not None and _same_unit_exceeds(step.time_limit, legal):
            problems.append(
                (
                    f"{path}.time_limit.days",
                    f"环节时限（{step.time_limit.describe()}）不能超过法定时限"
                    f"（{legal.describe()}）",
                )
            )
        if index == 0 and (step.level is not StepLevel.TOWN or step.role is not StepRole.CLERK):
            problems.append(
                ("steps[0]", "第一个环节必须是乡镇窗口受理（role 为 clerk，level 为 town）")
            )
    return problems


def source_problems(sources: Sequence[str]) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, url in enumerate(sources):
        if url in seen:
            problems.append((f"sources[{index}]", "来源链接重复"))
        seen.add(url)
    return problems
