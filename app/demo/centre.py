"""The embedded demo centre: its name and town code, the bundled catalogue and its settings."""

from __future__ import annotations

from sqlalchemy import select

from app import settings
from app.system.paths import DEMO_KEY_FILE, demo_key_file
from db.models import CatalogRelease
from db.store import Store

__all__ = ["DEMO_KEY_FILE", "demo_key_file", "prepare_demo"]

DEMO_CENTRE_NAME = "示例县清河镇便民服务中心"
DEMO_USER = "demo"
DEMO_TOWN_CODE = "511899101000"  # invented, like the demo town (docs/catalog.md)


def prepare_demo(store: Store) -> None:
    """Fill an empty demo store with the bundled catalogue and centre settings (idempotent)."""
    with store.session() as session, session.begin():
        if session.scalars(select(CatalogRelease)).first() is None:
            # The catalogue's pydantic schema and pinyin tables load only when they are needed.
            from app.catalog.loader import bundled_catalog
            from app.catalog.service import install_catalog

            install_catalog(session, bundled_catalog(), loaded_by=DEMO_USER)
            # A new demo centre reads ID cards from the labelled 模拟读卡器 and its fictional
            # demo cards (resources/idcard/); the admin may change it like any setting.
            settings.IDCARD_READER.set(session, "simulator")
        settings.CENTRE_NAME.set(session, DEMO_CENTRE_NAME)
        settings.TOWN_CODE.set(session, DEMO_TOWN_CODE)
