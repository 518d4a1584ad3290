"""The catalogue as the demo seeder sees it: each active item's rules, form and materials, and
the day a case of it accepted on a given day is promised by."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases import intake
from app.cases.engine import item_rules, load_item
from app.catalog.schema import FormTemplate
from app.workcalendar import WorkCalendar, natural_deadline, working_deadline
from app.workflow.rules import ItemRules
from db.models import Item


@dataclass(frozen=True)
class DemoItem:
    id: int
    code: str
    name: str
    category: str
    rules: ItemRules
    template: FormTemplate
    required: tuple[str, ...]
    deficient: tuple[str, ...]  # required materials that may be 容缺
    optional: tuple[str, ...]
    material_names: Mapping[str, str]
    copies: Mapping[str, int]
    legal_only: bool

    @property
    def review(self) -> tuple[int, ...]:
        return self.rules.review_steps

    @property
    def county(self) -> tuple[int, ...]:
        return self.rules.county_steps

    @property
    def days(self) -> int:
        return self.rules.promised_days

    @property
    def instant(self) -> bool:
        """即办: decided at the window right after acceptance."""
        return not self.review and not self.county


def load_items(session: Session) -> list[DemoItem]:
    items: list[DemoItem] = []
    for item_id in session.scalars(select(Item.id).where(Item.active).order_by(Item.code)):
        item = load_item(session, item_id)
        _, template = intake.template_of(session, item)
        applicant = template.applicant_field()
        kinds = {k.value for k in (applicant.applicant_kinds or [])} if applicant else set()
        items.append(
            DemoItem(
                id=item.id,
                code=item.code,
                name=item.name,
                category=item.category,
                rules=item_rules(item),
                template=template,
                required=tuple(m.material_key for m in item.materials if m.required),
                deficient=tuple(
                    m.material_key for m in item.materials if m.required and m.deficiency_allowed
                ),
                optional=tuple(m.material_key for m in item.materials if not m.required),
                material_names={m.material_key: m.name for m in item.materials},
                copies={m.material_key: m.copies for m in item.materials},
                legal_only=kinds == {"legal_person"},
            )
        )
    return [i for i in items if i.template.applicant_field() is not None]


def promised_due(cal: WorkCalendar, item: DemoItem, accepted_on: dt.date) -> dt.date:
    compute = natural_deadline if item.rules.promised_unit == "natural" else working_deadline
    return compute(cal, accepted_on, item.days).due
