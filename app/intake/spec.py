"""What the front desk needs to take in one item: its form template version, its materials
list (with 容缺 and conditional requirements) and its promise; and the items a workstation
took in most recently (offered first when the clerk picks an item)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.cases.engine import item_rules, load_item
from app.cases.intake import template_of
from app.catalog.schema import DEFER_RULES, FormTemplate, Material
from app.catalog.schema import Item as CatalogItem
from app.catalog.service import ItemSummary, items_in_force, limit_text
from app.divisions.policy import CentreDivisions, centre_divisions
from app.errors import NotFound
from app.units.declare import reads
from app.workcalendar import WorkCalendar, natural_deadline, working_deadline
from app.workflow.rules import ItemRules
from db.models import Case, Item


@dataclass(frozen=True)
class IntakeSpec:
    item_id: int
    code: str
    name: str
    category: str
    handling_kind: str  # 即办件 or 承诺件
    promised_limit: str
    template: FormTemplate
    materials: list[Material]
    rules: ItemRules
    promised_days: int = 0
    promised_unit: str = "working"  # working | natural
    # The centre's villages and rule for 区划代码 (the address picker and its check).
    divisions: CentreDivisions | None = None

    @property
    def deficiency_materials(self) -> list[Material]:
        """The materials a case may be accepted without (容缺), to be supplied later."""
        return [m for m in self.materials if m.deficiency_allowed]


@reads
def intake_spec(session: Session, item_id: int, *, in_force: bool = True) -> IntakeSpec:
    """The item version ``item_id`` as the desk takes it in; ``in_force=False`` for a pending
    case, which keeps the version it was filed under even after a reload retired it."""
    item = session.get(Item, item_id)
    if item is None or (in_force and not item.active):
        raise NotFound("该事项不在当前事项目录中，请重新选择事项。")
    _, template = template_of(session, item)
    detail = CatalogItem.model_validate(item.detail, context={DEFER_RULES: True})
    return IntakeSpec(
        item_id=item.id,
        code=item.code,
        name=item.name,
        category=item.category,
        handling_kind=item.handling_kind,
        promised_limit=limit_text(item.promised_limit_days, item.promised_limit_unit),
        template=template,
        materials=list(detail.materials),
        rules=item_rules(load_item(session, item.id)),
        promised_days=item.promised_limit_days,
        promised_unit=item.promised_limit_unit,
        divisions=centre_divisions(session),
    )


DEFICIENCY_WORKING_DAYS = 5  # default time to bring 容缺 materials, within the promise


def promised_due(spec: IntakeSpec, calendar: WorkCalendar, accepted_on: dt.date) -> dt.date:
    """承诺办结日 if accepted on ``accepted_on`` (what a 容缺 due date may not pass)."""
    compute = natural_deadline if spec.promised_unit == "natural" else working_deadline
    return compute(calendar, accepted_on, spec.promised_days).due


def default_deficiency_due(
    spec: IntakeSpec, calendar: WorkCalendar, today: dt.date
) -> dt.date | None:
    """A few working days out, never after the promised date; None when no day fits (即办件)."""
    limit = promised_due(spec, calendar, today)
    if limit <= today:
        return None
    return min(working_deadline(calendar, today, DEFICIENCY_WORKING_DAYS).due, limit)


@dataclass(frozen=True)
class PickableItem:
    """An item in force as the clerk searches for it: name, short name, initials or code."""

    summary: ItemSummary
    short_name: str

    def matches(self, text: str) -> bool:
        needle = text.strip().lower()
        if not needle:
            return True
        s = self.summary
        return (
            needle in s.name.lower()
            or needle in self.short_name.lower()
            or s.pinyin_initials.startswith(needle)
            or needle in s.code.lower()
        )


@reads
def pickable_items(session: Session) -> list[PickableItem]:
    short = {
        item_id: name
        for item_id, name in session.execute(select(Item.id, Item.short_name).where(Item.active))
    }
    return [PickableItem(s, short.get(s.item_id, s.name)) for s in items_in_force(session)]


RECENT_SCAN = 300  # cases looked at to find a workstation's recent items


@reads
def recent_item_ids(session: Session, actor: Actor, limit: int = 8) -> list[int]:
    """Items most recently taken in at the actor's workstation, newest first, still in force."""
    rows = session.scalars(
        select(Case.item_id)
        .where(Case.workstation == actor.workstation)
        .order_by(Case.id.desc())
        .limit(RECENT_SCAN)
    )
    active = set(session.scalars(select(Item.id).where(Item.active)))
    seen: list[int] = []
    for item_id in rows:
        if item_id in active and item_id not in seen:
            seen.append(item_id)
            if len(seen) == limit:
                break
    return seen
