"""Load and validate catalogue files and folders.

Every problem is reported, one line each, naming the file, the item or template and the JSON path
of the field, e.g.::

    resources/catalog/dibao.json: 事项 最低生活保障 (code DEMO-MZ-001): materials[2].copies: 份数…

A folder means every ``*.json`` file directly inside it, in name order. Files are merged: each
carries the same header (schema_version, catalog_version, issuer, published_at) and part of the
items and templates; item codes and (template id, version) pairs must be unique across all files,
and every item's form template must be present. Nothing here raises for bad input:
:func:`collect_problems` returns the problems, :func:`load_catalog` raises
:class:`app.errors.CatalogRejected` with all of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from app.catalog.schema.base import DEFER_RULES, Problem
from app.catalog.schema.catalog import Catalog, CatalogHeader, header_rules
from app.catalog.schema.cross_checks import cross_rules
from app.catalog.schema.items import Item, item_rules, partial_item_rules
from app.catalog.schema.templates import FormTemplate, partial_template_rules, template_rules
from app.errors import CatalogRejected
from app.system import paths

_HEADER_KEYS = frozenset(CatalogHeader.model_fields)
_BODY_KEYS = frozenset({"items", "templates"})
_DEFER = {DEFER_RULES: True}

_ModelT = TypeVar("_ModelT", bound=BaseModel)


@dataclass
class _Loaded:
    """What one file contributed."""

    path: Path
    header: CatalogHeader | None = None
    items: list[Item] = field(default_factory=list)
    templates: list[FormTemplate] = field(default_factory=list)
    # Keys of every item / template whose key is readable, valid or not, in file order, with the
    # message prefix naming it: duplicates are found even when one copy has other problems.
    item_codes: list[tuple[str, str]] = field(default_factory=list)
    template_keys: list[tuple[tuple[str, int], str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Messages


_JSON_MESSAGES = {
    "Expecting value": "此处缺少值",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Expecting property name enclosed in double quotes": "属性名必须用英文双引号括起来",
    "Extra data": "JSON 结束后还有多余内容",
    "Unterminated string starting at": "字符串没有结束引号",
    "Invalid control character at": "字符串中有未转义的控制字符（如换行）",
    "Invalid \\escape": "无效的转义字符",
    "Invalid \\uXXXX escape": "无效的 \\u 转义",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "数组末尾多了逗号",
}


def _json_message(message: str) -> str:
    return _JSON_MESSAGES.get(message, f"语法错误（{message}）")


def _location(loc: Sequence[int | str]) -> str:
    """('materials', 2, 'copies') → 'materials[2].copies'; union tags ('$…') are dropped."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not part.startswith("$"):
            text += f".{part}" if text else part
    return text


def _pydantic_message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    given = error.get("input")
    simple = {
        "missing": "缺少必填项",
        "extra_forbidden": "不认识的字段（拼写错误？本格式不允许额外字段）",
        "string_type": "应为字符串",
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "int_from_float": "应为整数",
        "bool_type": "应为 true 或 false",
        "bool_parsing": "应为 true 或 false",
        "decimal_type": "应为数字",
        "decimal_parsing": "应为数字",
        "decimal_max_places": "小数位数过多",
        "float_type": "应为数字",
        "list_type": "应为数组",
        "dict_type": "应为对象",
        "model_type": "应为对象",
        "model_attributes_type": "应为对象",
        "date_type": "应为 YYYY-MM-DD 格式的日期",
        "date_parsing": "应为 YYYY-MM-DD 格式的日期",
        "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期",
        "date_from_datetime_inexact": "应为日期（不含时间）",
        "union_tag_not_found": "条件格式不正确",
        "union_tag_invalid": "条件格式不正确",
        "finite_number": "应为有限数字",
    }
    if kind in simple:
        return simple[kind]
    if kind in ("enum", "literal_error"):
        return f"取值“{given}”无效，应为以下之一：{ctx.get('expected', '')}"
    if kind == "greater_than":
        return f"必须大于 {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"必须大于或等于 {ctx.get('ge')}"
    if kind == "less_than":
        return f"必须小于 {ctx.get('lt')}"
    if kind == "less_than_equal":
        return f"必须小于或等于 {ctx.get('le')}"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "string_too_long":
        return f"过长（最多 {ctx.get('max_length')} 个字符）"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == r"\S":
            return "不能为空或只含空白"
        return f"格式不正确（“{given}”不符合 {pattern}）"
    if kind == "catalog_rule":
        return str(ctx.get("detail", error["msg"]))
    return f"取值不合法（{kind}）"


