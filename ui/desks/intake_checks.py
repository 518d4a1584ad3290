"""What the desk checks before a decision is sent, so a refused decision writes nothing and the
clerk reads why in one sentence naming the materials. The use cases check everything again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.catalog.schema import Material
from app.forms import FormCheck
from app.intake_spec import IntakeSpec, default_deficiency_due, promised_due
from app.workcalendar import WorkCalendar


def names(materials: Sequence[Material]) -> str:
    return "、".join(f"“{m.name}”" for m in materials)


def form_problem_text(check: FormCheck) -> str:
    first = check.problems[0].message
    more = f"等 {len(check.problems)} 处" if len(check.problems) > 1 else ""
    return f"表单填写有误（{first}{more}），请更正后再办理；未保存任何办件。"


def accept_problem(missing: Sequence[Material]) -> str | None:
    if not missing:
        return None
    return (
        f"以下必交材料未收齐，不能直接受理：{names(missing)}。"
        "可出具一次性告知，或对允许容缺的材料办理容缺受理。"
    )


@dataclass(frozen=True)
class DeficiencyPlan:
    pending: list[Material]
    due: dt.date
    latest: dt.date


def deficiency_plan(
    spec: IntakeSpec, missing: Sequence[Material], calendar: WorkCalendar, today: dt.date
) -> DeficiencyPlan | str:
    """The materials to defer and the due date to offer, or why 容缺 is not possible."""
    if not missing:
        return "必交材料已齐全，请直接受理。"
    not_allowed = [m for m in missing if not m.deficiency_allowed]
    if not_allowed:
        return f"以下材料不允许容缺：{names(not_allowed)}；主要材料必须齐全，可出具一次性告知。"
    due = default_deficiency_due(spec, calendar, today)
    if due is None:
        return "本事项为即办件，当场办结，不能容缺受理。"
    return DeficiencyPlan(list(missing), due, promised_due(spec, calendar, today))


def supplement_problem(missing: Sequence[Material]) -> str | None:
    if missing:
        return None
    return "必交材料已齐全，无需一次性告知，可直接受理。"


def has_input(value: Any) -> bool:
    """Whether the clerk typed or ticked anything worth keeping as a draft."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(has_input(v) for k, v in value.items() if k != "kind")
    if isinstance(value, list | tuple):
        return any(has_input(v) for v in value)
    return value is not None
