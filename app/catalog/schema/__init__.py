"""The item catalogue (事项目录) and form templates (表单模板): pydantic models and their rules.

A catalogue file is JSON shaped like :class:`Catalog`. Structure and types are checked by
pydantic; the rules that relate several values (承诺时限 ≤ 法定时限, 容缺 only for secondary
materials, conditions referring to existing fields, …) live in ``item_rules``, ``template_rules``
and ``cross_rules``, which return ``(json_path, chinese_message)`` pairs so that the loader can
name file, item and field exactly. The models run the same rules themselves, so a ``Catalog``
built in code is held to the same standard as one loaded from disk.

The modules, each importing only those listed before it:

- ``scalars``: constrained string and number types; ``vocabulary``: the enumerations;
- ``base``: the base model, ``Problem`` and the rule-deferral machinery (``DEFER_RULES``);
- ``item_parts``: time limits, fee, materials, steps; ``item_checks``: the rules on them;
- ``items``: :class:`Item`, ``item_rules`` and ``partial_item_rules``;
- ``fields``: :class:`FormField` and :class:`Section`; ``field_checks``: ``field_rules`` and the
  checks of conditions;
- ``templates``: :class:`FormTemplate` (field visibility and requiredness), ``template_rules``
  and ``partial_template_rules``;
- ``cross_checks``: ``cross_rules``, across items and templates;
- ``catalog``: :class:`CatalogHeader`, :class:`Catalog`, ``header_rules``, ``SCHEMA_VERSION``;
- ``json_schema``: the published JSON Schema (``docs/catalog.schema.json``; prose in
  ``docs/catalog.md``).

A model's rules sit in the model's module when the model's validator runs them (a rule module
importing the model would otherwise be imported by it); the ``*_checks`` modules hold the rest.

This package re-exports the models, the enumerations and a few constants; import the rule
functions from their modules.
"""

from __future__ import annotations

from app.catalog.schema.base import DEFER_RULES
from app.catalog.schema.catalog import SCHEMA_VERSION, Catalog, CatalogHeader
from app.catalog.schema.fields import FormField, Section
from app.catalog.schema.item_parts import (
    Fee,
    Material,
    SpecialProcedure,
    Step,
    TemplateRef,
    TimeLimit,
)
from app.catalog.schema.items import Item
from app.catalog.schema.json_schema import catalog_json_schema
from app.catalog.schema.templates import FieldState, FormTemplate
from app.catalog.schema.vocabulary import (
    ApplicantKind,
    DayUnit,
    FieldType,
    HandlingKind,
    ItemType,
    MaterialForm,
    MaterialKind,
    Medium,
    StepLevel,
    StepRole,
    Subject,
)

__all__ = [
    "DEFER_RULES",
    "SCHEMA_VERSION",
    "ApplicantKind",
    "Catalog",
    "CatalogHeader",
    "DayUnit",
    "Fee",
    "FieldState",
    "FieldType",
    "FormField",
    "FormTemplate",
    "HandlingKind",
    "Item",
    "ItemType",
    "Material",
    "MaterialForm",
    "MaterialKind",
    "Medium",
    "Section",
    "SpecialProcedure",
    "Step",
    "StepLevel",
    "StepRole",
    "Subject",
    "TemplateRef",
    "TimeLimit",
    "catalog_json_schema",
]
