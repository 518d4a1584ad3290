"""A form template's fields (:class:`FormField`, with their ``visible_if`` / ``required_if``
conditions) and the sections that group them."""

from __future__ import annotations

from pydantic import Field as PydanticField
from pydantic import JsonValue

from app.catalog.conditions import Condition
from app.catalog.schema.base import FrozenModel
from app.catalog.schema.scalars import (
    FieldKey,
    NonEmptyStr,
    Number,
    OptionalText,
    PositiveInt,
    StrictBool,
)
from app.catalog.schema.vocabulary import ApplicantKind, FieldType


class FormField(FrozenModel):
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


class Section(FrozenModel):
    title: NonEmptyStr
    description: OptionalText | None = None
    fields: list[FormField] = PydanticField(min_length=1)
