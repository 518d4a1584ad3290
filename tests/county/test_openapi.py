"""docs/county-openapi.json is the county service's interface as the code declares it: the test
fails while the committed file differs, and says how to regenerate it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from county.cli import main as county_main
from county.openapi import DOCUMENT, REGENERATE, openapi_document


def test_the_committed_openapi_document_is_what_the_code_generates() -> None:
    generated = openapi_document()
    if not DOCUMENT.exists() or DOCUMENT.read_text(encoding="utf-8") != generated:
        pytest.fail(
            f"docs/county-openapi.json is not what the code generates: run `uv run {REGENERATE}` "
            "and commit the file"
        )


def test_the_document_describes_the_county_staffs_work_and_its_refusals(tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    assert county_main(["openapi", "--out", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert out.read_text(encoding="utf-8") == openapi_document()  # stable: the same twice
    assert {"/v1/activate", "/v1/ops", "/v1/changes", "/v1/county/signin"} <= set(document["paths"])
    decision = document["paths"]["/v1/county/cases/{number}/decision"]["post"]
    assert decision["security"] == [{"CountyStaff": []}]
    assert decision["responses"]["403"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Refused"
    }
    assert document["components"]["securitySchemes"]["CountyStaff"]["scheme"] == "bearer"
