"""``onewindow catalog validate`` and ``onewindow catalog schema``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from app.catalog.loader import collect_problems
from app.catalog.schema.json_schema import catalog_json_schema


def schema_text() -> str:
    """The published JSON Schema as written to ``docs/catalog.schema.json``."""
    return json.dumps(catalog_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def run_validate(paths: list[Path], out: TextIO) -> int:
    """Validate catalogue files/folders: one summary line and 0, or every problem and 1."""
    catalog, problems = collect_problems(paths)
    if catalog is None:
        for line in problems:
            print(line, file=out)
        return 1
    print(f"{len(catalog.items)} items, {len(catalog.templates)} templates", file=out)
    return 0


def run_schema(out_path: Path | None, out: TextIO) -> int:
    """Write the JSON Schema to ``out_path`` (UTF-8) or, without a path, to ``out``."""
    text = schema_text()
    if out_path is None:
        out.write(text)
        return 0
    try:
        out_path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        print(f"{out_path}: 无法写入：{exc.strerror or exc}", file=out)
        return 1
    print(f"已写入 {out_path}", file=out)
    return 0
