"""The item catalogue (事项目录) and form templates (表单模板): pydantic models and their rules.

A catalogue file is JSON shaped like :class:`Catalog`. Structure and types are checked by
pydantic; the rules that relate several values (承诺时限 ≤ 法定时限, 容缺 only for secondary
materials, conditions referring to existing fields, …) live in :func:`item_rules`,
:func:`template_rules` and :func:`cross_rules`, which return ``(json_path, chinese_message)``
pairs so that the loader can name file, item and field exactly. The models run the same rules
themselves, so a ``Catalog`` built in code is held to the same standard as one loaded from disk.

The exported JSON Schema (``docs/catalog.schema.json``) is generated from these models; see
``docs/catalog.md`` for the format in prose.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Final, NamedTuple, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    JsonValue,
    PlainSerializer,
    Strict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic import Field as PydanticField
from pydantic_core import PydanticCustomError

from app.catalog.conditions import (
    KEY_PATTERN,
    VALUELESS_OPS,
    Condition,
    ConditionOp,
    ConditionT,
    FieldCondition,
    evaluate,
    is_empty,
    leaves,
    referenced_keys,
)
from app.catalog.pinyin import initials_match, pinyin_initials

#: The catalogue format this program reads and writes.
SCHEMA_VERSION: Final = 1

#: Pass ``context={DEFER_RULES: True}`` to ``model_validate`` to check structure only; the caller
#: then runs the rule functions itself (the loader does, to report exact paths).
DEFER_RULES: Final = "defer_rules"

SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,63}$"
PHONE_PATTERN = r"^[0-9][0-9-]{2,19}$"
URL_PATTERN = r"^https?://[^\s]+$"

NonEmptyStr = Annotated[str, Strict(), PydanticField(min_length=1, pattern=r"\S")]
OptionalText = Annotated[str, Strict()]
Slug = Annotated[str, Strict(), PydanticField(pattern=SLUG_PATTERN, max_length=64)]
FieldKey = Annotated[str, Strict(), PydanticField(pattern=KEY_PATTERN, max_length=64)]
Code = Annotated[str, Strict(), PydanticField(pattern=CODE_PATTERN)]
Phone = Annotated[str, Strict(), PydanticField(pattern=PHONE_PATTERN)]
Url = Annotated[str, Strict(), PydanticField(pattern=URL_PATTERN)]
PositiveInt = Annotated[int, Strict(), PydanticField(gt=0)]
StrictBool = Annotated[bool, Strict()]


def _json_number(value: Decimal) -> int | float:
    """Decimals serialise as JSON numbers, integral ones as integers (so 1 and 1.0 hash alike)."""
    return int(value) if value == value.to_integral_value() else float(value)


Number = Annotated[
    Decimal, PlainSerializer(_json_number, return_type=int | float, when_used="json")
]


# ---------------------------------------------------------------------------------------------
# Enumerations. Values are what the JSON holds; ``label`` is what a person reads.


class ItemType(StrEnum):
    """事项类型 (依申请行政权力 and 公共服务)."""

    ADMINISTRATIVE_LICENSE = "行政许可"
    ADMINISTRATIVE_CONFIRMATION = "行政确认"
    ADMINISTRATIVE_PAYMENT = "行政给付"
    ADMINISTRATIVE_RULING = "行政裁决"
    ADMINISTRATIVE_REWARD = "行政奖励"
    ADMINISTRATIVE_FILING = "行政备案"
    OTHER_ADMINISTRATIVE_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"

    @property
    def label(self) -> str:
        return self.value


class Subject(StrEnum):
    """服务对象."""

    NATURAL_PERSON = "natural_person"
    LEGAL_PERSON = "legal_person"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"natural_person": "自然人", "legal_person": "法人", "both": "自然人、法人"}[
            self.value
        ]


class HandlingKind(StrEnum):
    """办件类型: done on the spot, or within a promised time."""

    IMMEDIATE = "即办件"
    PROMISED = "承诺件"

    @property
    def label(self) -> str:
        return self.value


class DayUnit(StrEnum):
    WORKING = "working"
    NATURAL = "natural"

    @property
    def label(self) -> str:
        return "个工作日" if self is DayUnit.WORKING else "个自然日"


class MaterialForm(StrEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    ORIGINAL_AND_COPY = "原件和复印件"

    @property
    def label(self) -> str:
        return self.value


class Medium(StrEnum):
    PAPER = "纸质"
    ELECTRONIC = "电子"
    PAPER_OR_ELECTRONIC = "纸质或电子"

    @property
    def label(self) -> str:
        return self.value


class MaterialKind(StrEnum):
    """Main materials (application, identity) may never be 容缺; supporting ones may."""

    APPLICATION = "application"
    IDENTITY = "identity"
    SUPPORTING = "supporting"

    @property
    def label(self) -> str:
        return {"application": "申请书/申请表", "identity": "身份证明", "supporting": "其他材料"}[
            self.value
        ]


class StepRole(StrEnum):
    CLERK = "clerk"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return {
            "clerk": "窗口受理员",
            "approver": "后台审批人员",
            "supervisor": "中心负责人",
            "county": "县级部门",
        }[self.value]


class StepLevel(StrEnum):
    TOWN = "town"
    COUNTY = "county"

    @property
    def label(self) -> str:
        return "乡镇（街道）" if self is StepLevel.TOWN else "县级"


class FieldType(StrEnum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    SELECT = "select"
    MULTI_SELECT = "multi_select"
    CHECKBOX = "checkbox"
    ID_NUMBER = "id_number"
    USCC = "uscc"
    PHONE = "phone"
    ADDRESS = "address"
    APPLICANT = "applicant"


class ApplicantKind(StrEnum):
    NATURAL_PERSON = "natural_person"
    LEGAL_PERSON = "legal_person"

    @property
    def label(self) -> str:
        return "自然人" if self is ApplicantKind.NATURAL_PERSON else "法人或其他组织"


# ---------------------------------------------------------------------------------------------
# Models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _rules_deferred(info: ValidationInfo) -> bool:
    return isinstance(info.context, Mapping) and bool(info.context.get(DEFER_RULES))


def _raise_rule_problems(problems: Sequence[tuple[str, str]]) -> None:
    if problems:
        detail = "；".join(f"{path}: {message}" if path else message for path, message in problems)
        raise PydanticCustomError("catalog_rule", "{detail}", {"detail": detail})


class TimeLimit(_Model):
    """A period of days; 0 means 当场办结 (done on the spot)."""

    days: Annotated[int, Strict(), PydanticField(ge=0, le=3650)]
    unit: DayUnit

    def describe(self) -> str:
        return "当场办结" if self.days == 0 else f"{self.days}{self.unit.label}"


class Fee(_Model):
    """收费: free, or an amount with its legal basis."""

    free: StrictBool
    amount: Number | None = PydanticField(default=None, gt=0, description="yuan (元)")
    basis: NonEmptyStr | None = PydanticField(default=None, description="收费依据")
    note: OptionalText | None = None


class SpecialProcedure(_Model):
    """特别程序 (公示, 听证, 现场勘查, 鉴定 …) and whether its time counts in the limit."""

    name: NonEmptyStr
    limit: TimeLimit
    counts_in_limit: StrictBool
    basis: NonEmptyStr | None = None


class Material(_Model):
    """办理材料. ``copies`` is the number of copies (份数); originals of 原件和复印件 are checked
    and handed back unless ``notes`` say otherwise."""

    id: Slug = PydanticField(description="stable slug, unique within the item")
    name: NonEmptyStr
    kind: MaterialKind = MaterialKind.SUPPORTING
    form: MaterialForm
    copies: PositiveInt
    required: StrictBool
    required_when: NonEmptyStr | None = PydanticField(
        default=None, description="when an optional material becomes necessary (视情形提交)"
    )
    deficiency_allowed: StrictBool = PydanticField(
        default=False, description="容缺: may be supplied after acceptance"
    )
    medium: Medium = Medium.PAPER
    source: NonEmptyStr | None = PydanticField(default=None, description="来源渠道")
    notes: OptionalText | None = None
    blank_form: StrictBool = PydanticField(default=False, description="a blank form is provided")
    sample: StrictBool = PydanticField(default=False, description="a filled-in sample is provided")


class Step(_Model):
    """办理环节."""

    id: Slug
    name: NonEmptyStr
    role: StepRole
    level: StepLevel
    time_limit: TimeLimit
    description: OptionalText | None = None


class TemplateRef(_Model):
    id: Slug
    version: PositiveInt


class Item(_Model):
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
        if not _rules_deferred(info):
            _raise_rule_problems(item_rules(self))
        return self

    def material(self, material_id: str) -> Material | None:
        return next((m for m in self.materials if m.id == material_id), None)

    def content_hash(self) -> str:
        """SHA-256 (hex) of the item as canonical JSON, defaults omitted: the identity of this
        version of the item on every machine (a catalogue gives items no version number)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class FormField(_Model):
    """One field of a form template (JSON: an element of ``sections[].fields``)."""

    key: FieldKey = PydanticField(description="snake_case, unique within the template")
    label: NonEmptyStr
    type: FieldType
    required: StrictBool = False
    help: OptionalText | None = None
    placeholder: OptionalText | None = None
    options: list[NonEmptyStr] | None = PydanticField(
        default=None, description="select / multi_select only"
    )
    min: Number | None = PydanticField(default=None, description="integer / decimal only")
    max: Number | None = PydanticField(default=None, description="integer / decimal only")
    max_length: PositiveInt | None = PydanticField(default=None, description="text / textarea")
    pattern: NonEmptyStr | None = PydanticField(
        default=None, description="Python regular expression the whole text must match"
    )
    default: JsonValue = None
    applicant_kinds: list[ApplicantKind] | None = PydanticField(
        default=None, description="applicant only: which kinds of applicant may file"
    )
    visible_if: Condition | None = None
    required_if: Condition | None = None


