"""The form template (表单模板): its model, which fields are visible and required for given form
data (:meth:`FormTemplate.field_states`), and its rules (:func:`template_rules`,
:func:`partial_template_rules`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import NamedTuple, Self

from pydantic import Field as PydanticField
from pydantic import ValidationInfo, model_validator

from app.catalog.conditions import evaluate, is_empty, referenced_keys
from app.catalog.schema.base import (
    FrozenModel,
    Problem,
    raise_rule_problems,
    rules_deferred,
    valid_elements,
)
from app.catalog.schema.field_checks import condition_problems, field_rules, visibility_cycles
from app.catalog.schema.fields import FormField, Section
from app.catalog.schema.scalars import NonEmptyStr, PositiveInt, Slug
from app.catalog.schema.vocabulary import FieldType


class FieldState(NamedTuple):
    visible: bool
    required: bool


class FormTemplate(FrozenModel):
    """表单模板. (id, version) is unique; a published version never changes."""

    id: Slug
    version: PositiveInt
    title: NonEmptyStr
    sections: list[Section] = PydanticField(min_length=1)

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        if not rules_deferred(info):
            raise_rule_problems(template_rules(self))
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
                    for sub, message in condition_problems(spec, attr, condition, by_key)
                ]

    for cycle in visibility_cycles(list(by_key.values())):
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
        for f_index, spec in valid_elements(FormField, specs):
            problems += field_rules(f"sections[{s_index}].fields[{f_index}]", spec)
    return problems
