"""What the desk works out before it offers a decision panel: which materials to list and which
due date to suggest for 容缺, whether a one-time notice has anything to list. The rules
themselves are the workflow's guards (``not_deferrable`` is the guard's own check); whatever
the clerk confirms is checked again by the use case, in the transaction that writes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.catalog.schema import Material
from app.forms import FormCheck
from app.intake.spec import IntakeSpec, default_deficiency_due, promised_due
from app.workcalendar import WorkCalendar
from app.workflow.guards import not_deferrable


def form_problem_text(check: FormCheck) -> str:
    return form_problems_text([p.message for p in check.problems])


def form_problems_text(messages: Sequence[str]) -> str:
    """The notice over a refused form: the first problem and how many there are."""
    more = f"等 {len(messages)} 处" if len(messages) > 1 else ""
    return f"表单填写有误（{messages[0]}{more}），请更正后再办理；未保存任何办件。"


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
    refused = not_deferrable(spec.rules, [m.id for m in missing])
    if refused is not None:
        return refused
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