class Section(_Model):
    title: NonEmptyStr
    description: OptionalText | None = None
    fields: list[FormField] = PydanticField(min_length=1)


class FieldState(NamedTuple):
    visible: bool
    required: bool


class FormTemplate(_Model):
    """表单模板. (id, version) is unique; a published version never changes."""

    id: Slug
    version: PositiveInt
    title: NonEmptyStr
    sections: list[Section] = PydanticField(min_length=1)

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        if not _rules_deferred(info):
            _raise_rule_problems(template_rules(self))
        return self

    def all_fields(self) -> list[FormField]:
        return [f for section in self.sections for f in section.fields]

    def get_field(self, key: str) -> FormField | None:
        return next((f for f in self.all_fields() if f.key == key), None)

    def applicant_field(self) -> FormField | None:
        return next((f for f in self.all_fields() if f.type is FieldType.APPLICANT), None)

    def canonical_json(self) -> str:
        """The template as canonical JSON: sorted keys, no insignificant whitespace, defaults
        omitted (writing ``"required": false`` or leaving it out renders the same)."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def content_hash(self) -> str:
        """SHA-256 (hex) of :meth:`canonical_json`; stored beside (id, version)."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def field_states(self, data: Mapping[str, object]) -> dict[str, FieldState]:
        """Visibility and requiredness of every field for the given form data.

        A field is visible when it has no ``visible_if`` or its condition holds; conditions see
        hidden fields as empty, so hiding a field also hides what depends on it. A visible field
        is required when ``required`` is true or its ``required_if`` holds.
        """
        by_key = {f.key: f for f in self.all_fields()}
        visible: dict[str, bool] = {}

        def is_visible(key: str, chain: tuple[str, ...]) -> bool:
            if key in visible:
                return visible[key]
            spec = by_key[key]
            if spec.visible_if is None:
                result = True
            else:
                if key in chain:
                    raise ValueError(f"visible_if cycle through {key!r}")
                seen = {
                    dep: data.get(dep)
                    for dep in referenced_keys(spec.visible_if)
                    if dep in by_key and is_visible(dep, (*chain, key))
                }
                result = evaluate(spec.visible_if, seen)
            visible[key] = result
            return result

        effective = {k: v for k, v in data.items() if k not in by_key or is_visible(k, ())}
        states: dict[str, FieldState] = {}
        for spec in by_key.values():
            shown = is_visible(spec.key, ())
            required = shown and (
                spec.required
                or (spec.required_if is not None and evaluate(spec.required_if, effective))
            )
            states[spec.key] = FieldState(visible=shown, required=required)
        return states

    def visible_keys(self, data: Mapping[str, object]) -> list[str]:
        return [k for k, state in self.field_states(data).items() if state.visible]

    def required_keys(self, data: Mapping[str, object]) -> list[str]:
        return [k for k, state in self.field_states(data).items() if state.required]

    def missing_required(self, data: Mapping[str, object]) -> list[FormField]:
        """Required (and visible) fields whose value is empty in ``data``; a required checkbox
        (an undertaking such as 承诺) is missing unless it is ticked (``true``)."""
        required = set(self.required_keys(data))

        def missing(spec: FormField) -> bool:
            value = data.get(spec.key)
            if spec.type is FieldType.CHECKBOX:
                return value is not True
            return is_empty(value)

        return [f for f in self.all_fields() if f.key in required and missing(f)]


