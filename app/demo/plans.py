"""What one demo case is to become: its plan (target state, item, form, people, operations and
their days) and the proxy authorization it is filed under."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.actor import Actor
from app.demo.items import DemoItem
from app.workflow.states import CaseState


@dataclass
class Authorization:
    proxy: Actor
    resident: dict[str, str]
    matters: list[str]
    id: int | None = None
    number: str | None = None


@dataclass(frozen=True)
class Op:
    kind: str
    gap: int = 0  # working days after the previous operation of the same case
    step: int | None = None  # review step an opinion is for


@dataclass
class Plan:
    index: int
    target: CaseState
    item: DemoItem
    form: dict[str, Any]
    clerk: Actor
    approver: Actor
    proxy: Authorization | None = None
    omitted: tuple[str, ...] = ()  # required materials missing at 收件 (一次性告知 or 容缺)
    deficiency: bool = False
    delivery: str = "window"
    approved: bool = True
    ops: list[Op] = field(default_factory=list)
    anchor: int = 0  # index of the operation whose day is chosen first
    anchor_back: int | None = None  # anchor day = this many working days before today
    days: list[dt.date] = field(default_factory=list)
    case_id: int | None = None
