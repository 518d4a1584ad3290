"""The catalogue's warning thresholds: optional on an item and on a step, within the limit they
warn before, refused with a Chinese message naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from app.catalog.schema import Item
from app.catalog.schema.items import partial_item_rules
from tests.test_catalog_schema import minimal_doc


def item_doc() -> dict[str, Any]:
    doc: dict[str, Any] = copy.deepcopy(minimal_doc()["items"][0])
    return doc  # 承诺件, 10 working days; steps: accept (0), review (5), county (5)


def test_thresholds_are_optional_and_kept() -> None:
    raw = item_doc()
    plain = Item.model_validate(raw)
    assert plain.warn_at_working_days is None
    assert all(s.warn_at_working_days is None for s in plain.steps)
    raw["warn_at_working_days"] = 3
    raw["steps"][1]["warn_at_working_days"] = 1
    item = Item.model_validate(raw)
    assert item.warn_at_working_days == 3 and item.steps[1].warn_at_working_days == 1
    assert item.content_hash() != plain.content_hash()  # a new version of the item


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        (("warn_at_working_days",), 10, r"预警天数（10 个工作日）应小于承诺时限（10个工作日）"),
        (("steps", 1, "warn_at_working_days"), 5, r"应小于环节时限（5个工作日）"),
        (("steps", 0, "warn_at_working_days"), 0, r"环节时限为当场办结，不应设置预警天数"),
    ],
)
def test_a_threshold_outside_its_limit_is_refused(
    where: tuple[Any, ...], value: int, message: str
) -> None:
    raw = item_doc()
    target: Any = raw
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(ValidationError, match=message):
        Item.model_validate(raw)
    path = ".".join(str(k) for k in where).replace(".1.", "[1].").replace(".0.", "[0].")
    raw["legal_basis"] = []  # structurally invalid too: the rule is still reported
    assert any(p == path for p, _ in partial_item_rules(raw)), partial_item_rules(raw)


def test_a_threshold_is_a_whole_number_of_working_days_up_to_30() -> None:
    raw = item_doc()
    raw["warn_at_working_days"] = 31
    with pytest.raises(ValidationError):
        Item.model_validate(raw)
    raw["warn_at_working_days"] = "3"
    with pytest.raises(ValidationError):
        Item.model_validate(raw)