class CatalogHeader(_Model):
    """The header every catalogue file carries; files merged into one catalogue must agree."""

    schema_version: Annotated[int, Strict()] = PydanticField(
        description=f"catalogue format version; this program reads {SCHEMA_VERSION}"
    )
    catalog_version: NonEmptyStr = PydanticField(description="version of the catalogue content")
    published_at: date | None = None
    issuer: NonEmptyStr = PydanticField(description="who published the catalogue")


class Catalog(CatalogHeader):
    """A whole catalogue, or (in one file of a folder) part of one."""

    items: list[Item] = PydanticField(default_factory=list)
    templates: list[FormTemplate] = PydanticField(default_factory=list)

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        if _rules_deferred(info):
            return self
        problems = [(path, message) for path, message in header_rules(self)]
        problems += [
            (f"{_kind_key(kind)}[{index}].{path}".rstrip("."), message)
            for kind, index, path, message in cross_rules(
                self.items, self.templates, lambda kind, index: f"{_kind_key(kind)}[{index}]"
            )
        ]
        _raise_rule_problems(problems)
        return self

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def template(self, template_id: str, version: int) -> FormTemplate | None:
        return next(
            (t for t in self.templates if t.id == template_id and t.version == version), None
        )

    def template_for(self, item: Item) -> FormTemplate:
        found = self.template(item.form_template.id, item.form_template.version)
        if found is None:
            raise KeyError(f"template {item.form_template.id} v{item.form_template.version}")
        return found


