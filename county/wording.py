"""Pydantic's validation errors in Chinese, for the county's refusals: what is wrong with a field
(``缺少必填项``, ``应为对象``…), and where — the field's dotted path. FastAPI's English list is
not shown to the centres' staff."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_WHAT = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为字符串",
    "string_too_short": "不能为空",
    "string_too_long": "过长",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "list_type": "应为数组",
    "too_short": "至少需要一项",
    "too_long": "项数过多",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "literal_error": "取值不在允许的范围内",
    "enum": "取值不在允许的范围内",
    "json_invalid": "不是有效的 JSON",
    "greater_than_equal": "过小",
    "less_than_equal": "过大",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "date_from_datetime_parsing": "应为日期",
}


def what(error: Mapping[str, Any]) -> str:
    """What is wrong, in Chinese (pydantic's own words for a kind of error not listed here)."""
    return _WHAT.get(str(error.get("type")), str(error.get("msg", "")))


def where(error: Mapping[str, Any], skip: tuple[str, ...] = ()) -> str | None:
    """The field's dotted path (``actor.username``, ``ops.3``), leaving out the parts in
    ``skip`` (FastAPI's ``body``, ``query``, ``path``); None: the whole of it."""
    parts = [str(part) for part in error.get("loc", ()) if part not in skip]
    return ".".join(parts) or None


def complaint(error: Mapping[str, Any], skip: tuple[str, ...] = ()) -> str:
    """Where and what, as one phrase: ``actor.username 缺少必填项``."""
    field = where(error, skip)
    return f"{field} {what(error)}" if field else what(error)
