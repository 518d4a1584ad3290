"""The published JSON Schema of a catalogue file (``docs/catalog.schema.json``), generated from
the models."""

from __future__ import annotations

from typing import Any, Final

from app.catalog.schema.catalog import SCHEMA_VERSION, Catalog

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def catalog_json_schema() -> dict[str, Any]:
    """JSON Schema of a catalogue file (structure and types; the models' rules come on top)."""
    schema = Catalog.model_json_schema(mode="validation")
    schema["$schema"] = JSON_SCHEMA_DIALECT
    schema["title"] = "OneWindow 一窗通 item catalogue (事项目录) file"
    schema["description"] = (
        f"Format version {SCHEMA_VERSION}. Structure and types only: the cross-field rules "
        "(time limits, 容缺, conditions, unique keys, template references, pinyin initials) are "
        "described in docs/catalog.md and checked by `onewindow catalog validate`."
    )
    return schema