def _kind_key(kind: str) -> str:
    return "items" if kind == "item" else "templates"


# ---------------------------------------------------------------------------------------------
# Rules. Each returns (path relative to the object, message in Chinese).

Problem = tuple[str, str]
_M = TypeVar("_M", bound=BaseModel)


def header_rules(header: CatalogHeader) -> list[Problem]:
    if header.schema_version != SCHEMA_VERSION:
        return [
            (
                "schema_version",
                f"不支持的目录格式版本 {header.schema_version}（本程序支持 {SCHEMA_VERSION}）",
            )
        ]
    return []


def _same_unit_exceeds(inner: TimeLimit, outer: TimeLimit) -> bool:
    return inner.unit is outer.unit and inner.days > outer.days


def _pinyin_problems(name: str, initials: str) -> list[Problem]:
    if initials_match(name, initials):
        return []
    return [
        (
            "pinyin_initials",
            f"拼音首字母“{initials}”与事项名称“{name}”不符"
            f"（按常用读音应为“{pinyin_initials(name)}”，多音字可取其他读音）",
        )
    ]


def _limit_problems(kind: HandlingKind, legal: TimeLimit, promised: TimeLimit) -> list[Problem]:
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


def _fee_problems(fee: Fee) -> list[Problem]:
    problems: list[Problem] = []
    if fee.free and fee.amount is not None:
        problems.append(("fee.amount", "不收费的事项不应填写收费金额"))
    if not fee.free:
        if fee.amount is None:
            problems.append(("fee.amount", "收费事项必须填写收费金额（元）"))
        if fee.basis is None:
            problems.append(("fee.basis", "收费事项必须填写收费依据"))
    return problems


