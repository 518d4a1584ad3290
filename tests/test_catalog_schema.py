"""The catalogue models: pinyin initials, conditions, field states, content hash, model rules."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from app.catalog.conditions import (
    AllCondition,
    AnyCondition,
    ConditionOp,
    ConditionT,
    FieldCondition,
    evaluate,
    is_empty,
    referenced_keys,
)
from app.catalog.pinyin import initials_match, pinyin_initials
from app.catalog.schema import Catalog, FormTemplate, Item, catalog_json_schema

MINIMAL = Path(__file__).parent / "data" / "catalog" / "minimal.json"


def minimal_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MINIMAL.read_text(encoding="utf-8"))
    return data


def template_doc(fields: list[dict[str, Any]]) -> dict[str, Any]:
    applicant = {
        "key": "applicant",
        "label": "申请人",
        "type": "applicant",
        "applicant_kinds": ["natural_person"],
    }
    return {
        "id": "t",
        "version": 1,
        "title": "测试表",
        "sections": [{"title": "一", "fields": [applicant, *fields]}],
    }


# --- pinyin ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("最低生活保障", "zdshbz"),
        ("临时救助", "lsjz"),
        ("特困人员救助供养", "tkryjzgy"),
        ("重度残疾人护理补贴", "zdcjrhlbt"),
        ("城乡居民基本养老保险参保登记", "cxjmjbylbxcbdj"),
        ("农村村民宅基地审批", "nccmzjdsp"),
        ("林木采伐许可证核发（个人）", "lmcfxkzhfgr"),
        ("《就业创业证》申领", "jycyzsl"),
    ],
)
def test_pinyin_initials_of_known_names(name: str, initials: str) -> None:
    assert pinyin_initials(name) == initials
    assert initials_match(name, initials)


def test_polyphonic_characters_accept_any_reading_but_nothing_else() -> None:
    assert initials_match("银行", "yh")  # 行 háng
    assert initials_match("行政", "xz")  # 行 xíng
    assert initials_match("重度", "zd")
    assert initials_match("重度", "cd")  # 重 chóng is a reading, too
    assert not initials_match("重度", "xd")
    assert not initials_match("最低生活保障", "zdshb")  # one letter short
    assert not initials_match("最低生活保障", "zdshbzz")


def test_ascii_letters_and_digits_count_and_punctuation_does_not() -> None:
    assert pinyin_initials("A级 3号（试点）") == "aj3hsd"
    assert initials_match("A级 3号（试点）", "aj3hsd")


# --- conditions ------------------------------------------------------------------------------


def leaf(field: str, op: str, value: Any = None) -> FieldCondition:
    return FieldCondition(field=field, op=ConditionOp(op), value=value)


@pytest.mark.parametrize(
    ("condition", "data", "expected"),
    [
        (leaf("a", "equals", "其他"), {"a": "其他"}, True),
        (leaf("a", "equals", "其他"), {"a": "因病"}, False),
        (leaf("a", "equals", "其他"), {}, False),
        (leaf("n", "equals", 3), {"n": 3.0}, True),
        (leaf("b", "equals", True), {"b": 1}, False),  # booleans only equal booleans
        (leaf("a", "not_equals", "其他"), {}, True),
        (leaf("a", "not_equals", "其他"), {"a": "其他"}, False),
        (leaf("a", "in", ["甲", "乙"]), {"a": "乙"}, True),
        (leaf("a", "in", ["甲", "乙"]), {"a": "丙"}, False),
        (leaf("m", "contains", "其他"), {"m": ["糕点", "其他"]}, True),
        (leaf("m", "contains", "其他"), {"m": ["糕点"]}, False),
        (leaf("m", "contains", "其他"), {"m": "其他"}, False),
        (leaf("a", "not_empty"), {"a": "  "}, False),
        (leaf("a", "not_empty"), {"a": "x"}, True),
        (leaf("a", "not_empty"), {"a": []}, False),
        (leaf("b", "is_true"), {"b": True}, True),
        (leaf("b", "is_true"), {"b": "true"}, False),
    ],
)
def test_evaluate_leaf_operators(
    condition: FieldCondition, data: dict[str, Any], expected: bool
) -> None:
    assert evaluate(condition, data) is expected


def test_combinators_nest() -> None:
    condition = AllCondition(
        all=[
            leaf("a", "equals", 1),
            AnyCondition(any=[leaf("b", "is_true"), leaf("c", "not_empty")]),
        ]
    )
    assert evaluate(condition, {"a": 1, "c": "x"})
    assert not evaluate(condition, {"a": 1})
    assert not evaluate(condition, {"a": 2, "b": True})
    assert referenced_keys(condition) == {"a", "b", "c"}


_KEYS = ["a", "b", "c", "d"]
_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["", "甲", "乙", "其他"]),
    st.lists(st.sampled_from(["甲", "乙", "其他"]), max_size=3),
)
_leaves = st.builds(
    FieldCondition,
    field=st.sampled_from(_KEYS),
    op=st.sampled_from(list(ConditionOp)),
    value=_values,
)
_conditions: st.SearchStrategy[ConditionT] = st.recursive(
    _leaves,
    lambda children: st.one_of(
        st.builds(AllCondition, all=st.lists(children, min_size=1, max_size=4)),
        st.builds(AnyCondition, any=st.lists(children, min_size=1, max_size=4)),
    ),
    max_leaves=12,
)
_data = st.dictionaries(st.sampled_from(_KEYS), _values)


def reference(condition: ConditionT, data: dict[str, Any]) -> bool:
    """An independent reading of the documented semantics."""
    if isinstance(condition, AllCondition):
        return all(reference(c, data) for c in condition.all)
    if isinstance(condition, AnyCondition):
        return any(reference(c, data) for c in condition.any)
    value = data.get(condition.field)
    empty = value in (None, "", []) or (isinstance(value, str) and not value.strip())

    def same(x: Any, y: Any) -> bool:
        if isinstance(x, bool) or isinstance(y, bool):
            return type(x) is type(y) and x == y
        return bool(x == y)

    match condition.op:
        case "equals":
            return not empty and same(value, condition.value)
        case "not_equals":
            return empty or not same(value, condition.value)
        case "in":
            options = condition.value if isinstance(condition.value, list) else []
            return not empty and any(same(value, o) for o in options)
        case "contains":
            return isinstance(value, list) and any(same(v, condition.value) for v in value)
        case "not_empty":
            return not empty
        case _:
            return value is True


@settings(max_examples=300, deadline=None)
@given(conditions=st.lists(_conditions, min_size=1, max_size=5), data=_data)
def test_all_and_any_agree_with_python_all_and_any(
    conditions: list[ConditionT], data: dict[str, Any]
) -> None:
    results = [evaluate(c, data) for c in conditions]
    assert evaluate(AllCondition(all=conditions), data) is all(results)
    assert evaluate(AnyCondition(any=conditions), data) is any(results)


@settings(max_examples=300, deadline=None)
@given(condition=_conditions, data=_data)
def test_evaluate_matches_the_documented_semantics(
    condition: ConditionT, data: dict[str, Any]
) -> None:
    assert evaluate(condition, data) is reference(condition, data)


def test_is_empty() -> None:
    assert is_empty(None) and is_empty("") and is_empty(" \t") and is_empty([]) and is_empty({})
    assert not is_empty(0) and not is_empty(False) and not is_empty("0")


# --- field states ----------------------------------------------------------------------------


def test_conditional_field_is_visible_and_required_only_when_its_condition_holds() -> None:
    template = FormTemplate.model_validate(minimal_doc()["templates"][0])
    states = template.field_states({"reason": "因病"})
    assert states["reason_other"] == (False, False)
    assert states["reason"] == (True, True)
    states = template.field_states({"reason": "其他"})
    assert states["reason_other"] == (True, True)
    missing = [f.key for f in template.missing_required({"reason": "其他", "applicant": {"x": 1}})]
    assert missing == ["reason_other"]
    assert template.visible_keys({}) == ["applicant", "reason", "family_size"]


def test_hidden_fields_hide_what_depends_on_them() -> None:
    template = FormTemplate.model_validate(
        template_doc(
            [
                {"key": "has_agent", "label": "代办", "type": "checkbox"},
                {
                    "key": "agent_kind",
                    "label": "代办人类型",
                    "type": "select",
                    "options": ["亲属", "其他"],
                    "visible_if": {"field": "has_agent", "op": "is_true"},
                },
                {
                    "key": "agent_note",
                    "label": "说明",
                    "type": "text",
                    "visible_if": {"field": "agent_kind", "op": "equals", "value": "其他"},
                    "required_if": {"field": "agent_kind", "op": "equals", "value": "其他"},
                },
                {"key": "consent", "label": "承诺", "type": "checkbox", "required": True},
            ]
        )
    )
    # A stale value of a hidden field must not switch on its dependants.
    stale = {"has_agent": False, "agent_kind": "其他"}
    assert template.field_states(stale)["agent_note"] == (False, False)
    live = {"has_agent": True, "agent_kind": "其他"}
    assert template.field_states(live)["agent_note"] == (True, True)
    # A required checkbox must be ticked.
    assert [f.key for f in template.missing_required({**live, "agent_note": "x"})] == ["consent"]
    assert template.missing_required({**live, "agent_note": "x", "consent": True}) == []


# --- content hash ----------------------------------------------------------------------------


def test_content_hash_is_stable_and_ignores_key_order_and_explicit_defaults() -> None:
    doc = minimal_doc()["templates"][0]
    first = FormTemplate.model_validate(doc)
    reordered = json.loads(json.dumps(doc, sort_keys=True))
    reordered["sections"][0]["fields"][2]["required"] = False  # the default, written out
    reordered["sections"][0]["fields"][3]["max"] = 20.0  # the same number
    assert FormTemplate.model_validate(reordered).content_hash() == first.content_hash()
    assert len(first.content_hash()) == 64
    # Golden value: a change of canonicalisation would silently re-version stored templates.
    assert (
        first.content_hash() == "b7c59c14c1981455ffe1d79b86c0e8a0b089fb4169f4f91aa15c08b742010ee0"
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["sections"][0]["fields"][1].__setitem__("label", "申请事由"),
        lambda d: d["sections"][0]["fields"][1]["options"].append("因残"),
        lambda d: d["sections"][0]["fields"][3].__setitem__("max", 30),
        lambda d: d.__setitem__("version", 2),
        lambda d: d["sections"][0]["fields"][2]["visible_if"].__setitem__("op", "not_equals"),
    ],
    ids=["label", "option", "max", "version", "condition"],
)
def test_content_hash_changes_with_anything_that_renders(change: Any) -> None:
    doc = minimal_doc()["templates"][0]
    before = FormTemplate.model_validate(doc).content_hash()
    changed = copy.deepcopy(doc)
    change(changed)
    assert FormTemplate.model_validate(changed).content_hash() != before


# --- the models hold themselves to the rules ------------------------------------------------


def test_item_model_rejects_rule_violations_without_the_loader() -> None:
    raw = minimal_doc()["items"][0]
    raw["promised_limit"]["days"] = 25
    with pytest.raises(ValidationError, match="承诺时限"):
        Item.model_validate(raw)


def test_template_model_rejects_rule_violations_without_the_loader() -> None:
    raw = minimal_doc()["templates"][0]
    raw["sections"][0]["fields"][2]["visible_if"]["field"] = "nope"
    with pytest.raises(ValidationError, match="nope"):
        FormTemplate.model_validate(raw)


def test_catalog_model_checks_references_and_duplicates() -> None:
    doc = minimal_doc()
    Catalog.model_validate(doc)  # the fixture itself is valid
    doubled = copy.deepcopy(doc)
    doubled["items"].append(copy.deepcopy(doc["items"][0]))
    with pytest.raises(ValidationError, match="事项编码“T-001”与 items\\[0\\]"):
        Catalog.model_validate(doubled)
    dangling = copy.deepcopy(doc)
    dangling["templates"] = []
    with pytest.raises(ValidationError, match="找不到表单模板 sample 第 1 版"):
        Catalog.model_validate(dangling)


def test_models_are_immutable() -> None:
    template = FormTemplate.model_validate(minimal_doc()["templates"][0])
    with pytest.raises(ValidationError):
        template.title = "改"  # type: ignore[misc]


def test_json_schema_describes_the_format() -> None:
    schema = catalog_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"schema_version", "catalog_version", "issuer"}
    item = schema["$defs"]["Item"]
    assert "sources" in item["required"] and item["properties"]["sources"]["minItems"] == 1
    assert schema["$defs"]["ItemType"]["enum"] == [
        "行政许可",
        "行政确认",
        "行政给付",
        "行政裁决",
        "行政奖励",
        "行政备案",
        "其他行政权力",
        "公共服务",
    ]
    assert schema["$defs"]["Material"]["properties"]["copies"]["exclusiveMinimum"] == 0
