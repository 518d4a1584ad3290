"""The item (事项) model and its rules: :func:`item_rules` for a valid item,
:func:`partial_item_rules` for one that failed structural validation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Self

from pydantic import Field as PydanticField
from pydantic import Strict, ValidationInfo, model_validator

from app.catalog.schema.base import (
    FrozenModel,
    Problem,
    raise_rule_problems,
    rules_deferred,
    valid_elements,
    valid_fields,
)
from app.catalog.schema.item_checks import (
    fee_problems,
    limit_problems,
    material_problems,
    pinyin_problems,
    source_problems,
    step_problems,
    warn_problems,
)
from app.catalog.schema.item_parts import (
    Fee,
    Material,
    SpecialProcedure,
    Step,
    TemplateRef,
    TimeLimit,
    WarnDays,
)
from app.catalog.schema.scalars import Code, NonEmptyStr, OptionalText, Phone, Url
from app.catalog.schema.vocabulary import HandlingKind, ItemType, Subject


class Item(FrozenModel):
    """事项 / 赋权事项."""

    code: Code = PydanticField(description="unique key (业务办理项编码 or a demo code)")
    basic_code: Code | None = PydanticField(default=None, description="基本编码 (opaque)")
    implementation_code: Code | None = PydanticField(default=None, description="实施编码 (opaque)")
    handling_code: Code | None = PydanticField(default=None, description="业务办理项编码 (opaque)")
    name: NonEmptyStr
    short_name: NonEmptyStr | None = None
    pinyin_initials: Annotated[str, Strict(), PydanticField(pattern=r"^[a-z0-9]+$")] = (
        PydanticField(description="拼音首字母 of name, checked against the name")
    )
    category: NonEmptyStr = PydanticField(description="back-office category (后台分类)")
    item_type: ItemType
    subject: Subject
    handling_kind: HandlingKind
    legal_limit: TimeLimit = PydanticField(description="法定办结时限")
    promised_limit: TimeLimit = PydanticField(description="承诺办结时限")
    warn_at_working_days: WarnDays | None = PydanticField(
        default=None,
        description="临近到期 (yellow) this many working days before the promised date; "
        "default: the workstation's yellow_at_working_days setting",
    )
    fee: Fee
    legal_basis: list[NonEmptyStr] = PydanticField(min_length=1)
    acceptance_conditions: list[NonEmptyStr] = PydanticField(min_length=1)
    implementing_body: NonEmptyStr = PydanticField(description="实施主体")
    handling_location: NonEmptyStr | None = None
    result: NonEmptyStr | None = PydanticField(default=None, description="办理结果 (证照/批复名称)")
    consult_phone: Phone
    complaint_phone: Phone
    materials: list[Material] = PydanticField(min_length=1)
    steps: list[Step] = PydanticField(min_length=1)
    form_template: TemplateRef
    special_procedures: list[SpecialProcedure] = PydanticField(default_factory=list)
    sources: list[Url] = PydanticField(
        min_length=1, description="published 办事指南 / policy pages the item was drawn from"
    )
    notes: OptionalText | None = None

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        if not rules_deferred(info):
            raise_rule_problems(item_rules(self))
        return self

    def material(self, material_id: str) -> Material | None:
        return next((m for m in self.materials if m.id == material_id), None)

    def content_hash(self) -> str:
        """SHA-256 (hex) of the item as canonical JSON, defaults omitted: the identity of this
        version of the item on every machine (a catalogue gives items no version number)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def item_rules(item: Item) -> list[Problem]:
    """Rules relating several values of one item."""
    return [
        *pinyin_problems(item.name, item.pinyin_initials),
        *limit_problems(item.handling_kind, item.legal_limit, item.promised_limit),
        *warn_problems(item.warn_at_working_days, item.promised_limit, list(enumerate(item.steps))),
        *fee_problems(item.fee),
        *material_problems(list(enumerate(item.materials)), item.handling_kind),
        *step_problems(list(enumerate(item.steps)), item.legal_limit, item.handling_kind),
        *source_problems(item.sources),
    ]


def partial_item_rules(raw: Mapping[str, Any]) -> list[Problem]:
    """For an item that failed structural validation: the rules whose inputs are valid, so
    that independent problems are reported together rather than one fix at a time."""
    valid = valid_fields(Item, raw)
    kind: HandlingKind | None = valid.get("handling_kind")
    legal: TimeLimit | None = valid.get("legal_limit")
    problems: list[Problem] = []
    if {"name", "pinyin_initials"} <= valid.keys():
        problems += pinyin_problems(valid["name"], valid["pinyin_initials"])
    if kind is not None and legal is not None and "promised_limit" in valid:
        problems += limit_problems(kind, legal, valid["promised_limit"])
    if "promised_limit" in valid:
        steps = valid_elements(Step, raw.get("steps"))
        problems += warn_problems(valid.get("warn_at_working_days"), valid["promised_limit"], steps)
    if "fee" in valid:
        problems += fee_problems(valid["fee"])
    problems += material_problems(valid_elements(Material, raw.get("materials")), kind)
    problems += step_problems(valid_elements(Step, raw.get("steps")), legal, kind)
    if "sources" in valid:
        problems += source_problems(valid["sources"])
    return problems