def _material_problems(
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


def _step_problems(
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


def _source_problems(sources: Sequence[str]) -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    for index, url in enumerate(sources):
        if url in seen:
            problems.append((f"sources[{index}]", "来源链接重复"))
        seen.add(url)
    return problems


def item_rules(item: Item) -> list[Problem]:
    """Rules relating several values of one item."""
    return [
        *_pinyin_problems(item.name, item.pinyin_initials),
        *_limit_problems(item.handling_kind, item.legal_limit, item.promised_limit),
        *_fee_problems(item.fee),
        *_material_problems(list(enumerate(item.materials)), item.handling_kind),
        *_step_problems(list(enumerate(item.steps)), item.legal_limit, item.handling_kind),
        *_source_problems(item.sources),
    ]


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def _valid_fields(model: type[BaseModel], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level fields of ``raw`` that are valid on their own."""
    valid: dict[str, Any] = {}
    for name in model.model_fields:
        if name in raw:
            try:
                adapter = _field_adapter(model, name)
                valid[name] = adapter.validate_python(raw[name], context={DEFER_RULES: True})
            except ValidationError:
                continue
    return valid


def _valid_elements(model: type[_M], raw: object) -> list[tuple[int, _M]]:
    """(index, model) for the elements of a JSON array that are valid on their own."""
    if not isinstance(raw, list):
        return []
    valid: list[tuple[int, _M]] = []
    for index, element in enumerate(raw):
        try:
            valid.append((index, model.model_validate(element, context={DEFER_RULES: True})))
        except ValidationError:
            continue
    return valid


def partial_item_rules(raw: Mapping[str, Any]) -> list[Problem]:
    """For an item that failed structural validation: the rules whose inputs are valid, so
    that independent problems are reported together rather than one fix at a time."""
    valid = _valid_fields(Item, raw)
    kind: HandlingKind | None = valid.get("handling_kind")
    legal: TimeLimit | None = valid.get("legal_limit")
    problems: list[Problem] = []
    if {"name", "pinyin_initials"} <= valid.keys():
        problems += _pinyin_problems(valid["name"], valid["pinyin_initials"])
    if kind is not None and legal is not None and "promised_limit" in valid:
        problems += _limit_problems(kind, legal, valid["promised_limit"])
    if "fee" in valid:
        problems += _fee_problems(valid["fee"])
    problems += _material_problems(_valid_elements(Material, raw.get("materials")), kind)
    problems += _step_problems(_valid_elements(Step, raw.get("steps")), legal, kind)
    if "sources" in valid:
        problems += _source_problems(valid["sources"])
    return problems


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


def _condition_problems(
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


def _visibility_cycles(fields: Sequence[FormField]) -> list[list[str]]:
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


def template_rules(template: FormTemplate) -> list[Problem]:
    """Rules relating several values of one template."""
    problems: list[Problem] = []
    paths: dict[str, str] = {}
    by_key: dict[str, FormField] = {}
    located: list[tuple[str, FormField]] = []
    for s_index, section in enumerate(template.sections):
        for f_index, spec in enumerate(section.fields):
            path = f"sections[{s_index}].fields[{f_index}]"
            located.append((path, spec))
            if spec.key in paths:
                problems.append(
                    (f"{path}.key", f"字段键“{spec.key}”重复（{paths[spec.key]} 已使用）")
                )
                continue
            paths[spec.key] = path
            by_key[spec.key] = spec

    applicants = [path for path, spec in located if spec.type is FieldType.APPLICANT]
    if not applicants:
        problems.append(("sections", "表单模板必须有一个申请人（applicant）字段"))
    for path in applicants[1:]:
        problems.append((f"{path}.type", "表单模板只能有一个申请人（applicant）字段"))

    for path, spec in located:
        problems += field_rules(path, spec)
        for attr in ("visible_if", "required_if"):
            condition = getattr(spec, attr)
            if condition is not None:
                problems += [
                    (f"{path}.{sub}", message)
                    for sub, message in _condition_problems(spec, attr, condition, by_key)
                ]

    for cycle in _visibility_cycles(list(by_key.values())):
        problems.append(
            (f"{paths[cycle[0]]}.visible_if", f"visible_if 形成循环依赖：{' → '.join(cycle)}")
        )
    return problems


def partial_template_rules(raw: object) -> list[Problem]:
    """For a template that failed structural validation: the field-local rules of the fields
    that are valid on their own (cross-field rules wait until the structure is valid)."""
    sections = raw.get("sections") if isinstance(raw, Mapping) else None
    problems: list[Problem] = []
    for s_index, section in enumerate(sections if isinstance(sections, list) else []):
        specs = section.get("fields") if isinstance(section, Mapping) else None
        for f_index, spec in _valid_elements(FormField, specs):
            problems += field_rules(f"sections[{s_index}].fields[{f_index}]", spec)
    return problems


_SUBJECT_KINDS: dict[Subject, frozenset[ApplicantKind]] = {
    Subject.NATURAL_PERSON: frozenset({ApplicantKind.NATURAL_PERSON}),
    Subject.LEGAL_PERSON: frozenset({ApplicantKind.LEGAL_PERSON}),
    Subject.BOTH: frozenset({ApplicantKind.NATURAL_PERSON, ApplicantKind.LEGAL_PERSON}),
}

#: (kind "item" | "template", index, path within that object, message)
CrossProblem = tuple[str, int, str, str]


def cross_rules(
    items: Sequence[Item],
    templates: Sequence[FormTemplate],
    origin: Callable[[str, int], str],
) -> list[CrossProblem]:
    """Rules across items and templates: unique keys, resolvable references, matching subjects.

    ``origin(kind, index)`` names where an object came from (a file, or ``items[3]``), for
    messages about duplicates.
    """
    problems: list[CrossProblem] = []
    first_item: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.code in first_item:
            other = origin("item", first_item[item.code])
            problems.append(
                ("item", index, "code", f"事项编码“{item.code}”与 {other} 中的事项重复")
            )
        else:
            first_item[item.code] = index
    first_template: dict[tuple[str, int], int] = {}
    for index, template in enumerate(templates):
        key = (template.id, template.version)
        if key in first_template:
            other = origin("template", first_template[key])
            problems.append(
                (
                    "template",
                    index,
                    "version",
                    f"表单模板 {template.id} 第 {template.version} 版与 {other} 中的模板重复",
                )
            )
        else:
            first_template[key] = index
    for index, item in enumerate(items):
        ref = item.form_template
        if (ref.id, ref.version) not in first_template:
            versions = sorted(t.version for t in templates if t.id == ref.id)
            hint = f"（现有版本：{', '.join(map(str, versions))}）" if versions else ""
            problems.append(
                (
                    "item",
                    index,
                    "form_template",
                    f"找不到表单模板 {ref.id} 第 {ref.version} 版{hint}",
                )
            )
            continue
        template = templates[first_template[(ref.id, ref.version)]]
        applicant = template.applicant_field()
        if applicant is not None and applicant.applicant_kinds:
            kinds = frozenset(applicant.applicant_kinds)
            if kinds != _SUBJECT_KINDS[item.subject]:
                wanted = "、".join(k.label for k in sorted(_SUBJECT_KINDS[item.subject]))
                problems.append(
                    (
                        "item",
                        index,
                        "subject",
                        f"服务对象为{item.subject.label}，但表单模板 {ref.id} 第 {ref.version} 版"
                        f"的申请人类型不一致（应为：{wanted}）",
                    )
                )
    return problems


# ---------------------------------------------------------------------------------------------
# The published schema

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def catalog_json_schema() -> dict[str, Any]:
    """JSON Schema of a catalogue file (structure and types; the rules above come on top)."""
    schema = Catalog.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["title"] = "OneWindow 一窗通 item catalogue (事项目录) file"
    schema["description"] = (
        f"Format version {SCHEMA_VERSION}. Structure and types only: the cross-field rules "
        "(time limits, 容缺, conditions, unique keys, template references, pinyin initials) are "
        "described in docs/catalog.md and checked by `onewindow catalog validate`."
    )
    return schema
