"""What every catalogue model shares: the frozen, extra-forbidding base model, and the machinery
for deferring its rules (``DEFER_RULES``, then checking only the parts that are valid on their own).

Models run their rules in a validator unless ``DEFER_RULES`` is in the validation context; the
loader defers them so that it can run the rule functions itself and report exact paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

#: Pass ``context={DEFER_RULES: True}`` to ``model_validate`` to check structure only; the caller
#: then runs the rule functions itself (the loader does, to report exact paths).
DEFER_RULES: Final = "defer_rules"

#: (path relative to the object, message in Chinese): what every rule returns.
Problem = tuple[str, str]
_M = TypeVar("_M", bound=BaseModel)


class FrozenModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def rules_deferred(info: ValidationInfo) -> bool:
    return isinstance(info.context, Mapping) and bool(info.context.get(DEFER_RULES))


def raise_rule_problems(problems: Sequence[tuple[str, str]]) -> None:
    if problems:
        detail = "；".join(f"{path}: {message}" if path else message for path, message in problems)
        raise PydanticCustomError("catalog_rule", "{detail}", {"detail": detail})


@cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def valid_fields(model: type[BaseModel], raw: Mapping[str, Any]) -> dict[str, Any]:
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


def valid_elements(model: type[_M], raw: object) -> list[tuple[int, _M]]:
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
