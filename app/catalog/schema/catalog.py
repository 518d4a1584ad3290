"""A whole catalogue: the header every catalogue file carries (:class:`CatalogHeader`, checked by
:func:`header_rules`), and :class:`Catalog`, which holds items and templates and runs the header
and cross rules on them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final, Self

from pydantic import Field as PydanticField
from pydantic import Strict, ValidationInfo, model_validator

from app.catalog.schema.base import FrozenModel, Problem, raise_rule_problems, rules_deferred
from app.catalog.schema.cross_checks import cross_rules
from app.catalog.schema.items import Item
from app.catalog.schema.scalars import NonEmptyStr
from app.catalog.schema.templates import FormTemplate

#: The catalogue format this program reads and writes.
SCHEMA_VERSION: Final = 1


class CatalogHeader(FrozenModel):
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
        if rules_deferred(info):
            return self
        problems = [(path, message) for path, message in header_rules(self)]
        problems += [
            (f"{_kind_key(kind)}[{index}].{path}".rstrip("."), message)
            for kind, index, path, message in cross_rules(
                self.items, self.templates, lambda kind, index: f"{_kind_key(kind)}[{index}]"
            )
        ]
        raise_rule_problems(problems)
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


def header_rules(header: CatalogHeader) -> list[Problem]:
    if header.schema_version != SCHEMA_VERSION:
        return [
            (
                "schema_version",
                f"不支持的目录格式版本 {header.schema_version}（本程序支持 {SCHEMA_VERSION}）",
            )
        ]
    return []
