"""Layout templates: ``resources/documents/<kind>.json``, one per document type (docs/printing.md).

A county adjusts wording, the order of blocks, signature lines and the page size there without
touching code. A template is checked when it is loaded; a bad one is refused with a message that
names the file and the field.
"""

from __future__ import annotations

import json
import string
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import InputFileError
from app.printing.kinds import DocKind
from app.system.paths import resources_dir


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Shown only when this fact is non-empty (e.g. "provisional", "deficiency_due").
    when: str | None = None
    unless: str | None = None
    heading: str = ""


class TextBlock(_Block):
    type: Literal["text"]
    lines: list[str]
    style: Literal["body", "salutation", "small", "emphasis"] = "body"


class FieldsBlock(_Block):
    type: Literal["fields"]
    rows: list[tuple[str, str]]
    skip_empty: bool = False  # leave out rows whose value is empty (e.g. mail fields at a window)


class MaterialsBlock(_Block):
    type: Literal["materials"]
    # "received": what was handed in; "pending": 容缺 still to come; "all": both.
    which: Literal["received", "pending", "all"] = "received"


class MissingBlock(_Block):
    type: Literal["missing"]


class ListBlock(_Block):
    type: Literal["list"]
    source: Literal["reasons", "decision_reasons", "matters"]


class SignaturesBlock(_Block):
    type: Literal["signatures"]
    parties: list[str]


class SealBlock(_Block):
    type: Literal["seal"]
    lines: list[str] = ["{centre_name}（盖章）", "{issued_on}"]


Block = Annotated[
    TextBlock
    | FieldsBlock
    | MaterialsBlock
    | MissingBlock
    | ListBlock
    | SignaturesBlock
    | SealBlock,
    Field(discriminator="type"),
]


class Layout(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: DocKind
    title: str
    page_size: Literal["A4", "A5"] = "A4"
    # The title's left corner holds the QR code of the county's progress page with the case's
    # number and 查询密码 (when the case has one and the setting 办件进度查询网址 is filled).
    progress_qr: bool = False
    blocks: list[Block]


# Conditions besides the facts: the lists a document may print.
LIST_CONDITIONS = frozenset(
    {"received_materials", "pending_materials", "missing", "reasons", "decision_reasons", "matters"}
)


def layouts_dir() -> Path:
    return resources_dir() / "documents"


def placeholders(layout: Layout) -> set[str]:
    """Every ``{name}`` the layout's wording uses."""
    texts: list[str] = [layout.title]
    for block in layout.blocks:
        texts.append(block.heading)
        if isinstance(block, TextBlock | SealBlock):
            texts += block.lines
        elif isinstance(block, FieldsBlock):
            texts += [part for row in block.rows for part in row]
        elif isinstance(block, SignaturesBlock):
            texts += block.parties
    names: set[str] = set()
    for text in texts:
        names.update(field for _, field, _, _ in string.Formatter().parse(text) if field)
    return names


def parse_layout(path: Path, known: frozenset[str]) -> Layout:
    """The layout in ``path``; ``known``: the placeholder names the document facts provide."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        layout = Layout.model_validate(raw)
    except OSError as exc:
        raise InputFileError(f"无法读取文书模板 {path.name}：{exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputFileError(f"文书模板 {path.name} 不是有效的 JSON（第{exc.lineno}行）") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputFileError(f"文书模板 {path.name} 的字段 {where} 有误：{first['msg']}") from exc
    try:
        used = placeholders(layout)
    except ValueError as exc:  # a bad {placeholder} in the wording
        raise InputFileError(f"文书模板 {path.name} 的占位符有误：{exc}") from exc
    unknown = sorted(used - known)
    if unknown:
        raise InputFileError(f"文书模板 {path.name} 使用了未知的占位符：{'、'.join(unknown)}")
    conditions = known | LIST_CONDITIONS
    for n, block in enumerate(layout.blocks):
        for name in (block.when, block.unless):
            if name and name not in conditions:
                raise InputFileError(f"文书模板 {path.name} 的字段 blocks.{n} 的条件 {name} 未知")
    if path.stem != layout.kind.value:
        raise InputFileError(f"文书模板 {path.name} 的 kind 应为 {path.stem}")
    return layout


@cache
def load_layout(kind: DocKind) -> Layout:
    """The bundled layout of ``kind`` (read once per process)."""
    from app.printing.facts import FACT_NAMES

    return parse_layout(layouts_dir() / f"{kind.value}.json", FACT_NAMES)
