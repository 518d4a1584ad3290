"""The item catalogue (事项目录) and form templates (表单模板): data, schema, loading, validation.

See ``docs/catalog.md``. The usual entry points::

    from app.catalog import bundled_catalog, load_catalog
    catalog = load_catalog([Path("county/catalog")])   # raises CatalogRejected with every problem
    template = catalog.template_for(catalog.items[0])
    template.field_states(form_data)                    # which fields are visible / required
"""

from __future__ import annotations

from app.catalog.conditions import (
    AllCondition,
    AnyCondition,
    ConditionOp,
    FieldCondition,
    evaluate,
)
from app.catalog.loader import bundled_catalog, collect_problems, load_catalog
from app.catalog.pinyin import initials_match, pinyin_initials
from app.catalog.schema import (
    SCHEMA_VERSION,
    ApplicantKind,
    Catalog,
    DayUnit,
    Fee,
    FieldState,
    FieldType,
    FormField,
    FormTemplate,
    HandlingKind,
    Item,
    ItemType,
    Material,
    MaterialForm,
    MaterialKind,
    Medium,
    Section,
    SpecialProcedure,
    Step,
    StepLevel,
    StepRole,
    Subject,
    TemplateRef,
    TimeLimit,
)

__all__ = [
    "SCHEMA_VERSION",
    "AllCondition",
    "AnyCondition",
    "ApplicantKind",
    "Catalog",
    "ConditionOp",
    "DayUnit",
    "Fee",
    "FieldCondition",
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
    "bundled_catalog",
    "collect_problems",
    "evaluate",
    "initials_match",
    "load_catalog",
    "pinyin_initials",
]
