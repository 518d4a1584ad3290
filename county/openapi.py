"""The county service's OpenAPI document, as committed in ``docs/county-openapi.json``: what
``create_app(...).openapi()`` says, written with sorted keys so the file changes only when the
interface does. ``onewindow-county openapi --out docs/county-openapi.json`` regenerates it; a test
fails while the committed file differs from the code."""

from __future__ import annotations

import json
from pathlib import Path

from county.api import create_app
from county.store.engine import open_county

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "county-openapi.json"
REGENERATE = "onewindow-county openapi --out docs/county-openapi.json"


def openapi_document() -> str:
    """The document as text: JSON, sorted keys, two-space indents, Chinese as it is."""
    store = open_county("sqlite://")  # the interface does not depend on the store's contents
    try:
        document = create_app(store).openapi()
    finally:
        store.close()
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