def _rule_lines(prefix: str, problems: Sequence[Problem]) -> list[str]:
    return [
        f"{prefix}: {path}: {message}" if path else f"{prefix}: {message}"
        for path, message in problems
    ]


def _item_prefix(path: Path, index: int, raw: object) -> str:
    name = raw.get("name") if isinstance(raw, Mapping) else None
    code = raw.get("code") if isinstance(raw, Mapping) else None
    label = f"事项 {name}" if isinstance(name, str) and name.strip() else f"事项 items[{index}]"
    if isinstance(code, str) and code:
        label += f" (code {code})"
    return f"{path}: {label}"


def _template_prefix(path: Path, index: int, raw: object) -> str:
    title = raw.get("title") if isinstance(raw, Mapping) else None
    tid = raw.get("id") if isinstance(raw, Mapping) else None
    version = raw.get("version") if isinstance(raw, Mapping) else None
    label = (
        f"模板 {title}" if isinstance(title, str) and title.strip() else f"模板 templates[{index}]"
    )
    if isinstance(tid, str) and tid:
        label += f" (id {tid}" + (f" v{version})" if isinstance(version, int) else ")")
    return f"{path}: {label}"


# ---------------------------------------------------------------------------------------------
# Reading


def _expand(paths_in: Sequence[Path]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    seen: set[Path] = set()

    def add(candidate: Path) -> None:
        key = candidate.resolve()
        if key not in seen:
            seen.add(key)
            files.append(candidate)

    for given in paths_in:
        if given.is_dir():
            found = sorted(p for p in given.glob("*.json") if p.is_file())
            if not found:
                problems.append(f"{given}: 文件夹中没有 .json 目录文件")
            for file in found:
                add(file)
        elif given.is_file():
            add(given)
        elif given.exists():
            problems.append(f"{given}: 不是普通文件或文件夹")
        else:
            problems.append(f"{given}: 文件或文件夹不存在")
    return files, problems


def _read_json(path: Path) -> tuple[object, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [f"{path}: 无法读取文件：{exc.strerror or exc}"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [f"{path}: 文件不是 UTF-8 编码（第 {exc.start + 1} 个字节无法解码）"]

    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    def no_constant(name: str) -> Any:
        raise ValueError(name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列"
        return None, [f"{path}: JSON 语法错误（{where}）：{_json_message(exc.msg)}"]
    except ValueError as exc:
        return None, [f"{path}: JSON 中不允许出现 {exc}（不是合法的 JSON 数值）"]
    except RecursionError:
        return None, [f"{path}: JSON 嵌套层次过深"]
    return data, [f"{path}: JSON 对象中键“{key}”重复出现" for key in dict.fromkeys(duplicates)]


def _validate(model: type[_ModelT], raw: object, prefix: str) -> tuple[_ModelT | None, list[str]]:
    try:
        return model.model_validate(raw, context=_DEFER), []
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            where = _location(error["loc"])
            message = _pydantic_message(error)
            lines.append(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")
        return None, list(dict.fromkeys(lines))


def _load_file(path: Path) -> tuple[_Loaded, list[str]]:
    loaded = _Loaded(path)
    data, problems = _read_json(path)
    if data is None:
        return loaded, problems
    if not isinstance(data, dict):
        return loaded, [*problems, f"{path}: 文件顶层应为 JSON 对象"]

    header_raw = {k: v for k, v in data.items() if k not in _BODY_KEYS}
    loaded.header, header_problems = _validate(CatalogHeader, header_raw, str(path))
    problems += header_problems
    if loaded.header is not None:
        problems += _rule_lines(str(path), header_rules(loaded.header))

    for key in ("items", "templates"):
        entries = data.get(key, [])
        if not isinstance(entries, list):
            problems.append(f"{path}: {key}: 应为数组")
            continue
        for index, raw in enumerate(entries):
            if key == "items":
                prefix = _item_prefix(path, index, raw)
                code = raw.get("code") if isinstance(raw, Mapping) else None
                if isinstance(code, str) and code:
                    loaded.item_codes.append((code, prefix))
                item, found = _validate(Item, raw, prefix)
                problems += found
                if item is not None:
                    loaded.items.append(item)
                    problems += _rule_lines(prefix, item_rules(item))
                elif isinstance(raw, Mapping):
                    problems += _rule_lines(prefix, partial_item_rules(raw))
            else:
                prefix = _template_prefix(path, index, raw)
                tid = raw.get("id") if isinstance(raw, Mapping) else None
                version = raw.get("version") if isinstance(raw, Mapping) else None
                if isinstance(tid, str) and isinstance(version, int):
                    loaded.template_keys.append(((tid, version), prefix))
                template, found = _validate(FormTemplate, raw, prefix)
                problems += found
                if template is not None:
                    loaded.templates.append(template)
                    problems += _rule_lines(prefix, template_rules(template))
                else:
                    problems += _rule_lines(prefix, partial_template_rules(raw))
    return loaded, problems


# ---------------------------------------------------------------------------------------------
# Merging


def _merge_headers(loaded: Sequence[_Loaded]) -> tuple[CatalogHeader | None, list[str]]:
    headers = [(part.path, part.header) for part in loaded if part.header is not None]
    if not headers:
        return None, []
    first_path, first = headers[0]
    problems: list[str] = []
    published = first.published_at
    for path, header in headers[1:]:
        for name in ("schema_version", "catalog_version", "issuer"):
            mine, theirs = getattr(header, name), getattr(first, name)
            if mine != theirs:
                problems.append(f"{path}: {name}: “{mine}”与 {first_path} 中的“{theirs}”不一致")
        if header.published_at is not None:
            if published is None:
                published = header.published_at
            elif header.published_at != published:
                problems.append(
                    f"{path}: published_at: {header.published_at} 与其他文件中的 {published} 不一致"
                )
    return first.model_copy(update={"published_at": published}), problems


def _duplicates(loaded: Sequence[_Loaded]) -> list[str]:
    problems: list[str] = []
    first_code: dict[str, Path] = {}
    first_template: dict[tuple[str, int], Path] = {}
    for part in loaded:
        for code, prefix in part.item_codes:
            if code in first_code:
                problems.append(
                    f"{prefix}: code: 事项编码“{code}”与 {first_code[code]} 中的事项重复"
                )
            else:
                first_code[code] = part.path
        for key, prefix in part.template_keys:
            if key in first_template:
                problems.append(
                    f"{prefix}: version: 表单模板 {key[0]} 第 {key[1]} 版与 "
                    f"{first_template[key]} 中的模板重复"
                )
            else:
                first_template[key] = part.path
    return problems


def collect_problems(paths_in: Sequence[Path]) -> tuple[Catalog | None, list[str]]:
    """Validate files and folders; returns the merged catalogue, or None and every problem."""
    if not paths_in:
        return None, ["没有指定目录文件或文件夹"]
    files, problems = _expand(paths_in)
    loaded: list[_Loaded] = []
    for file in files:
        part, found = _load_file(file)
        loaded.append(part)
        problems += found

    header, header_problems = _merge_headers(loaded)
    problems += header_problems

    problems += _duplicates(loaded)
    items = [(part.path, item) for part in loaded for item in part.items]
    templates = [(part.path, t) for part in loaded for t in part.templates]
    valid_templates = {(t.id, t.version) for _, t in templates}
    broken_templates = {
        key for part in loaded for key, _ in part.template_keys if key not in valid_templates
    }

    def origin(kind: str, index: int) -> str:
        return str(items[index][0] if kind == "item" else templates[index][0])

    for kind, index, path, message in cross_rules(
        [i for _, i in items], [t for _, t in templates], origin
    ):
        if kind == "item":
            file, item = items[index]
            if path == "code":
                continue  # reported by _duplicates, which also sees broken items
            ref = (item.form_template.id, item.form_template.version)
            if path == "form_template" and ref in broken_templates:
                continue  # the template exists but has problems of its own, reported above
            prefix = f"{file}: 事项 {item.name} (code {item.code})"
        else:
            file, template = templates[index]
            if path == "version":
                continue  # reported by _duplicates
            prefix = f"{file}: 模板 {template.title} (id {template.id} v{template.version})"
        problems += _rule_lines(prefix, [(path, message)])

    if files and not items and not problems:
        problems.append(f"{', '.join(map(str, paths_in))}: 目录中没有任何事项")
    if problems or header is None:
        return None, problems
    catalog = Catalog(
        **header.model_dump(),
        items=[i for _, i in items],
        templates=[t for _, t in templates],
    )
    return catalog, []


def load_catalog(paths_in: Sequence[Path]) -> Catalog:
    """The merged, validated catalogue; raises :class:`CatalogRejected` listing every problem."""
    catalog, problems = collect_problems(paths_in)
    if catalog is None:
        raise CatalogRejected(problems)
    return catalog


def bundled_catalog() -> Catalog:
    """The demo catalogue shipped in ``resources/catalog``."""
    return load_catalog([paths.catalog_dir()])
