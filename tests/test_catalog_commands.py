"""``onewindow catalog validate`` / ``catalog schema`` and the published schema file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from app.catalog.commands import run_schema, run_validate, schema_text
from app.cli import main
from app.system import paths

DOCS_SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "catalog.schema.json"
MINIMAL = Path(__file__).parent / "data" / "catalog" / "minimal.json"


def minimal_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MINIMAL.read_text(encoding="utf-8"))
    return data


def test_validate_bundled_folder_prints_the_one_line_summary() -> None:
    out = io.StringIO()
    assert run_validate([paths.catalog_dir()], out) == 0
    assert out.getvalue() == "16 items, 16 templates\n"


def test_validate_a_single_file() -> None:
    out = io.StringIO()
    assert run_validate([MINIMAL], out) == 0
    assert out.getvalue() == "1 items, 1 templates\n"


def test_validate_bad_file_prints_every_problem_and_fails(tmp_path: Path) -> None:
    doc = minimal_doc()
    entry = doc["items"][0]
    entry["materials"][2]["copies"] = 0
    entry["promised_limit"]["days"] = 21
    doc["templates"][0]["sections"][0]["fields"][3]["pattern"] = "("
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    assert run_validate([bad], out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith(f"{bad}: ") for line in lines)
    assert lines[0] == f"{bad}: 事项 示例事项 (code T-001): materials[2].copies: 必须大于 0"
    assert "sections[0].fields[3].pattern: 只有 text / textarea 字段可以设置 pattern" in lines[2]


def test_validate_reports_syntax_errors_and_missing_paths_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"items": [1 2]}', encoding="utf-8")
    out = io.StringIO()
    assert run_validate([broken, tmp_path / "missing"], out) == 1
    assert out.getvalue().splitlines() == [
        f"{tmp_path / 'missing'}: 文件或文件夹不存在",
        f"{broken}: JSON 语法错误（第 1 行第 14 列）：缺少逗号",
    ]


def test_cli_entry_point_runs_validate(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "validate", str(paths.catalog_dir())]) == 0
    assert capsys.readouterr().out == "16 items, 16 templates\n"


def test_schema_to_stdout_is_sorted_pretty_utf8_json() -> None:
    out = io.StringIO()
    assert run_schema(None, out) == 0
    text = out.getvalue()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "行政许可" in text  # ensure_ascii=False
    parsed = json.loads(text)
    assert json.dumps(parsed, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text


def test_schema_to_file_equals_stdout(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    out = io.StringIO()
    assert run_schema(target, out) == 0
    assert target.read_bytes() == schema_text().encode("utf-8")
    assert out.getvalue() == f"已写入 {target}\n"


def test_schema_to_unwritable_path_fails_politely(tmp_path: Path) -> None:
    out = io.StringIO()
    assert run_schema(tmp_path / "no" / "such" / "dir" / "schema.json", out) == 1
    assert "无法写入" in out.getvalue()


def test_published_schema_in_docs_matches_the_models() -> None:
    """Fails when docs/catalog.schema.json drifts; regenerate it with
    ``onewindow catalog schema --out docs/catalog.schema.json``."""
    assert DOCS_SCHEMA.read_text(encoding="utf-8") == schema_text()
