"""The constrained scalar types of catalogue JSON: slugs, codes, phone numbers, URLs, non-empty
text, strict booleans and integers, and ``Number`` (a decimal that serialises as a JSON number)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field as PydanticField
from pydantic import PlainSerializer, Strict

from app.catalog.conditions import KEY_PATTERN

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
