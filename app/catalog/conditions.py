"""Conditions on form data, written as data (never code) in form templates.

A condition is one of::

    {"field": "reason", "op": "equals", "value": "其他"}
    {"all": [condition, ...]}      # true when every sub-condition is true
    {"any": [condition, ...]}      # true when at least one sub-condition is true

Operators on one field's value (``data[field]``; a missing key, ``None``, ``""``, ``[]`` and ``{}``
count as *empty*):

=============  ==========================================================================
``equals``     the value equals ``value`` (numbers compare by value: 2 == 2.0)
``not_equals`` negation of ``equals`` (an empty value is "not equal")
``in``         the value is one of the list ``value``
``contains``   the value (a list, from a multi-select) contains ``value``
``not_empty``  the value is not empty; takes no ``value``
``is_true``    the value is exactly ``true`` (a checkbox); takes no ``value``
=============  ==========================================================================

Which operators fit which field type, and whether ``value`` fits the referenced field, is checked
when a template is validated (``app.catalog.schema``); :func:`evaluate` itself never raises for
well-formed conditions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, JsonValue, Tag

# Keys of template fields: snake_case ASCII.
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"

# Union tags for the condition variants. They appear in pydantic error locations; the loader drops
# location parts starting with "$" so that users see only real JSON keys.
TAG_FIELD = "$field_condition"
TAG_ALL = "$all_condition"
TAG_ANY = "$any_condition"


class ConditionOp(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    CONTAINS = "contains"
    NOT_EMPTY = "not_empty"
    IS_TRUE = "is_true"


#: Operators that take no ``value``.
VALUELESS_OPS = frozenset({ConditionOp.NOT_EMPTY, ConditionOp.IS_TRUE})


class _ConditionBase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldCondition(_ConditionBase):
    """A test on one field of the same template."""

    field: str = Field(pattern=KEY_PATTERN, description="key of the field tested")
    op: ConditionOp = Field(description="operator")
    value: JsonValue = Field(
        default=None, description="operand; a list for `in`; omitted for not_empty / is_true"
    )


class AllCondition(_ConditionBase):
    """True when every sub-condition is true."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(_ConditionBase):
    """True when at least one sub-condition is true."""

    any: list[Condition] = Field(min_length=1)


def _condition_tag(value: Any) -> str:
    if isinstance(value, Mapping):
        if "all" in value:
            return TAG_ALL
        if "any" in value:
            return TAG_ANY
        return TAG_FIELD
    if isinstance(value, AllCondition):
        return TAG_ALL
    if isinstance(value, AnyCondition):
        return TAG_ANY
    return TAG_FIELD


Condition = Annotated[
    Union[  # noqa: UP007 - the X | Y form cannot carry the Tag annotations in a forward reference
        Annotated[FieldCondition, Tag(TAG_FIELD)],
        Annotated[AllCondition, Tag(TAG_ALL)],
        Annotated[AnyCondition, Tag(TAG_ANY)],
    ],
    Discriminator(_condition_tag),
]

AllCondition.model_rebuild()
AnyCondition.model_rebuild()

ConditionT = FieldCondition | AllCondition | AnyCondition


def is_empty(value: object) -> bool:
    """The emptiness used by ``not_empty`` and by required-field checks."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | tuple | dict | set | frozenset):
        return len(value) == 0
    return False


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def values_equal(left: object, right: object) -> bool:
    """Equality as conditions see it: numbers by value, booleans only equal booleans."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    left_number, right_number = _number(left), _number(right)
    if left_number is not None and right_number is not None:
        try:
            return left_number == right_number
        except InvalidOperation:  # pragma: no cover - NaN comparisons
            return False
    return left == right


def evaluate(condition: ConditionT, data: Mapping[str, object]) -> bool:
    """Evaluate ``condition`` against form data (field key → value)."""
    if isinstance(condition, AllCondition):
        return all(evaluate(sub, data) for sub in condition.all)
    if isinstance(condition, AnyCondition):
        return any(evaluate(sub, data) for sub in condition.any)
    value = data.get(condition.field)
    match condition.op:
        case ConditionOp.EQUALS:
            return not is_empty(value) and values_equal(value, condition.value)
        case ConditionOp.NOT_EQUALS:
            return is_empty(value) or not values_equal(value, condition.value)
        case ConditionOp.IN:
            options = condition.value if isinstance(condition.value, list) else []
            return not is_empty(value) and any(values_equal(value, o) for o in options)
        case ConditionOp.CONTAINS:
            if not isinstance(value, list | tuple):
                return False
            return any(values_equal(item, condition.value) for item in value)
        case ConditionOp.NOT_EMPTY:
            return not is_empty(value)
        case ConditionOp.IS_TRUE:
            return value is True
    raise AssertionError(f"unhandled operator {condition.op!r}")  # pragma: no cover


def leaves(condition: ConditionT) -> Iterator[tuple[str, FieldCondition]]:
    """Every field test inside ``condition``, with its JSON path relative to the condition."""
    if isinstance(condition, AllCondition | AnyCondition):
        key = "all" if isinstance(condition, AllCondition) else "any"
        subs = condition.all if isinstance(condition, AllCondition) else condition.any
        for index, sub in enumerate(subs):
            for path, leaf in leaves(sub):
                yield f".{key}[{index}]{path}", leaf
        return
    yield "", condition


def referenced_keys(condition: ConditionT) -> set[str]:
    """Keys of every field the condition reads."""
    return {leaf.field for _, leaf in leaves(condition)}
